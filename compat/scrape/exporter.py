"""Deterministic scrape targets for compat/scrape.sh: one process, one loopback port per role.

Usage: exporter.py ROLE=PORT [ROLE=PORT ...]

Every payload is constant, or a pure function of the request (Accept, Accept-Encoding, query
string, the X-Prometheus-Scrape-Timeout-Seconds header) and of wall-clock time rounded to 5 s, so
two servers scraping at different moments store the same values. Roles:

  node        text format 0.0.4: counters, gauges, histogram, summary, untyped, NaN/Inf, escapes
  openmetrics OpenMetrics 1.0.0 when Accept asks for it (UNIT, info, stateset, gaugehistogram,
              _created, an exemplar, # EOF); otherwise a text-format fallback that says so
  conflict    samples whose job/instance/env labels collide with the target's labels (and one
              with instance="", stored without an instance under honor_labels)
  error500    HTTP 500
  hang        answers after 3 s (longer than any scrape_timeout in the config)
  garbage     a body no parser accepts
  bigbody     a valid ~20 KB body (above body_size_limit)
  many        100 samples (sample_limit tests)
  gzip        a ~6 KB body, gzip-compressed when Accept-Encoding allows gzip
  probe       /probe: content depends on ?module= and ?extra=
  redirect    /metrics answers 302 to /real, which serves the metrics
  timestamps  samples with explicit timestamps (now rounded down to 5 s, and a fixed one)
  labels      a series with many labels and long label names and values (label limits)
  tiny        a two-line payload (relabel and file_sd targets; the port is in the value)
  proxy       an HTTP proxy stand-in: answers absolute-form GETs (`GET http://host/path`) with a
              small payload and appends each request (User-Agent, request line, Host,
              Proxy-Authorization) as a JSON line to $SCRAPE_PROXY_LOG; CONNECT and requests that
              are not absolute-form are logged and refused
"""
import gzip
import http.server
import json
import os
import sys
import threading
import time
import urllib.parse

TEXT = "text/plain; version=0.0.4; charset=utf-8"
OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8"
# A fixed explicit timestamp shared by every scrape: a minute before the exporter started.
FIXED_TS_MS = (int(time.time()) - 60) * 1000
PROXY_LOG_LOCK = threading.Lock()

NODE = r"""# HELP node_cpu_seconds_total Seconds the CPUs spent in each mode.
# TYPE node_cpu_seconds_total counter
node_cpu_seconds_total{cpu="0",mode="idle"} 12345.67
node_cpu_seconds_total{cpu="0",mode="user"} 234.5
node_cpu_seconds_total{cpu="1",mode="idle"} 12000.25
node_cpu_seconds_total{cpu="1",mode="user"} 250
# HELP node_memory_MemAvailable_bytes Memory information field MemAvailable_bytes.
# TYPE node_memory_MemAvailable_bytes gauge
node_memory_MemAvailable_bytes 8.123456789e+09
# HELP node_filesystem_avail_bytes Filesystem space available to non-root users in bytes.
# TYPE node_filesystem_avail_bytes gauge
node_filesystem_avail_bytes{device="/dev/sda1",fstype="ext4",mountpoint="/"} 1.2e+10
node_filesystem_avail_bytes{device="tmpfs",fstype="tmpfs",mountpoint="/run"} 1.6e+09
# HELP node_disk_io_time_seconds_total Total seconds spent doing I/Os.
# TYPE node_disk_io_time_seconds_total counter
node_disk_io_time_seconds_total{device="sda"} 42.5
node_disk_io_time_seconds_total{device="sdb"} 0
# HELP node_drop_me_total Dropped by metric_relabel_configs.
# TYPE node_drop_me_total counter
node_drop_me_total 7
node_drop_me_total{extra="x"} 8
# HELP http_request_duration_seconds A histogram of request latencies.
# TYPE http_request_duration_seconds histogram
http_request_duration_seconds_bucket{handler="/",le="0.05"} 10
http_request_duration_seconds_bucket{handler="/",le="0.1"} 15
http_request_duration_seconds_bucket{handler="/",le="0.5"} 19
http_request_duration_seconds_bucket{handler="/",le="1"} 20
http_request_duration_seconds_bucket{handler="/",le="+Inf"} 21
http_request_duration_seconds_sum{handler="/"} 6.25
http_request_duration_seconds_count{handler="/"} 21
# HELP rpc_duration_seconds A summary of RPC durations.
# TYPE rpc_duration_seconds summary
rpc_duration_seconds{service="a",quantile="0.5"} 0.012
rpc_duration_seconds{service="a",quantile="0.9"} 0.05
rpc_duration_seconds{service="a",quantile="0.99"} 0.1
rpc_duration_seconds_sum{service="a"} 17.5
rpc_duration_seconds_count{service="a"} 1000
# HELP node_help_only A metric with HELP and no TYPE. Escapes: backslash \\ newline \n end.
node_help_only 1
# TYPE node_type_only gauge
node_type_only -2.5
some_untyped_metric 3
node_special{kind="nan"} NaN
node_special{kind="inf"} +Inf
node_special{kind="neginf"} -Inf
node_special{kind="tiny"} 1e-300
node_special{kind="int"} 9007199254740993
node_escaped{path="C:\\dir\\",quote="say \"hi\"",nl="line\nbreak",utf8="ünïcödé"} 1
node_empty_label{a="",b="x"} 1
"""

OM = """# TYPE om_requests counter
# HELP om_requests Requests served.
om_requests_total{code="200"} 1027 # {trace_id="abc123"} 1.0 1520879607.789
om_requests_created{code="200"} 1.6e+09
om_requests_total{code="500"} 3
om_requests_created{code="500"} 1.6e+09
# TYPE om_latency_seconds histogram
# UNIT om_latency_seconds seconds
# HELP om_latency_seconds Request latency.
om_latency_seconds_bucket{le="0.1"} 5
om_latency_seconds_bucket{le="1.0"} 8
om_latency_seconds_bucket{le="+Inf"} 9
om_latency_seconds_sum 3.5
om_latency_seconds_count 9
om_latency_seconds_created 1.6e+09
# TYPE om_rpc_seconds summary
# UNIT om_rpc_seconds seconds
om_rpc_seconds{quantile="0.5"} 0.25
om_rpc_seconds_sum 12.5
om_rpc_seconds_count 50
# TYPE om_build info
# HELP om_build Build information.
om_build_info{version="1.2.3",revision="abc"} 1
# TYPE om_feature stateset
om_feature{om_feature="a"} 1
om_feature{om_feature="b"} 0
# TYPE om_temperature_celsius gauge
# UNIT om_temperature_celsius celsius
# HELP om_temperature_celsius Temperature.
om_temperature_celsius 21.5
# TYPE om_queue gaugehistogram
om_queue_bucket{le="1"} 2
om_queue_bucket{le="+Inf"} 3
om_queue_gcount 3
om_queue_gsum 4.5
# TYPE om_unknown unknown
om_unknown 1
# EOF
"""

OM_TEXT_FALLBACK = """# HELP om_served_as_text 1 when the scraper did not ask for OpenMetrics.
# TYPE om_served_as_text gauge
om_served_as_text 1
# TYPE om_requests_total counter
om_requests_total{code="200"} 1027
"""

CONFLICT = """# TYPE conflict_metric gauge
conflict_metric{job="exposed-job",instance="exposed-instance"} 1
conflict_metric2{job="j2",exported_job="ej2"} 2
conflict_env{env="exposed-env"} 3
conflict_empty{job=""} 4
conflict_none 5
conflict_exported_only{exported_instance="x"} 6
conflict_no_instance{instance=""} 7
"""

GARBAGE = "this is { not metrics\n\x00\x01 at all\n"

BIG = "".join('big_metric{i="%d",pad="%s"} %d\n' % (i, "x" * 150, i) for i in range(120))

MANY = "# TYPE many_samples gauge\n" + "".join('many_samples{i="%d"} %d\n' % (i, i) for i in range(100))

GZIP_BODY = "# HELP gz_metric Repetitive gauges (compress well).\n# TYPE gz_metric gauge\n" + "".join(
    'gz_metric{i="%03d",pad="%s"} %d\n' % (i, "y" * 40, i) for i in range(80))

LONG_NAME = "n" * 40
LONG_VALUE = "v" * 40
LABELS = (
    'wide{l1="a",l2="b",l3="c",l4="d",l5="e",l6="f",l7="g",l8="h"} 1\n'
    + '%s{%s="short"} 2\n' % ("long_name", LONG_NAME)
    + '%s{k="%s"} 3\n' % ("long_value", LONG_VALUE)
)

REDIRECTED = "# TYPE redirected_metric gauge\nredirected_metric 1\n"


def timestamps_payload():
    now_ms = int(time.time()) // 5 * 5 * 1000
    return (
        "# TYPE ts_gauge gauge\n"
        'ts_gauge{kind="moving"} 11 %d\n'
        'ts_gauge{kind="fixed"} 42 %d\n'
        'ts_gauge{kind="none"} 7\n' % (now_ms, FIXED_TS_MS)
    )


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def send_body(self, body, ctype=TEXT, status=200, compress=False):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        if compress:
            data = gzip.compress(data, mtime=0)
            self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_proxy_request(self):
        entry = {"ua": self.headers.get("User-Agent", ""), "line": self.requestline,
                 "host": self.headers.get("Host", ""), "auth": self.headers.get("Proxy-Authorization", "")}
        with PROXY_LOG_LOCK, open(os.environ["SCRAPE_PROXY_LOG"], "a") as log:
            log.write(json.dumps(entry) + "\n")

    def do_CONNECT(self):
        if self.server.role == "proxy":
            self.log_proxy_request()
        self.send_body("tunnels are not offered here\n", "text/plain", status=405)

    def do_GET(self):
        role = self.server.role
        if role == "proxy":
            self.log_proxy_request()
            if not self.path.startswith("http://"):
                self.send_body("not a proxy request: %s\n" % self.path, "text/plain", status=400)
            else:
                self.send_body("# TYPE proxied_metric gauge\nproxied_metric 1\n")
            return
        url = urllib.parse.urlsplit(self.path)
        query = urllib.parse.parse_qs(url.query, keep_blank_values=True)
        accept = self.headers.get("Accept", "")
        if role == "node":
            timeout = self.headers.get("X-Prometheus-Scrape-Timeout-Seconds", "0")
            self.send_body(NODE + "vigil_test_scrape_timeout_header_seconds %s\n" % timeout)
        elif role == "openmetrics":
            if "application/openmetrics-text" in accept:
                self.send_body(OM, OPENMETRICS)
            else:
                self.send_body(OM_TEXT_FALLBACK)
        elif role == "conflict":
            self.send_body(CONFLICT)
        elif role == "error500":
            self.send_body("internal error\n", "text/plain", status=500)
        elif role == "hang":
            time.sleep(3)
            self.send_body("hang_metric 1\n")
        elif role == "garbage":
            self.send_body(GARBAGE)
        elif role == "bigbody":
            self.send_body(BIG)
        elif role == "many":
            self.send_body(MANY)
        elif role == "gzip":
            gz = "gzip" in self.headers.get("Accept-Encoding", "")
            self.send_body(GZIP_BODY + "gzip_requested %d\n" % gz, compress=gz)
        elif role == "probe":
            if url.path != "/probe":
                self.send_body("not found\n", "text/plain", status=404)
                return
            module = query.get("module", ["<none>"])
            extra = query.get("extra", [])
            body = "# TYPE probe_module gauge\n"
            body += "".join('probe_module{module="%s",position="%d"} 1\n' % (m, i) for i, m in enumerate(module))
            body += "".join('probe_extra{value="%s",position="%d"} 1\n' % (e, i) for i, e in enumerate(extra))
            body += "probe_params_count %d\n" % sum(len(v) for v in query.values())
            self.send_body(body)
        elif role == "redirect":
            if url.path == "/real":
                self.send_body(REDIRECTED)
            else:
                self.send_response(302)
                self.send_header("Location", "/real")
                self.send_header("Content-Length", "0")
                self.end_headers()
        elif role == "timestamps":
            self.send_body(timestamps_payload())
        elif role == "labels":
            self.send_body(LABELS)
        elif role == "tiny":
            self.send_body("# TYPE tiny_metric gauge\ntiny_metric 1\ntiny_port %d\n" % self.server.server_port)
        else:
            self.send_body("unknown role\n", "text/plain", status=404)

    def log_message(self, *args):
        pass


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


def main():
    servers = []
    for arg in sys.argv[1:]:
        role, port = arg.split("=")
        try:
            server = Server(("127.0.0.1", int(port)), Handler)
        except OSError as e:
            sys.exit("exporter: cannot listen on 127.0.0.1:%s (%s): %s" % (port, role, e))
        server.role = role
        servers.append(server)
    for server in servers[1:]:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    print("exporter: listening on %d ports" % len(servers), flush=True)
    servers[0].serve_forever()


if __name__ == "__main__":
    main()
