#!/usr/bin/env python3
"""An Alertmanager stand-in for compat/notifier.sh: accepts POST /<anything>/api/v2/alerts and
appends each request as one JSON line {"path", "alerts"} to a file."""
import http.server
import json
import sys


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length)
        try:
            alerts = json.loads(body)
        except ValueError:
            alerts = {"unparseable": body.decode("utf-8", "replace")}
        with open(self.server.out_path, "a") as out:
            out.write(json.dumps({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                  "alerts": alerts}) + "\n")
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    port, out_path = int(sys.argv[1]), sys.argv[2]
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.out_path = out_path
    server.serve_forever()


if __name__ == "__main__":
    main()
