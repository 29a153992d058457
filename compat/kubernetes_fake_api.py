#!/usr/bin/env python3
"""A minimal Kubernetes API server for compat/kubernetes-sd.sh.

Serves the objects of Sources/VigilTestSupport/Kubernetes/KubernetesFixtures.swift (the same
fixtures the Swift tests use, read from that file) over the real wire protocol: lists with
metadata.resourceVersion (items without kind/apiVersion), watches as chunked streams that stay
open until timeoutSeconds and carry every change made since the requested resourceVersion,
and /version for client-go's discovery checks.

Scripts change objects with `POST /_fake/apply` (body: one object as the API returns it, with
apiVersion, kind and metadata): it gets the next resourceVersion and is sent to open watches as
ADDED or MODIFIED, as the real server does when a controller writes it.
Usage: kubernetes_fake_api.py FIXTURES.swift PORT [LATER.json]
LATER.json: a JSON array of objects (compat/ui.sh's Kubernetes events) that are not listed but
are applied after the first watch of their collection opens, one a second, their lastTimestamp
set to when they are sent (an event watcher ignores events last seen before it subscribed).
"""
import json
import re
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

PLURALS = {"Pod": "pods", "Node": "nodes", "Service": "services", "Endpoints": "endpoints",
           "EndpointSlice": "endpointslices", "Ingress": "ingresses", "Event": "events"}
CHANGED = threading.Condition()


def load(path):
    text = open(path).read()
    objects = []
    for block in re.findall(r'public static let \w+ = #"""\n(.*?)\n\s*"""#', text, re.S):
        objects.append(json.loads(block))
    return objects


def collection(obj):
    api = obj["apiVersion"]
    return ("apis/" if "/" in api else "api/") + api + "/" + PLURALS[obj["kind"]]


def key(obj):
    return (collection(obj), obj["metadata"].get("namespace", ""), obj["metadata"]["name"])


def apply(obj):
    """Stores `obj` with the next resourceVersion and wakes the watches; returns the version."""
    with CHANGED:
        Handler.version += 1
        obj["metadata"]["resourceVersion"] = str(Handler.version)
        obj["metadata"].setdefault("uid", "uid-%s-%s" % (obj["metadata"].get("namespace", ""), obj["metadata"]["name"]))
        obj["metadata"].setdefault("creationTimestamp", "2026-11-01T10:00:00Z")
        existing = [i for i, o in enumerate(Handler.objects) if key(o) == key(obj)]
        if existing:
            Handler.objects[existing[0]] = obj
        else:
            Handler.objects.append(obj)
        Handler.history.append((Handler.version, "MODIFIED" if existing else "ADDED", obj))
        CHANGED.notify_all()
        return Handler.version


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    objects = []
    version = 100
    # (resourceVersion, type, object) of every change made through /_fake/apply.
    history = []
    watches = 0

    later = []
    later_started = set()

    def do_POST(self):
        if urlparse(self.path).path != "/_fake/apply":
            return self.send_json(405, {"kind": "Status", "status": "Failure", "reason": "MethodNotAllowed", "code": 405})
        obj = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        self.send_json(200, {"resourceVersion": str(apply(obj))})

    @classmethod
    def start_later(cls, wanted):
        """Applies the LATER objects of `wanted`'s collection, one a second, once."""
        with CHANGED:
            if wanted in cls.later_started:
                return
            cls.later_started.add(wanted)
        pending = [o for o in cls.later if collection(o) == wanted]

        def send():
            for o in pending:
                time.sleep(1)
                item = json.loads(json.dumps(o))
                now = time.time()
                age = item.pop("firstSeenSecondsBefore", 0)
                item["lastTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now))
                item["firstTimestamp"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(now - age))
                apply(item)
        if pending:
            threading.Thread(target=send, daemon=True).start()
            Handler.version += 1

    def chunk(self, data):
        self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
        self.wfile.flush()

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
        if url.path == "/_fake/watches":
            return self.send_json(200, Handler.watches)
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
        with CHANGED:
            items = [o for o in Handler.objects if collection(o) == wanted
                     and (namespace is None or o["metadata"].get("namespace") == namespace)]
            list_version = Handler.version
        if query.get("watch", [""])[0] in ("true", "1"):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            self.wfile.flush()
            # Changes after the requested version as they happen, until the client's timeout.
            since = int(query.get("resourceVersion", ["0"])[0] or 0)
            deadline = time.monotonic() + min(int(query.get("timeoutSeconds", ["60"])[0]), 600)
            with CHANGED:
                Handler.watches += 1
            Handler.start_later(wanted)
            try:
                while time.monotonic() < deadline:
                    with CHANGED:
                        changes = [c for c in Handler.history if c[0] > since and collection(c[2]) == wanted
                                   and (namespace is None or c[2]["metadata"].get("namespace") == namespace)]
                        if not changes:
                            CHANGED.wait(timeout=max(0.0, min(1.0, deadline - time.monotonic())))
                            continue
                    for version, kind, obj in changes:
                        self.chunk(json.dumps({"type": kind, "object": obj}).encode() + b"\n")
                        since = version
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with CHANGED:
                    Handler.watches -= 1
            return
        kind = next((k for k, p in PLURALS.items() if wanted.endswith("/" + p)), "Object")
        api_version = "/".join(parts[1:prefix])
        body_items = []
        for o in items:
            item = dict(o)
            item.pop("kind", None)
            item.pop("apiVersion", None)
            body_items.append(item)
        self.send_json(200, {"kind": kind + "List", "apiVersion": api_version,
                             "metadata": {"resourceVersion": str(list_version)}, "items": body_items})


def main():
    objects = load(sys.argv[1])
    for index, o in enumerate(objects):
        o["metadata"]["resourceVersion"] = str(10 + index)
        o["metadata"].setdefault("creationTimestamp", "2026-11-01T10:00:00Z")
    Handler.objects = objects
    if len(sys.argv) > 3:
        with open(sys.argv[3]) as later:
            Handler.later = json.load(later)
    ThreadingHTTPServer(("127.0.0.1", int(sys.argv[2])), Handler).serve_forever()


if __name__ == "__main__":
    main()
