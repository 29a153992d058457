#!/usr/bin/env python3
"""Compares two Prometheus HTTP API answers (Vigil's, Prometheus's) for compat/promql-speed.sh.

usage: same.py [--topk] VIGIL.json PROMETHEUS.json
Prints "N series" (or "N values") and exits 0 when both are successes with the same result:
query results by label set with every (timestamp, value) equal within a relative 1e-9 (sums may
add in another order); label and series lookups as sets. Otherwise prints the first difference and
exits 1.
With --topk (a topk/bottomk range query) a tie at the cut may pick any of the tied series, as
Prometheus documents, so each step must hold the same values (as a multiset) and the same series
for every value but the step's smallest (topk's cut).
"""
import json
import math
import sys


def load(path):
    with open(path) as f:
        answer = json.load(f)
    if answer.get("status") != "success":
        raise SystemExit(f"{path}: {answer.get('errorType')}: {answer.get('error')}")
    return answer["data"]


def key(metric):
    return tuple(sorted(metric.items()))


def close(a, b):
    x, y = float(a), float(b)
    if math.isnan(x) or math.isnan(y):
        return math.isnan(x) and math.isnan(y)
    if x == y:
        return True
    return abs(x - y) <= 1e-9 * max(abs(x), abs(y))


def by_step(result):
    steps = {}
    for series in result:
        for t, v in series["values"]:
            steps.setdefault(float(t), {})[key(series["metric"])] = v
    return steps


def compare_topk(vigil, prom):
    v, p = by_step(vigil["result"]), by_step(prom["result"])
    if v.keys() != p.keys():
        raise SystemExit(f"{len(v)} vs {len(p)} steps")
    ties = 0
    for t in sorted(v):
        vs, ps = v[t], p[t]
        vvals, pvals = sorted(float(x) for x in vs.values()), sorted(float(x) for x in ps.values())
        if len(vvals) != len(pvals) or not all(close(a, b) for a, b in zip(vvals, pvals)):
            raise SystemExit(f"step {t}: values {vvals} vs {pvals}")
        cut = vvals[0] if vvals else 0
        above = lambda m: {k: x for k, x in m.items() if not close(x, cut)}
        va, pa = above(vs), above(ps)
        if va.keys() != pa.keys() or not all(close(va[k], pa[k]) for k in va):
            raise SystemExit(f"step {t}: different series above the cut {cut}")
        if vs.keys() != ps.keys():
            ties += 1
    print(f"{len(vigil['result'])} vs {len(prom['result'])} series, {len(v)} steps, same values at every step; "
          f"{ties} steps picked another of the series tied at the cut")


def main():
    if sys.argv[1] == "--topk":
        compare_topk(load(sys.argv[2]), load(sys.argv[3]))
        return
    vigil, prom = load(sys.argv[1]), load(sys.argv[2])
    if isinstance(vigil, dict) and "resultType" in vigil:
        if vigil["resultType"] != prom["resultType"]:
            raise SystemExit(f"resultType {vigil['resultType']} vs {prom['resultType']}")
        def points(series):
            if "values" in series:
                return series["values"]
            return [series["value"]]
        v = {key(s["metric"]): points(s) for s in vigil["result"]}
        p = {key(s["metric"]): points(s) for s in prom["result"]}
        if len(v) != len(vigil["result"]) or len(p) != len(prom["result"]):
            raise SystemExit("duplicate label sets in a result")
        if v.keys() != p.keys():
            only_v = sorted(v.keys() - p.keys())[:3]
            only_p = sorted(p.keys() - v.keys())[:3]
            raise SystemExit(f"{len(v)} vs {len(p)} series; only Vigil: {only_v}; only Prometheus: {only_p}")
        total = 0
        for labels, vp in v.items():
            pp = p[labels]
            if len(vp) != len(pp):
                raise SystemExit(f"{dict(labels)}: {len(vp)} vs {len(pp)} points")
            for (vt, vv), (pt, pv) in zip(vp, pp):
                if float(vt) != float(pt) or not close(vv, pv):
                    raise SystemExit(f"{dict(labels)}: ({vt}, {vv}) vs ({pt}, {pv})")
            total += len(vp)
        print(f"{len(v)} series, {total} points")
        return
    if isinstance(vigil, list):
        v = sorted(json.dumps(x, sort_keys=True) for x in vigil)
        p = sorted(json.dumps(x, sort_keys=True) for x in prom)
        if v != p:
            sv, sp = set(v), set(p)
            raise SystemExit(f"{len(v)} vs {len(p)} entries; only Vigil: {sorted(sv - sp)[:3]}; only Prometheus: {sorted(sp - sv)[:3]}")
        print(f"{len(v)} {'series' if vigil and isinstance(vigil[0], dict) else 'values'}")
        return
    raise SystemExit(f"unexpected data: {str(vigil)[:200]}")


main()
