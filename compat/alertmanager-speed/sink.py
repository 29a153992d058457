#!/usr/bin/env python3
"""A webhook receiver that counts notifications and alerts (compat/alertmanager-speed.sh): GET /
answers "notifications alerts"."""
import http.server
import json
import sys
import threading

counts = [0, 0]
lock = threading.Lock()


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        alerts = len(json.loads(body).get("alerts", []))
        with lock:
            counts[0] += 1
            counts[1] += alerts
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            text = f"{counts[0]} {counts[1]}\n".encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(text)))
        self.end_headers()
        self.wfile.write(text)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
