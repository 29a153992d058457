#!/usr/bin/env python3
"""Serves one fixed payload at /metrics for compat/rules-speed.sh."""
import http.server
import sys


def main():
    port, path = int(sys.argv[1]), sys.argv[2]
    with open(path, "rb") as payload:
        body = payload.read()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
