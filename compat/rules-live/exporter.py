#!/usr/bin/env python3
"""Serves fixed metrics for compat/rules-live.sh: both servers scrape the same constant values, so
rules over them give the same results whenever each server evaluates."""
import http.server
import sys

BODY = """# HELP temperature_celsius Room temperature.
# TYPE temperature_celsius gauge
temperature_celsius{room="attic",floor="2"} 31.5
temperature_celsius{room="basement",floor="0"} 12.25
temperature_celsius{room="kitchen",floor="1"} 24
temperature_celsius{room="lab",floor="1"} 27.125
# HELP disk_used_ratio Fraction of the disk in use.
# TYPE disk_used_ratio gauge
disk_used_ratio{device="sda",mount="/"} 0.9312
disk_used_ratio{device="sdb",mount="/data"} 0.42
disk_used_ratio{device="sdc",mount="/var/log"} 0.97
# HELP queue_bytes Bytes waiting.
# TYPE queue_bytes gauge
queue_bytes{queue="ingest"} 1572864
queue_bytes{queue="export"} 2048
# HELP build_info Build.
# TYPE build_info gauge
build_info{version="1.2.3",revision="abc"} 1
"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = BODY.encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
