#!/usr/bin/env python3
"""Compares what Debian's Alertmanager and Vigil did with the same alerts (compat/alertmanager.sh):
the webhook notifications each receiver got (grouping, order, payload fields), and amtool's views
(alerts with their silenced/inhibited state, silences, the routing tree).

usage: compare.py WORKDIR  (reads am-*.jsonl / vigil-*.jsonl and the amtool outputs saved there)"""
import json
import os
import sys

passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name}\n{detail}")


def notifications(path, receiver):
    out = []
    if not os.path.exists(path):
        return out
    with open(path) as lines:
        for line in lines:
            request = json.loads(line)
            if request["path"] != "/" + receiver:
                continue
            body = request["alerts"]
            body.pop("externalURL", None)
            body["alerts"] = sorted(body.get("alerts", []), key=lambda a: a["fingerprint"])
            out.append((request["path"], json.dumps(body, sort_keys=True)))
    return out


def load_json(path):
    with open(path) as handle:
        text = handle.read().strip()
    return json.loads(text) if text else None


def normalise_alerts(alerts):
    out = []
    for alert in alerts or []:
        status = alert.get("status", {})
        out.append({
            "labels": alert.get("labels"), "annotations": alert.get("annotations"),
            "fingerprint": alert.get("fingerprint"), "startsAt": alert.get("startsAt"),
            "receivers": sorted(r["name"] for r in alert.get("receivers", [])),
            "state": status.get("state"), "inhibitedBy": sorted(status.get("inhibitedBy") or []),
            "silenced": bool(status.get("silencedBy")), "generatorURL": alert.get("generatorURL"),
        })
    return sorted(out, key=lambda a: a["fingerprint"])


def normalise_silences(silences):
    out = []
    for silence in silences or []:
        state = silence.get("status", {}).get("state")
        # A start in the past becomes "now", and expiring sets the end to "now": those instants
        # differ by the milliseconds between the two requests, so only the fixed end is compared.
        out.append({
            "matchers": silence.get("matchers"), "endsAt": silence.get("endsAt") if state != "expired" else "now",
            "createdBy": silence.get("createdBy"), "comment": silence.get("comment"),
            "state": silence.get("status", {}).get("state"),
        })
    return sorted(out, key=lambda s: json.dumps(s, sort_keys=True))


def main():
    work = sys.argv[1]
    for receiver in ("default", "pager", "db"):
        am = notifications(f"{work}/am.jsonl", receiver)
        vigil = notifications(f"{work}/vigil.jsonl", receiver)
        check(f"receiver {receiver}: Alertmanager sent something", len(am) > 0, "no notification")
        check(f"receiver {receiver}: the same notifications in the same order", am == vigil,
              "alertmanager:\n  " + "\n  ".join(n for _, n in am) + "\nvigil:\n  " + "\n  ".join(n for _, n in vigil))
    for view in ("alerts", "alerts-all", "alerts-filtered"):
        am = normalise_alerts(load_json(f"{work}/am-{view}.json"))
        vigil = normalise_alerts(load_json(f"{work}/vigil-{view}.json"))
        check(f"amtool alert query ({view})", am == vigil and am,
              "alertmanager:\n  " + "\n  ".join(map(json.dumps, am)) + "\nvigil:\n  " + "\n  ".join(map(json.dumps, vigil)))
    for view in ("silences", "silences-expired"):
        am = normalise_silences(load_json(f"{work}/am-{view}.json"))
        vigil = normalise_silences(load_json(f"{work}/vigil-{view}.json"))
        check(f"amtool silence query ({view})", am == vigil and am,
              "alertmanager:\n  " + "\n  ".join(map(json.dumps, am)) + "\nvigil:\n  " + "\n  ".join(map(json.dumps, vigil)))
    with open(f"{work}/am-routes.txt") as a, open(f"{work}/vigil-routes.txt") as b:
        am, vigil = a.read(), b.read()
    check("amtool config routes", am == vigil and am.strip(), f"alertmanager:\n{am}\nvigil:\n{vigil}")

    def groups(path):
        out = []
        for group in load_json(path) or []:
            out.append({"labels": group["labels"], "receiver": group["receiver"]["name"],
                        "alerts": sorted(a["fingerprint"] for a in group["alerts"])})
        return out
    am, vigil = groups(f"{work}/am-groups.json"), groups(f"{work}/vigil-groups.json")
    check("GET /api/v2/alerts/groups (labels, receiver, alerts, order)", am == vigil and am,
          "alertmanager:\n  " + "\n  ".join(map(json.dumps, am)) + "\nvigil:\n  " + "\n  ".join(map(json.dumps, vigil)))
    print(f"alertmanager: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
