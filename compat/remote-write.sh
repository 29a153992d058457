#!/usr/bin/env bash
# Vigil's remote-write sender into Prometheus 2.42 and VictoriaMetrics (Debian's packages) at the
# same time, across a receiver outage.
#
# One Vigil server scrapes compat/remote-write/exporter.py (~200 deterministic series whose values
# change on every scrape: integer and float counters, full-precision gauges, huge/tiny/subnormal/
# -0/±Inf values, a histogram, an escaped UTF-8 label value) every 1 s, with external_labels set,
# and remote-writes to two destinations: Prometheus (--web.enable-remote-write-receiver, empty
# config; default queue_config) and VictoriaMetrics (/api/v1/write; max_samples_per_send 100,
# max_shards 4, max_backoff 1s). Both drop rw_dropped_* by write_relabel_configs. The run:
#   ~RW_WARMUP s (20) normal; then both receivers get SIGTERM and Vigil keeps scraping for
#   RW_OUTAGE s (60: "a minute"); both restart on their data directories, and each queue must send
#   its backlog (queue_highest_sent_timestamp_seconds reaches the time the receivers were ready
#   again: the queue is sent in order) within RW_DRAIN_TIMEOUT s; then the scrape job is removed
#   by POST /-/reload (staleness markers) and the queues must drain (samples_pending 0,
#   queue_highest_sent == highest_timestamp_in_seconds, samples_total still for 2 s).
# compat/remote-write/compare.py then compares, over the whole run, the raw samples Vigil stored
# ({job="rw"}[window]) with what each receiver holds (Prometheus: the same query; VictoriaMetrics:
# /api/v1/export): equal (labels, timestamp, value) sets after adding the external labels and
# leaving out the dropped series and staleness markers (both receivers store them; queries skip
# them, VictoriaMetrics' export shows them as null). Prometheus must match bit for bit;
# VictoriaMetrics stores values as decimals (12 significant digits below 1e6, 15 above; -0 -> 0;
# subnormals and some values near 1e-299 -> 0), which compare.py allows and counts. Also
# checked: no duplicates in VictoriaMetrics, every sample of one series timestamped in the outage
# arrived, samples_total = samples stored on each receiver + staleness markers,
# samples_failed_total == 0, samples_retried_total > 0 (the outage was seen),
# samples_dropped_total > 0, both drains finished, every process still runs.
# Figures (samples and bytes sent, bytes per sample, the largest backlog during the outage, time
# to drain after the restart) are printed, never asserted. Prints "remote-write: N passed, M
# failed"; exits non-zero on a failed check or a setup failure. Takes about 2 min.
#
# RW_VIGIL=/path/to/vigil tests that binary instead of the work tree's debug build;
# RW_WARMUP, RW_OUTAGE, RW_DRAIN_TIMEOUT (s); RW_KEEP=1 keeps the work directory;
# RW_VIGIL_RESTART=term|kill also restarts Vigil (SIGTERM or SIGKILL) halfway through the outage:
# the backlog must survive it (the samples_total checks are then left out: counters restart at 0,
# and each queue resumes from its own last acknowledged position).
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus victoria-metrics curl jq python3

HERE="$COMPAT_ROOT/compat/remote-write"
WARMUP=${RW_WARMUP:-20}
OUTAGE=${RW_OUTAGE:-60}
DRAIN_TIMEOUT=${RW_DRAIN_TIMEOUT:-60}
# The Prometheus destination keeps the default batch_send_deadline (5 s): it must have sent before the outage.
((WARMUP >= 8)) || { echo "RW_WARMUP must be at least 8 (s)" >&2; exit 1; }
VIGIL_RESTART=${RW_VIGIL_RESTART:-none}
case $VIGIL_RESTART in none | term | kill) ;; *) echo "RW_VIGIL_RESTART must be none, term or kill" >&2; exit 1 ;; esac
VIGIL_PORT=19670
EXPORTER_PORT=19671
PROM_PORT=19672
VM_PORT=19673
VIGIL_URL=http://127.0.0.1:$VIGIL_PORT
PROM_URL=http://127.0.0.1:$PROM_PORT
VM_URL=http://127.0.0.1:$VM_PORT
JOB=rw
EXTERNAL=vigil_replica=a,region=eu-test
DROP_REGEX='rw_dropped_.*'
REMOTES=(prometheus victoria)

WORK=$(mktemp -d -t remote-write.XXXXXX)
EXPORTER_PID= VIGIL_PID= PROM_PID= VM_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not in subshells
  for pid in $VIGIL_PID $PROM_PID $VM_PID $EXPORTER_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $VIGIL_PID $PROM_PID $VM_PID $EXPORTER_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${RW_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "remote-write: setup failed: $*" >&2
  exit 1
}

if [ -n "${RW_VIGIL:-}" ]; then
  VIGIL=$RW_VIGIL
else
  VIGIL=$(vigil_binary)
fi
[ -x "$VIGIL" ] || setup_failure "no vigil binary at $VIGIL"

for port in $VIGIL_PORT $EXPORTER_PORT $PROM_PORT $VM_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    setup_failure "port $port on 127.0.0.1 is already in use (this script needs 19670-19673)"
  fi
done

now_ms() { echo $(($(date +%s%N) / 1000000)); }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1000 }'; }

# $1 = 1: scrape the exporter; 0: no scrape job (the remote_write section is the same, so Vigil
# keeps its queues across the reload).
write_config() {
  local scrape='scrape_configs: []'
  if [ "$1" = 1 ]; then
    scrape="scrape_configs:
  - job_name: $JOB
    static_configs: [{targets: ['127.0.0.1:$EXPORTER_PORT']}]"
  fi
  cat >"$WORK/vigil.yml.tmp" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  external_labels: {vigil_replica: a, region: eu-test}
$scrape
remote_write:
  - url: $PROM_URL/api/v1/write
    name: prometheus
    write_relabel_configs:
      - {source_labels: [__name__], regex: '$DROP_REGEX', action: drop}
  - url: $VM_URL/api/v1/write
    name: victoria
    queue_config: {max_samples_per_send: 100, max_shards: 4, batch_send_deadline: 1s, max_backoff: 1s}
    write_relabel_configs:
      - {source_labels: [__name__], regex: '$DROP_REGEX', action: drop}
EOF
  mv "$WORK/vigil.yml.tmp" "$WORK/vigil.yml"
}

echo 'scrape_configs: []' >"$WORK/prometheus.yml"
start_prometheus() {
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
    --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver --log.level=warn \
    >>"$WORK/prometheus.log" 2>&1 &
  PROM_PID=$!
}
start_victoria() {
  victoria-metrics -storageDataPath="$WORK/victoria-metrics" -retentionPeriod=1y \
    -httpListenAddr="127.0.0.1:$VM_PORT" -search.disableCache -search.latencyOffset=0s \
    >>"$WORK/victoria-metrics.log" 2>&1 &
  VM_PID=$!
}
wait_receivers() {
  wait_http "$PROM_URL/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "Prometheus not ready"; }
  wait_http "$VM_URL/health" 60 || { tail -20 "$WORK/victoria-metrics.log" >&2; setup_failure "VictoriaMetrics not ready"; }
}

START_S=$(($(date +%s) - 2))
python3 "$HERE/exporter.py" $EXPORTER_PORT >"$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
start_prometheus
start_victoria
wait_http "http://127.0.0.1:$EXPORTER_PORT/metrics" 20 || { cat "$WORK/exporter.log" >&2; setup_failure "exporter did not start"; }
wait_receivers
write_config 1
start_vigil() {
  "$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" \
    >>"$WORK/vigil.log" 2>&1 &
  VIGIL_PID=$!
  wait_http "$VIGIL_URL/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "Vigil not ready"; }
}
start_vigil
echo "Vigil ($VIGIL) on $VIGIL_PORT scrapes 127.0.0.1:$EXPORTER_PORT every 1 s and writes to"
echo "  Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') on $PROM_PORT and VictoriaMetrics $(dpkg-query -W -f='${Version}' victoria-metrics) on $VM_PORT"

RESULTS=$WORK/results
: >"$RESULTS"
result() { # PASS|FAIL text
  echo "$1 $2" | tee -a "$RESULTS"
}

# Vigil's /metrics, fetched once per poll into METRICS.
METRICS=
fetch_metrics() { METRICS=$(curl -fsS "$VIGIL_URL/metrics" 2>/dev/null || true); }
# The value of metric $1 for remote_name $2 in METRICS ("missing" when absent).
rw_metric() {
  awk -v name="$1" -v remote="remote_name=\"$2\"" 'index($1, name "{") == 1 && index($1, remote) { print $2; found = 1; exit }
    END { if (!found) print "missing" }' <<<"$METRICS"
}
# Whether remote $1's queue is drained in METRICS: nothing pending and the highest sent timestamp
# equal to the highest one queued.
drained() {
  local pending appended sent
  pending=$(rw_metric prometheus_remote_storage_samples_pending "$1")
  appended=$(rw_metric prometheus_remote_storage_highest_timestamp_in_seconds "$1")
  sent=$(rw_metric prometheus_remote_storage_queue_highest_sent_timestamp_seconds "$1")
  [ "$pending" = 0 ] && [ "$appended" != missing ] && [ "$appended" = "$sent" ]
}
# Whether remote $1 has sent a sample timestamped at or after $2 (ms) in METRICS: the queue is
# read in order, so everything queued before that was sent.
caught_up() {
  local sent
  sent=$(rw_metric prometheus_remote_storage_queue_highest_sent_timestamp_seconds "$1")
  [ "$sent" != missing ] && awk -v s="$sent" -v t="$2" 'BEGIN { exit !(s * 1000 >= t) }'
}
# Waits until both queues have caught up with time $1 (ms), at most DRAIN_TIMEOUT s; sets
# CAUGHT_UP_MS[remote] (empty on timeout).
declare -A CAUGHT_UP_MS
wait_caught_up() {
  local deadline remote all
  deadline=$(($(now_ms) + DRAIN_TIMEOUT * 1000))
  for remote in "${REMOTES[@]}"; do CAUGHT_UP_MS[$remote]=; done
  while (($(now_ms) < deadline)); do
    fetch_metrics
    all=1
    for remote in "${REMOTES[@]}"; do
      if [ -z "${CAUGHT_UP_MS[$remote]}" ]; then
        if caught_up "$remote" "$1"; then CAUGHT_UP_MS[$remote]=$(now_ms); else all=0; fi
      fi
    done
    [ "$all" = 1 ] && return 0
    sleep 0.1
  done
  return 1
}
# Waits until both queues are drained and samples_total stays unchanged for 2 s, at most
# DRAIN_TIMEOUT s; sets DRAINED_AT_MS (empty on timeout).
wait_drained() {
  local deadline last='' stable_since=0 totals
  deadline=$(($(now_ms) + DRAIN_TIMEOUT * 1000))
  DRAINED_AT_MS=
  while (($(now_ms) < deadline)); do
    fetch_metrics
    if drained prometheus && drained victoria; then
      totals="$(rw_metric prometheus_remote_storage_samples_total prometheus) $(rw_metric prometheus_remote_storage_samples_total victoria)"
      if [ "$totals" = "$last" ]; then
        if (($(now_ms) - stable_since >= 2000)); then
          DRAINED_AT_MS=$stable_since
          return 0
        fi
      else
        last=$totals
        stable_since=$(now_ms)
      fi
    else
      last=''
    fi
    sleep 0.1
  done
  return 1
}

echo
echo "== ${WARMUP} s with both receivers up"
sleep "$WARMUP"
fetch_metrics
for remote in "${REMOTES[@]}"; do
  sent=$(rw_metric prometheus_remote_storage_samples_total "$remote")
  if [ "$sent" != missing ] && awk -v s="$sent" 'BEGIN { exit !(s > 0) }'; then
    result PASS "$remote: samples sent before the outage ($sent)"
  else
    result FAIL "$remote: samples sent before the outage ($sent)"
  fi
done

echo
echo "== outage: SIGTERM to both receivers, Vigil keeps scraping for ${OUTAGE} s"
kill -TERM "$PROM_PID" "$VM_PID"
wait "$PROM_PID" "$VM_PID" 2>/dev/null || true
OUTAGE_START_MS=$(now_ms)
declare -A MAX_PENDING MAX_LAG MAX_QUEUE_BYTES
for remote in "${REMOTES[@]}"; do MAX_PENDING[$remote]=0 MAX_LAG[$remote]=0 MAX_QUEUE_BYTES[$remote]=0; done
VIGIL_RESTARTED=0
while (($(now_ms) - OUTAGE_START_MS < OUTAGE * 1000)); do
  if [ "$VIGIL_RESTART" != none ] && [ "$VIGIL_RESTARTED" = 0 ] && (($(now_ms) - OUTAGE_START_MS >= OUTAGE * 500)); then
    echo "   Vigil restarts halfway through the outage (SIG${VIGIL_RESTART^^})"
    kill "-${VIGIL_RESTART^^}" "$VIGIL_PID"
    wait "$VIGIL_PID" 2>/dev/null || true
    start_vigil
    VIGIL_RESTARTED=1
  fi
  fetch_metrics
  for remote in "${REMOTES[@]}"; do
    pending=$(rw_metric prometheus_remote_storage_samples_pending "$remote")
    lag=$(awk -v a="$(rw_metric prometheus_remote_storage_highest_timestamp_in_seconds "$remote")" \
      -v s="$(rw_metric prometheus_remote_storage_queue_highest_sent_timestamp_seconds "$remote")" \
      'BEGIN { if (a == "missing" || s == "missing" || s + 0 == 0) print 0; else printf "%.0f", a - s }')
    bytes=$(du -sb "$WORK/vigil/remote-write/$remote" 2>/dev/null | awk '{ print $1 }')
    MAX_PENDING[$remote]=$(awk -v a="${MAX_PENDING[$remote]}" -v b="$pending" 'BEGIN { print (b != "missing" && b + 0 > a + 0) ? b : a }')
    ((lag > MAX_LAG[$remote])) && MAX_LAG[$remote]=$lag
    ((${bytes:-0} > MAX_QUEUE_BYTES[$remote])) && MAX_QUEUE_BYTES[$remote]=${bytes:-0}
  done
  sleep 1
done
OUTAGE_END_MS=$(now_ms)

echo "== both receivers restart on their data directories"
RESTART_MS=$(now_ms)
start_prometheus
start_victoria
wait_receivers
READY_MS=$(now_ms)
# Caught up: each queue has sent a sample scraped after the receivers were ready again, so the
# whole backlog of the outage is through (the queue is sent in order).
declare -A DRAIN_S
if wait_caught_up "$READY_MS"; then
  for remote in "${REMOTES[@]}"; do DRAIN_S[$remote]=$(elapsed "$READY_MS" "${CAUGHT_UP_MS[$remote]}"); done
  result PASS "both queues sent their backlog after the restart (prometheus ${DRAIN_S[prometheus]} s, victoria ${DRAIN_S[victoria]} s)"
else
  for remote in "${REMOTES[@]}"; do
    if [ -n "${CAUGHT_UP_MS[$remote]}" ]; then DRAIN_S[$remote]=$(elapsed "$READY_MS" "${CAUGHT_UP_MS[$remote]}"); else DRAIN_S[$remote]="> $DRAIN_TIMEOUT"; fi
  done
  result FAIL "both queues sent their backlog within $DRAIN_TIMEOUT s after the restart"
  for remote in "${REMOTES[@]}"; do
    echo "    $remote: pending $(rw_metric prometheus_remote_storage_samples_pending "$remote")," \
      "highest queued $(rw_metric prometheus_remote_storage_highest_timestamp_in_seconds "$remote")," \
      "highest sent $(rw_metric prometheus_remote_storage_queue_highest_sent_timestamp_seconds "$remote")"
  done
fi

echo
echo "== scraping stops (the job leaves the config: POST /-/reload), the queues drain again"
write_config 0
status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "$VIGIL_URL/-/reload")
if [ "$status" = 200 ]; then result PASS "POST /-/reload answers 200"; else result FAIL "POST /-/reload answers $status"; fi
STOP_MS=$(now_ms)
# The staleness markers for every series are appended at the next scrape slot; give them time.
sleep 3
if wait_drained; then
  result PASS "both queues drained after scraping stopped, in $(elapsed "$STOP_MS" "$DRAINED_AT_MS") s"
else
  result FAIL "both queues drained after scraping stopped within $DRAIN_TIMEOUT s"
fi
END_S=$(($(date +%s) + 1))
curl -fsS -o /dev/null "$VM_URL/internal/force_flush" || result FAIL "VictoriaMetrics /internal/force_flush"

echo
echo "== sender counters"
fetch_metrics
declare -A SENT BYTES RETRIED FAILED DROPPED BATCHES
for remote in "${REMOTES[@]}"; do
  SENT[$remote]=$(rw_metric prometheus_remote_storage_samples_total "$remote")
  BYTES[$remote]=$(rw_metric prometheus_remote_storage_bytes_total "$remote")
  RETRIED[$remote]=$(rw_metric prometheus_remote_storage_samples_retried_total "$remote")
  FAILED[$remote]=$(rw_metric prometheus_remote_storage_samples_failed_total "$remote")
  DROPPED[$remote]=$(rw_metric prometheus_remote_storage_samples_dropped_total "$remote")
  BATCHES[$remote]=$(rw_metric prometheus_remote_storage_sent_batch_duration_seconds_count "$remote")
  if [ "${FAILED[$remote]}" = 0 ]; then
    result PASS "$remote: prometheus_remote_storage_samples_failed_total is 0"
  else
    result FAIL "$remote: prometheus_remote_storage_samples_failed_total is ${FAILED[$remote]}, want 0"
  fi
  if [ "${RETRIED[$remote]}" != missing ] && awk -v r="${RETRIED[$remote]}" 'BEGIN { exit !(r > 0) }'; then
    result PASS "$remote: prometheus_remote_storage_samples_retried_total > 0 (the outage was seen: ${RETRIED[$remote]})"
  else
    result FAIL "$remote: prometheus_remote_storage_samples_retried_total > 0 (the outage was seen: ${RETRIED[$remote]})"
  fi
  if [ "${DROPPED[$remote]}" != missing ] && awk -v d="${DROPPED[$remote]}" 'BEGIN { exit !(d > 0) }'; then
    result PASS "$remote: prometheus_remote_storage_samples_dropped_total > 0 (write_relabel_configs: ${DROPPED[$remote]})"
  else
    result FAIL "$remote: prometheus_remote_storage_samples_dropped_total > 0 (write_relabel_configs: ${DROPPED[$remote]})"
  fi
done

echo
echo "== samples: Vigil's vs each receiver's, $START_S .. $END_S"
python3 "$HERE/compare.py" "$VIGIL_URL" "$PROM_URL" "$VM_URL" --job "$JOB" --start "$START_S" --end "$END_S" \
  --external "$EXTERNAL" --drop-regex "$DROP_REGEX" --outage-start "$OUTAGE_START_MS" --outage-end "$OUTAGE_END_MS" \
  --outage-series '__name__=rw_requests_total,path=/p0' >"$WORK/compare.out" 2>&1 ||
  echo "FAIL compare.py exited with status $?" >>"$WORK/compare.out"
grep -v '^figures:' "$WORK/compare.out" | tee -a "$RESULTS"
FIGURES=$(grep '^figures:' "$WORK/compare.out" || true)
figure() { echo "$FIGURES" | tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }

# Sender counters against the receivers: both queues carry the same stream, and every sample
# counted as sent (staleness markers too: VictoriaMetrics exports them as null) is stored once.
count_check() { # name actual expected
  if [ -n "$2" ] && [ "$2" = "$3" ]; then result PASS "$1 ($2)"; else result FAIL "$1: $2, want $3"; fi
}
STALE=$(figure vm_staleness_markers)
if [ "$VIGIL_RESTART" = none ]; then # (a restart resets the counters)
  count_check "both queues sent the same number of samples" "${SENT[prometheus]}" "${SENT[victoria]}"
  count_check "victoria-metrics: samples_total = samples in the export + staleness markers" \
    "${SENT[victoria]}" "$(($(figure victoria_samples) + STALE))"
  count_check "prometheus: samples_total = samples stored + staleness markers (as many as in VictoriaMetrics)" \
    "${SENT[prometheus]}" "$(($(figure prometheus_samples) + STALE))"
fi

for pid in $VIGIL_PID $PROM_PID $VM_PID $EXPORTER_PID; do
  kill -0 "$pid" 2>/dev/null || result FAIL "process $pid exited during the run"
done

echo
echo "figures (Vigil -> receiver; reported, never asserted):"
per() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 > 0) printf "%.2f", a / b; else print "n/a" }'; }
printf '  %-52s %14s %14s\n' "" prometheus victoria
row() { printf '  %-52s %14s %14s\n' "$1" "$2" "$3"; }
row "samples sent (samples_total, staleness markers too)" "${SENT[prometheus]}" "${SENT[victoria]}"
row "bytes sent (bytes_total, snappy)" "${BYTES[prometheus]}" "${BYTES[victoria]}"
row "bytes per sample" "$(per "${BYTES[prometheus]}" "${SENT[prometheus]}")" "$(per "${BYTES[victoria]}" "${SENT[victoria]}")"
row "requests accepted (sent_batch_duration_seconds_count)" "${BATCHES[prometheus]}" "${BATCHES[victoria]}"
row "samples per request" "$(per "${SENT[prometheus]}" "${BATCHES[prometheus]}")" "$(per "${SENT[victoria]}" "${BATCHES[victoria]}")"
row "samples retried (retried_total)" "${RETRIED[prometheus]}" "${RETRIED[victoria]}"
row "samples dropped by write_relabel_configs" "${DROPPED[prometheus]}" "${DROPPED[victoria]}"
row "max samples_pending during the outage" "${MAX_PENDING[prometheus]}" "${MAX_PENDING[victoria]}"
row "max queue on disk during the outage, bytes" "${MAX_QUEUE_BYTES[prometheus]}" "${MAX_QUEUE_BYTES[victoria]}"
row "max highest queued - highest sent, s" "${MAX_LAG[prometheus]}" "${MAX_LAG[victoria]}"
row "backlog sent, s after the receivers were ready" "${DRAIN_S[prometheus]}" "${DRAIN_S[victoria]}"
echo "  outage: $(elapsed "$OUTAGE_START_MS" "$OUTAGE_END_MS") s; receivers ready $(elapsed "$RESTART_MS" "$READY_MS") s after the restart;" \
  "max_backoff 5s (default) / 1s bounds the wait before the first retry succeeds"
echo "  samples compared: Vigil $(figure vigil_samples) (job $JOB), expected on each receiver $(figure expected_on_receivers)," \
  "Prometheus $(figure prometheus_samples), VictoriaMetrics $(figure victoria_samples)"
echo "  VictoriaMetrics' decimal values: $(figure vm_rounded) rounded (within 1e-11), $(figure vm_flushed_to_zero) flushed to 0," \
  "$(figure vm_negative_zero) -0 stored as 0; $(figure vm_duplicates) duplicates"

passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
echo
echo "remote-write: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
