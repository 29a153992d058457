#!/usr/bin/env python3
"""A minimal kube-apiserver with an aggregation layer, for compat/kubernetes-metrics-api.sh.

Serves the core objects kubectl top needs (/api, /api/v1 nodes and pods of a small fixture, with
labelSelector and fieldSelector applied, /version) over plain HTTP, and so answers Vigil's selector
lookups too; and proxies /apis and /apis/{,custom.,external.}metrics.k8s.io/... to Vigil's
kubernetes_metrics_api listener the way kube-apiserver does: over TLS (the serving certificate not
verified, as the APIService's insecureSkipTLSVerify says), presenting the front-proxy client
certificate, with X-Remote-User and X-Remote-Group naming the caller. Also serves the fake kubelet
(/metrics/resource) whose series Vigil scrapes: counters that grow at fixed rates, stamped with the
time of the request, so the expected CPU figures are exact.
Usage: kubernetes_fake_aggregator.py API_PORT AGENT_PORT VIGIL_HTTPS_PORT CLIENT_CERT CLIENT_KEY
"""
import http.client
import json
import ssl
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread

API_PORT, AGENT_PORT, VIGIL_PORT = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
CLIENT_CERT, CLIENT_KEY = sys.argv[4], sys.argv[5]
START_MS = int(time.time() * 1000)

# node name, allocatable cpu and memory, cores used, working set bytes
NODES = [("n1", "4", "16Gi", 0.25, 1616334848)]
# namespace, pod, node, [(container, cores, working set bytes)]
PODS = [
    ("default", "web", "n1", [("app", 0.1, 52428800), ("sidecar", 0.02, 10485760)]),
    ("shop", "db", "n1", [("db", 1.5, 536870912)]),
]


def node_object(name, cpu, memory):
    return {"metadata": {"name": name, "uid": "uid-" + name, "resourceVersion": "1", "labels": {"kubernetes.io/hostname": name}},
            "status": {"capacity": {"cpu": cpu, "memory": memory, "pods": "110"},
                       "allocatable": {"cpu": cpu, "memory": memory, "pods": "110"},
                       "conditions": [{"type": "Ready", "status": "True"}]}}


def pod_object(namespace, name, node, containers):
    return {"metadata": {"name": name, "namespace": namespace, "uid": "uid-" + name, "resourceVersion": "1",
                         "labels": {"app": name, "tier": "backend" if namespace == "shop" else "frontend"}},
            "spec": {"nodeName": node, "containers": [{"name": c[0], "image": "busybox"} for c in containers]},
            "status": {"phase": "Running"}}


def selected(objects, query):
    """The objects an equality-based labelSelector and a fieldSelector pick, as kube-apiserver does."""
    parameters = urllib.parse.parse_qs(query)

    def requirements(name):
        text = parameters.get(name, [""])[-1]
        out = []
        for part in filter(None, text.split(",")):
            negated = "!=" in part
            key, value = part.split("!=" if negated else "=", 1)
            out.append((key, value.lstrip("="), negated))
        return out

    def field(obj, path):
        for step in path.split("."):
            obj = obj.get(step, {}) if isinstance(obj, dict) else {}
        return obj if isinstance(obj, str) else ""

    labels, fields = requirements("labelSelector"), requirements("fieldSelector")
    return [o for o in objects
            if all((o["metadata"].get("labels", {}).get(k) == v) != n for k, v, n in labels)
            and all((field(o, k) == v) != n for k, v, n in fields)]


def resource_metrics():
    now = int(time.time() * 1000)
    elapsed = now - START_MS
    lines = ["# TYPE node_cpu_usage_seconds_total counter"]
    for name, _, _, cores, _ in NODES:
        lines.append("node_cpu_usage_seconds_total %.9f %d" % (1000 + elapsed * cores / 1000, now))
    lines.append("# TYPE node_memory_working_set_bytes gauge")
    for name, _, _, _, memory in NODES:
        lines.append("node_memory_working_set_bytes %d %d" % (memory, now))
    lines.append("# TYPE container_cpu_usage_seconds_total counter")
    for namespace, pod, _, containers in PODS:
        for container, cores, _ in containers:
            lines.append('container_cpu_usage_seconds_total{container="%s",namespace="%s",pod="%s"} %.9f %d'
                         % (container, namespace, pod, 10 + elapsed * cores / 1000, now))
    lines.append("# TYPE container_memory_working_set_bytes gauge")
    for namespace, pod, _, containers in PODS:
        for container, _, memory in containers:
            lines.append('container_memory_working_set_bytes{container="%s",namespace="%s",pod="%s"} %d %d'
                         % (container, namespace, pod, memory, now))
    return ("\n".join(lines) + "\n").encode()


class Base(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, code, body, content_type="application/json"):
        self.send_response(code)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class Agent(Base):
    def do_GET(self):
        if self.path.split("?")[0] == "/metrics/resource":
            self.reply(200, resource_metrics(), "text/plain; version=0.0.4")
        else:
            self.reply(404, b"not found\n", "text/plain")


class API(Base):
    def send_json(self, code, body):
        self.reply(code, json.dumps(body).encode())

    def proxy(self):
        context = ssl.create_default_context()
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.load_cert_chain(CLIENT_CERT, CLIENT_KEY)
        connection = http.client.HTTPSConnection("127.0.0.1", VIGIL_PORT, context=context, timeout=10)
        connection.request("GET", self.path, headers={"X-Remote-User": "kubernetes-admin", "X-Remote-Group": "system:masters",
                                                       "Accept": "application/json"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        return response.status, body

    def do_GET(self):
        path = self.path.split("?")[0].rstrip("/")
        query = self.path.split("?", 1)[1] if "?" in self.path else ""
        if path == "/version":
            return self.send_json(200, {"major": "1", "minor": "20", "gitVersion": "v1.20.0"})
        if path == "/api":
            return self.send_json(200, {"kind": "APIVersions", "versions": ["v1"],
                                        "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": "127.0.0.1"}]})
        if path == "/api/v1":
            return self.send_json(200, {"kind": "APIResourceList", "groupVersion": "v1", "resources": [
                {"name": "nodes", "singularName": "", "namespaced": False, "kind": "Node", "verbs": ["get", "list"]},
                {"name": "pods", "singularName": "", "namespaced": True, "kind": "Pod", "verbs": ["get", "list"]}]})
        if path == "/api/v1/nodes":
            return self.send_json(200, {"kind": "NodeList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"},
                                        "items": selected([node_object(n[0], n[1], n[2]) for n in NODES], query)})
        if path.startswith("/api/v1/nodes/"):
            for n in NODES:
                if path == "/api/v1/nodes/" + n[0]:
                    return self.send_json(200, dict(node_object(n[0], n[1], n[2]), kind="Node", apiVersion="v1"))
        if path == "/api/v1/pods" or (path.startswith("/api/v1/namespaces/") and path.endswith("/pods")):
            namespace = None if path == "/api/v1/pods" else path.split("/")[4]
            items = selected([pod_object(*p) for p in PODS if namespace is None or p[0] == namespace], query)
            return self.send_json(200, {"kind": "PodList", "apiVersion": "v1", "metadata": {"resourceVersion": "1"}, "items": items})
        if path == "/apis" or any(path.startswith("/apis/" + group) for group in
                                   ("metrics.k8s.io", "custom.metrics.k8s.io", "external.metrics.k8s.io")):
            status, body = self.proxy()
            return self.reply(status, body)
        self.send_json(404, {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure",
                             "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404})


def serve(handler, port):
    ThreadingHTTPServer(("127.0.0.1", port), handler).serve_forever()


Thread(target=serve, args=(Agent, AGENT_PORT), daemon=True).start()
serve(API, API_PORT)
