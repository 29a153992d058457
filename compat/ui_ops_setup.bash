# Data for the Logs, Alerts, Silences, Events and Correlate checks of compat/ui.sh (sourced by it):
# a rule file whose alert fires at once (`vector(1)` with pod labels), Kubernetes events that
# compat/kubernetes_fake_api.py sends on the event watch, one a second (last seen when sent),
# pushed log lines for the same pod, and cAdvisor-named series for it (imported).
# Needs WORK, PORT; UI_OPS_API_PORT picks the fake API server's port.
UI_OPS_API_PORT=${UI_OPS_API_PORT:-19858}
UI_OPS_API_PID=

# Writes the rule file and the events, starts the fake API server.
ui_ops_prepare() {
  cat >"$WORK/ui-rules.yml" <<'YAML'
groups:
  - name: ui-test
    interval: 1s
    rules:
      - alert: UITestPodCrashLooping
        expr: vector(1)
        labels: {severity: page, namespace: default, pod: web-1}
        annotations: {summary: 'web-1 restarts <b>often</b>'}
      - record: ui:test:one
        expr: vector(1)
YAML
  /usr/bin/python3 - "$WORK/ui-events.json" <<'PY'
import json, sys
events = []
for i, (kind, ns, name, reason, kind_type, message, age, count) in enumerate([
        ("Pod", "default", "web-1", "BackOff", "Warning", "Back-off restarting failed container web in pod web-1", 120, 7),
        ("Pod", "default", "web-1", "Pulled", "Normal", "Container image \"web:1.2\" already present on machine", 300, 3),
        ("Pod", "default", "web-1", "Unhealthy", "Warning", "Liveness probe failed: <script>alert(1)</script>", 200, 2),
        ("Node", "", "node-a", "NodeHasSufficientMemory", "Normal", "Node node-a status is now: NodeHasSufficientMemory", 600, 1),
        ("Pod", "kube-system", "dns-0", "Scheduled", "Normal", "Successfully assigned kube-system/dns-0 to node-a", 900, 1)]):
    namespace = ns or "default"
    events.append({"apiVersion": "v1", "kind": "Event",
                   "metadata": {"name": f"{name}.{i:04x}", "namespace": namespace, "uid": f"ui-event-{i}"},
                   "involvedObject": {"kind": kind, "name": name, "namespace": ns, "apiVersion": "v1"},
                   "reason": reason, "message": message, "type": kind_type, "count": count,
                   "firstSeenSecondsBefore": age,
                   "source": {"component": "kubelet", "host": "node-a"}})
json.dump(events, open(sys.argv[1], "w"))
PY
  /usr/bin/python3 "$(dirname "${BASH_SOURCE[0]}")/kubernetes_fake_api.py" \
    "$(dirname "${BASH_SOURCE[0]}")/../Sources/VigilTestSupport/Kubernetes/KubernetesFixtures.swift" "$UI_OPS_API_PORT" \
    "$WORK/ui-events.json" >"$WORK/fake-api.log" 2>&1 &
  UI_OPS_API_PID=$!
  wait_http "http://127.0.0.1:$UI_OPS_API_PORT/version" 30
}

# The configuration's additions (appended to vigil.yml).
ui_ops_config() {
  cat <<YAML
rule_files: ['$WORK/ui-rules.yml']
kubernetes_events:
  api_server: 'http://127.0.0.1:$UI_OPS_API_PORT'
  store: {enabled: true, retention: 1d}
YAML
}

# Log lines and container series for default/web-1, once the server is up.
ui_ops_push() {
  /usr/bin/python3 - "$BASE" <<'PY'
import json, sys, time, urllib.request
base = sys.argv[1]
now = time.time()
values = []
for i in range(40):
    t = now - 600 + i * 15
    level = "error" if i % 5 == 0 else "info"
    values.append([str(int(t * 1e9)), f'level={level} msg="request {i} served" path=/api/{i} duration={i * 3}ms'])
json_values = [[str(int((now - 590 + i * 30) * 1e9)), json.dumps({"level": "warn", "msg": f"cache miss {i}", "key": f"k{i}"})] for i in range(10)]
body = {"streams": [
    {"stream": {"job": "ui-test", "namespace": "default", "pod": "web-1", "container": "web"}, "values": values},
    {"stream": {"job": "ui-test", "namespace": "default", "pod": "web-1", "container": "sidecar"}, "values": json_values},
]}
request = urllib.request.Request(base + "/loki/api/v1/push", data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
urllib.request.urlopen(request, timeout=60).read()
lines = []
for i in range(61):
    t = int(now - 600 + i * 10)
    for container in ("web", "sidecar"):
        lines.append(f'container_cpu_usage_seconds_total{{namespace="default",pod="web-1",container="{container}"}} {i * 0.5 * (2 if container == "web" else 1)} {t * 1000}\n')
        lines.append(f'container_memory_working_set_bytes{{namespace="default",pod="web-1",container="{container}"}} {(50 + i % 7) * 1048576} {t * 1000}\n')
request = urllib.request.Request(base + "/api/v1/import/prometheus", data="".join(lines).encode(), method="POST",
                                 headers={"Content-Type": "text/plain"})
urllib.request.urlopen(request, timeout=60).read()
PY
}

ui_ops_cleanup() {
  if [ -n "$UI_OPS_API_PID" ]; then kill "$UI_OPS_API_PID" 2>/dev/null || true; wait "$UI_OPS_API_PID" 2>/dev/null || true; fi
}
