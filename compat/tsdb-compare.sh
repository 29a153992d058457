#!/usr/bin/env bash
# Vigil's TSDB beside Prometheus 2.42 and VictoriaMetrics (Debian's packages) on the same data.
#
# Benchmarks/RemoteWriteLoad generates node_exporter-like series (deterministic, exact 15 s
# interval, ending now) and POSTs identical snappy remote-write batches to all three stores, one
# store at a time per batch, in time order. Then, for each store:
#   disk      du of the data directory after the stores have persisted (Vigil and Prometheus cut
#             their heads into 2h blocks once a head spans > 3h; VictoriaMetrics is flushed and
#             force-merged), per sample; for Vigil and Prometheus also blocks only, per block sample,
#             and the blocks compaction merged (level > 1; a load of 12h or more has some) against
#             VictoriaMetrics' whole directory
#   memory    VmRSS idle, after the load and after persisting; (loaded - idle) per series
#   restart   SIGKILL after persisting, then seconds from launch until /-/ready (Vigil,
#             Prometheus: WAL replay) or /health (VictoriaMetrics, which has no WAL) answers 200
# Figures and ratios are printed, never asserted. The checks that count are correctness: every
# store accepted every request, holds every sample (before and after the restart), and cut the
# blocks it should. Prints "tsdb-compare: N passed, M failed"; exits non-zero on a failed check or
# a setup failure.
#
# Sizes: TSDB_COMPARE_SERIES (10000), TSDB_COMPARE_HOURS (6; more than 3 for any block to be cut),
# TSDB_COMPARE_BATCH (2000 samples per request). TSDB_COMPARE_KEEP=1 keeps the data directories;
# TSDB_COMPARE_VIGIL=/path/to/vigil measures that binary instead of building the work tree.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/tsdb.bash"
ensure_packages prometheus victoria-metrics curl jq

SERIES=${TSDB_COMPARE_SERIES:-10000}
HOURS=${TSDB_COMPARE_HOURS:-6}
BATCH=${TSDB_COMPARE_BATCH:-2000}
PERSIST_TIMEOUT=${TSDB_COMPARE_PERSIST_TIMEOUT:-300}
VIGIL_PORT=19610
PROM_PORT=19611
VM_PORT=19612
VIGIL_URL=http://127.0.0.1:$VIGIL_PORT
PROM_URL=http://127.0.0.1:$PROM_PORT
VM_URL=http://127.0.0.1:$VM_PORT
CHUNK_RANGE_MS=7200000

WORK=$(mktemp -d -t tsdb-compare.XXXXXX)
VIGIL_PID= PROM_PID= VM_PID=
cleanup() {
  for pid in $VIGIL_PID $PROM_PID $VM_PID; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${TSDB_COMPARE_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "tsdb-compare: setup failed: $*" >&2
  exit 1
}

if [ -n "${TSDB_COMPARE_VIGIL:-}" ]; then
  VIGIL=$TSDB_COMPARE_VIGIL
else
  echo "building vigil (release)"
  (cd "$COMPAT_ROOT" && swift build -c release --product vigil) >"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; setup_failure "swift build of vigil"; }
  VIGIL="$(cd "$COMPAT_ROOT" && swift build -c release --show-bin-path)/vigil"
fi
echo "building Benchmarks' RemoteWriteLoad (release)"
(cd "$COMPAT_ROOT/Benchmarks" && swift build -c release --product RemoteWriteLoad) >>"$WORK/build.log" 2>&1 ||
  { tail -30 "$WORK/build.log" >&2; setup_failure "swift build of RemoteWriteLoad"; }
LOADER="$(cd "$COMPAT_ROOT/Benchmarks" && swift build -c release --show-bin-path)/RemoteWriteLoad"

echo "scrape_configs: []" >"$WORK/prometheus.yml"

start_vigil() {
  # A config without scrape jobs, like Prometheus's here: the embedded default's self-scrape
  # would put samples at "now" into the head while hours of history are still arriving, and the
  # head would cut blocks (and refuse older samples) before the load reaches them.
  printf 'global:\n  scrape_interval: 15s\n' >"$WORK/vigil.yml"
  "$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" >>"$WORK/vigil.log" 2>&1 &
  VIGIL_PID=$!
}
start_prometheus() {
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
    --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$PROM_PORT" \
    --web.enable-remote-write-receiver >>"$WORK/prometheus.log" 2>&1 &
  PROM_PID=$!
}
start_victoria() {
  victoria-metrics -storageDataPath="$WORK/victoria-metrics" -retentionPeriod=1y \
    -httpListenAddr="127.0.0.1:$VM_PORT" -search.disableCache -search.latencyOffset=0s >>"$WORK/victoria-metrics.log" 2>&1 &
  VM_PID=$!
}

du_kb() { du -sk "$@" 2>/dev/null | awk '{ sum += $1 } END { print sum + 0 }'; }
# Block directories (ULIDs holding meta.json) under $1.
block_dirs() { find "$1" -mindepth 2 -maxdepth 2 -name meta.json -printf '%h\n' 2>/dev/null | grep -E '/[0-9A-HJKMNP-TV-Z]{26}$' || true; }

timed_start start_vigil VIGIL_PID "$VIGIL_URL/-/ready" "$WORK/vigil.log"
timed_start start_prometheus PROM_PID "$PROM_URL/-/ready" "$WORK/prometheus.log"
timed_start start_victoria VM_PID "$VM_URL/health" "$WORK/victoria-metrics.log"
sleep 2
declare -A RSS_IDLE CPU_BEFORE RSS_LOADED CPU_AFTER RSS_PERSISTED RSS_RESTARTED READY REPLAY
for store in vigil prometheus victoria; do
  case $store in vigil) pid=$VIGIL_PID ;; prometheus) pid=$PROM_PID ;; victoria) pid=$VM_PID ;; esac
  RSS_IDLE[$store]=$(rss_kb "$pid")
  CPU_BEFORE[$store]=$(cpu_seconds "$pid")
done

echo "loading $SERIES series x ${HOURS}h at 15 s into all three stores"
"$LOADER" --series "$SERIES" --hours "$HOURS" --batch "$BATCH" \
  "$VIGIL_URL/api/v1/write" "$PROM_URL/api/v1/write" "$VM_URL/api/v1/write" | tee "$WORK/load.out" ||
  setup_failure "RemoteWriteLoad failed (a store refused a request: see above)"
totals=$(grep '^totals ' "$WORK/load.out") || setup_failure "RemoteWriteLoad printed no totals"
total() { echo "$totals" | tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }
SAMPLES=$(total samples)
STEPS=$(total steps)
FIRST_MS=$(total first_ms)
LAST_MS=$(total last_ms)
INTERVAL_MS=$(total interval_ms)
LAST_S=$((LAST_MS / 1000))
WINDOW_MS=$((LAST_MS - FIRST_MS + INTERVAL_MS))
declare -A LOAD_SECONDS
LOAD_SECONDS[vigil]=$(grep "^url=$VIGIL_URL/" "$WORK/load.out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
LOAD_SECONDS[prometheus]=$(grep "^url=$PROM_URL/" "$WORK/load.out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')
LOAD_SECONDS[victoria]=$(grep "^url=$VM_URL/" "$WORK/load.out" | sed 's/.*seconds=\([0-9.]*\).*/\1/')

for store in vigil prometheus victoria; do
  case $store in vigil) pid=$VIGIL_PID ;; prometheus) pid=$PROM_PID ;; victoria) pid=$VM_PID ;; esac
  RSS_LOADED[$store]=$(rss_kb "$pid")
  CPU_AFTER[$store]=$(cpu_seconds "$pid")
done

echo
echo "checks after the load"
check "vigil: vigil_tsdb_head_samples_appended_total" "$(metric "$VIGIL_URL" vigil_tsdb_head_samples_appended_total)" "$SAMPLES"
check "vigil: vigil_tsdb_out_of_bounds_samples_total" "$(metric "$VIGIL_URL" vigil_tsdb_out_of_bounds_samples_total)" 0
check "vigil: vigil_tsdb_head_max_time" "$(metric "$VIGIL_URL" vigil_tsdb_head_max_time)" "$LAST_MS"
check "prometheus: prometheus_tsdb_head_samples_appended_total" \
  "$(metric "$PROM_URL" prometheus_tsdb_head_samples_appended_total)" "$SAMPLES"
check "prometheus: prometheus_tsdb_head_max_time" "$(metric "$PROM_URL" prometheus_tsdb_head_max_time)" "$LAST_MS"
curl -fsS -o /dev/null "$VM_URL/internal/force_flush" || setup_failure "VictoriaMetrics force_flush"
check "victoria-metrics: series (count)" "$(query_value "$VM_URL" "count(last_over_time({__name__!=\"\"}[${WINDOW_MS}ms]))" "$LAST_S")" "$SERIES"
check "victoria-metrics: samples (sum(count_over_time))" \
  "$(query_value "$VM_URL" "sum(count_over_time({__name__!=\"\"}[${WINDOW_MS}ms]))" "$LAST_S")" "$SAMPLES"

echo
echo "waiting for the stores to persist (Vigil and Prometheus cut blocks on their 60 s ticks)"
for prefix in $(date -u -d "@$((FIRST_MS / 1000))" +%Y_%m) $(date -u -d "@$LAST_S" +%Y_%m); do
  curl -fsS -o /dev/null -X POST "$VM_URL/internal/force_merge?partition_prefix=$prefix" ||
    setup_failure "VictoriaMetrics force_merge"
done
# A head spanning more than 1.5 chunk ranges is cut on the next tick; wait until neither is.
head_settled() {
  local url=$1 prefix=$2 min max
  min=$(metric "$url" "${prefix}_head_min_time")
  max=$(metric "$url" "${prefix}_head_max_time")
  [ "$min" != missing ] && [ "$max" != missing ] && ((max - min <= CHUNK_RANGE_MS * 3 / 2))
}
t0=$(date +%s)
until head_settled "$VIGIL_URL" vigil_tsdb && head_settled "$PROM_URL" prometheus_tsdb &&
  [ "$(metric "$VM_URL" vm_active_force_merges)" = 0 ]; do
  if (($(date +%s) - t0 > PERSIST_TIMEOUT)); then
    echo "not persisted after $PERSIST_TIMEOUT s"
    break
  fi
  sleep 2
done
check "vigil: head cut to at most 3h" "$(head_settled "$VIGIL_URL" vigil_tsdb && echo yes || echo no)" yes
check "prometheus: head cut to at most 3h" "$(head_settled "$PROM_URL" prometheus_tsdb && echo yes || echo no)" yes
# Let compaction and WAL truncation after the cut finish: wait until no size changes for 6 s.
previous=
for ((i = 0; i < 60; i++)); do
  sizes="$(du_kb "$WORK/vigil") $(du_kb "$WORK/prometheus") $(du_kb "$WORK/victoria-metrics")"
  [ "$sizes" = "$previous" ] && break
  previous=$sizes
  sleep 6
done
echo "persisted after $(($(date +%s) - t0)) s"

declare -A DISK_KB BLOCKS_KB BLOCK_SAMPLES BLOCK_COUNT WAL_KB COMPACTED_KB COMPACTED_SAMPLES COMPACTED_COUNT
DISK_KB[vigil]=$(du_kb "$WORK/vigil")
DISK_KB[prometheus]=$(du_kb "$WORK/prometheus")
DISK_KB[victoria]=$(du_kb "$WORK/victoria-metrics")
WAL_KB[vigil]=$(du_kb "$WORK/vigil/metrics/wal")
WAL_KB[prometheus]=$(du_kb "$WORK/prometheus/wal" "$WORK/prometheus/chunks_head")
for store in vigil prometheus; do
  case $store in vigil) dir=$WORK/vigil/metrics ;; prometheus) dir=$WORK/prometheus ;; esac
  mapfile -t blocks < <(block_dirs "$dir")
  BLOCK_COUNT[$store]=${#blocks[@]}
  if [ ${#blocks[@]} -gt 0 ]; then
    BLOCKS_KB[$store]=$(du_kb "${blocks[@]}")
    BLOCK_SAMPLES[$store]=$(for b in "${blocks[@]}"; do cat "$b/meta.json"; done | jq -s 'map(.stats.numSamples) | add')
    max_block_time=$(for b in "${blocks[@]}"; do cat "$b/meta.json"; done | jq -s 'map(.maxTime) | max')
    # Every series has one sample per step: the blocks hold every step before the last block's end.
    steps_in_blocks=$(((max_block_time - FIRST_MS + INTERVAL_MS - 1) / INTERVAL_MS))
    ((steps_in_blocks > STEPS)) && steps_in_blocks=$STEPS
    check "$store: samples in blocks (meta.json, up to $max_block_time)" "${BLOCK_SAMPLES[$store]}" $((SERIES * steps_in_blocks))
    # Blocks compaction merged (level > 1): Vigil writes their chunks in its compact encoding.
    mapfile -t compacted < <(for b in "${blocks[@]}"; do
      [ "$(jq '.compaction.level' "$b/meta.json")" -gt 1 ] && echo "$b"
    done)
    COMPACTED_COUNT[$store]=${#compacted[@]}
    if [ ${#compacted[@]} -gt 0 ]; then
      COMPACTED_KB[$store]=$(du_kb "${compacted[@]}")
      COMPACTED_SAMPLES[$store]=$(for b in "${compacted[@]}"; do cat "$b/meta.json"; done | jq -s 'map(.stats.numSamples) | add')
    fi
  else
    BLOCKS_KB[$store]=0
    BLOCK_SAMPLES[$store]=0
  fi
done
RSS_PERSISTED[vigil]=$(rss_kb "$VIGIL_PID")
RSS_PERSISTED[prometheus]=$(rss_kb "$PROM_PID")
RSS_PERSISTED[victoria]=$(rss_kb "$VM_PID")
if awk -v h="$HOURS" 'BEGIN { exit !(h > 3) }'; then
  check "vigil: cut at least one block" "$([ "${BLOCK_COUNT[vigil]}" -gt 0 ] && echo yes || echo no)" yes
  check "prometheus: cut at least one block" "$([ "${BLOCK_COUNT[prometheus]}" -gt 0 ] && echo yes || echo no)" yes
fi
# Vigil has no query API yet: the blocks plus one sample per series and step over the head's range
# must add up to what was sent (checked here, between maintenance ticks' cuts, not after the restart,
# when the first tick may be cutting the head while we read it).
head_min=$(metric "$VIGIL_URL" vigil_tsdb_head_min_time)
head_steps=$(((LAST_MS - head_min) / INTERVAL_MS + 1))
check "vigil: samples in blocks + head range" $((BLOCK_SAMPLES[vigil] + SERIES * head_steps)) "$SAMPLES"

echo
echo "restart: SIGKILL all three, then time until ready"
for pid in $VIGIL_PID $PROM_PID $VM_PID; do kill -9 "$pid"; done
wait "$VIGIL_PID" "$PROM_PID" "$VM_PID" 2>/dev/null || true
timed_start start_vigil VIGIL_PID "$VIGIL_URL/-/ready" "$WORK/vigil.log"
READY[vigil]=$READY_SECONDS
timed_start start_prometheus PROM_PID "$PROM_URL/-/ready" "$WORK/prometheus.log"
READY[prometheus]=$READY_SECONDS
timed_start start_victoria VM_PID "$VM_URL/health" "$WORK/victoria-metrics.log"
READY[victoria]=$READY_SECONDS
sleep 2
REPLAY[vigil]=$(metric_seconds "$VIGIL_URL" vigil_tsdb_wal_replay_duration_seconds)
REPLAY[prometheus]=$(metric_seconds "$PROM_URL" prometheus_tsdb_data_replay_duration_seconds)
REPLAY[victoria]=n/a
REPLAYED_SAMPLES=$(grep 'msg="WAL replay completed"' "$WORK/vigil.log" | tail -1 | sed -n 's/.* samples=\([0-9]*\).*/\1/p')
SNAPSHOT_SAMPLES=$(grep 'msg="WAL replay completed"' "$WORK/vigil.log" | tail -1 | sed -n 's/.* snapshot_samples=\([0-9]*\).*/\1/p')
RSS_RESTARTED[vigil]=$(rss_kb "$VIGIL_PID")
RSS_RESTARTED[prometheus]=$(rss_kb "$PROM_PID")
RSS_RESTARTED[victoria]=$(rss_kb "$VM_PID")

echo
echo "checks after the restart"
check "vigil: vigil_tsdb_head_series" "$(metric "$VIGIL_URL" vigil_tsdb_head_series)" "$SERIES"
check "vigil: vigil_tsdb_head_max_time" "$(metric "$VIGIL_URL" vigil_tsdb_head_max_time)" "$LAST_MS"
check "vigil: vigil_tsdb_wal_corruptions_total" "$(metric "$VIGIL_URL" vigil_tsdb_wal_corruptions_total)" 0
# `vigil tsdb analyze` (blocks + WAL, offline) where this build has it.
if "$VIGIL" --help 2>/dev/null | grep -qE '^ +tsdb '; then
  check "vigil: samples (vigil tsdb analyze)" \
    "$("$VIGIL" tsdb analyze "$WORK/vigil" 2>&1 | awk '/^Samples:/ { print $2 }')" "$SAMPLES"
fi
check "prometheus: prometheus_tsdb_head_series" "$(metric "$PROM_URL" prometheus_tsdb_head_series)" "$SERIES"
check "prometheus: samples (sum(count_over_time) per metric name)" "$(samples_by_name "$PROM_URL" "$WINDOW_MS" "$LAST_S")" "$SAMPLES"
check "victoria-metrics: samples (sum(count_over_time))" \
  "$(query_value "$VM_URL" "sum(count_over_time({__name__!=\"\"}[${WINDOW_MS}ms]))" "$LAST_S")" "$SAMPLES"

# ---- report ----
mb() { awk -v kb="$1" 'BEGIN { printf "%.1f", kb / 1024 }'; }
per() { awk -v a="$1" -v b="$2" -v d="${3:-2}" 'BEGIN { if (b > 0) printf "%." d "f", a / b; else printf "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-42s %12s %12s %12s %10s %10s\n' "$1" "$2" "$3" "$4" "$(ratio "$2" "$3")" "$(ratio "$2" "$4")"; }

echo
echo "$SERIES series x ${HOURS}h at ${INTERVAL_MS} ms = $SAMPLES samples, sent in batches of $BATCH"
printf '%-42s %12s %12s %12s %10s %10s\n' "" Vigil "Prometheus" "Victoria" "V/Prom" "V/VM"
row "ingest, s (one store at a time)" "${LOAD_SECONDS[vigil]}" "${LOAD_SECONDS[prometheus]}" "${LOAD_SECONDS[victoria]}"
cpu_per_million() { awk -v a="${CPU_AFTER[$1]}" -v b="${CPU_BEFORE[$1]}" -v n="$SAMPLES" 'BEGIN { printf "%.2f", (a - b) / (n / 1e6) }'; }
row "ingest CPU, s per 1M samples" "$(cpu_per_million vigil)" "$(cpu_per_million prometheus)" "$(cpu_per_million victoria)"
row "disk, whole data dir, MB" "$(mb "${DISK_KB[vigil]}")" "$(mb "${DISK_KB[prometheus]}")" "$(mb "${DISK_KB[victoria]}")"
row "disk bytes/sample, whole data dir" "$(per $((DISK_KB[vigil] * 1024)) "$SAMPLES")" \
  "$(per $((DISK_KB[prometheus] * 1024)) "$SAMPLES")" "$(per $((DISK_KB[victoria] * 1024)) "$SAMPLES")"
row "disk bytes/sample, blocks only" "$(per $((BLOCKS_KB[vigil] * 1024)) "${BLOCK_SAMPLES[vigil]}")" \
  "$(per $((BLOCKS_KB[prometheus] * 1024)) "${BLOCK_SAMPLES[prometheus]}")" n/a
row "blocks (count / samples in them)" "${BLOCK_COUNT[vigil]}/${BLOCK_SAMPLES[vigil]}" \
  "${BLOCK_COUNT[prometheus]}/${BLOCK_SAMPLES[prometheus]}" n/a
# Against VictoriaMetrics' whole (merged) data directory: it has no blocks of its own.
row "disk bytes/sample, compacted blocks (VM: all)" "$(per $((${COMPACTED_KB[vigil]:-0} * 1024)) "${COMPACTED_SAMPLES[vigil]:-0}")" \
  "$(per $((${COMPACTED_KB[prometheus]:-0} * 1024)) "${COMPACTED_SAMPLES[prometheus]:-0}")" \
  "$(per $((DISK_KB[victoria] * 1024)) "$SAMPLES")"
row "compacted blocks (count / samples)" "${COMPACTED_COUNT[vigil]:-0}/${COMPACTED_SAMPLES[vigil]:-0}" \
  "${COMPACTED_COUNT[prometheus]:-0}/${COMPACTED_SAMPLES[prometheus]:-0}" n/a
row "WAL (+ chunks_head for Prometheus), MB" "$(mb "${WAL_KB[vigil]}")" "$(mb "${WAL_KB[prometheus]}")" n/a
row "RSS idle, MB" "$(mb "${RSS_IDLE[vigil]}")" "$(mb "${RSS_IDLE[prometheus]}")" "$(mb "${RSS_IDLE[victoria]}")"
row "RSS after load, MB" "$(mb "${RSS_LOADED[vigil]}")" "$(mb "${RSS_LOADED[prometheus]}")" "$(mb "${RSS_LOADED[victoria]}")"
row "RSS after load - idle, bytes/series" "$(per $(((RSS_LOADED[vigil] - RSS_IDLE[vigil]) * 1024)) "$SERIES" 0)" \
  "$(per $(((RSS_LOADED[prometheus] - RSS_IDLE[prometheus]) * 1024)) "$SERIES" 0)" \
  "$(per $(((RSS_LOADED[victoria] - RSS_IDLE[victoria]) * 1024)) "$SERIES" 0)"
row "RSS after persisting, MB" "$(mb "${RSS_PERSISTED[vigil]}")" "$(mb "${RSS_PERSISTED[prometheus]}")" "$(mb "${RSS_PERSISTED[victoria]}")"
row "restart (SIGKILL) to ready, s" "${READY[vigil]}" "${READY[prometheus]}" "${READY[victoria]}"
row "self-reported WAL replay, s" "${REPLAY[vigil]}" "${REPLAY[prometheus]}" n/a
row "RSS after restart, MB" "$(mb "${RSS_RESTARTED[vigil]}")" "$(mb "${RSS_RESTARTED[prometheus]}")" "$(mb "${RSS_RESTARTED[victoria]}")"
echo "(ratios are Vigil / peer: below 1 is Vigil smaller or faster)"
echo "Vigil's restart loaded ${SNAPSHOT_SAMPLES:-0} samples from its head snapshot and read ${REPLAYED_SAMPLES:-?} from the WAL (the head keeps only those after the newest block); $((SAMPLES - BLOCK_SAMPLES[vigil])) of the $SAMPLES were not yet in blocks"

echo
echo "tsdb-compare: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
