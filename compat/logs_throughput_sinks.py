#!/usr/bin/env python3
"""Discarding sinks for compat/logs-throughput.sh, counting what they receive.

HTTP on HTTP_PORT: answers every POST with 204 after reading its body, and counts the
occurrences of the marker MARKER in the bodies: `\"seq\"`, the key `"seq"` as it appears in a
line escaped inside a JSON string, once per generated line. (Parsed fields sent beside the line,
such as Loki structured metadata, hold the key unescaped and are not counted.)
TCP on TCP_PORT: reads every connection to its end and counts the newlines.
GET /count on the HTTP port answers "<http lines> <tcp lines>".
Usage: logs_throughput_sinks.py HTTP_PORT TCP_PORT
"""
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

HTTP_PORT, TCP_PORT = int(sys.argv[1]), int(sys.argv[2])
MARKER = b'\\"seq\\"'
counts = {"http": 0, "tcp": 0}
lock = threading.Lock()


class Sink(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        remaining, seen = length, 0
        tail = b""
        while remaining > 0:
            chunk = self.rfile.read(min(remaining, 1 << 20))
            if not chunk:
                break
            remaining -= len(chunk)
            data = tail + chunk
            seen += data.count(MARKER)
            # A marker cut by the read boundary is counted with the next chunk.
            cut = max((k for k in range(1, len(MARKER)) if data.endswith(MARKER[:k])), default=0)
            tail = data[-cut:] if cut else b""
        with lock:
            counts["http"] += seen
        self.send_response(204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self):
        with lock:
            body = ("%d %d\n" % (counts["http"], counts["tcp"])).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def tcp_connection(connection):
    total = 0
    while True:
        data = connection.recv(1 << 20)
        if not data:
            break
        n = data.count(b"\n")
        if n:
            with lock:
                counts["tcp"] += n
    connection.close()


def tcp_server():
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", TCP_PORT))
    server.listen(16)
    while True:
        connection, _ = server.accept()
        threading.Thread(target=tcp_connection, args=(connection,), daemon=True).start()


threading.Thread(target=tcp_server, daemon=True).start()
ThreadingHTTPServer(("127.0.0.1", HTTP_PORT), Sink).serve_forever()
