"""Serves compat/exposition/* with the Content-Type of each file's format (.txt text 0.0.4, .om OpenMetrics)."""
import http.server
import os
import sys

ROOT, PORT = sys.argv[1], int(sys.argv[2])
TYPES = {
    ".txt": "text/plain; version=0.0.4; charset=utf-8",
    ".om": "application/openmetrics-text; version=1.0.0; charset=utf-8",
}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        path = os.path.join(ROOT, os.path.basename(self.path.split("?")[0]))
        if not os.path.isfile(path):
            self.send_error(404)
            return
        with open(path, "rb") as f:
            body = f.read()
        self.send_response(200)
        self.send_header("Content-Type", TYPES[os.path.splitext(path)[1]])
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", PORT), Handler).serve_forever()
