#!/usr/bin/env python3
"""Runs the PromQL battery against Prometheus and Vigil and compares every answer.

usage: compare.py PROM_URL VIGIL_URL END_MS BATTERY VERSION_DIFFERENCES

Each query runs as an instant query at four times and as two range queries (one whose steps land
on sample times, one whose steps fall between them). Two answers agree when they have the same
HTTP status and errorType, the same resultType, the same label sets (as a set, except for queries
whose order is defined: sort/sort_desc), the same timestamps, and values equal as strings or within
a relative 1e-9 (NaN equals NaN). Queries in VERSION_DIFFERENCES differ between 2.42 and the 2.53
semantics Vigil follows: where their answers differ, Vigil must still answer without an error.
Prints every failure with both answers and ends with "promql: N passed, M failed".
"""
import http.client
import json
import math
import sys
import urllib.parse

REL = 1e-9


class Server:
    def __init__(self, url):
        parsed = urllib.parse.urlparse(url)
        self.host, self.port = parsed.hostname, parsed.port
        self.conn = None

    def ask(self, path, params):
        body = urllib.parse.urlencode(params)
        for attempt in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection(self.host, self.port, timeout=60)
                self.conn.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})
                response = self.conn.getresponse()
                raw = response.read()
                break
            except (http.client.HTTPException, OSError):
                self.conn = None
                if attempt:
                    raise
        try:
            doc = json.loads(raw)
        except ValueError:
            doc = {"status": "unparsable", "body": raw[:300].decode(errors="replace")}
        return response.status, doc


def load_battery(path):
    queries = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                queries.append(line.strip())
    return queries


def load_differences(path):
    """Lines 'Q <query>' name a query; the comment lines above it give the reason."""
    result = {}
    reason = []
    with open(path) as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("Q "):
                result[line[2:].strip()] = " ".join(reason)
                reason = []
            elif line.startswith("#"):
                reason.append(line.lstrip("# "))
    return result


def same_value(a, b):
    if a == b:
        return True
    try:
        x, y = float(a), float(b)
    except (TypeError, ValueError):
        return False
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if math.isinf(x) or math.isinf(y):
        return x == y
    return abs(x - y) <= REL * max(abs(x), abs(y))


def same_point(p, q):
    return float(p[0]) == float(q[0]) and same_value(p[1], q[1])


def key(metric):
    return json.dumps(sorted(metric.items()))


def compare(query, prom, vigil):
    """Returns None when the answers agree, else a reason."""
    (ps, pd), (vs, vd) = prom, vigil
    if ps != vs:
        return f"status {ps} vs {vs}"
    if pd.get("status") != vd.get("status"):
        return f"status field {pd.get('status')} vs {vd.get('status')}"
    if pd.get("status") != "success":
        if pd.get("errorType") != vd.get("errorType"):
            return f"errorType {pd.get('errorType')} vs {vd.get('errorType')}"
        return None
    pr, vr = pd["data"], vd["data"]
    if pr["resultType"] != vr["resultType"]:
        return f"resultType {pr['resultType']} vs {vr['resultType']}"
    kind = pr["resultType"]
    if kind in ("scalar", "string"):
        if kind == "string":
            return None if pr["result"] == vr["result"] else "string differs"
        return None if same_point(pr["result"], vr["result"]) else "scalar differs"
    pres, vres = pr["result"], vr["result"]
    if len(pres) != len(vres):
        return f"{len(pres)} vs {len(vres)} series"
    ordered = query.startswith("sort")
    if not ordered:
        pres = sorted(pres, key=lambda s: key(s["metric"]))
        vres = sorted(vres, key=lambda s: key(s["metric"]))
    for p, v in zip(pres, vres):
        if key(p["metric"]) != key(v["metric"]):
            if not ordered and sorted(map(lambda s: key(s["metric"]), pres)) != sorted(map(lambda s: key(s["metric"]), vres)):
                return "label sets differ"
            return f"labels differ: {p['metric']} vs {v['metric']}"
        if kind == "vector":
            if not same_point(p["value"], v["value"]):
                return f"value of {p['metric']}: {p['value']} vs {v['value']}"
        else:
            if len(p["values"]) != len(v["values"]):
                return f"{p['metric']}: {len(p['values'])} vs {len(v['values'])} points"
            for a, b in zip(p["values"], v["values"]):
                if not same_point(a, b):
                    return f"{p['metric']} at {a[0]}: {a[1]} vs {b[1]}"
    return None


def brief(answer, limit=1500):
    status, doc = answer
    text = json.dumps(doc, separators=(",", ":"))
    return f"HTTP {status} " + (text if len(text) <= limit else text[:limit] + "...")


def main():
    prom, vigil = Server(sys.argv[1]), Server(sys.argv[2])
    end = int(sys.argv[3]) / 1000
    queries = load_battery(sys.argv[4])
    differences = load_differences(sys.argv[5])
    start = end - 7200
    evaluations = [
        ("instant", {"time": f"{start + 247.5:.3f}"}),
        ("instant", {"time": f"{start + 3600:.3f}"}),
        ("instant", {"time": f"{end - 1023.25:.3f}"}),
        ("instant", {"time": f"{end + 120:.3f}"}),
        ("range", {"start": f"{start + 300:.3f}", "end": f"{end:.3f}", "step": "60"}),
        ("range", {"start": f"{start + 607:.3f}", "end": f"{end + 180:.3f}", "step": "97"}),
    ]
    passed = failed = documented = 0
    print(f"{len(queries)} queries x {len(evaluations)} evaluations", flush=True)
    for query in queries:
        for mode, params in evaluations:
            path = "/api/v1/query" if mode == "instant" else "/api/v1/query_range"
            args = dict(params, query=query)
            where = " ".join(f"{k}={val}" for k, val in params.items())
            p = prom.ask(path, args)
            try:
                v = vigil.ask(path, args)
            except OSError as error:
                failed += 1
                print(f"FAIL {mode} {where} {query}\n  Vigil did not answer ({error}); stopping")
                print(f"promql: {passed} passed, {failed} failed")
                sys.exit(1)
            where = " ".join(f"{k}={val}" for k, val in params.items())
            reason = compare(query, p, v)
            if reason is None:
                passed += 1
            elif query in differences:
                # A documented 2.42/2.53 difference: Vigil, following 2.53, must still answer.
                if v[0] == 200 and v[1].get("status") == "success":
                    passed += 1
                    documented += 1
                else:
                    failed += 1
                    print(f"FAIL {mode} {where} {query}\n  documented 2.42/2.53 difference, but Vigil errs: {brief(v)}", flush=True)
            else:
                failed += 1
                print(f"FAIL {mode} {where} {query}\n  {reason}\n  prometheus: {brief(p)}\n  vigil:      {brief(v)}", flush=True)
    unused = set(differences) - set(queries)
    for query in sorted(unused):
        failed += 1
        print(f"FAIL VERSION_DIFFERENCES names a query missing from the battery: {query}")
    print(f"{documented} of the passes differ from 2.42 as VERSION_DIFFERENCES documents")
    print(f"promql: {passed} passed, {failed} failed")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
