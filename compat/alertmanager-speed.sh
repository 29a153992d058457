#!/usr/bin/env bash
# Alertmanager under load: ALERTMANAGER_SPEED_ALERTS (100,000) active alerts in 1,000 aggregation
# groups, Vigil's embedded Alertmanager beside Debian's prometheus-alertmanager (0.25), one after
# the other on the same machine (never both at once).
#
# Each server gets the same alertmanager.yml (group_by [alertname, cluster], group_wait 1s,
# group_interval 5s, one webhook receiver: compat/alertmanager-speed/sink.py, which counts). The
# alerts are posted in batches of 1,000 (compat/alertmanager-speed/load.py), then posted again
# with changed annotations (the resend a Prometheus does every minute); the script waits until the
# sink has seen a notification for every alert, then measures: CPU seconds (utime+stime) of the
# two posting rounds and of a 30 s idle window after them, RSS at the end, and the latency of
# GET /api/v2/alerts (all 100,000) and /api/v2/alerts/groups.
#   checks    correctness only: every alert listed by /api/v2/alerts, 1,000 groups, every alert
#             notified, the process alive
# Prints the figures with Vigil/Alertmanager ratios and "alertmanager-speed: N passed, M failed".
# ALERTMANAGER_SPEED_VIGIL=/path/to/vigil measures that binary (a release build) instead of
# building the work tree's release product; ALERTMANAGER_SPEED_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus-alertmanager curl jq python3

ALERTS=${ALERTMANAGER_SPEED_ALERTS:-100000}
HERE="$COMPAT_ROOT/compat/alertmanager-speed"
VIGIL_PORT=19780
AM_PORT=19781
SINK_PORT=19782
WORK=$(mktemp -d -t alertmanager-speed.XXXXXX)
SINK_PID= SERVER_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0
  for pid in $SERVER_PID $SINK_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $SERVER_PID $SINK_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${ALERTMANAGER_SPEED_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "alertmanager-speed: setup failed: $*" >&2
  exit 1
}
VIGIL=$(vigil_release_binary "${ALERTMANAGER_SPEED_VIGIL:-}" "$WORK/build.log") || setup_failure "swift build of vigil"
for port in $VIGIL_PORT $AM_PORT $SINK_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "port $port is in use"; fi
done
cat >"$WORK/alertmanager.yml" <<YAML
route:
  receiver: sink
  group_by: [alertname, cluster]
  group_wait: 1s
  group_interval: 5s
  repeat_interval: 4h
receivers:
  - name: sink
    webhook_configs:
      - url: http://127.0.0.1:$SINK_PORT/
YAML

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
seconds() { awk -v a="$1" -v b="$2" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }'; }
RESULTS=$WORK/results
: >"$RESULTS"
check() { if [ "$2" = "$3" ]; then echo "PASS $1 ($2)" | tee -a "$RESULTS"; else echo "FAIL $1: got $2, want $3" | tee -a "$RESULTS"; fi; }
latency() { curl -fsS -o /dev/null -w '%{time_total}' "$1"; }

declare -A POST_CPU POST_WALL IDLE_CPU RSS LIST_S GROUPS_S
measure() { # name url start-command...
  local name=$1 url=$2 c0 c1 c2 notified t0
  shift 2
  python3 "$HERE/sink.py" $SINK_PORT >"$WORK/sink-$name.log" 2>&1 &
  SINK_PID=$!
  "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  wait_http "$url/-/ready" 60 || { tail -20 "$WORK/$name.log" >&2; setup_failure "$name not ready"; }
  wait_http "http://127.0.0.1:$SINK_PORT/" 20 || setup_failure "sink not ready"
  c0=$(cpu_ticks "$SERVER_PID")
  POST_WALL[$name]=$(python3 "$HERE/load.py" "$url" "$ALERTS" 1)
  POST_WALL[$name]=$(awk -v a="${POST_WALL[$name]}" -v b="$(python3 "$HERE/load.py" "$url" "$ALERTS" 2)" 'BEGIN { printf "%.2f", a + b }')
  c1=$(cpu_ticks "$SERVER_PID")
  POST_CPU[$name]=$(seconds "$c0" "$c1")
  t0=$(date +%s)
  while :; do
    notified=$(curl -fsS "http://127.0.0.1:$SINK_PORT/" | awk '{ print $2 }')
    [ "${notified:-0}" -ge "$ALERTS" ] && break
    (($(date +%s) - t0 > 120)) && break
    sleep 1
  done
  check "$name: every alert notified (alerts in webhook payloads >= $ALERTS)" "$([ "${notified:-0}" -ge "$ALERTS" ] && echo yes || echo "no (${notified:-0})")" yes
  c1=$(cpu_ticks "$SERVER_PID")
  sleep 30
  c2=$(cpu_ticks "$SERVER_PID")
  IDLE_CPU[$name]=$(seconds "$c1" "$c2")
  LIST_S[$name]=$(latency "$url/api/v2/alerts")
  GROUPS_S[$name]=$(latency "$url/api/v2/alerts/groups")
  check "$name: /api/v2/alerts lists every alert" "$(curl -fsS "$url/api/v2/alerts" | jq length)" "$ALERTS"
  check "$name: /api/v2/alerts/groups has every group" "$(curl -fsS "$url/api/v2/alerts/groups" | jq length)" "$((ALERTS / 100))"
  RSS[$name]=$(rss_kb "$SERVER_PID")
  kill -0 "$SERVER_PID" 2>/dev/null || echo "FAIL $name: the process exited" | tee -a "$RESULTS"
  kill "$SERVER_PID" "$SINK_PID" 2>/dev/null || true
  wait "$SERVER_PID" "$SINK_PID" 2>/dev/null || true
  SERVER_PID= SINK_PID=
}

echo "== Vigil ($VIGIL)"
measure vigil "http://127.0.0.1:$VIGIL_PORT" \
  "$VIGIL" server --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" --alertmanager.config.file "$WORK/alertmanager.yml" --log.level warn
echo "== Alertmanager $(prometheus-alertmanager --version 2>&1 | head -1 | awk '{print $3}')"
measure alertmanager "http://127.0.0.1:$AM_PORT" \
  prometheus-alertmanager --config.file="$WORK/alertmanager.yml" --storage.path="$WORK/am" \
  --web.listen-address="127.0.0.1:$AM_PORT" --cluster.listen-address= --log.level=warn

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-52s %12s %12s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
echo
echo "$ALERTS alerts in $((ALERTS / 100)) groups, posted twice in batches of 1,000; $(nproc) cores"
printf '%-52s %12s %12s %8s\n' "" Vigil Alertmanager V/AM
row "CPU seconds to take both posting rounds" "${POST_CPU[vigil]}" "${POST_CPU[alertmanager]}"
row "wall seconds of both posting rounds (client side)" "${POST_WALL[vigil]}" "${POST_WALL[alertmanager]}"
row "CPU seconds in 30 s with every alert active" "${IDLE_CPU[vigil]}" "${IDLE_CPU[alertmanager]}"
row "GET /api/v2/alerts (all), seconds" "${LIST_S[vigil]}" "${LIST_S[alertmanager]}"
row "GET /api/v2/alerts/groups, seconds" "${GROUPS_S[vigil]}" "${GROUPS_S[alertmanager]}"
row "RSS at the end, MB" "$(awk -v k="${RSS[vigil]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$(awk -v k="${RSS[alertmanager]}" 'BEGIN { printf "%.1f", k / 1024 }')"
echo "(Vigil's RSS includes its metrics store and the rest of the server; ratios below 1 are Vigil cheaper)"

passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
echo
echo "alertmanager-speed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
