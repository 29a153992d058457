#!/usr/bin/env bash
# PromQL and lookup latency of Vigil beside Prometheus 2.42 (Debian's package) on the same data.
#
# Benchmarks/RemoteWriteLoad sends both servers identical remote-write batches, in time order,
# ending on a whole minute in the past:
#   http_requests_total                   10,000 counter series (PROMQL_SPEED_APP_SERIES), 6h at 15 s
#   http_request_duration_seconds_*       100 classic histograms (PROMQL_SPEED_HISTOGRAMS): 12 le
#                                         buckets + _sum + _count = 1,400 series, 6h at 15 s
#   wide_lookup_info                      150,000 series (PROMQL_SPEED_WIDE_SERIES), 2 samples each at
#                                         the last two steps: many series for label and series lookups
# The script waits until both hold every sample and have cut their heads into blocks (head span
# <= 3h), then runs each query below once to warm up and PROMQL_SPEED_RUNS (7) more times per server
# with curl, and prints the median of curl's time_total per server, the ratio Vigil/Prometheus and
# each process's RSS before the queries and after each query's runs. Latencies and memory are
# reported, never asserted.
# The checks that count are correctness: the load was accepted, both hold every sample, and every
# query gives both servers the same answer (same label sets, same timestamps, values equal within a
# relative 1e-9; lookups as sets; for topk the same values at every step and the same series above
# the step's cut, since a tie at the cut may pick any of the tied series). Prints "promql-speed: N passed, M failed"; exits non-zero on a
# failed check or a setup failure.
#
# PROMQL_SPEED_VIGIL=/path/to/vigil measures that binary instead of building the work tree;
# PROMQL_SPEED_KEEP=1 keeps the work directory (answers, logs).
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl jq python3

APP_SERIES=${PROMQL_SPEED_APP_SERIES:-10000}
HISTOGRAMS=${PROMQL_SPEED_HISTOGRAMS:-100}
WIDE_SERIES=${PROMQL_SPEED_WIDE_SERIES:-150000}
HOURS=${PROMQL_SPEED_HOURS:-6}
RUNS=${PROMQL_SPEED_RUNS:-7}
BATCH=${PROMQL_SPEED_BATCH:-5000}
PERSIST_TIMEOUT=${PROMQL_SPEED_PERSIST_TIMEOUT:-240}
VIGIL_PORT=19800
PROM_PORT=19801
VIGIL_URL=http://127.0.0.1:$VIGIL_PORT
PROM_URL=http://127.0.0.1:$PROM_PORT
HERE="$COMPAT_ROOT/compat/promql-speed"
CHUNK_RANGE_MS=7200000

WORK=$(mktemp -d -t promql-speed.XXXXXX)
VIGIL_PID= PROM_PID=
cleanup() {
  for pid in $VIGIL_PID $PROM_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${PROMQL_SPEED_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "promql-speed: setup failed: $*" >&2
  exit 1
}

if [ -n "${PROMQL_SPEED_VIGIL:-}" ]; then
  VIGIL=$PROMQL_SPEED_VIGIL
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

echo "scrape_configs: []" >"$WORK/config.yml"
"$VIGIL" server --config "$WORK/config.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" \
  --log.level warn >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
prometheus --config.file="$WORK/config.yml" --storage.tsdb.path="$WORK/prometheus" \
  --storage.tsdb.retention.time=15d --web.listen-address="127.0.0.1:$PROM_PORT" \
  --web.enable-remote-write-receiver --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
wait_http "$VIGIL_URL/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "vigil not ready"; }
wait_http "$PROM_URL/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "prometheus not ready"; }

passed=0
failed=0
check() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok   $1 ($2)"
  else
    failed=$((failed + 1))
    echo "FAIL $1: got $2, want $3"
  fi
}
metric() {
  curl -fsS "$1/metrics" | awk -v name="$2" '$1 == name || index($1, name "{") == 1 { sum += $2; found = 1 }
    END { if (found) printf "%.0f\n", sum; else print "missing" }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN { printf "%.0f", kb / 1024 }'; }
du_kb() { du -sk "$@" 2>/dev/null | awk '{ sum += $1 } END { print sum + 0 }'; }

# The last sample sits on a whole minute at least a minute ago, so range-query steps (multiples of
# 60 s) fall on sample timestamps the same way on every run.
END_MS=$((($(date +%s) - 60) / 60 * 60 * 1000))
echo "loading $APP_SERIES counter series + $HISTOGRAMS histograms x ${HOURS}h at 15 s, $WIDE_SERIES wide series x 2 samples"
"$LOADER" --series 0 --app-series "$APP_SERIES" --histograms "$HISTOGRAMS" --wide-series "$WIDE_SERIES" \
  --hours "$HOURS" --batch "$BATCH" --end-ms "$END_MS" \
  "$VIGIL_URL/api/v1/write" "$PROM_URL/api/v1/write" | tee "$WORK/load.out" ||
  setup_failure "RemoteWriteLoad failed (a server refused a request: see above)"
totals=$(grep '^totals ' "$WORK/load.out") || setup_failure "RemoteWriteLoad printed no totals"
total() { echo "$totals" | tr ' ' '\n' | awk -F= -v key="$1" '$1 == key { print $2 }'; }
SAMPLES=$(total samples)
SERIES=$(total series)
FIRST_MS=$(total first_ms)
END_S=$((END_MS / 1000))

echo
echo "waiting for both heads to be cut into blocks (span <= 3h; the servers cut on 60 s ticks)"
head_settled() {
  local min max
  min=$(metric "$1" "${2}_head_min_time")
  max=$(metric "$1" "${2}_head_max_time")
  [ "$min" != missing ] && [ "$max" != missing ] && ((max - min <= CHUNK_RANGE_MS * 3 / 2))
}
t0=$(date +%s)
until head_settled "$VIGIL_URL" vigil_tsdb && head_settled "$PROM_URL" prometheus_tsdb; do
  (($(date +%s) - t0 > PERSIST_TIMEOUT)) && { echo "not cut after $PERSIST_TIMEOUT s"; break; }
  sleep 2
done
# Let compaction after the cut finish: wait until neither data directory changes for 6 s.
previous=
for ((i = 0; i < 30; i++)); do
  sizes="$(du_kb "$WORK/vigil") $(du_kb "$WORK/prometheus")"
  [ "$sizes" = "$previous" ] && break
  previous=$sizes
  sleep 6
done
echo "settled after $(($(date +%s) - t0)) s"

# Every sample, counted per metric name (Prometheus refuses count_over_time across names).
WINDOW_MS=$((END_MS - FIRST_MS + 15000))
samples_in() {
  local url=$1 sum=0 name value
  for name in http_requests_total http_request_duration_seconds_bucket http_request_duration_seconds_sum \
    http_request_duration_seconds_count wide_lookup_info; do
    value=$(curl -fsS --get "$url/api/v1/query" --data-urlencode "query=sum(count_over_time(${name}[${WINDOW_MS}ms]))" \
      --data-urlencode "time=$END_S" | jq -r '.data.result[0].value[1] // "0"')
    sum=$((sum + value))
  done
  echo "$sum"
}
series_in() {
  curl -fsS --get "$1/api/v1/query" --data-urlencode "query=count({__name__=~\"http_.*|wide_lookup_info\"})" \
    --data-urlencode "time=$END_S" | jq -r '.data.result[0].value[1] // "0"'
}
echo
check "vigil: samples held" "$(samples_in "$VIGIL_URL")" "$SAMPLES"
check "prometheus: samples held" "$(samples_in "$PROM_URL")" "$SAMPLES"
check "vigil: series at the last step" "$(series_in "$VIGIL_URL")" "$SERIES"
check "prometheus: series at the last step" "$(series_in "$PROM_URL")" "$SERIES"

# ---- queries ----
# Range queries over the whole load (after the first 5m window) at step 60 s; lookups over the last
# 10 minutes, where the head holds every series (the wide ones only live there).
RANGE_START=$(((FIRST_MS / 1000 + 300 + 59) / 60 * 60))
LOOKUP_START=$((END_S - 600))
NAMES=() KINDS=() ARGS=()
add() { NAMES+=("$1"); KINDS+=("$2"); ARGS+=("$3"); }
add "sum by (job) (rate(http_requests_total[5m]))" range 'sum by (job) (rate(http_requests_total[5m]))'
add "histogram_quantile(0.99, sum by (le) (rate(..._bucket[5m])))" range \
  'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m])))'
add "topk(10, rate(http_requests_total[5m]))" topk 'topk(10, rate(http_requests_total[5m]))'
add "regex: sum by (handler) (rate(...{handler=~,code!~}[5m]))" range \
  'sum by (handler) (rate(http_requests_total{handler=~"/api/v1/.*",code!~"2.."}[5m]))'
add "instant: count by (job) ({instance=~\"app-1.*\"})" instant 'count by (job) (http_requests_total{instance=~"app-1.*"})'
add "labels" get '/api/v1/labels'
add "label values: id ($WIDE_SERIES values)" get '/api/v1/label/id/values'
add "label values: pod, match[]={zone=\"zone-1\"}" get '/api/v1/label/pod/values?match[]=wide_lookup_info{zone="zone-1"}'
add "labels, match[]={shard=~\"s1.*\"}" get '/api/v1/labels?match[]=wide_lookup_info{shard=~"s1.*"}'
add "series: wide_lookup_info{shard=\"s7\"}" get '/api/v1/series?match[]=wide_lookup_info{shard="s7"}'
add "series: wide_lookup_info{id=~\"12.*\"}" get '/api/v1/series?match[]=wide_lookup_info{id=~"12.*"}'

# request URL QUERY-INDEX OUT: one request; prints curl's time_total.
request() {
  local url=$1 i=$2 out=$3
  case ${KINDS[$i]} in
  range | topk)
    curl -sS -o "$out" -w '%{time_total}' --get "$url/api/v1/query_range" --data-urlencode "query=${ARGS[$i]}" \
      --data-urlencode "start=$RANGE_START" --data-urlencode "end=$END_S" --data-urlencode step=60 ;;
  instant)
    curl -sS -o "$out" -w '%{time_total}' --get "$url/api/v1/query" --data-urlencode "query=${ARGS[$i]}" \
      --data-urlencode "time=$END_S" ;;
  get)
    local path=${ARGS[$i]%%\?*} query=
    [[ ${ARGS[$i]} == *\?* ]] && query=${ARGS[$i]#*\?}
    local params=(--data-urlencode "start=$LOOKUP_START" --data-urlencode "end=$END_S")
    [ -n "$query" ] && params+=(--data-urlencode "$query")
    curl -sS -o "$out" -w '%{time_total}' --get "$url$path" "${params[@]}" ;;
  esac
}
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ a[NR] = $1 } END { if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
ms() { awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }

declare -A RSS_BEFORE
RSS_BEFORE[vigil]=$(rss_kb "$VIGIL_PID")
RSS_BEFORE[prometheus]=$(rss_kb "$PROM_PID")
REPORT=()
echo
echo "queries: 1 warm-up + $RUNS timed runs per server"
for i in "${!NAMES[@]}"; do
  request "$VIGIL_URL" "$i" "$WORK/q$i.vigil.json" >/dev/null
  request "$PROM_URL" "$i" "$WORK/q$i.prometheus.json" >/dev/null
  flags=()
  [ "${KINDS[$i]}" = topk ] && flags=(--topk)
  if result=$(python3 "$HERE/same.py" "${flags[@]}" "$WORK/q$i.vigil.json" "$WORK/q$i.prometheus.json" 2>&1); then
    check "same answer: ${NAMES[$i]}" "$result" "$result"
  else
    check "same answer: ${NAMES[$i]}" "$result" "the same result"
  fi
  vigil_times= prom_times=
  for ((run = 0; run < RUNS; run++)); do
    vigil_times+=" $(request "$VIGIL_URL" "$i" /dev/null)"
    prom_times+=" $(request "$PROM_URL" "$i" /dev/null)"
  done
  v=$(echo "$vigil_times" | median)
  p=$(echo "$prom_times" | median)
  REPORT+=("$(printf '%-60s %9s %9s %7s %7s %7s' "${NAMES[$i]}" "$(ms "$v")" "$(ms "$p")" "$(ratio "$v" "$p")" \
    "$(mb "$(rss_kb "$VIGIL_PID")")" "$(mb "$(rss_kb "$PROM_PID")")")")
done

echo
echo "$APP_SERIES counter series + $((HISTOGRAMS * 14)) histogram series x ${HOURS}h at 15 s, $WIDE_SERIES wide series x 2;"
echo "$SAMPLES samples. Range queries: $(((END_S - RANGE_START) / 60 + 1)) steps of 60 s; lookups over the last 10 min."
echo "Median of $RUNS runs (curl time_total), ms; RSS in MB after each query's runs."
printf '%-60s %9s %9s %7s %7s %7s\n' query Vigil Prom V/Prom "RSS V" "RSS P"
printf '%-60s %9s %9s %7s %7s %7s\n' "(RSS before the queries)" "" "" "" "$(mb "${RSS_BEFORE[vigil]}")" "$(mb "${RSS_BEFORE[prometheus]}")"
printf '%s\n' "${REPORT[@]}"
echo "(V/Prom below 1: Vigil faster)"

echo
echo "promql-speed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
