#!/usr/bin/env bash
# The event watcher's InfluxDB sink against Debian's InfluxDB (1.6 in Debian 12).
#
# influxd runs on loopback with a temporary directory; compat/kubernetes_fake_api.py plays the
# API server; `vigil server` watches its events with kubernetes_events.sinks pointing at
# influxdb:http://127.0.0.1:PORT?db=k8s&level=Normal. The script writes events (new ones, then a
# count bump of each, which must not notify a second time, then more new ones), queries InfluxDB's
# HTTP API and compares the stored points (tags, message, count, time) with what it wrote.
# Prints "kubernetes-events-influxdb: N passed, M failed"; skips (exit 0) with a message only when
# the influxdb package cannot be installed.
source "$(dirname "$0")/lib/common.bash"
ensure_packages curl jq python3
if ! dpkg -s influxdb >/dev/null 2>&1; then
  ensure_packages influxdb || true
fi
INFLUXD=$(command -v influxd || true)
if [ -z "$INFLUXD" ]; then
  echo "kubernetes-events-influxdb: SKIPPED: the influxdb package cannot be installed here"
  exit 0
fi

ROOT=$(cd "$(dirname "$0")/.." && pwd)
API_PORT=19840
VIGIL_PORT=19841
INFLUX_PORT=19842
INFLUX_RPC_PORT=19843
WORK=$(mktemp -d -t kubernetes-events-influxdb.XXXXXX)
VIGIL_PID= INFLUX_PID= API_PID=
passed=0 failed=0
cleanup() {
  for pid in $VIGIL_PID $INFLUX_PID $API_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -n "${KEEP_WORK:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT
setup_failure() {
  echo "kubernetes-events-influxdb: setup failed: $*" >&2
  for log in "$WORK"/*.log; do echo "--- $log" >&2; tail -n 20 "$log" >&2; done
  exit 1
}
check() {
  local name=$1 expected=$2 actual=$3
  if [ "$expected" == "$actual" ]; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; diff <(echo "$expected") <(echo "$actual") | head -40 || true; failed=$((failed + 1))
  fi
}
VIGIL=${KUBERNETES_EVENTS_VIGIL:-$(vigil_binary)}

# influxd 1.x: every listener on loopback, data under the work directory, no reporting home.
mkdir -p "$WORK/influx"
cat >"$WORK/influxdb.conf" <<TOML
reporting-disabled = true
bind-address = "127.0.0.1:$INFLUX_RPC_PORT"
[meta]
  dir = "$WORK/influx/meta"
[data]
  dir = "$WORK/influx/data"
  wal-dir = "$WORK/influx/wal"
[http]
  enabled = true
  bind-address = "127.0.0.1:$INFLUX_PORT"
  log-enabled = false
[monitor]
  store-enabled = false
TOML
"$INFLUXD" -config "$WORK/influxdb.conf" >"$WORK/influxd.log" 2>&1 &
INFLUX_PID=$!
INFLUX="http://127.0.0.1:$INFLUX_PORT"
for _ in $(seq 1 100); do
  curl -fsS -o /dev/null "$INFLUX/ping" 2>/dev/null && break
  sleep 0.2
done
curl -fsS -o /dev/null "$INFLUX/ping" || setup_failure "influxd did not start"
curl -fsS -XPOST "$INFLUX/query" --data-urlencode "q=CREATE DATABASE k8s" >/dev/null || setup_failure "cannot create the database"

python3 "$ROOT/compat/kubernetes_fake_api.py" "$ROOT/Sources/VigilTestSupport/Kubernetes/KubernetesFixtures.swift" $API_PORT \
  >"$WORK/api.log" 2>&1 &
API_PID=$!
wait_http "http://127.0.0.1:$API_PORT/version" || setup_failure "the fake API server did not start"
API="http://127.0.0.1:$API_PORT"

cat >"$WORK/prometheus.yml" <<YAML
global: {scrape_interval: 1m}
kubernetes_events:
  api_server: '$API'
  sinks:
    - influxdb:$INFLUX?db=k8s&level=Normal
  store: {enabled: false}
YAML

# One core/v1 Event as the API returns it: name, object, reason, type, count, lastTimestamp.
event() {
  local name=$1 object=$2 reason=$3 type=$4 count=$5 last=$6 message=$7
  jq -cn --arg name "$name" --arg object "$object" --arg reason "$reason" --arg type "$type" \
    --argjson count "$count" --arg last "$last" --arg message "$message" '{
      kind: "Event", apiVersion: "v1",
      metadata: {name: $name, namespace: "shop", uid: ("uid-" + $name)},
      involvedObject: {kind: "Pod", namespace: "shop", name: $object, apiVersion: "v1"},
      reason: $reason, message: $message, type: $type, count: $count,
      source: {component: "kubelet", host: "node-a"},
      firstTimestamp: "2026-11-27T17:00:00Z", lastTimestamp: $last}'
}
apply() { curl -fsS -XPOST "$API/_fake/apply" -H 'Content-Type: application/json' --data-binary "$1" >/dev/null; }

# Before vigil starts: history the watcher must not notify (it predates the subscription).
apply "$(event old.1 web-old BackOff Warning 3 2026-11-27T16:00:00Z 'old news')"

"$VIGIL" server --config "$WORK/prometheus.yml" --data-dir "$WORK/vigil" --listen 127.0.0.1:$VIGIL_PORT --no-collectors \
  >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" || setup_failure "vigil did not start"
# The watcher is subscribed once its events watch is open.
for _ in $(seq 1 150); do
  [ "$(curl -fsS "$API/_fake/watches" 2>/dev/null)" -ge 1 ] 2>/dev/null && break
  sleep 0.2
done
[ "$(curl -fsS "$API/_fake/watches")" -ge 1 ] || setup_failure "vigil did not watch events"

NOW=$(date -u +%Y-%m-%dT%H:%M:%SZ)
expected=""
for i in 1 2 3 4 5; do
  last=$(date -u -d "$NOW + $i seconds" +%Y-%m-%dT%H:%M:%SZ)
  type=Normal; [ $((i % 2)) -eq 0 ] && type=Warning
  message="Back-off restarting failed container app-$i, \"quoted\" = yes"
  apply "$(event "web.$i" "web-$i" BackOff "$type" 1 "$last" "$message")"
  expected+="$(date -u -d "$last" +%s)|$(jq -cn --arg m "$message" '$m')|1|Pod|shop|web-$i|BackOff|$type"$'\n'
done
# A count bump of each: aggregated, not a second point.
for i in 1 2 3 4 5; do
  last=$(date -u -d "$NOW + $((i + 30)) seconds" +%Y-%m-%dT%H:%M:%SZ)
  type=Normal; [ $((i % 2)) -eq 0 ] && type=Warning
  apply "$(event "web.$i" "web-$i" BackOff "$type" 4 "$last" "Back-off restarting failed container app-$i, \"quoted\" = yes")"
done
last=$(date -u -d "$NOW + 60 seconds" +%Y-%m-%dT%H:%M:%SZ)
apply "$(event db.1 db-0 Unhealthy Warning 1 "$last" 'Readiness probe failed: connection refused')"
expected+="$(date -u -d "$last" +%s)|\"Readiness probe failed: connection refused\"|1|Pod|shop|db-0|Unhealthy|Warning"$'\n'
expected=$(printf '%s' "$expected" | sort)

query() {
  curl -fsS -G "$INFLUX/query" --data-urlencode "db=k8s" --data-urlencode "epoch=s" --data-urlencode "q=$1"
}
points() {
  query 'SELECT "message","count","kind","namespace","object","reason","type" FROM "kubernetes_events"' |
    jq -r '.results[0].series[0].values // [] | .[] | "\(.[0])|\(.[1] | tojson)|\(.[2])|\(.[3])|\(.[4])|\(.[5])|\(.[6])|\(.[7])"' | sort
}
for _ in $(seq 1 150); do
  [ "$(points | wc -l)" -ge 6 ] && break
  sleep 0.2
done
# Give a wrongly repeated notification time to arrive before comparing.
sleep 2
actual=$(points)
check "each event is one point with its tags, message, count and time" "$expected" "$actual"
check "the bumps did not notify again" "6" "$(points | wc -l | tr -d ' ')"
check "the old event was not notified" "" "$(points | grep web-old || true)"
counted=$(curl -fsS "http://127.0.0.1:$VIGIL_PORT/metrics" |
  grep '^vigil_kubernetes_events_total{' | grep 'reason="BackOff"' | awk '{s += $NF} END {print s + 0}')
# 5 events seen at count 1, then bumped to 4: 20 occurrences (the old one is not counted).
check "the bumps are counted as occurrences" "20" "$counted"
sent=$(curl -fsS "http://127.0.0.1:$VIGIL_PORT/metrics" |
  grep '^vigil_kubernetes_event_notifications_sent_total{sink="influxdb"}' | awk '{print $NF}')
check "the sink reports six notifications sent" "6" "$sent"

echo "kubernetes-events-influxdb: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
