#!/usr/bin/env python3
"""Compares Vigil's rule handling with Prometheus's (see compat/rules-live.sh for what is checked)."""
import argparse
import glob
import json
import os
import re
import sys
import time
import urllib.parse
import urllib.request

passed = 0
failed = 0


def check(name, ok, details=()):
    global passed, failed
    if ok:
        passed += 1
        print("PASS " + name)
    else:
        failed += 1
        print("FAIL " + name)
        for line in details:
            print("     " + str(line)[:2000])


def get(base, path, params=None):
    url = base + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return json.loads(response.read())
    except Exception as error:  # noqa: BLE001 - any failure is reported as a missing answer
        return {"status": "unreachable", "error": str(error)}


# ---- check rules ----

def phase_check(directory):
    for path in sorted(glob.glob(os.path.join(directory, "*.yml"))):
        name = os.path.basename(path)
        p_status = int(open(path + ".promtool.status").read().strip())
        v_status = int(open(path + ".vigil.status").read().strip())
        p_out = open(path + ".promtool").read()
        v_out = open(path + ".vigil").read()
        check("check %s: same exit status (%d)" % (name, p_status), p_status == v_status,
              ["promtool: " + p_out, "vigil: " + v_out])
        if p_status == 0:
            p_found = re.findall(r"SUCCESS: (\d+) rules found", p_out)
            v_found = re.findall(r"SUCCESS: (\d+) rules found", v_out)
            check("check %s: same rule count %s" % (name, p_found), p_found == v_found and p_found != [],
                  ["promtool: " + p_out, "vigil: " + v_out])
            continue
        check("check %s: vigil says FAILED" % name, "FAILED" in v_out, ["vigil: " + v_out])
        line = None
        match = re.search(re.escape(name) + r": (\d+):\d+", p_out) or re.search(r"line (\d+): field", p_out)
        if match and match.group(1) != "0":
            line = match.group(1)
        if line:
            # promtool names a rule by its first line; Vigil may name the offending field's line
            # inside the same rule (`for:` two lines down), which is at most a few lines further.
            named = re.search(re.escape(name) + r":(\d+):\d+", v_out)
            check("check %s: vigil names %s at promtool's line %s or inside that rule" % (name, name, line),
                  named is not None and 0 <= int(named.group(1)) - int(line) <= 3,
                  ["promtool: " + p_out, "vigil: " + v_out])


# ---- live evaluation ----

TIMING = ("evaluationTime", "lastEvaluation")
RFC3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def shape(value):
    """The JSON shape: key sets of objects (recursively, lists by their first element)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in sorted(value.items())}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return type(value).__name__


def alert_key(alert):
    return json.dumps(alert.get("labels", {}), sort_keys=True)


def normalize_alert(alert):
    return {key: alert[key] for key in sorted(alert) if key != "activeAt"}


def normalize_rule(rule):
    result = {key: rule[key] for key in sorted(rule) if key not in TIMING and key != "alerts"}
    if "alerts" in rule:
        result["alerts"] = sorted((normalize_alert(a) for a in rule["alerts"]), key=alert_key)
    return result


def timing_ok(item):
    problems = []
    if not isinstance(item.get("evaluationTime"), (int, float)):
        problems.append("evaluationTime %r" % item.get("evaluationTime"))
    if not RFC3339.match(str(item.get("lastEvaluation", ""))):
        problems.append("lastEvaluation %r" % item.get("lastEvaluation"))
    return problems


def wait_for_firing(base, timeout=40):
    deadline = time.time() + timeout
    while time.time() < deadline:
        answer = get(base, "/api/v1/alerts")
        alerts = answer.get("data", {}).get("alerts", []) if answer.get("status") == "success" else []
        firing = {a["labels"].get("alertname") for a in alerts if a.get("state") == "firing"}
        if {"HotRoom", "DiskAlmostFull", "QueryInTemplate"} <= firing:
            return True
        time.sleep(0.5)
    return False


def phase_live(vigil, prom):
    for name, base in (("vigil", vigil), ("prometheus", prom)):
        check("live: %s fires HotRoom, DiskAlmostFull and QueryInTemplate" % name, wait_for_firing(base))
    # Both have evaluated past every short `for`; let one more evaluation land on each.
    time.sleep(2)

    rules = {name: get(base, "/api/v1/rules") for name, base in (("vigil", vigil), ("prometheus", prom))}
    for name in rules:
        check("live: %s answers /api/v1/rules" % name, rules[name].get("status") == "success", [rules[name]])
    v_order = [(g.get("file"), g.get("name")) for g in rules["vigil"].get("data", {}).get("groups", [])]
    p_order = [(g.get("file"), g.get("name")) for g in rules["prometheus"].get("data", {}).get("groups", [])]
    check("live: groups listed in the same order (Prometheus sorts by file, then name)", v_order == p_order,
          ["vigil: %s" % v_order, "prometheus: %s" % p_order])
    v_groups = sorted(rules["vigil"].get("data", {}).get("groups", []), key=lambda g: (g.get("file"), g.get("name")))
    p_groups = sorted(rules["prometheus"].get("data", {}).get("groups", []), key=lambda g: (g.get("file"), g.get("name")))
    for v_group, p_group in zip(v_groups, p_groups):
        check("live: group %s: same JSON shape" % p_group.get("name"), shape(v_group) == shape(p_group),
              ["vigil: %s" % json.dumps(shape(v_group)), "prometheus: %s" % json.dumps(shape(p_group))])
    check("live: same groups (%d)" % len(p_groups),
          [(g.get("file"), g.get("name")) for g in v_groups] == [(g.get("file"), g.get("name")) for g in p_groups],
          ["vigil: %s" % [(g.get("file"), g.get("name")) for g in v_groups],
           "prometheus: %s" % [(g.get("file"), g.get("name")) for g in p_groups]])
    for v_group, p_group in zip(v_groups, p_groups):
        group = p_group.get("name")
        for field in ("interval", "limit"):
            check("live: group %s: same %s (%r)" % (group, field, p_group.get(field)), v_group.get(field) == p_group.get(field),
                  ["vigil: %r" % v_group.get(field)])
        problems = timing_ok(v_group)
        check("live: group %s: evaluationTime and lastEvaluation well-formed" % group, not problems, problems)
        v_rules = v_group.get("rules", [])
        p_rules = p_group.get("rules", [])
        check("live: group %s: same rules in order" % group,
              [r.get("name") for r in v_rules] == [r.get("name") for r in p_rules],
              ["vigil: %s" % [r.get("name") for r in v_rules], "prometheus: %s" % [r.get("name") for r in p_rules]])
        for v_rule, p_rule in zip(v_rules, p_rules):
            label = "%s/%s" % (group, p_rule.get("name"))
            v_norm, p_norm = normalize_rule(v_rule), normalize_rule(p_rule)
            for field in sorted(set(v_norm) | set(p_norm)):
                check("live: rule %s: same %s" % (label, field), v_norm.get(field) == p_norm.get(field),
                      ["vigil: %s" % json.dumps(v_norm.get(field), sort_keys=True),
                       "prometheus: %s" % json.dumps(p_norm.get(field), sort_keys=True)])
            problems = timing_ok(v_rule)
            for alert in v_rule.get("alerts", []):
                if not RFC3339.match(str(alert.get("activeAt", ""))):
                    problems.append("activeAt %r" % alert.get("activeAt"))
            check("live: rule %s: timing fields well-formed" % label, not problems, problems)

    for kind in ("alert", "record"):
        answers = {name: get(base, "/api/v1/rules", {"type": kind}) for name, base in (("vigil", vigil), ("prometheus", prom))}
        names = {}
        for name, answer in answers.items():
            names[name] = sorted((g.get("name"), r.get("name"), r.get("type"))
                                 for g in answer.get("data", {}).get("groups", []) for r in g.get("rules", []))
        check("live: /api/v1/rules?type=%s lists the same rules (%d)" % (kind, len(names["prometheus"])),
              names["vigil"] == names["prometheus"] and all(t == ("alerting" if kind == "alert" else "recording")
                                                            for _, _, t in names["vigil"]),
              ["vigil: %s" % names["vigil"], "prometheus: %s" % names["prometheus"]])

    alerts = {name: get(base, "/api/v1/alerts") for name, base in (("vigil", vigil), ("prometheus", prom))}
    check("live: same JSON shape of /api/v1/alerts", shape(alerts["vigil"]) == shape(alerts["prometheus"]),
          ["vigil: %s" % json.dumps(shape(alerts["vigil"])), "prometheus: %s" % json.dumps(shape(alerts["prometheus"]))])
    v_alerts = sorted((normalize_alert(a) for a in alerts["vigil"].get("data", {}).get("alerts", [])), key=alert_key)
    p_alerts = sorted((normalize_alert(a) for a in alerts["prometheus"].get("data", {}).get("alerts", [])), key=alert_key)
    check("live: /api/v1/alerts: same alerts with labels, annotations, state and value (%d)" % len(p_alerts),
          v_alerts == p_alerts,
          ["vigil: %s" % json.dumps(v_alerts, sort_keys=True), "prometheus: %s" % json.dumps(p_alerts, sort_keys=True)])

    def instant(base, query):
        answer = get(base, "/api/v1/query", {"query": query})
        result = answer.get("data", {}).get("result", []) if answer.get("status") == "success" else None
        if result is None:
            return None
        return {json.dumps(item["metric"], sort_keys=True): item["value"][1] for item in result}

    for query in ('{__name__=~".+:.+"}', "ALERTS"):
        v, p = instant(vigil, query), instant(prom, query)
        check("live: %s: same series and values (%s)" % (query, None if p is None else len(p)), v == p and p,
              ["vigil: %s" % v, "prometheus: %s" % p])
    # Prometheus slots a group's evaluations at hash(file, name) mod interval (XXH64 of the
    # label set, in nanoseconds); the same slots give recorded samples the same millisecond phase.
    for record in ("queue_bytes:sum", "floor:temperature_celsius:avg"):
        query = "round(timestamp(%s) * 1000) %% 1000" % record
        v, p = instant(vigil, query), instant(prom, query)
        check("live: %s is evaluated at the same phase of the second on both" % record, v == p and p,
              ["vigil: %s" % v, "prometheus: %s" % p])
    v, p = instant(vigil, "ALERTS_FOR_STATE"), instant(prom, "ALERTS_FOR_STATE")
    same_series = v is not None and p is not None and sorted(v) == sorted(p) and len(p) > 0
    close = same_series and all(abs(float(v[k]) - float(p[k])) <= 10 for k in p)
    check("live: ALERTS_FOR_STATE: same series (%s), activeAt within 10 s of each other" % (None if p is None else len(p)),
          close, ["vigil: %s" % v, "prometheus: %s" % p])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--check-dir", required=True)
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--prometheus", required=True)
    args = parser.parse_args()
    phase_check(args.check_dir)
    phase_live(args.vigil, args.prometheus)
    print()
    print("rules-live: %d passed, %d failed" % (passed, failed))
    sys.exit(1 if failed else 0)


main()
