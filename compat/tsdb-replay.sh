#!/usr/bin/env bash
# Restart after SIGKILL with a full 2h head: Vigil beside Prometheus 2.42 (Debian's package), same data.
#
# Benchmarks/RemoteWriteLoad sends node_exporter-like series (15 s interval by default, ending now) to both
# servers, in two parts:
#   1. the first 2h minus TAIL minutes; then the script waits until Vigil has written a head
#      snapshot (its maintenance tick, every 60 s, writes one once the WAL has grown by 16 MiB);
#   2. the last TAIL minutes, sent right after the snapshot, then both servers are SIGKILLed.
# So Vigil restarts from its snapshot plus TAIL minutes of WAL. Its next snapshot is due once the
# WAL has grown by half the snapshot's size (at least 8 MiB); the script prints how many minutes of
# this load that is, Vigil's worst case, to compare with TAIL. Prometheus replays the whole WAL (2h: no head compaction yet), skipping the
# samples in the head chunks it m-mapped. Figures: seconds from launch to /-/ready and each
# server's self-reported replay time, as ratios; never asserted.
# Checks (correctness): every request accepted; after the restart both servers hold every series
# and every sample (PromQL count_over_time per metric name), and Vigil's log says it loaded the
# snapshot and replayed at most the tail's samples.
#
# Sizes: TSDB_REPLAY_SERIES (10000; the issue's size is 1000000), TSDB_REPLAY_TAIL_MINUTES (30),
# TSDB_REPLAY_INTERVAL_MS (15000), TSDB_REPLAY_BATCH (2000). TSDB_REPLAY_VIGIL=/path/to/vigil
# measures that binary (default: a release build of the work tree); TSDB_REPLAY_KEEP=1 keeps the
# data directories.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/tsdb.bash"
ensure_packages prometheus curl jq

SERIES=${TSDB_REPLAY_SERIES:-10000}
TAIL_MINUTES=${TSDB_REPLAY_TAIL_MINUTES:-30}
BATCH=${TSDB_REPLAY_BATCH:-2000}
HOURS=2
INTERVAL_MS=${TSDB_REPLAY_INTERVAL_MS:-15000}
VIGIL_PORT=19615
PROM_PORT=19616
VIGIL_URL=http://127.0.0.1:$VIGIL_PORT
PROM_URL=http://127.0.0.1:$PROM_PORT

WORK=$(mktemp -d -t tsdb-replay.XXXXXX)
VIGIL_PID= PROM_PID=
cleanup() {
  for pid in $VIGIL_PID $PROM_PID; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${TSDB_REPLAY_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "tsdb-replay: setup failed: $*" >&2
  exit 1
}

VIGIL=$(vigil_release_binary "${TSDB_REPLAY_VIGIL:-}" "$WORK/build.log") || setup_failure "swift build of vigil"
echo "building Benchmarks' RemoteWriteLoad (release)"
(cd "$COMPAT_ROOT/Benchmarks" && swift build -c release --product RemoteWriteLoad) >>"$WORK/build.log" 2>&1 ||
  { tail -30 "$WORK/build.log" >&2; setup_failure "swift build of RemoteWriteLoad"; }
LOADER="$(cd "$COMPAT_ROOT/Benchmarks" && swift build -c release --show-bin-path)/RemoteWriteLoad"

echo "scrape_configs: []" >"$WORK/prometheus.yml"
# No scrape jobs on either side: a self-scrape would add series and samples at "now".
printf 'global:\n  scrape_interval: 15s\n' >"$WORK/vigil.yml"
start_vigil() {
  "$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" >>"$WORK/vigil.log" 2>&1 &
  VIGIL_PID=$!
}
start_prometheus() {
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
    --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$PROM_PORT" \
    --web.enable-remote-write-receiver >>"$WORK/prometheus.log" 2>&1 &
  PROM_PID=$!
}

timed_start start_vigil VIGIL_PID "$VIGIL_URL/-/ready" "$WORK/vigil.log"
timed_start start_prometheus PROM_PID "$PROM_URL/-/ready" "$WORK/prometheus.log"

NOW_MS=$(($(date +%s) * 1000))
END_MS=$((NOW_MS - NOW_MS % INTERVAL_MS))
TAIL_MS=$((TAIL_MINUTES * 60000))
# A hair over the exact hours, so the loader's whole-step count does not round a step away.
HEAD_HOURS=$(awk -v h=$HOURS -v t="$TAIL_MINUTES" 'BEGIN { printf "%.9f", h - t / 60 + 1e-9 }')
TAIL_HOURS=$(awk -v t="$TAIL_MINUTES" 'BEGIN { printf "%.9f", t / 60 + 1e-9 }')
load() { # $1: hours, $2: end ms, $3: output
  "$LOADER" --series "$SERIES" --hours "$1" --end-ms "$2" --batch "$BATCH" --interval-ms "$INTERVAL_MS" \
    "$VIGIL_URL/api/v1/write" "$PROM_URL/api/v1/write" | tee "$3" ||
    setup_failure "RemoteWriteLoad failed (a server refused a request: see above)"
}
total_of() { grep '^totals ' "$1" | tr ' ' '\n' | awk -F= -v key="$2" '$1 == key { print $2 }'; }

echo "part 1: $SERIES series x ${HEAD_HOURS}h at $((INTERVAL_MS / 1000)) s"
load "$HEAD_HOURS" $((END_MS - TAIL_MS)) "$WORK/load1.out"
echo "waiting for Vigil's head snapshot (next maintenance tick)"
# At large sizes maintenance may already have written snapshots during part 1; the next one comes
# only once it is due again, so wait at most ~2 ticks for it, and go on without it otherwise (the
# WAL after the last snapshot then also holds the end of part 1).
SNAPSHOTS_AFTER_PART1=$(metric "$VIGIL_URL" vigil_tsdb_head_snapshots_total)
t0=$(date +%s)
SNAPSHOT_AFTER_PART1=no
while (($(date +%s) - t0 < 150)); do
  if [ "$(metric "$VIGIL_URL" vigil_tsdb_head_snapshots_total)" -gt "$SNAPSHOTS_AFTER_PART1" ]; then
    SNAPSHOT_AFTER_PART1=yes
    break
  fi
  sleep 1
done
[ "$(metric "$VIGIL_URL" vigil_tsdb_head_snapshots_total)" -ge 1 ] || setup_failure "no head snapshot after part 1"
SNAPSHOT_BYTES=$(metric "$VIGIL_URL" vigil_tsdb_head_snapshot_size_bytes)
echo "snapshot written after $(($(date +%s) - t0)) s ($SNAPSHOT_BYTES bytes)"
# The next snapshot is due once the WAL has grown by max(8 MiB, half this one): the most WAL a
# restart can have to decode, in minutes of this load.
WAL_BYTES_PER_SAMPLE=$(du -sb "$WORK/vigil/metrics/wal" | awk -v n="$(total_of "$WORK/load1.out" samples)" '{ printf "%.2f", $1 / n }')
WORST_TAIL_MINUTES=$(awk -v s="$SNAPSHOT_BYTES" -v b="$WAL_BYTES_PER_SAMPLE" -v n="$SERIES" \
  -v i="$INTERVAL_MS" 'BEGIN { a = s / 2; if (a < 8388608) a = 8388608; printf "%.1f", a / (b * n) * i / 60000 }')
echo "WAL: $WAL_BYTES_PER_SAMPLE bytes/sample; the next snapshot is due after ~$WORST_TAIL_MINUTES min of this load"
SNAPSHOTS_BEFORE_PART2=$(metric "$VIGIL_URL" vigil_tsdb_head_snapshots_total)
echo "part 2: the last $TAIL_MINUTES minutes"
load "$TAIL_HOURS" "$END_MS" "$WORK/load2.out"
SNAPSHOTS_BEFORE_KILL=$(metric "$VIGIL_URL" vigil_tsdb_head_snapshots_total)
PART1=$(total_of "$WORK/load1.out" samples)
TAIL_SAMPLES=$(total_of "$WORK/load2.out" samples)
SAMPLES=$((PART1 + TAIL_SAMPLES))
FIRST_MS=$(total_of "$WORK/load1.out" first_ms)
LAST_MS=$(total_of "$WORK/load2.out" last_ms)
WINDOW_MS=$((LAST_MS - FIRST_MS + INTERVAL_MS))
LAST_S=$((LAST_MS / 1000))
WAL_KB_VIGIL=$(du -sk "$WORK/vigil/metrics/wal" | awk '{ print $1 }')
WAL_KB_PROM=$(du -sk "$WORK/prometheus/wal" | awk '{ print $1 }')

echo
echo "restart: SIGKILL both, then time until ready (one at a time)"
kill -9 "$VIGIL_PID" "$PROM_PID"
wait "$VIGIL_PID" "$PROM_PID" 2>/dev/null || true
timed_start start_vigil VIGIL_PID "$VIGIL_URL/-/ready" "$WORK/vigil.log"
READY_VIGIL=$READY_SECONDS
timed_start start_prometheus PROM_PID "$PROM_URL/-/ready" "$WORK/prometheus.log"
READY_PROM=$READY_SECONDS
REPLAY_VIGIL=$(metric_seconds "$VIGIL_URL" vigil_tsdb_wal_replay_duration_seconds)
REPLAY_PROM=$(metric_seconds "$PROM_URL" prometheus_tsdb_data_replay_duration_seconds)
REPLAY_LINE=$(grep 'msg="WAL replay completed"' "$WORK/vigil.log" | tail -1)
field() { echo "$REPLAY_LINE" | sed -n "s/.* $1=\\([0-9a-z]*\\).*/\\1/p"; }
REPLAYED=$(field samples)
FROM_SNAPSHOT=$(field snapshot_samples)
RSS_VIGIL=$(rss_kb "$VIGIL_PID")
RSS_PROM=$(rss_kb "$PROM_PID")

echo
echo "checks after the restart"
check "vigil: head series" "$(metric "$VIGIL_URL" vigil_tsdb_head_series)" "$SERIES"
check "prometheus: head series" "$(metric "$PROM_URL" prometheus_tsdb_head_series)" "$SERIES"
check "vigil: samples (count_over_time per metric name)" "$(samples_by_name "$VIGIL_URL" "$WINDOW_MS" "$LAST_S")" "$SAMPLES"
check "prometheus: samples (count_over_time per metric name)" "$(samples_by_name "$PROM_URL" "$WINDOW_MS" "$LAST_S")" "$SAMPLES"
check "vigil: loaded a head snapshot" "$([ "${FROM_SNAPSHOT:-0}" -gt 0 ] && echo yes || echo no)" yes
check "vigil: snapshot + replayed samples cover every sample" \
  "$([ $((FROM_SNAPSHOT + REPLAYED)) -ge "$SAMPLES" ] && echo yes || echo no)" yes
if [ "$SNAPSHOT_AFTER_PART1" = yes ] && [ "$SNAPSHOTS_BEFORE_KILL" = "$SNAPSHOTS_BEFORE_PART2" ]; then
  # The snapshot loaded was written after part 1 and none during part 2: exactly the tail was
  # logged after it.
  check "vigil: replayed exactly the tail" "$REPLAYED" "$TAIL_SAMPLES"
fi
check "vigil: WAL corruptions" "$(metric "$VIGIL_URL" vigil_tsdb_wal_corruptions_total)" 0

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-46s %12s %12s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
echo
echo "$SERIES series x ${HOURS}h at $((INTERVAL_MS / 1000)) s = $SAMPLES samples; the last $TAIL_MINUTES min ($TAIL_SAMPLES samples) after Vigil's snapshot"
printf '%-46s %12s %12s %8s\n' "" Vigil Prometheus V/Prom
row "WAL on disk at the kill, MB" "$(awk -v k="$WAL_KB_VIGIL" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$(awk -v k="$WAL_KB_PROM" 'BEGIN { printf "%.1f", k / 1024 }')"
row "restart (SIGKILL) to ready, s" "$READY_VIGIL" "$READY_PROM"
row "self-reported replay, s" "$REPLAY_VIGIL" "$REPLAY_PROM"
row "RSS after restart, MB" "$(awk -v k="$RSS_VIGIL" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$(awk -v k="$RSS_PROM" 'BEGIN { printf "%.1f", k / 1024 }')"
echo "Vigil loaded $FROM_SNAPSHOT samples from its snapshot and replayed $REPLAYED from the WAL ($SNAPSHOTS_BEFORE_KILL snapshots before the kill, $((SNAPSHOTS_BEFORE_KILL - SNAPSHOTS_BEFORE_PART2)) during part 2; one after part 1: $SNAPSHOT_AFTER_PART1)"
echo "a $TAIL_MINUTES min tail against the ~$WORST_TAIL_MINUTES min after which Vigil's next snapshot is due (its worst case)"
echo "(ratios are Vigil / Prometheus: below 1 is Vigil faster or smaller)"

echo
echo "tsdb-replay: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
