#!/usr/bin/env python3
"""The deterministic PromQL compat dataset, sent to one or more remote-write receivers.

usage: dataset.py END_MS URL [URL...]   (END_MS: the last sample's timestamp, a multiple of 15000)
       dataset.py END_MS --count        (prints the number of samples, stale markers excluded)

Two hours of 15s samples ending at END_MS, generated from a fixed seed, so every run sends the
same values at the same offsets. Samples go out in time order (all series per 5-minute window), as
Prometheus's head only takes samples near its newest. Protobuf and snappy are written by hand:
snappy as literal-only blocks, which every decoder must accept.
"""
import math
import random
import struct
import sys
import urllib.request

STEP = 15_000
POINTS = 481  # 2h at 15s, both ends included
STALE = 0x7FF0000000000002
NAN = 0x7FF8000000000001  # Go's math.NaN()
POS_INF = 0x7FF0000000000000
NEG_INF = 0xFFF0000000000000


def bits(value):
    return struct.unpack("<Q", struct.pack("<d", value))[0]


def build():
    """Returns [(labels dict, [value bits or None per point])]; None means no sample."""
    rng = random.Random(20240611)
    series = []

    # Counters with resets: jobs, instances, methods, codes.
    for job, instances in (("api", 3), ("web", 2)):
        for inst in range(instances):
            for method in ("GET", "POST"):
                for code in ("200", "500"):
                    value = rng.randint(0, 50) * 1.0
                    reset_every = rng.choice([0, 0, 97, 160, 211])
                    rate = rng.choice([1, 2, 5, 0.5, 0.25]) * (10 if code == "200" else 1)
                    vals = []
                    for i in range(POINTS):
                        if reset_every and i > 0 and i % reset_every == 0:
                            value = rng.randint(0, 3) * 1.0
                        else:
                            value += rng.randint(0, 4) * rate
                        vals.append(bits(value))
                    env = "prod" if inst < 2 else "staging"
                    series.append(({"__name__": "http_requests_total", "job": job, "instance": f"{job}-{inst}:9090",
                                    "method": method, "code": code, "env": env}, vals))

    # Gauges: a random walk around zero (negative values), one with NaN/+Inf/-Inf, one with gaps,
    # one that stops early with a stale marker, one constant.
    for inst, env in (("a", "prod"), ("b", "prod"), ("c", "staging")):
        value = rng.uniform(-20, 20)
        vals = []
        for i in range(POINTS):
            value += rng.uniform(-2.5, 2.5)
            vals.append(bits(round(value, 3)))
        series.append(({"__name__": "node_temperature_celsius", "instance": inst, "env": env, "job": "node"}, vals))
    vals = []
    for i in range(POINTS):
        if i % 53 == 7:
            vals.append(NAN)
        elif i % 71 == 11:
            vals.append(POS_INF)
        elif i % 89 == 13:
            vals.append(NEG_INF)
        else:
            vals.append(bits(rng.uniform(-100, 100)))
    series.append(({"__name__": "weird_gauge", "instance": "a", "job": "node", "env": "prod"}, vals))
    vals = []
    for i in range(POINTS):
        # Gaps of 8 minutes (longer than the 5m lookback) and of 3 minutes.
        if 100 <= i < 132 or 300 <= i < 312:
            vals.append(None)
        else:
            vals.append(bits(float(i % 17) - 5.5))
    series.append(({"__name__": "gappy_gauge", "instance": "a", "job": "node"}, vals))
    vals = [bits(float(40 + i % 9)) for i in range(POINTS)]
    stop = 300
    vals = vals[:stop] + [STALE] + [None] * (POINTS - stop - 1)
    series.append(({"__name__": "stopping_gauge", "instance": "b", "job": "node"}, vals))
    series.append(({"__name__": "constant_gauge", "instance": "a", "job": "node"}, [bits(42.0)] * POINTS))
    series.append(({"__name__": "up", "job": "api", "instance": "api-0:9090"}, [bits(1.0)] * POINTS))
    series.append(({"__name__": "up", "job": "api", "instance": "api-1:9090"},
                   [bits(0.0 if 200 <= i < 260 else 1.0) for i in range(POINTS)]))
    series.append(({"__name__": "up", "job": "web", "instance": "web-0:9090"}, [bits(1.0)] * POINTS))

    # Classic histograms across jobs and instances.
    les = ["0.05", "0.1", "0.25", "0.5", "1", "2.5", "+Inf"]
    for job, inst in (("api", "api-0:9090"), ("api", "api-1:9090"), ("web", "web-0:9090")):
        counts = [0.0] * len(les)
        total = 0.0
        buckets = [[] for _ in les]
        sums, cnts = [], []
        scale = {"api-0:9090": 0.3, "api-1:9090": 0.8, "web-0:9090": 1.5}[inst]
        for i in range(POINTS):
            for _ in range(rng.randint(0, 12)):
                obs = rng.expovariate(1 / scale)
                total += obs
                for k, le in enumerate(les):
                    if obs <= float(le):
                        counts[k] += 1
            for k in range(len(les)):
                buckets[k].append(bits(counts[k]))
            sums.append(bits(round(total, 6)))
            cnts.append(bits(counts[-1]))
        for k, le in enumerate(les):
            series.append(({"__name__": "request_duration_seconds_bucket", "job": job, "instance": inst, "le": le}, buckets[k]))
        series.append(({"__name__": "request_duration_seconds_sum", "job": job, "instance": inst}, sums))
        series.append(({"__name__": "request_duration_seconds_count", "job": job, "instance": inst}, cnts))

    # Many label values for regex, topk/bottomk (with ties) and count_values.
    for k in range(16):
        vals = []
        for i in range(POINTS):
            vals.append(bits(float((k * 7 + i // 20) % 10)))
        series.append(({"__name__": "items_in_stock", "item": f"item-{k:02d}", "shelf": f"s{k % 4}",
                        "version": f"v1.{k % 3}.{k}"}, vals))
    return series


def varint(n):
    out = bytearray()
    while True:
        byte = n & 0x7F
        n >>= 7
        if n:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field_bytes(number, payload):
    return varint(number << 3 | 2) + varint(len(payload)) + payload


def encode(batch):
    out = bytearray()
    for labels, samples in batch:
        ts = bytearray()
        for name in sorted(labels):
            ts += field_bytes(1, field_bytes(1, name.encode()) + field_bytes(2, labels[name].encode()))
        for t, v in samples:
            sample = varint(1 << 3 | 1) + struct.pack("<Q", v) + varint(2 << 3 | 0) + varint(t)
            ts += field_bytes(2, sample)
        out += field_bytes(1, bytes(ts))
    return bytes(out)


def snappy_literal(data):
    out = bytearray(varint(len(data)))
    for start in range(0, len(data), 65536):
        chunk = data[start:start + 65536]
        n = len(chunk) - 1
        if n < 60:
            out.append(n << 2)
        else:
            out.append(61 << 2)
            out += struct.pack("<H", n)
        out += chunk
    return bytes(out)


def main():
    end = int(sys.argv[1])
    assert end % STEP == 0
    start = end - (POINTS - 1) * STEP
    series = build()
    if sys.argv[2] == "--count":
        print(sum(1 for _, vals in series for v in vals if v is not None and v != STALE))
        return
    window = 20  # points per request
    for first in range(0, POINTS, window):
        batch = []
        for labels, vals in series:
            samples = [(start + i * STEP, vals[i]) for i in range(first, min(first + window, POINTS)) if vals[i] is not None]
            if samples:
                batch.append((labels, samples))
        body = snappy_literal(encode(batch))
        for url in sys.argv[2:]:
            request = urllib.request.Request(url, data=body, method="POST", headers={
                "Content-Type": "application/x-protobuf", "Content-Encoding": "snappy",
                "X-Prometheus-Remote-Write-Version": "0.1.0"})
            with urllib.request.urlopen(request) as response:
                if response.status not in (200, 204):
                    raise SystemExit(f"{url}: HTTP {response.status}")


if __name__ == "__main__":
    main()
