#!/usr/bin/env bash
# Log shipping throughput beside Debian's rsyslog, on the same file, in one run (issue #10's
# targets; figures in docs/PERFORMANCE.md). A file of LOGS_THROUGHPUT_LINES (default 1,000,000)
# JSON lines of about 200 bytes is shipped, read from its head:
#   - by `vigil logs ship` (release build), twice: file input → `json` parser → loki output (JSON
#     body) to a discarding HTTP sink; first as Promtail's usual JSON pipeline (`level` a label,
#     `ts` the time, the line as written), then with every field also sent as structured metadata;
#   - by rsyslogd: imfile → omfwd over TCP to a discarding TCP sink (no parsing).
# Each run ends when its sink has counted every line. Reported per shipper: wall time, CPU
# seconds (utime+stime from /proc), MB/s of line bytes per CPU second and per wall second, peak
# RSS; then the ratios. Times are reported, never asserted; the script fails only when a shipper
# does not deliver every line. LOGS_THROUGHPUT_VIGIL names a prebuilt binary.
source "$(dirname "$0")/lib/common.bash"
ensure_packages rsyslog python3 curl

HTTP_PORT=19890
TCP_PORT=19891
LINES=${LOGS_THROUGHPUT_LINES:-1000000}
WORK=$(mktemp -d -t logs-throughput.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

VIGIL=$(vigil_release_binary "${LOGS_THROUGHPUT_VIGIL:-}" "$WORK/build.log") || exit 1
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)

python3 - "$WORK/app.log" "$LINES" <<'PY'
import random, sys
path, count = sys.argv[1], int(sys.argv[2])
rng = random.Random(7)
levels = ["info", "info", "info", "warn", "error", "debug"]
services = ["checkout", "cart", "payments", "search", "auth"]
with open(path, "w") as out:
    for seq in range(count):
        out.write('{"ts":"2026-11-27T12:%02d:%02d.%03dZ","level":"%s","service":"%s","seq":%d,"msg":"request completed for user session","path":"/api/v1/items/%d","status":%d,"ms":%d,"trace":"%016x"}\n' % (
            seq // 60000 % 60, seq // 1000 % 60, seq % 1000, rng.choice(levels), rng.choice(services), seq,
            rng.randrange(100000), rng.choice([200, 200, 200, 201, 404, 500]), rng.randrange(2000), rng.getrandbits(64)))
PY
BYTES=$(stat -c %s "$WORK/app.log")
echo "file: $LINES lines, $BYTES bytes ($((BYTES / LINES)) per line with its newline)"

python3 "$(dirname "$0")/logs_throughput_sinks.py" $HTTP_PORT $TCP_PORT >"$WORK/sinks.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$HTTP_PORT/count" 30 || { echo "logs-throughput: the sinks did not start" >&2; exit 1; }

# Waits until the sink's count (field $1 of /count) reaches $3 (default LINES); at most $2 seconds.
wait_count() {
  local field=$1 limit=$2 until=${3:-$LINES} i
  for ((i = 0; i < limit * 10; i++)); do
    local got
    got=$(curl -fsS "http://127.0.0.1:$HTTP_PORT/count" | cut -d' ' -f"$field")
    [ "${got:-0}" -ge "$until" ] && return 0
    sleep 0.1
  done
  echo "only ${got:-0} of $until lines arrived" >&2
  return 1
}

# "cpu_seconds peak_rss_kib" of a running process.
usage() {
  local pid=$1 ticks
  ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
  echo "$(awk -v t="$ticks" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.3f", t / hz}') $(awk '/VmHWM/ {print $2}' "/proc/$pid/status")"
}

# Ships the file with vigil: $1 names the run, $2 is the json parser step, $3 the HTTP sink's count
# to wait for. Sets vigil_wall, vigil_cpu and vigil_rss, or status=1.
ship_vigil() {
  local name=$1 processor=$2 until=$3 start end pid
  cat >"$WORK/$name.yml" <<YAML
logs:
  inputs:
    - type: file
      name: app
      paths: [$WORK/app.log]
      read_from_head: true
      processors: [$processor]
  outputs:
    - type: loki
      url: http://127.0.0.1:$HTTP_PORT/loki/api/v1/push
      encoding: json
      batch_size: 1MiB
      batch_wait: 100ms
YAML
  start=$(date +%s.%N)
  "$VIGIL" logs ship --config "$WORK/$name.yml" --data-dir "$WORK/$name-data" >"$WORK/$name.log" 2>&1 &
  pid=$!
  PIDS+=($pid)
  if wait_count 1 600 "$until"; then
    end=$(date +%s.%N)
    read -r vigil_cpu vigil_rss <<<"$(usage $pid)"
    vigil_wall=$(awk -v a="$end" -v b="$start" 'BEGIN {print a - b}')
  else
    status=1
    tail -20 "$WORK/$name.log" >&2
  fi
  kill $pid 2>/dev/null; wait $pid 2>/dev/null || true
}

status=0
# Promtail's usual JSON pipeline: the line shipped as written, `level` a label, `ts` its time.
ship_vigil vigil-labels '{type: json, target: none, labels: [level], timestamp: {field: ts, format: rfc3339}}' "$LINES"
read -r labels_wall labels_cpu labels_rss <<<"$vigil_wall $vigil_cpu $vigil_rss"
# Every field also sent beside the line as Loki structured metadata (about twice the bytes out).
ship_vigil vigil-metadata '{type: json}' $((2 * LINES))
read -r meta_wall meta_cpu meta_rss <<<"$vigil_wall $vigil_cpu $vigil_rss"

mkdir -p "$WORK/rsyslog"
cat >"$WORK/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog" maxMessageSize="64k")
module(load="imfile")
template(name="line" type="string" string="%msg%\n")
input(type="imfile" File="$WORK/app.log" Tag="app" freshStartTail="off" ruleset="forward")
ruleset(name="forward") {
  action(type="omfwd" target="127.0.0.1" port="$TCP_PORT" protocol="tcp" template="line"
         queue.type="LinkedList" queue.size="100000" action.resumeRetryCount="-1")
}
CONF
start=$(date +%s.%N)
"$RSYSLOGD" -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >"$WORK/rsyslog.log" 2>&1 &
RSYSLOG_PID=$!
PIDS+=($RSYSLOG_PID)
if wait_count 2 600; then
  end=$(date +%s.%N)
  read -r rsyslog_cpu rsyslog_rss <<<"$(usage $RSYSLOG_PID)"
  rsyslog_wall=$(awk -v a="$end" -v b="$start" 'BEGIN {print a - b}')
else
  status=1
  tail -20 "$WORK/rsyslog.log" >&2
fi
kill $RSYSLOG_PID 2>/dev/null; wait $RSYSLOG_PID 2>/dev/null

if [ "$status" = 0 ]; then
  report() {
    awk -v name="$1" -v wall="$2" -v cpu="$3" -v rss="$4" -v bytes="$BYTES" 'BEGIN {
      printf "%-28s wall %6.2f s  cpu %6.2f s  %7.1f MB/s per CPU second  %7.1f MB/s wall  peak RSS %6.1f MiB\n",
        name, wall, cpu, bytes / 1e6 / cpu, bytes / 1e6 / wall, rss / 1024 }'
  }
  report "vigil (json: label, time)" "$labels_wall" "$labels_cpu" "$labels_rss"
  report "vigil (json: + metadata)" "$meta_wall" "$meta_cpu" "$meta_rss"
  report "rsyslog (imfile, omfwd)" "$rsyslog_wall" "$rsyslog_cpu" "$rsyslog_rss"
  for run in "label, time:$labels_wall:$labels_cpu" "+ metadata:$meta_wall:$meta_cpu"; do
    IFS=: read -r name vw vc <<<"$run"
    awk -v name="$name" -v vw="$vw" -v vc="$vc" -v rw="$rsyslog_wall" -v rc="$rsyslog_cpu" 'BEGIN {
      printf "vigil (%s) / rsyslog: %.2fx the throughput (wall), %.2fx the CPU\n", name, rw / vw, vc / rc }'
  done
  echo "logs-throughput: ok ($LINES lines delivered by both)"
else
  echo "logs-throughput: FAILED (a shipper did not deliver every line)"
fi
exit $status
