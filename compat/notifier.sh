#!/usr/bin/env bash
# Notifier: Vigil beside Prometheus 2.42 (Debian's package), each sending the alerts of the same
# rule file (compat/notifier/rules.yml) to its own Alertmanager stand-in (compat/notifier/capture.py)
# with the same external labels, external URL, path_prefix, alert_relabel_configs and resend delay.
# The rules fire on the clock in the second half of every 30-second cycle, and both servers
# evaluate a group at the same instants, so for one full cycle the two must post the same alerts:
# labels after external labels and relabeling, templated annotations, startsAt, endsAt (valid-until
# while firing, the resolution time once resolved), generatorURL; to the same path; and
# /api/v1/alertmanagers must agree.
# Prints "notifier: N passed, M failed"; exits non-zero on a failed check or a setup failure.
# NOTIFIER_VIGIL=/path/to/vigil tests a given binary; NOTIFIER_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3

HERE="$COMPAT_ROOT/compat/notifier"
PROM_AM_PORT=19730
VIGIL_AM_PORT=19731
VIGIL_PORT=19732
PROM_PORT=19733
VIGIL=${NOTIFIER_VIGIL:-$(vigil_binary)}
WORK=$(mktemp -d -t notifier.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${NOTIFIER_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "notifier: setup failed: $*" >&2
  exit 1
}
for port in $PROM_AM_PORT $VIGIL_AM_PORT $VIGIL_PORT $PROM_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "port $port is in use"; fi
done

cp "$HERE/rules.yml" "$WORK/rules.yml"
config() {
  cat <<YAML
global:
  evaluation_interval: 2s
  external_labels:
    cluster: compat
    region: eu
rule_files:
  - $WORK/rules.yml
alerting:
  alert_relabel_configs:
    - source_labels: [severity]
      regex: none
      action: drop
    - source_labels: [instance]
      regex: '([^:]+):.*'
      target_label: host
  alertmanagers:
    - path_prefix: /am/
      static_configs:
        - targets: ['127.0.0.1:$1', '127.0.0.1:1']
      relabel_configs:
        - source_labels: [__address__]
          regex: '.*:1'
          action: drop
YAML
}
config $PROM_AM_PORT >"$WORK/prometheus.yml"
config $VIGIL_AM_PORT >"$WORK/vigil.yml"

python3 "$HERE/capture.py" $PROM_AM_PORT "$WORK/prometheus.jsonl" >"$WORK/capture-prometheus.log" 2>&1 &
PIDS+=($!)
python3 "$HERE/capture.py" $VIGIL_AM_PORT "$WORK/vigil.jsonl" >"$WORK/capture-vigil.log" 2>&1 &
PIDS+=($!)
"$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" \
  --web.external-url http://alerts.example:9090/prom --rules.alert.resend-delay 4s \
  --log.level warn >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --web.external-url=http://alerts.example:9090/prom \
  --web.route-prefix=/ --rules.alert.resend-delay=4s --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "vigil not ready"; }
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "prometheus not ready"; }
touch "$WORK/prometheus.jsonl" "$WORK/vigil.jsonl"

# The first cycle that starts after both servers are up (with a margin for their first evaluation),
# then until its alerts have fired, been resent and resolved.
now=$(date +%s)
window_start=$(( (now + 5 - 15 + 29) / 30 * 30 + 15 ))
deadline=$(( window_start + 24 ))
echo "== waiting for the firing window [$window_start, $((window_start + 15))) and its resolution (until $deadline)"
sleep $(( deadline - now + 3 ))

python3 "$HERE/compare.py" --prometheus-capture "$WORK/prometheus.jsonl" --vigil-capture "$WORK/vigil.jsonl" \
  --prometheus "http://127.0.0.1:$PROM_PORT" --vigil "http://127.0.0.1:$VIGIL_PORT" \
  --window-start "$window_start" --deadline "$deadline"
