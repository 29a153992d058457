# Helpers for the TSDB comparisons (tsdb-compare.sh, tsdb-replay.sh): source it after common.bash.
# The sourcing script defines setup_failure (prints why and exits).

# Starts a store ($1: start function, $2: PID variable, $3: readiness URL, $4: log) and sets
# READY_SECONDS to the time from launch until the URL answers 200.
timed_start() {
  local start_fn=$1 pid_var=$2 url=$3 log=$4 t0 now
  t0=$(date +%s%N)
  "$start_fn"
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    now=$(date +%s%N)
    if ! kill -0 "${!pid_var}" 2>/dev/null; then tail -20 "$log" >&2; setup_failure "$start_fn: the process exited"; fi
    if ((now - t0 > 300000000000)); then tail -20 "$log" >&2; setup_failure "$start_fn: not ready after 300 s"; fi
    sleep 0.01
  done
  now=$(date +%s%N)
  READY_SECONDS=$(awk -v ns=$((now - t0)) 'BEGIN { printf "%.2f", ns / 1e9 }')
}

# The sum of every sample of metric $2 (any labels) on $1/metrics, as an integer.
metric() {
  curl -fsS "$1/metrics" | awk -v name="$2" '$1 == name || index($1, name "{") == 1 { sum += $2; found = 1 }
    END { if (found) printf "%.0f\n", sum; else print "missing" }'
}
# The same, as seconds with 3 decimals.
metric_seconds() {
  curl -fsS "$1/metrics" | awk -v name="$2" '$1 == name { printf "%.3f\n", $2; found = 1 } END { if (!found) print "n/a" }'
}
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
cpu_seconds() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f\n", ($14 + $15) / hz }' "/proc/$1/stat"; }
# An instant PromQL query at time $3 (s) against $1, printing the first result's value or 0.
query_value() {
  curl -fsS --get "$1/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$3" --data-urlencode nocache=1 |
    jq -r '.data.result[0].value[1] // "0"'
}
# Every sample in the WINDOW_MS ($2) before time $3 (s) on $1, counted one metric name at a time:
# Prometheus refuses count_over_time across names (the results' label sets collide without
# __name__).
samples_by_name() {
  local url=$1 window_ms=$2 at=$3 total=0 name value
  for name in $(curl -fsS "$url/api/v1/label/__name__/values" | jq -r '.data[]'); do
    value=$(query_value "$url" "sum(count_over_time({__name__=\"$name\"}[${window_ms}ms]))" "$at")
    total=$((total + value))
  done
  echo "$total"
}

passed=0
failed=0
# check NAME ACTUAL EXPECTED: a correctness check that must hold.
check() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "ok   $1 ($2)"
  else
    failed=$((failed + 1))
    echo "FAIL $1: got $2, want $3"
  fi
}

