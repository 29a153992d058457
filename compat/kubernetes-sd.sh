#!/usr/bin/env bash
# Kubernetes service discovery, Vigil beside Prometheus 2.42, against one fake API server.
#
# compat/kubernetes_fake_api.py serves the fixture cluster of the Swift tests
# (KubernetesFixtures.swift: a node, three pods, a service with endpoints and an endpoint slice,
# an ingress). Both servers get the same prometheus.yml with one job per role plus the customary
# annotation-driven pod job, and the script compares /api/v1/targets: every active target's pool,
# URL, discovered labels (all the __meta_kubernetes_* labels) and final labels, and the dropped ones.
# Prints "kubernetes-sd: N passed, M failed".
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl jq python3

ROOT=$(cd "$(dirname "$0")/.." && pwd)
API_PORT=19650
VIGIL_PORT=19651
PROM_PORT=19652
WORK=$(mktemp -d -t kubernetes-sd.XXXXXX)
VIGIL_PID= PROM_PID= API_PID=
passed=0 failed=0
cleanup() {
  for pid in $VIGIL_PID $PROM_PID $API_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
setup_failure() { echo "kubernetes-sd: setup failed: $*" >&2; exit 1; }
check() {
  local name=$1 expected=$2 actual=$3
  if [ "$expected" == "$actual" ]; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; diff <(echo "$expected") <(echo "$actual") | head -40 || true; failed=$((failed + 1))
  fi
}
VIGIL=${KUBERNETES_SD_VIGIL:-$(vigil_binary)}

python3 "$ROOT/compat/kubernetes_fake_api.py" "$ROOT/Sources/VigilTestSupport/Kubernetes/KubernetesFixtures.swift" $API_PORT \
  >"$WORK/api.log" 2>&1 &
API_PID=$!
wait_http "http://127.0.0.1:$API_PORT/version" || setup_failure "the fake API server did not start"

API="http://127.0.0.1:$API_PORT"
{
  echo "global: {scrape_interval: 1m}"
  echo "scrape_configs:"
  for role in node pod service endpoints endpointslice ingress; do
    echo "  - job_name: $role"
    echo "    kubernetes_sd_configs: [{role: $role, api_server: '$API'}]"
  done
  cat <<YAML
  - job_name: pod-with-node
    kubernetes_sd_configs: [{role: pod, api_server: '$API', attach_metadata: {node: true}}]
  - job_name: kubernetes-pods
    kubernetes_sd_configs: [{role: pod, api_server: '$API'}]
    relabel_configs:
      - {source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_scrape], action: keep, regex: true}
      - {source_labels: [__meta_kubernetes_pod_annotation_prometheus_io_path], action: replace, target_label: __metrics_path__, regex: (.+)}
      - source_labels: [__address__, __meta_kubernetes_pod_annotation_prometheus_io_port]
        action: replace
        regex: ([^:]+)(?::\d+)?;(\d+)
        replacement: \$1:\$2
        target_label: __address__
      - {action: labelmap, regex: __meta_kubernetes_pod_label_(.+)}
      - {source_labels: [__meta_kubernetes_namespace], target_label: namespace}
      - {source_labels: [__meta_kubernetes_pod_name], target_label: pod}
YAML
} >"$WORK/prometheus.yml"

"$VIGIL" server --config "$WORK/prometheus.yml" --data-dir "$WORK/vigil" --listen 127.0.0.1:$VIGIL_PORT >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" || setup_failure "vigil did not start"

# Debian builds Prometheus without Kubernetes SD (the client-go dependency is stripped): its
# 2.42 rejects kubernetes_sd_configs as an unknown field. Then only Vigil's side is checked, and
# the comparison is reported as skipped; set KUBERNETES_SD_PROMETHEUS to a full upstream build
# to compare.
PROMETHEUS=${KUBERNETES_SD_PROMETHEUS:-prometheus}
PROMTOOL=$(dirname "$(command -v "$PROMETHEUS")")/promtool
check_output=$("$PROMTOOL" check config "$WORK/prometheus.yml" 2>&1 || true)
if grep -q "field kubernetes_sd_configs not found" <<<"$check_output"; then
  echo "SKIP comparison with Prometheus: $PROMETHEUS was built without Kubernetes SD"
  PROM_PORT=
else
  "$PROMETHEUS" --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
    --web.listen-address=127.0.0.1:$PROM_PORT >"$WORK/prom.log" 2>&1 &
  PROM_PID=$!
  wait_http "http://127.0.0.1:$PROM_PORT/-/ready" || setup_failure "prometheus did not start"
fi

# Ingress targets have no port: both servers add the scheme's default; scrape URLs stay comparable.
targets() {
  curl -fsS "http://127.0.0.1:$1/api/v1/targets" | jq -S -c '
    [.data.activeTargets[] | {scrapePool, scrapeUrl, discoveredLabels, labels}] | sort_by(.scrapePool, .scrapeUrl, (.discoveredLabels | tostring)) | .[]'
}
dropped() {
  curl -fsS "http://127.0.0.1:$1/api/v1/targets?state=dropped" | jq -S -c '[.data.droppedTargets[].discoveredLabels] | sort_by(tostring) | .[]'
}
wait_targets() {
  local i p v
  for ((i = 0; i < 90; i++)); do
    v=$(targets $VIGIL_PORT | wc -l)
    p=$v
    [ -z "$PROM_PORT" ] || p=$(targets $PROM_PORT | wc -l)
    if [ "$v" -gt 0 ] && [ "$p" = "$v" ]; then sleep 6; return 0; fi
    sleep 1
  done
  return 1
}
wait_targets || echo "targets did not settle"
if [ -n "$PROM_PORT" ]; then
  for pool in node pod pod-with-node service endpoints endpointslice ingress kubernetes-pods; do
    check "active $pool targets" "$(targets $PROM_PORT | jq -c "select(.scrapePool == \"$pool\")")" \
      "$(targets $VIGIL_PORT | jq -c "select(.scrapePool == \"$pool\")")"
  done
  check "dropped targets" "$(dropped $PROM_PORT)" "$(dropped $VIGIL_PORT)"
fi
# What the Swift tests pin, through the real binary: targets per pool.
count() { targets $VIGIL_PORT | jq -r .scrapePool | grep -cx "$1"; }
check "vigil: node targets" 1 "$(count node)"
# web's two ports, its sidecar and init container (both plain 10.244.1.7, one target once the
# default port is added, as Prometheus keeps one target per label set), and db-0.
check "vigil: pod targets" 4 "$(count pod)"
check "vigil: service targets" 1 "$(count service)"
check "vigil: endpoints targets" 2 "$(count endpoints)"
check "vigil: endpointslice targets" 2 "$(count endpointslice)"
# Three paths, but shop.example.com's two share one label set until relabeling uses the path.
check "vigil: ingress targets" 2 "$(count ingress)"
check "vigil: node labels attached" 4 "$(targets $VIGIL_PORT | jq -c 'select(.scrapePool == "pod-with-node") | .discoveredLabels.__meta_kubernetes_node_label_kubernetes_io_os' | grep -c linux)"
check "the annotated pod is scraped at its annotated port and path" 1 \
  "$(targets $VIGIL_PORT | grep -c '"scrapeUrl":"http://10.244.1.7:8080/metrics/app"')"

echo "kubernetes-sd: $passed passed, $failed failed"
[ "$failed" = 0 ]
