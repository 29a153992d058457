#!/usr/bin/env python3
"""Compares the raw samples Vigil stored with what it remote-wrote into Prometheus and
VictoriaMetrics (for compat/remote-write.sh).

    compare.py VIGIL_URL PROM_URL VM_URL --job J --start S --end E --external k=v,... \
        --drop-regex RE --outage-start MS --outage-end MS --outage-series SELECTOR

Vigil and Prometheus are read with a range-vector instant query ({job="J"}[window] at E: raw
samples, staleness markers left out); VictoriaMetrics with /api/v1/export (JSON lines, every raw
sample; 1.79 stores staleness markers too and exports them as null, counted apart). NaN values
are left out everywhere: the exporter serves none, so NaNs are staleness markers.

Expected on the receivers: every Vigil sample whose __name__ does not match --drop-regex (the
config's write_relabel_configs drop), with the external labels added where the series has no label
of that name. Prometheus must hold exactly that set, bit for bit (-0 stays -0). VictoriaMetrics
converts each value to a decimal (int64 mantissa, power-of-ten exponent; lib/decimal/decimal.go
FromFloat: 12 significant digits below 1e6, 15 above, -0 becomes 0, subnormals become 0), and
1.79.5 also turns values near 1e-299 into 0 when it merges some parts (reproduced with
hand-written remote-write requests straight to VictoriaMetrics, no Vigil involved: one sample per
second, a force_flush, then a staleness marker). So a value there counts as equal when it is
within 1e-11 relative of Vigil's, or 0 where Vigil's magnitude is under 1e-290; the script prints
how many values needed that.

Prints PASS/FAIL lines, then "figures:" lines; exit status 0 (the caller counts the lines).
"""
import argparse
import json
import math
import re
import struct
import sys
import urllib.parse
import urllib.request


def get(url, params):
    full = url + "?" + urllib.parse.urlencode(params, doseq=True)
    with urllib.request.urlopen(full, timeout=120) as response:
        return response.read().decode()


def key(labels):
    return tuple(sorted(labels.items()))


def prom_samples(base, job, window_s, end):
    """{(labels, ts_ms): value} from a range-vector instant query."""
    body = json.loads(get(base + "/api/v1/query", {"query": f'{{job="{job}"}}[{window_s}s]', "time": str(end)}))
    if body.get("status") != "success":
        raise RuntimeError(f"{base}: {body}")
    out = {}
    for series in body["data"]["result"]:
        labels = key(series["metric"])
        for t, v in series["values"]:
            value = float(v)
            if math.isnan(value):
                continue
            out[(labels, round(float(t) * 1000))] = value
    return out


INF = re.compile(r"(?<=[\[,])([+-]?)Inf(?=[,\]])")


def vm_samples(base, job, start, end):
    """({(labels, ts_ms): value}, duplicates, staleness markers) from /api/v1/export."""
    text = get(base + "/api/v1/export", {"match[]": f'{{job="{job}"}}', "start": str(start), "end": str(end)})
    out = {}
    duplicates = 0
    stale = 0
    for line in text.splitlines():
        if not line.strip():
            continue
        # VictoriaMetrics writes +Inf, -Inf and NaN as bare words; JSON knows Infinity and NaN.
        cut = line.index(',"values":[')
        line = line[:cut] + INF.sub(lambda m: "-Infinity" if m.group(1) == "-" else "Infinity", line[cut:])
        row = json.loads(line)
        labels = key(row["metric"])
        for value, t in zip(row["values"], row["timestamps"]):
            if value is None:  # a staleness marker
                stale += 1
                continue
            value = float(value)
            if math.isnan(value):
                continue
            k = (labels, int(t))
            if k in out:
                duplicates += 1
            out[k] = value
    return out, duplicates, stale


def bits(value):
    return struct.pack("<d", value)


def show(k, value=None):
    labels, t = k
    name = dict(labels).get("__name__", "")
    rest = ",".join(f'{n}="{v}"' for n, v in labels if n != "__name__")
    text = f"{name}{{{rest}}} @{t}"
    return text if value is None else f"{text} = {value!r}"


results = []


def check(name, ok, detail=""):
    line = ("PASS " if ok else "FAIL ") + name
    if detail and not ok:
        line += ": " + detail
    print(line, flush=True)
    results.append(ok)


def compare_sets(name, expected, actual, equal):
    missing = [k for k in expected if k not in actual]
    extra = [k for k in actual if k not in expected]
    differ = [k for k in expected if k in actual and not equal(expected[k], actual[k])]
    ok = not missing and not extra and not differ
    detail = f"{len(missing)} missing, {len(extra)} extra, {len(differ)} with another value (of {len(expected)})"
    check(f"{name}: same (labels, timestamp, value) set as Vigil's ({len(expected)} samples)", ok, detail)
    if not ok:
        for k in sorted(missing)[:5]:
            print("    missing " + show(k, expected[k]))
        if missing:
            times = sorted(t for _, t in missing)
            print(f"    missing timestamps span {times[0]} .. {times[-1]} over {len({l for l, _ in missing})} series")
        for k in sorted(extra)[:5]:
            print("    extra   " + show(k, actual[k]))
        for k in sorted(differ)[:5]:
            print(f"    value   {show(k)}: Vigil {expected[k]!r}, {name} {actual[k]!r}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("vigil")
    parser.add_argument("prometheus")
    parser.add_argument("victoria")
    parser.add_argument("--job", required=True)
    parser.add_argument("--start", type=int, required=True)
    parser.add_argument("--end", type=int, required=True)
    parser.add_argument("--external", default="")
    parser.add_argument("--drop-regex", default="")
    parser.add_argument("--outage-start", type=int, required=True)
    parser.add_argument("--outage-end", type=int, required=True)
    parser.add_argument("--outage-series", required=True, help="labels k=v,... of one series")
    args = parser.parse_args()

    external = dict(pair.split("=", 1) for pair in args.external.split(",") if pair)
    drop = re.compile(args.drop_regex) if args.drop_regex else None
    window = args.end - args.start

    vigil = prom_samples(args.vigil, args.job, window, args.end)
    prometheus = prom_samples(args.prometheus, args.job, window, args.end)
    victoria, duplicates, vm_stale = vm_samples(args.victoria, args.job, args.start, args.end)

    expected = {}
    dropped_samples = 0
    for (labels, t), value in vigil.items():
        as_dict = dict(labels)
        if drop and drop.fullmatch(as_dict.get("__name__", "")):
            dropped_samples += 1
            continue
        for name, ext in external.items():
            as_dict.setdefault(name, ext)
        expected[(key(as_dict), t)] = value

    vigil_series = {labels for labels, _ in vigil}
    check(f"vigil: holds the job's samples ({len(vigil)} samples, {len(vigil_series)} series)", len(vigil) > 0)
    check(f"vigil: holds samples of the series write_relabel_configs drops ({dropped_samples})", dropped_samples > 0)

    compare_sets("prometheus", expected, prometheus, lambda a, b: bits(a) == bits(b))

    normalised = {"rounded": 0, "flushed_to_zero": 0, "negative_zero": 0}

    def vm_equal(a, b):
        if bits(a) == bits(b):
            return True
        if a == b:  # -0 and 0
            normalised["negative_zero"] += 1
            return True
        if math.isinf(a) or math.isinf(b):
            return False
        if b == 0 and abs(a) < 1e-290:
            normalised["flushed_to_zero"] += 1
            return True
        if abs(a - b) <= 1e-11 * max(abs(a), abs(b)):
            normalised["rounded"] += 1
            return True
        return False

    compare_sets("victoria-metrics", expected, victoria, vm_equal)
    check("victoria-metrics: no duplicate (series, timestamp) in the export (nothing accepted was sent twice)",
          duplicates == 0, f"{duplicates} duplicates")

    # External labels and write relabeling, spelled out (the set comparisons above imply them).
    for name, store in (("prometheus", prometheus), ("victoria-metrics", victoria)):
        series = {labels for labels, _ in store}
        missing_ext = [s for s in series if any(n not in dict(s) for n in external)]
        check(f"{name}: every series carries the external labels {sorted(external)}", series and not missing_ext,
              f"{len(missing_ext)} of {len(series)} series lack one")
        own = [dict(s).get("region") for s in series if dict(s).get("__name__") == "rw_region_info"]
        check(f"{name}: a series' own label wins over the external label of that name", own == ["from-target"], f"{own}")
        if drop:
            kept = [s for s in series if drop.fullmatch(dict(s).get("__name__", ""))]
            check(f"{name}: no series write_relabel_configs drops", not kept, f"{len(kept)} series")

    # Nothing lost while the receivers were down.
    wanted = dict(pair.split("=", 1) for pair in args.outage_series.split(","))

    def outage_count(store):
        return sum(1 for (labels, t) in store
                   if args.outage_start <= t <= args.outage_end and all(dict(labels).get(k) == v for k, v in wanted.items()))

    counts = {"vigil": outage_count(vigil), "prometheus": outage_count(prometheus), "victoria-metrics": outage_count(victoria)}
    outage_seconds = (args.outage_end - args.outage_start) / 1000
    check(f"vigil: scraped {args.outage_series} through the outage ({counts['vigil']} samples in {outage_seconds:.1f} s)",
          counts["vigil"] >= 0.9 * outage_seconds)
    for name in ("prometheus", "victoria-metrics"):
        check(f"{name}: holds every sample of {args.outage_series} timestamped in the outage ({counts[name]} of {counts['vigil']})",
              counts[name] == counts["vigil"])

    print(f"figures: vigil_samples={len(vigil)} expected_on_receivers={len(expected)} prometheus_samples={len(prometheus)} "
          f"victoria_samples={len(victoria)} vm_rounded={normalised['rounded']} vm_flushed_to_zero={normalised['flushed_to_zero']} "
          f"vm_negative_zero={normalised['negative_zero']} vm_duplicates={duplicates} vm_staleness_markers={vm_stale} outage_samples_one_series={counts['vigil']}")


if __name__ == "__main__":
    try:
        main()
    except Exception as error:  # noqa: BLE001
        print(f"FAIL compare.py: {type(error).__name__}: {error}")
        sys.exit(0)
