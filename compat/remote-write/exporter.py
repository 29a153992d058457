#!/usr/bin/env python3
"""Deterministic exporter for compat/remote-write.sh: ~200 series whose values change on every
request, as a function of the request number n only (so a run is reproducible).

    exporter.py PORT

Series (text format 0.0.4):
  rw_requests_total{path}              40 integer counters, + (i+1) per request
  rw_cpu_seconds_total{cpu,mode}       32 float counters accumulating 0.01*(k+1) (binary rounding)
  rw_temperature_celsius{sensor}       70 gauges 20 + 15*sin(0.37n + i) (full 17-digit doubles)
  rw_queue_length{queue}               20 integer gauges going up and down (values repeat)
  rw_extreme{kind}                     11 gauges: huge, tiny, subnormal, 2^53+n, negative, -0,
                                          1/3 multiples, +Inf/-Inf
  rw_request_duration_seconds          a classic histogram (10 buckets + +Inf, _sum, _count)
  rw_region_info{region}               carries `region`, which is also an external label
  rw_label_escape{v}                   a label value with a quote, backslash, newline and UTF-8
  rw_dropped_total{i}                  10 counters the config's write_relabel_configs drop
"""
import math
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

LOCK = threading.Lock()
STATE = {"n": 0, "cpu": [0.0] * 32, "hist": [0] * 11, "sum": 0.0}
BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]
MODES = ["idle", "user", "system", "iowait"]


def fmt(value):
    if isinstance(value, int):
        return str(value)
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return repr(value)


def render():
    with LOCK:
        STATE["n"] += 1
        n = STATE["n"]
        cpu = STATE["cpu"]
        for k in range(32):
            cpu[k] += 0.01 * (k + 1)
        # Ten observations per request, deterministic in n.
        for j in range(10):
            observed = ((n * 7 + j * 3) % 100) / 37.0
            STATE["sum"] += observed
            for b, bound in enumerate(BUCKETS):
                if observed <= bound:
                    STATE["hist"][b] += 1
            STATE["hist"][10] += 1
        cpu = list(cpu)
        hist = list(STATE["hist"])
        hist_sum = STATE["sum"]
    out = []
    out.append("# HELP rw_requests_total Requests.\n# TYPE rw_requests_total counter\n")
    for i in range(40):
        out.append(f'rw_requests_total{{path="/p{i}"}} {n * (i + 1)}\n')
    out.append("# TYPE rw_cpu_seconds_total counter\n")
    for k in range(32):
        out.append(f'rw_cpu_seconds_total{{cpu="{k // 4}",mode="{MODES[k % 4]}"}} {fmt(cpu[k])}\n')
    out.append("# TYPE rw_temperature_celsius gauge\n")
    for i in range(70):
        out.append(f'rw_temperature_celsius{{sensor="s{i}"}} {fmt(20 + 15 * math.sin(0.37 * n + i))}\n')
    out.append("# TYPE rw_queue_length gauge\n")
    for i in range(20):
        out.append(f'rw_queue_length{{queue="q{i}"}} {(n * 7 + i * 13) % 50}\n')
    extreme = {
        "huge": 1e300 * (1 + n % 3),
        "tiny": -1e-300 * (n + 1),
        "subnormal": 5e-324 * (n % 5 + 1),
        "two53": float(2**53 + 2 * n),
        "negative_big": float(-(2**60) + n * 4096),
        "third": n / 3.0,
        "tenth": 0.1 * n,
        "long_decimal": 123456789.123456789 + n,
        "negative_zero": -0.0,
        "pos_inf": math.inf,
        "neg_inf": -math.inf,
    }
    out.append("# TYPE rw_extreme gauge\n")
    for kind, value in extreme.items():
        out.append(f'rw_extreme{{kind="{kind}"}} {fmt(value)}\n')
    out.append("# TYPE rw_request_duration_seconds histogram\n")
    for b, bound in enumerate(BUCKETS):
        out.append(f'rw_request_duration_seconds_bucket{{le="{bound}"}} {hist[b]}\n')
    out.append(f'rw_request_duration_seconds_bucket{{le="+Inf"}} {hist[10]}\n')
    out.append(f"rw_request_duration_seconds_sum {fmt(hist_sum)}\n")
    out.append(f"rw_request_duration_seconds_count {hist[10]}\n")
    out.append(f'rw_region_info{{region="from-target"}} {n % 2}\n')
    out.append('rw_label_escape{v="quote\\" backslash\\\\ newline\\n utf8 \u00e9\u6f22"} ' + str(n) + "\n")
    for i in range(10):
        out.append(f'rw_dropped_total{{i="{i}"}} {n * i}\n')
    return "".join(out).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path.split("?")[0] != "/metrics":
            self.send_error(404)
            return
        body = render()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler)
    server.daemon_threads = True
    server.serve_forever()
