#!/usr/bin/env python3
"""Compares what Prometheus and Vigil posted to their Alertmanager stand-ins (compat/notifier.sh).

Only alerts of the firing cycle [--window-start, --window-start + 30s) count, and only
notifications both sides had time to make: firing ones computed before --deadline (an alert's
endsAt is its evaluation time plus 4 × max(interval, resend delay)) and resolved ones whose
resolution came before it. Within that, the distinct alerts (labels, annotations, startsAt, endsAt,
generatorURL) each side sent must be the same set, requests must go to the same path with the
same content type, and /api/v1/alertmanagers must list the same Alertmanagers.
"""
import argparse
import datetime
import json
import re
import sys
import urllib.request

VALID_FOR = 16.0  # 4 × max(2s interval, 4s resend delay)


def parse_time(text):
    text = text.replace("Z", "+00:00")
    match = re.match(r"(.*T\d\d:\d\d:\d\d)(\.\d+)?(.*)", text)
    fraction = (match.group(2) or ".0")[:7]
    return datetime.datetime.fromisoformat(match.group(1) + fraction + match.group(3)).timestamp()


def load(path, window_start, deadline):
    requests, alerts = [], set()
    with open(path) as lines:
        for line in lines:
            request = json.loads(line)
            requests.append((request["path"], request["content_type"]))
            for alert in request["alerts"]:
                starts, ends = parse_time(alert["startsAt"]), parse_time(alert["endsAt"])
                if not window_start <= starts < window_start + 30:
                    continue
                # A firing alert ends VALID_FOR after the evaluation that sent it; a resolved one
                # ends when it resolved, less than a cycle's half (15s) after it started.
                computed = ends - VALID_FOR if ends - starts >= VALID_FOR - 1e-6 else ends
                if computed >= deadline:
                    continue
                alerts.add(json.dumps({
                    "labels": alert.get("labels", {}), "annotations": alert.get("annotations", {}),
                    "startsAt": starts, "endsAt": ends, "generatorURL": alert.get("generatorURL", ""),
                }, sort_keys=True))
    return requests, alerts


def alertmanagers(base):
    with urllib.request.urlopen(base + "/api/v1/alertmanagers", timeout=10) as response:
        data = json.load(response)["data"]
    strip = lambda url: re.sub(r"127\.0\.0\.1:\d+", "127.0.0.1:PORT", url)
    return {key: sorted(strip(entry["url"]) for entry in data.get(key, [])) for key in ("activeAlertmanagers", "droppedAlertmanagers")}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--prometheus-capture")
    parser.add_argument("--vigil-capture")
    parser.add_argument("--prometheus")
    parser.add_argument("--vigil")
    parser.add_argument("--window-start", type=float)
    parser.add_argument("--deadline", type=float)
    args = parser.parse_args()

    passed = failed = 0

    def check(name, ok, detail=""):
        nonlocal passed, failed
        if ok:
            passed += 1
        else:
            failed += 1
            print(f"FAIL {name}\n{detail}")

    prom_requests, prom_alerts = load(args.prometheus_capture, args.window_start, args.deadline)
    vigil_requests, vigil_alerts = load(args.vigil_capture, args.window_start, args.deadline)
    check("prometheus sent alerts of the window", len(prom_alerts) > 0, "no alert from Prometheus in the window")
    check("request paths and content types", set(prom_requests) == set(vigil_requests),
          f"prometheus {sorted(set(prom_requests))}\nvigil      {sorted(set(vigil_requests))}")
    names = sorted({json.loads(a)["labels"].get("alertname", "") for a in prom_alerts | vigil_alerts})
    for name in names:
        prom = {a for a in prom_alerts if json.loads(a)["labels"].get("alertname") == name}
        vigil = {a for a in vigil_alerts if json.loads(a)["labels"].get("alertname") == name}
        detail = "only prometheus:\n  " + "\n  ".join(sorted(prom - vigil)) + "\nonly vigil:\n  " + "\n  ".join(sorted(vigil - prom))
        check(f"alerts named {name}", prom == vigil, detail)
    dropped = [a for a in vigil_alerts if json.loads(a)["labels"].get("severity") == "none"]
    check("alert_relabel_configs dropped severity=none", not dropped, "\n".join(dropped))
    prom_ams, vigil_ams = alertmanagers(args.prometheus), alertmanagers(args.vigil)
    check("/api/v1/alertmanagers", prom_ams == vigil_ams, f"prometheus {prom_ams}\nvigil      {vigil_ams}")
    print(f"notifier: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
