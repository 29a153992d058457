#!/usr/bin/env bash
# kubectl top against Vigil's metrics.k8s.io, through a fake kube-apiserver aggregation layer.
#
# compat/kubernetes_fake_aggregator.py plays kube-apiserver (the core objects kubectl needs, and
# /apis/metrics.k8s.io proxied to Vigil over TLS with a front-proxy client certificate and
# X-Remote-User, as the aggregation layer does) and a kubelet whose /metrics/resource counters grow
# at known rates. vigil server scrapes that kubelet and serves kubernetes_metrics_api with the
# front-proxy CA made here with openssl. Debian's kubectl (kubernetes-client, 1.20) then runs
# `kubectl top node` and `kubectl top pod -A`, whose rows must show those rates and working sets;
# the raw NodeMetrics must match what the TSDB holds; and requests without the proxy certificate
# must be refused. Prints "kubernetes-metrics-api: N passed, M failed".
source "$(dirname "$0")/lib/common.bash"
ensure_packages curl jq python3 openssl

ROOT=$(cd "$(dirname "$0")/.." && pwd)
AGENT_PORT=19830
VIGIL_PORT=19831
METRICS_API_PORT=19832
API_PORT=19833
WORK=$(mktemp -d -t kubernetes-metrics-api.XXXXXX)
VIGIL_PID= API_PID=
passed=0 failed=0
cleanup() {
  for pid in $VIGIL_PID $API_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
setup_failure() { echo "kubernetes-metrics-api: setup failed: $*" >&2; tail -20 "$WORK/vigil.log" >&2 || true; exit 1; }
check() {
  local name=$1 expected=$2 actual=$3
  if [ "$expected" == "$actual" ]; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; diff <(echo "$expected") <(echo "$actual") | head -40 || true; failed=$((failed + 1))
  fi
}
VIGIL=${KUBERNETES_METRICS_API_VIGIL:-$(vigil_binary)}

# Debian's kubectl 1.20 (kubernetes-client): the installed package's, else the package unpacked
# into the work directory (apt-get download), so another kubectl on the machine is left alone.
KUBECTL=$(dpkg -L kubernetes-client 2>/dev/null | grep '/bin/kubectl$' | head -1 || true)
if [ -z "$KUBECTL" ]; then
  (cd "$WORK" && { apt-get download kubernetes-client >/dev/null 2>&1 || { apt-get update -qq && apt-get download kubernetes-client >/dev/null 2>&1; }; } \
    && dpkg-deb -x kubernetes-client_*.deb "$WORK/kubectl-root") || true
  KUBECTL=$(find "$WORK/kubectl-root" -path '*/bin/kubectl' -type f 2>/dev/null | head -1 || true)
fi
if [ -z "$KUBECTL" ]; then
  echo "kubernetes-metrics-api: SKIP: Debian's kubernetes-client (kubectl 1.20) cannot be installed or downloaded here"
  exit 0
fi
echo "kubectl: $("$KUBECTL" version --client --short 2>/dev/null || "$KUBECTL" version --client 2>&1 | head -1)"
kubectl() { "$KUBECTL" "$@"; }

# The front-proxy CA and the aggregator's client certificate, as kubeadm makes them; and a
# certificate from another CA that must not be trusted.
cd "$WORK"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=front-proxy-ca" -keyout ca.key -out ca.crt 2>/dev/null
openssl req -newkey rsa:2048 -nodes -subj "/CN=front-proxy-client" -keyout proxy.key -out proxy.csr 2>/dev/null
printf 'extendedKeyUsage=clientAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n' > client.ext
openssl x509 -req -in proxy.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 -extfile client.ext -out proxy.crt 2>/dev/null
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj "/CN=front-proxy-client" -keyout rogue.key -out rogue.crt 2>/dev/null
cd - >/dev/null

cat >"$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: kubelet-resource
    metrics_path: /metrics/resource
    static_configs: [{targets: ['127.0.0.1:$AGENT_PORT'], labels: {node: n1}}]
kubernetes_metrics_api:
  listen_address: 127.0.0.1:$METRICS_API_PORT
  requestheader_client_ca_file: $WORK/ca.crt
  requestheader_allowed_names: [front-proxy-client]
  metric_resolution: 30s
  adapter_config_file: $WORK/adapter.yaml
  metrics_relist_interval: 2s
  api_server: http://127.0.0.1:$API_PORT
YAML
# prometheus-adapter's config format, unchanged: a per-pod rate as a custom metric and a node's
# CPU rate as an external one, over the fake kubelet's counters (rounded to millicores: the
# adapter truncates a value to whole thousandths, so 1.4999999997 would print as 1499m).
cat >"$WORK/adapter.yaml" <<'YAML'
rules:
  - seriesQuery: 'container_cpu_usage_seconds_total{namespace!="",pod!=""}'
    resources:
      overrides:
        namespace: {resource: "namespace"}
        pod: {resource: "pod"}
    name:
      matches: "^(.*)_seconds_total$"
      as: "${1}_cores"
    metricsQuery: 'round(sum(irate(<<.Series>>{<<.LabelMatchers>>}[30s])) by (<<.GroupBy>>), 0.001)'
externalRules:
  - seriesQuery: 'node_cpu_usage_seconds_total{node!=""}'
    resources: {namespaced: false}   # the series has no namespace label: ignore the request's
    name:
      as: "node_cpu_cores"
    metricsQuery: 'round(sum(irate(<<.Series>>{<<.LabelMatchers>>}[30s])) by (node), 0.001)'
YAML
"$VIGIL" check config "$WORK/prometheus.yml" >/dev/null || setup_failure "vigil check config refused the config"

python3 "$ROOT/compat/kubernetes_fake_aggregator.py" $API_PORT $AGENT_PORT $METRICS_API_PORT "$WORK/proxy.crt" "$WORK/proxy.key" \
  >"$WORK/api.log" 2>&1 &
API_PID=$!
wait_http "http://127.0.0.1:$API_PORT/version" || setup_failure "the fake API server did not start"
"$VIGIL" server --listen=127.0.0.1:$VIGIL_PORT --data-dir="$WORK/data" --config="$WORK/prometheus.yml" >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" || setup_failure "vigil did not start"

# Two scrapes give the first rate; wait for the pods too.
for _ in $(seq 1 150); do
  pods=$(curl -fsS "http://127.0.0.1:$API_PORT/apis/metrics.k8s.io/v1beta1/pods" 2>/dev/null | jq -r '.items | length' 2>/dev/null || echo 0)
  [ "$pods" == 2 ] && break
  sleep 0.2
done
[ "$pods" == 2 ] || setup_failure "metrics.k8s.io never listed the two pods"

cat >"$WORK/kubeconfig" <<YAML
apiVersion: v1
kind: Config
clusters: [{name: fake, cluster: {server: "http://127.0.0.1:$API_PORT"}}]
users: [{name: admin, user: {}}]
contexts: [{name: fake, context: {cluster: fake, user: admin}}]
current-context: fake
YAML
export KUBECONFIG=$WORK/kubeconfig HOME=$WORK

# kubectl 1.20 prints CPU in millicores and memory in Mi (whole), and the node's percentages as
# usage*100/allocatable in integer arithmetic: 250m of 4 cores is 6%, 1616334848 of 16Gi is 9%.
check "kubectl top node" "$(printf 'NAME CPU(cores) CPU%% MEMORY(bytes) MEMORY%%\nn1 250m 6%% 1541Mi 9%%')" \
  "$(kubectl top node 2>&1 | tr -s ' ' | sed 's/ $//')"
check "kubectl top pod -A" "$(printf 'NAMESPACE NAME CPU(cores) MEMORY(bytes)\ndefault web 120m 60Mi\nshop db 1500m 512Mi')" \
  "$(kubectl top pod -A 2>&1 | tr -s ' ' | sed 's/ $//')"
check "kubectl top pod -n shop" "$(printf 'NAME CPU(cores) MEMORY(bytes)\ndb 1500m 512Mi')" \
  "$(kubectl -n shop top pod 2>&1 | tr -s ' ' | sed 's/ $//')"
check "kubectl top pod --containers" "$(printf 'POD NAME CPU(cores) MEMORY(bytes)\nweb app 100m 50Mi\nweb sidecar 20m 10Mi')" \
  "$(kubectl -n default top pod --containers 2>&1 | tr -s ' ' | sed 's/ $//')"

# Selectors go to the API server (api_server above), which names the objects they pick.
check "kubectl top pod -A -l tier=backend" "$(printf 'NAMESPACE NAME CPU(cores) MEMORY(bytes)\nshop db 1500m 512Mi')" \
  "$(kubectl top pod -A -l tier=backend 2>&1 | tr -s ' ' | sed 's/ $//')"
check "kubectl top node -l kubernetes.io/hostname=n1" "$(printf 'NAME CPU(cores) CPU%% MEMORY(bytes) MEMORY%%\nn1 250m 6%% 1541Mi 9%%')" \
  "$(kubectl top node -l kubernetes.io/hostname=n1 2>&1 | tr -s ' ' | sed 's/ $//')"
check "pods by fieldSelector spec.nodeName and metadata.name" "2 web" \
  "$(kubectl get --raw '/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=spec.nodeName%3Dn1' | jq -r '.items | length') $(
     kubectl get --raw '/apis/metrics.k8s.io/v1beta1/pods?fieldSelector=metadata.name%3Dweb' | jq -r '[.items[].metadata.name] | join(" ")')"
check "a selector that picks nothing lists nothing" "0" \
  "$(kubectl get --raw '/apis/metrics.k8s.io/v1beta1/namespaces/shop/pods?labelSelector=app%3Dweb' | jq -r '.items | length')"

# get --raw: the discovery documents and one object, byte for byte what Vigil serves.
check "get --raw /apis/metrics.k8s.io/v1beta1 resources" "nodes:NodeMetrics:false:get,list pods:PodMetrics:true:get,list" \
  "$(kubectl get --raw /apis/metrics.k8s.io/v1beta1 | jq -r '[.resources[] | "\(.name):\(.kind):\(.namespaced):\(.verbs | join(","))"] | join(" ")')"
check "get --raw /apis lists metrics.k8s.io" "metrics.k8s.io/v1beta1" \
  "$(kubectl get --raw /apis | jq -r '.groups[] | select(.name == "metrics.k8s.io") | .preferredVersion.groupVersion')"
node=$(kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes/n1)
check "NodeMetrics cpu and memory" "250m 1578452Ki" "$(echo "$node" | jq -r '"\(.usage.cpu) \(.usage.memory)"')"

# The same figures from the TSDB: the newest working set, and the rate between the two newest
# points at the NodeMetrics timestamp.
window=$(echo "$node" | jq -r '.window')
timestamp=$(echo "$node" | jq -r '.timestamp')
tsdb_memory=$(curl -fsS "http://127.0.0.1:$VIGIL_PORT/api/v1/query" --data-urlencode 'query=node_memory_working_set_bytes{node="n1"}' \
  | jq -r '.data.result[0].value[1]')
check "working set equals the TSDB's" "1616334848" "$tsdb_memory"
tsdb_rate=$(curl -fsS "http://127.0.0.1:$VIGIL_PORT/api/v1/query" --data-urlencode 'query=irate(node_cpu_usage_seconds_total{node="n1"}[30s])' \
  --data-urlencode "time=$(date -d "$timestamp" +%s)" | jq -r '.data.result[0].value[1] | tonumber * 1000 | round')
check "CPU equals the TSDB's irate (millicores)" "250" "$tsdb_rate"
echo "window $window"

# custom.metrics.k8s.io and external.metrics.k8s.io from the adapter rules, through the same proxy.
check "get --raw /apis lists the custom and external groups" "custom.metrics.k8s.io/v1beta2 external.metrics.k8s.io/v1beta1" \
  "$(kubectl get --raw /apis | jq -r '[.groups[] | select(.name | test("^(custom|external)")) | .preferredVersion.groupVersion] | join(" ")')"
custom_resources=""
for _ in $(seq 1 50); do
  custom_resources=$(kubectl get --raw /apis/custom.metrics.k8s.io/v1beta1 2>/dev/null | jq -r '[.resources[].name] | sort | join(" ")' 2>/dev/null || true)
  [ -n "$custom_resources" ] && break
  sleep 0.2
done
check "custom metrics discovered per resource" "namespaces/container_cpu_usage_cores pods/container_cpu_usage_cores" "$custom_resources"
check "custom metric v1beta1 for every pod of a namespace" "Pod/db 1500m" \
  "$(kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta1/namespaces/shop/pods/*/container_cpu_usage_cores' \
      | jq -r '.items[] | "\(.describedObject.kind)/\(.describedObject.name) \(.value)"')"
check "custom metric v1beta2 for one pod" "web container_cpu_usage_cores 120m" \
  "$(kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/web/container_cpu_usage_cores' \
      | jq -r '.items[] | "\(.describedObject.name) \(.metric.name) \(.value)"')"
# The HPA's Pods metric: pods/* with the scale target's selector, listed at the API server.
check "custom metric for the pods a label selector picks" "Pod/web 120m" \
  "$(kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta2/namespaces/default/pods/*/container_cpu_usage_cores?labelSelector=tier%3Dfrontend' \
      | jq -r '.items[] | "\(.describedObject.kind)/\(.describedObject.name) \(.value)"')"
check "custom metric selector that picks no pod" "0" \
  "$(kubectl get --raw '/apis/custom.metrics.k8s.io/v1beta1/namespaces/default/pods/*/container_cpu_usage_cores?labelSelector=app%3Ddb' \
      | jq -r '.items | length')"
check "external metric with a label selector" "n1 250m" \
  "$(kubectl get --raw '/apis/external.metrics.k8s.io/v1beta1/namespaces/default/node_cpu_cores?labelSelector=node%3Dn1' \
      | jq -r '.items[] | "\(.metricLabels.node) \(.value)"')"
missing=$(kubectl get --raw /apis/metrics.k8s.io/v1beta1/nodes/n9 2>&1 || true)
check "a missing node is NotFound" "yes" "$(echo "$missing" | grep -q 'nodemetrics\|nodes.metrics.k8s.io "n9" not found\|NotFound' && echo yes || echo no)"

# Without the front-proxy certificate, or with one from another CA, Vigil refuses.
check "no client certificate: 401 Status" "401 Unauthorized" \
  "$(curl -ksS -H 'X-Remote-User: admin' "https://127.0.0.1:$METRICS_API_PORT/apis/metrics.k8s.io/v1beta1/nodes" | jq -r '"\(.code) \(.reason)"')"
check "certificate but no user: 401" "401" \
  "$(curl -ksS -o /dev/null -w '%{http_code}' --cert "$WORK/proxy.crt" --key "$WORK/proxy.key" "https://127.0.0.1:$METRICS_API_PORT/apis")"
check "certificate from another CA: handshake refused" "refused" \
  "$(curl -ksS -o /dev/null --cert "$WORK/rogue.crt" --key "$WORK/rogue.key" -H 'X-Remote-User: admin' \
      "https://127.0.0.1:$METRICS_API_PORT/apis" 2>/dev/null && echo accepted || echo refused)"
check "healthz without authentication" "ok" "$(curl -ksS "https://127.0.0.1:$METRICS_API_PORT/healthz")"

echo "kubernetes-metrics-api: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
