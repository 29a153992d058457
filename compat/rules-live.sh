#!/usr/bin/env bash
# Rules: Vigil beside Prometheus 2.42 (Debian's package) on the same rule files and the same data.
#
#   check   `vigil check rules` and `promtool check rules` on compat/rules-live/rules.yml and on every
#           broken file in compat/rules-live/bad/: same exit status, the same "SUCCESS: N rules found"
#           line, and where promtool names a line, Vigil's error names the same file and line.
#   live    both servers scrape one exporter of constant values (compat/rules-live/exporter.py) every
#           second and evaluate compat/rules-live/rules.yml every second. After the `for` durations
#           have passed, /api/v1/rules, /api/v1/rules?type=alert|record, /api/v1/alerts, the recorded
#           series and ALERTS / ALERTS_FOR_STATE must agree: group and rule fields, health, states,
#           labels and annotations after templating, alert values (Go's float formatting).
#           Timing fields (evaluationTime, lastEvaluation, activeAt) are checked for shape only.
# Prints "rules-live: N passed, M failed"; exits non-zero on a failed check or a setup failure.
# RULES_LIVE_VIGIL=/path/to/vigil tests a given binary; RULES_LIVE_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3

HERE="$COMPAT_ROOT/compat/rules-live"
EXPORTER_PORT=19720
VIGIL_PORT=19721
PROM_PORT=19722
VIGIL=${RULES_LIVE_VIGIL:-$(vigil_binary)}
WORK=$(mktemp -d -t rules-live.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${RULES_LIVE_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "rules-live: setup failed: $*" >&2
  exit 1
}
for port in $EXPORTER_PORT $VIGIL_PORT $PROM_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "port $port is in use"; fi
done

echo "== check: vigil check rules beside promtool check rules"
mkdir -p "$WORK/check"
cp "$HERE/rules.yml" "$HERE"/bad/*.yml "$WORK/check/"
(
  cd "$WORK/check"
  for file in *.yml; do
    set +e
    promtool check rules "$file" >"$file.promtool" 2>&1
    echo $? >"$file.promtool.status"
    "$VIGIL" check rules "$file" >"$file.vigil" 2>&1
    echo $? >"$file.vigil.status"
    set -e
  done
)

cp "$HERE/rules.yml" "$WORK/rules.yml"
cat >"$WORK/prometheus.yml" <<YAML
global:
  scrape_interval: 1s
  evaluation_interval: 1s
rule_files:
  - $WORK/rules.yml
scrape_configs:
  - job_name: facility
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
YAML

python3 "$HERE/exporter.py" $EXPORTER_PORT >"$WORK/exporter.log" 2>&1 &
PIDS+=($!)
"$VIGIL" server --config "$WORK/prometheus.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" \
  --log.level warn >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$EXPORTER_PORT/metrics" 20 || setup_failure "exporter did not start"
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "vigil not ready"; }
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "prometheus not ready"; }

python3 "$HERE/compare.py" --check-dir "$WORK/check" \
  --vigil "http://127.0.0.1:$VIGIL_PORT" --prometheus "http://127.0.0.1:$PROM_PORT"
