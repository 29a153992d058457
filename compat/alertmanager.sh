#!/usr/bin/env bash
# Alertmanager: Vigil's embedded Alertmanager beside Debian's prometheus-alertmanager (0.25), the
# same alertmanager.yml (compat/alertmanager/alertmanager.yml.in: nested routes, continue, regex
# and legacy matchers, group_by '...', inhibition, max_alerts, send_resolved) with each side's
# webhooks going to its own capture server (compat/notifier/capture.py).
#
#   1. amtool adds the same two silences to both (fixed start and end), then a batch of alerts
#      with fixed startsAt is posted to both at once (compat/alertmanager/post.py); 7 s later a
#      second batch resolves two of them.
#   2. Every receiver must get the same notifications in the same order: group key, status,
#      group/common labels and annotations, truncatedAlerts, and each alert's status, labels,
#      annotations, times, generatorURL and fingerprint (externalURL aside).
#   3. amtool drives both APIs: `alert query` (default, --silenced --inhibited, and a filter),
#      `silence query` and, after `silence expire`, `silence query --expired`, and
#      `config routes`; GET /api/v2/alerts/groups — all must agree (IDs and updatedAt aside).
# Prints "alertmanager: N passed, M failed"; exits non-zero on a failed check or a setup failure.
# ALERTMANAGER_VIGIL=/path/to/vigil tests a given binary; ALERTMANAGER_KEEP=1 keeps the work dir.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus-alertmanager curl python3

HERE="$COMPAT_ROOT/compat/alertmanager"
AM_PORT=19760
VIGIL_PORT=19761
AM_HOOK_PORT=19762
VIGIL_HOOK_PORT=19763
AM_CLUSTER_PORT=19764
VIGIL=${ALERTMANAGER_VIGIL:-$(vigil_binary)}
WORK=$(mktemp -d -t alertmanager.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${ALERTMANAGER_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "alertmanager: setup failed: $*" >&2
  exit 1
}
for port in $AM_PORT $VIGIL_PORT $AM_HOOK_PORT $VIGIL_HOOK_PORT $AM_CLUSTER_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "port $port is in use"; fi
done

sed "s#WEBHOOK#http://127.0.0.1:$AM_HOOK_PORT#" "$HERE/alertmanager.yml.in" >"$WORK/am.yml"
sed "s#WEBHOOK#http://127.0.0.1:$VIGIL_HOOK_PORT#" "$HERE/alertmanager.yml.in" >"$WORK/vigil-am.yml"
python3 "$COMPAT_ROOT/compat/notifier/capture.py" $AM_HOOK_PORT "$WORK/am.jsonl" >/dev/null 2>&1 &
PIDS+=($!)
python3 "$COMPAT_ROOT/compat/notifier/capture.py" $VIGIL_HOOK_PORT "$WORK/vigil.jsonl" >/dev/null 2>&1 &
PIDS+=($!)
prometheus-alertmanager --config.file="$WORK/am.yml" --storage.path="$WORK/am-data" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=warn >"$WORK/am.log" 2>&1 &
PIDS+=($!)
"$VIGIL" server --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" --alertmanager.config.file "$WORK/vigil-am.yml" \
  --log.level warn >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
AM=http://127.0.0.1:$AM_PORT
VG=http://127.0.0.1:$VIGIL_PORT
wait_http "$AM/-/ready" 60 || { tail -20 "$WORK/am.log" >&2; setup_failure "alertmanager not ready"; }
wait_http "$VG/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "vigil not ready"; }

amtool_both() { # name amtool-args... : output to $WORK/{am,vigil}-name
  local name=$1
  shift
  amtool --alertmanager.url="$AM" "$@" >"$WORK/am-$name" 2>"$WORK/am-$name.err" || echo "amtool $* failed on Alertmanager: $(cat "$WORK/am-$name.err")" >&2
  amtool --alertmanager.url="$VG" "$@" >"$WORK/vigil-$name" 2>"$WORK/vigil-$name.err" || echo "amtool $* failed on Vigil: $(cat "$WORK/vigil-$name.err")" >&2
}

base=$(date +%s)
start=$(date -u -d "@$base" +%Y-%m-%dT%H:%M:%SZ)
end=$(date -u -d "@$((base + 3600))" +%Y-%m-%dT%H:%M:%SZ)
amtool_both silence1 silence add alertname=Noise --start="$start" --end="$end" --author=compat --comment="noisy"
amtool_both silence2 silence add 'instance=~"e|z"' severity!=page --start="$start" --end="$end" --author=compat --comment="disk e"
amtool_both silence3 silence add alertname=Gone --start="$start" --end="$end" --author=compat --comment="to expire"

python3 "$HERE/post.py" first "$base" "$AM" "$VG"
sleep 7
python3 "$HERE/post.py" resolve "$base" "$AM" "$VG"
sleep 7

amtool_both alerts.json -o json alert query
amtool_both alerts-all.json -o json alert query --silenced --inhibited
amtool_both alerts-filtered.json -o json alert query --silenced --inhibited 'cluster=~"e.*"' severity!=page
amtool_both silences.json -o json silence query
amtool --alertmanager.url="$AM" silence expire "$(cat "$WORK/am-silence3")"
amtool --alertmanager.url="$VG" silence expire "$(cat "$WORK/vigil-silence3")"
amtool_both silences-expired.json -o json silence query --expired
amtool_both routes.txt config routes
curl -fsS "$AM/api/v2/alerts/groups" >"$WORK/am-groups.json"
curl -fsS "$VG/api/v2/alerts/groups" >"$WORK/vigil-groups.json"

python3 "$HERE/compare.py" "$WORK"
