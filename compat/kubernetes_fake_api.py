#!/usr/bin/env python3
"""A minimal Kubernetes API server for compat/kubernetes-sd.sh.

Serves the objects of Sources/VigilTestSupport/Kubernetes/KubernetesFixtures.swift (the same
fixtures the Swift tests use, read from that file) over the real wire protocol: lists with
metadata.resourceVersion (items without kind/apiVersion), watches as chunked streams that stay
open until timeoutSeconds, and /version for client-go's discovery checks.
Usage: kubernetes_fake_api.py FIXTURES.swift PORT [LATER.json]
LATER.json: a JSON array of objects (compat/ui.sh's Kubernetes events) that are not listed but
arrive as ADDED on the first watch of their collection, one a second, their lastTimestamp set to
when they are sent (an event watcher ignores events last seen before it subscribed).
"""
import json
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PLURALS = {"Pod": "pods", "Node": "nodes", "Service": "services", "Endpoints": "endpoints",
           "EndpointSlice": "endpointslices", "Ingress": "ingresses", "Event": "events"}


def load(path):
    text = open(path).read()
    objects = []
    for block in re.findall(r'public static let \w+ = #"""\n(.*?)\n\s*"""#', text, re.S):
        objects.append(json.loads(block))
    return objects


def collection(obj):
    api = obj["apiVersion"]
    return ("apis/" if "/" in api else "api/") + api + "/" + PLURALS[obj["kind"]]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    objects = []
    later = []
    sent_later = set()
    version = 100

    def log_message(self, *args):
        pass

    def send_json(self, code, body):
        data = json.dumps(body).encode()
        self.send_response(code)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query)
        if url.path == "/version":
            return self.send_json(200, {"major": "1", "minor": "29", "gitVersion": "v1.29.3", "platform": "linux/amd64"})
        parts = [p for p in url.path.split("/") if p]
        prefix = 2 if parts[:1] == ["api"] else 3 if parts[:1] == ["apis"] else 0
        if not prefix or len(parts) <= prefix:
            return self.send_json(404, {"kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "NotFound", "code": 404})
        rest = parts[prefix:]
        namespace = None
        if len(rest) == 3 and rest[0] == "namespaces":
            namespace, rest = rest[1], rest[2:]
        wanted = "/".join(parts[:prefix] + rest)
        items = [o for o in self.objects if collection(o) == wanted
                 and (namespace is None or o["metadata"].get("namespace") == namespace)]
        if query.get("watch", [""])[0] in ("true", "1"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            deadline = time.time() + min(int(query.get("timeoutSeconds", ["60"])[0]), 600)
            self.send_later(wanted, namespace)
            # Nothing else changes: keep the stream open until the client's timeout.
            time.sleep(max(0, deadline - time.time()))
            self.wfile.write(b"0\r\n\r\n")
            return
        kind = next((k for k, p in PLURALS.items() if wanted.endswith("/" + p)), "Object")
        return self.send_list(kind, parts, prefix, items)

    def send_later(self, wanted, namespace):
        for index, o in enumerate(self.later):
            if collection(o) != wanted or index in self.sent_later:
                continue
            if namespace is not None and o["metadata"].get("namespace") != namespace:
                continue
            self.sent_later.add(index)
            time.sleep(1)
            item = json.loads(json.dumps(o))
            now = time.time()
            age = item.pop("firstSeenSecondsBefore", 0)
            item["lastTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
            item["firstTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - age))
            item["metadata"]["resourceVersion"] = str(Handler.version + 1 + index)
            line = json.dumps({"type": "ADDED", "object": item}).encode() + b"\n"
            self.wfile.write(b"%x\r\n%s\r\n" % (len(line), line))
            self.wfile.flush()

    def send_list(self, kind, parts, prefix, items):
        api_version = "/".join(parts[1:prefix])
        body_items = []
        for o in items:
            item = dict(o)
            item.pop("kind", None)
            item.pop("apiVersion", None)
            body_items.append(item)
        self.send_json(200, {"kind": kind + "List", "apiVersion": api_version,
                             "metadata": {"resourceVersion": str(self.version)}, "items": body_items})


def main():
    objects = load(sys.argv[1])
    if len(sys.argv) > 3:
        Handler.later = json.load(open(sys.argv[3]))
    for index, o in enumerate(objects):
        o["metadata"]["resourceVersion"] = str(10 + index)
        o["metadata"].setdefault("creationTimestamp", "2026-11-01T10:00:00Z")
    Handler.objects = objects
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()


if __name__ == "__main__":
    main()
