#!/usr/bin/env bash
# Scraping CPU per sample, Vigil beside Prometheus 2.42 (Debian's package): the same targets on
# the same machine in the same run, one server after the other (never both at once, so they do not
# compete for the cores).
#
# compat/scrape-speed/targets.py serves one pre-rendered node_exporter-like payload
# (compat/gen_node_payload.py, SCRAPE_SPEED_SERIES = 1,000 series) on SCRAPE_SPEED_TARGETS (200)
# loopback addresses 127.0.0.1..N, port 19682, from one asyncio process (gzip when the scraper
# asks, as node_exporter does; SCRAPE_SPEED_GZIP=0 serves it plain). Values stay constant. Each
# server in turn gets the same config (one job, the N targets, scrape_interval 1s, default
# settings otherwise) and a fresh data directory; once all N targets are up and
# SCRAPE_SPEED_WARMUP s (10) have passed, the script reads utime+stime from /proc/<pid>/stat at
# both ends of a SCRAPE_SPEED_SECONDS (60) window, and the server's own series over that window:
#   samples   sum(sum_over_time(scrape_samples_scraped[window])) + 5 report samples per scrape,
#             scrapes = sum(count_over_time(up[window]))
#   figures   CPU seconds per million samples, the Vigil / Prometheus ratio, VmRSS at the end,
#             average scrape_duration_seconds, failed scrapes in the window; the target
#             process's CPU and the whole machine's busy share over each window (so a reader can
#             see whether the machine was saturated)
# Figures are printed, never asserted. Checks (pass/fail) are correctness only: all N targets up
# on both, every target's series ingested (count of the payload's series in the head = N x
# series), samples in the window on both. Prints "scrape-speed: N passed, M failed"; exits
# non-zero on a failed check or a setup failure. Takes about 3 min after the build.
#
# SCRAPE_SPEED_PER_FAMILY=3 writes 3 series per metric family (a HELP and a TYPE line each, as a
# real node_exporter's few hundred families) instead of 200.
# SCRAPE_SPEED_VIGIL=/path/to/vigil measures that binary (use a release build) instead of
# building the work tree's release product; SCRAPE_SPEED_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl jq python3

TARGETS=${SCRAPE_SPEED_TARGETS:-200}
SERIES=${SCRAPE_SPEED_SERIES:-1000}
PER_FAMILY=${SCRAPE_SPEED_PER_FAMILY:-200}
WINDOW=${SCRAPE_SPEED_SECONDS:-60}
WARMUP=${SCRAPE_SPEED_WARMUP:-10}
GZIP=${SCRAPE_SPEED_GZIP:-1}
VIGIL_PORT=19680
PROM_PORT=19681
TARGET_PORT=19682
((TARGETS >= 1 && TARGETS <= 254)) || { echo "SCRAPE_SPEED_TARGETS must be 1..254" >&2; exit 1; }

WORK=$(mktemp -d -t scrape-speed.XXXXXX)
TARGETS_PID= SERVER_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not in subshells
  for pid in $SERVER_PID $TARGETS_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $SERVER_PID $TARGETS_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${SCRAPE_SPEED_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "scrape-speed: setup failed: $*" >&2
  exit 1
}

if [ -n "${SCRAPE_SPEED_VIGIL:-}" ]; then
  VIGIL=$SCRAPE_SPEED_VIGIL
else
  echo "building vigil (release)"
  (cd "$COMPAT_ROOT" && swift build -c release --product vigil) >"$WORK/build.log" 2>&1 ||
    { tail -30 "$WORK/build.log" >&2; setup_failure "swift build of vigil"; }
  VIGIL="$(cd "$COMPAT_ROOT" && swift build -c release --show-bin-path)/vigil"
fi
[ -x "$VIGIL" ] || setup_failure "no vigil binary at $VIGIL"

for address in 127.0.0.1:$VIGIL_PORT 127.0.0.1:$PROM_PORT 127.0.0.1:$TARGET_PORT "127.0.0.$TARGETS:$TARGET_PORT"; do
  if (exec 3<>"/dev/tcp/${address%:*}/${address#*:}") 2>/dev/null; then
    setup_failure "$address is already in use (this script needs ports 19680-19682)"
  fi
done

python3 "$COMPAT_ROOT/compat/gen_node_payload.py" "$SERIES" "$PER_FAMILY" >"$WORK/payload.txt"
PAYLOAD_SERIES=$(grep -vc '^#' "$WORK/payload.txt")
[ "$PAYLOAD_SERIES" = "$SERIES" ] || setup_failure "payload has $PAYLOAD_SERIES series, want $SERIES"
python3 "$COMPAT_ROOT/compat/scrape-speed/targets.py" $TARGET_PORT "$TARGETS" "$WORK/payload.txt" \
  "$([ "$GZIP" = 1 ] && echo gzip || echo identity)" >"$WORK/targets.log" 2>&1 &
TARGETS_PID=$!
wait_http "http://127.0.0.$TARGETS:$TARGET_PORT/metrics" 20 || { cat "$WORK/targets.log" >&2; setup_failure "targets did not start"; }
cat "$WORK/targets.log"

{
  cat <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: node
    static_configs:
      - targets:
EOF
  for ((i = 1; i <= TARGETS; i++)); do echo "          - 127.0.0.$i:$TARGET_PORT"; done
} >"$WORK/config.yml"

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
# Busy and total jiffies of the whole machine (all cores), from /proc/stat.
machine_ticks() { awk '/^cpu / { total = 0; for (i = 2; i <= NF; i++) total += $i; print total - $5 - $6, total }' /proc/stat; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
query_value() { # url query time -> first value or "none"
  curl -fsS --get "$1/api/v1/query" --data-urlencode "query=$2" --data-urlencode "time=$3" |
    jq -r '.data.result[0].value[1] // "none"'
}
up_targets() { # url -> number of active targets whose health is up
  curl -fsS "$1/api/v1/targets?state=active" 2>/dev/null | jq '[.data.activeTargets[] | select(.health == "up")] | length' 2>/dev/null || echo 0
}

RESULTS=$WORK/results
: >"$RESULTS"
check() { # name actual expected
  if [ "$2" = "$3" ]; then
    echo "PASS $1 ($2)" | tee -a "$RESULTS"
  else
    echo "FAIL $1: got $2, want $3" | tee -a "$RESULTS"
  fi
}

declare -A CPU SAMPLES SCRAPES FAILED RSS DURATION TARGET_CPU MACHINE_BUSY UP_WAIT WINDOW_S
measure() { # name url start-command...
  local name=$1 url=$2 t0 t1 cpu0 cpu1 tcpu0 tcpu1 m0 m1 m0_total m1_total at window_ms window_s scraped up_sum
  shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  wait_http "$url/-/ready" 60 || { tail -20 "$WORK/$name.log" >&2; setup_failure "$name not ready"; }
  t0=$(now_ms)
  while (($(up_targets "$url") < TARGETS)); do
    if (($(now_ms) - t0 > 60000)); then break; fi
    sleep 0.5
  done
  UP_WAIT[$name]=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  check "$name: all $TARGETS targets up" "$(up_targets "$url")" "$TARGETS"
  sleep "$WARMUP"

  t0=$(now_ms)
  cpu0=$(cpu_ticks "$SERVER_PID")
  tcpu0=$(cpu_ticks "$TARGETS_PID")
  read -r m0 m0_total < <(machine_ticks)
  sleep "$WINDOW"
  t1=$(now_ms)
  cpu1=$(cpu_ticks "$SERVER_PID")
  tcpu1=$(cpu_ticks "$TARGETS_PID")
  read -r m1 m1_total < <(machine_ticks)
  RSS[$name]=$(rss_kb "$SERVER_PID")

  at=$(awk -v ms="$t1" 'BEGIN { printf "%.3f", ms / 1000 }')
  window_ms=$((t1 - t0))
  window_s=$(awk -v ms="$window_ms" 'BEGIN { printf "%.3f", ms / 1000 }')
  SCRAPES[$name]=$(query_value "$url" "sum(count_over_time(up{job=\"node\"}[${window_ms}ms]))" "$at")
  up_sum=$(query_value "$url" "sum(sum_over_time(up{job=\"node\"}[${window_ms}ms]))" "$at")
  FAILED[$name]=$(awk -v n="${SCRAPES[$name]}" -v u="$up_sum" 'BEGIN { if (n == "none" || u == "none") print "n/a"; else printf "%.0f", n - u }')
  WINDOW_S[$name]=$window_s
  scraped=$(query_value "$url" "sum(sum_over_time(scrape_samples_scraped{job=\"node\"}[${window_ms}ms]))" "$at")
  SAMPLES[$name]=$(awk -v s="$scraped" -v n="${SCRAPES[$name]}" 'BEGIN { if (s == "none" || n == "none") print 0; else printf "%.0f", s + 5 * n }')
  DURATION[$name]=$(query_value "$url" "avg(avg_over_time(scrape_duration_seconds{job=\"node\"}[${window_ms}ms]))" "$at")
  CPU[$name]=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')
  TARGET_CPU[$name]=$(awk -v a="$tcpu0" -v b="$tcpu1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')
  MACHINE_BUSY[$name]=$(awk -v b0="$m0" -v b1="$m1" -v t0="$m0_total" -v t1="$m1_total" 'BEGIN { printf "%.0f", 100 * (b1 - b0) / (t1 - t0) }')

  check "$name: the payload's series of every target ingested (count of node* series)" \
    "$(query_value "$url" "count({job=\"node\",__name__=~\"node.*\"})" "$at")" $((TARGETS * SERIES))
  if awk -v s="${SAMPLES[$name]}" 'BEGIN { exit !(s > 0) }'; then
    echo "PASS $name: samples scraped in the window (${SAMPLES[$name]})" | tee -a "$RESULTS"
  else
    echo "FAIL $name: samples scraped in the window (${SAMPLES[$name]})" | tee -a "$RESULTS"
  fi
  kill -0 "$SERVER_PID" 2>/dev/null || echo "FAIL $name: the process exited during the run" | tee -a "$RESULTS"
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

echo
echo "== Vigil ($VIGIL)"
measure vigil "http://127.0.0.1:$VIGIL_PORT" \
  "$VIGIL" server --config "$WORK/config.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT"
echo
echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
measure prometheus "http://127.0.0.1:$PROM_PORT" \
  prometheus --config.file="$WORK/config.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn

per_million() { awk -v c="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.3f", c / (s / 1e6); else print "n/a" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "n/a" || b == "n/a" || b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-50s %14s %14s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
echo
echo "$TARGETS targets x $SERIES series at 1 s, $(wc -c <"$WORK/payload.txt") bytes per scrape" \
  "($([ "$GZIP" = 1 ] && echo "gzip when asked" || echo plain)), ${WINDOW} s window after ${WARMUP} s warm-up, $(nproc) cores"
printf '%-50s %14s %14s %8s\n' "" Vigil Prometheus V/Prom
row "CPU seconds in the window (utime+stime)" "${CPU[vigil]}" "${CPU[prometheus]}"
row "scrapes in the window" "${SCRAPES[vigil]}" "${SCRAPES[prometheus]}"
row "failed scrapes in the window (up == 0)" "${FAILED[vigil]}" "${FAILED[prometheus]}"
row "samples in the window (scraped + 5 per scrape)" "${SAMPLES[vigil]}" "${SAMPLES[prometheus]}"
row "CPU seconds per million samples" "$(per_million "${CPU[vigil]}" "${SAMPLES[vigil]}")" \
  "$(per_million "${CPU[prometheus]}" "${SAMPLES[prometheus]}")"
row "cores busy (CPU seconds / window)" "$(awk -v c="${CPU[vigil]}" -v w="${WINDOW_S[vigil]}" 'BEGIN { printf "%.2f", c / w }')" \
  "$(awk -v c="${CPU[prometheus]}" -v w="${WINDOW_S[prometheus]}" 'BEGIN { printf "%.2f", c / w }')"
row "avg scrape_duration_seconds, ms" "$(awk -v d="${DURATION[vigil]}" 'BEGIN { printf "%.2f", d * 1000 }')" \
  "$(awk -v d="${DURATION[prometheus]}" 'BEGIN { printf "%.2f", d * 1000 }')"
row "RSS at the end of the window, MB" "$(awk -v k="${RSS[vigil]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$(awk -v k="${RSS[prometheus]}" 'BEGIN { printf "%.1f", k / 1024 }')"
row "seconds from ready to all targets up" "${UP_WAIT[vigil]}" "${UP_WAIT[prometheus]}"
row "target process CPU seconds in the window" "${TARGET_CPU[vigil]}" "${TARGET_CPU[prometheus]}"
row "whole machine busy in the window, %" "${MACHINE_BUSY[vigil]}" "${MACHINE_BUSY[prometheus]}"
echo "(ratios are Vigil / Prometheus: below 1 is Vigil cheaper; the issue's target is CPU per sample <= 0.5)"

passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
echo
echo "scrape-speed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
