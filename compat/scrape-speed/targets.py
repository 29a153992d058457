#!/usr/bin/env python3
"""Cheap scrape targets for compat/scrape-speed.sh: one asyncio process serving the same
pre-rendered node_exporter-like payload on PORT at COUNT loopback addresses 127.0.0.1 ..
127.0.0.COUNT (Linux routes all of 127/8 to lo, so no port range is needed).

    targets.py PORT COUNT PAYLOAD_FILE [gzip|identity]

With gzip (the default) a request whose Accept-Encoding names gzip gets the body pre-compressed,
as node_exporter answers; identity always sends it plain. Keep-alive HTTP/1.1; the body is
rendered once, so a scrape costs this process a header parse and a write.
"""
import asyncio
import gzip
import sys

PORT = int(sys.argv[1])
COUNT = int(sys.argv[2])
with open(sys.argv[3], "rb") as f:
    PLAIN = f.read()
USE_GZIP = (sys.argv[4] if len(sys.argv) > 4 else "gzip") == "gzip"
GZIPPED = gzip.compress(PLAIN, compresslevel=6)


def response(body, encoding):
    head = (
        "HTTP/1.1 200 OK\r\n"
        "Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n"
        f"Content-Length: {len(body)}\r\n"
        + (f"Content-Encoding: {encoding}\r\n" if encoding else "")
        + "\r\n"
    ).encode()
    return head + body


PLAIN_RESPONSE = response(PLAIN, None)
GZIP_RESPONSE = response(GZIPPED, "gzip")
NOT_FOUND = b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n"


class Target(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport = transport
        self.buffer = b""

    def data_received(self, data):
        self.buffer += data
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end < 0:
                if len(self.buffer) > 65536:
                    self.transport.close()
                return
            head = self.buffer[:end].decode("latin-1")
            self.buffer = self.buffer[end + 4:]
            lines = head.split("\r\n")
            parts = lines[0].split(" ")
            if len(parts) < 2 or parts[1].split("?")[0] != "/metrics":
                self.transport.write(NOT_FOUND)
                continue
            wants_gzip = False
            for line in lines[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "accept-encoding" and "gzip" in value.lower():
                    wants_gzip = True
            self.transport.write(GZIP_RESPONSE if USE_GZIP and wants_gzip else PLAIN_RESPONSE)


async def main():
    loop = asyncio.get_running_loop()
    servers = []
    for i in range(1, COUNT + 1):
        servers.append(await loop.create_server(Target, f"127.0.0.{i}", PORT, backlog=64))
    print(f"serving {len(PLAIN)} bytes ({len(GZIPPED)} gzipped) on {COUNT} addresses, port {PORT}", flush=True)
    await asyncio.Event().wait()


asyncio.run(main())
