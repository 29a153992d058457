#!/usr/bin/env bash
# Head memory per series of vigil binaries (and Prometheus), on the same remote-written load.
#
#   bash Benchmarks/head-memory.sh SERIES HOURS INTERVAL_MS SERVER...
#   bash Benchmarks/head-memory.sh 200000 1 60000 /tmp/vigil-before .build/release/vigil prometheus
#
# A SERVER is a vigil binary, or `prometheus` for Prometheus (Debian's package; remote-write
# receiver on, no scrape jobs). For each, one after the other: start it on an empty data
# directory and read its RSS when ready (idle); send SERIES node_exporter-like series over HOURS
# at INTERVAL_MS with Benchmarks' RemoteWriteLoad and read the RSS again (loaded); SIGKILL it,
# start it again on the same directory and read the RSS once ready (restarted). Prints the RSS
# above idle per series for both. Name every server in one invocation: the load ends "now", so
# chunk boundaries (and the figures) move between invocations. Prometheus's RSS holds Go heap
# not yet collected, so its figures move more between runs.
set -euo pipefail

if [ $# -lt 4 ]; then
  sed -n '2,14p' "$0" >&2
  exit 2
fi
SERIES=$1 HOURS=$2 INTERVAL_MS=$3
shift 3
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
echo "building Benchmarks' RemoteWriteLoad (release)" >&2
(cd "$ROOT/Benchmarks" && swift build -c release --product RemoteWriteLoad >/dev/null)
LOADER="$(cd "$ROOT/Benchmarks" && swift build -c release --show-bin-path)/RemoteWriteLoad"
WORK="$(mktemp -d)"
PID=""
cleanup() {
  if [ -n "$PID" ]; then kill -9 "$PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
PORT=$((20000 + RANDOM % 20000))
printf 'global:\n  scrape_interval: 15s\n' >"$WORK/vigil.yml"
echo "scrape_configs: []" >"$WORK/prometheus.yml"
END_MS=$(( $(date +%s) * 1000 / INTERVAL_MS * INTERVAL_MS ))

rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
start() {
  if [ "$1" = prometheus ]; then
    prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/data" \
      --web.listen-address="127.0.0.1:$PORT" --web.enable-remote-write-receiver >>"$WORK/vigil.log" 2>&1 &
  else
    "$1" server --config "$WORK/vigil.yml" --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" >>"$WORK/vigil.log" 2>&1 &
  fi
  PID=$!
  for _ in $(seq 3000); do
    curl -sf "http://127.0.0.1:$PORT/-/ready" >/dev/null && return 0
    kill -0 "$PID" 2>/dev/null || { tail -20 "$WORK/vigil.log" >&2; exit 1; }
    sleep 0.2
  done
  echo "$1 did not become ready" >&2
  exit 1
}

printf '%-40s %10s %14s %17s\n' binary idle_MiB loaded_B/series restarted_B/series
for SERVER in "$@"; do
  rm -rf "$WORK/data"
  start "$SERVER"
  idle=$(rss_kb "$PID")
  "$LOADER" --series "$SERIES" --hours "$HOURS" --interval-ms "$INTERVAL_MS" --end-ms "$END_MS" \
    "http://127.0.0.1:$PORT/api/v1/write" >"$WORK/load.log" 2>&1 || { tail -20 "$WORK/load.log" >&2; exit 1; }
  sleep 3
  loaded=$(rss_kb "$PID")
  kill -9 "$PID"
  wait "$PID" 2>/dev/null || true
  start "$SERVER"
  sleep 2
  restarted=$(rss_kb "$PID")
  kill "$PID"
  wait "$PID" 2>/dev/null || true
  PID=""
  printf '%-40s %10d %14d %17d\n' "$SERVER" $((idle / 1024)) $(((loaded - idle) * 1024 / SERIES)) $(((restarted - idle) * 1024 / SERIES))
done
