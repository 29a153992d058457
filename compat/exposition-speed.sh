#!/usr/bin/env bash
# Exposition parsing speed, Vigil beside Prometheus 2.42 (Debian's package), on one 10,000-series
# node_exporter-like payload. Prints figures and ratios; asserts nothing about time.
#
# Two views of the peer, because Prometheus has no parse-only command:
#  1. `promtool check metrics` vs `vigil check metrics` on the same file: whole-process wall time
#     of the two CLIs (release builds), best of 5.
#  2. Prometheus's own scrape_duration_seconds for that payload served over loopback (HTTP +
#     parse + append into its head), next to Vigil's in-process parse figure from Benchmarks/.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3 jq

WORK=$(mktemp -d)
PROM_PORT=19592
HTTP_PORT=19593
cleanup() {
  [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null || true
  [ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

(cd "$COMPAT_ROOT" && swift build -c release --product vigil >/dev/null)
VIGIL="$(cd "$COMPAT_ROOT" && swift build -c release --show-bin-path)/vigil"
python3 "$COMPAT_ROOT/compat/gen_node_payload.py" 10000 >"$WORK/node.txt"
bytes=$(wc -c <"$WORK/node.txt")

best_ms() {
  local best=999999 start end elapsed
  for _ in 1 2 3 4 5; do
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "command failed: $*" >&2; return 1; }
    end=$(date +%s%N)
    elapsed=$(((end - start) / 1000000))
    ((elapsed < best)) && best=$elapsed
  done
  echo "$best"
}
vigil_ms=$(best_ms "$VIGIL" check metrics "$WORK/node.txt")
promtool_ms=$(best_ms sh -c "promtool check metrics < '$WORK/node.txt'")
echo "payload: 10000 series, $bytes bytes"
echo "check metrics, whole process, best of 5: vigil ${vigil_ms} ms, promtool ${promtool_ms} ms" \
  "(promtool/vigil = $(python3 -c "print(round($promtool_ms / max($vigil_ms, 1), 2))"))"

mkdir -p "$WORK/serve" && cp "$WORK/node.txt" "$WORK/serve/node.txt"
python3 "$COMPAT_ROOT/compat/exposition_server.py" "$WORK/serve" "$HTTP_PORT" &
HTTP_PID=$!
cat >"$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: node
    metrics_path: /node.txt
    static_configs: [{targets: ['127.0.0.1:$HTTP_PORT']}]
YAML
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60
sleep 12
scrape=$(curl -fsS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" \
  --data-urlencode 'query=min_over_time(scrape_duration_seconds{job="node"}[10s])' | jq -r '.data.result[0].value[1]')
echo "prometheus scrape_duration_seconds (best over 10s, HTTP + parse + append): ${scrape}s" \
  "= $(python3 -c "print(round($bytes / 1e6 / $scrape, 1))") MB/s"
echo "vigil in-process parse: see docs/PERFORMANCE.md (Benchmarks/, swift run -c release VigilBenchmarks)"
