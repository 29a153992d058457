#!/usr/bin/env bash
# Rule evaluation cost, Vigil beside Prometheus 2.42 (Debian's package): the same RULES_SPEED_RULES
# (10,000) alerting rules in groups of 100 at a 15 s interval over the same data, one server after
# the other (never both at once, so they do not compete for the cores).
#
# compat/rules-speed/generate.py writes the data (RULES_SPEED_SERIES = 2,000 series of `load`,
# constant, served by compat/rules-speed/exporter.py and scraped every 15 s) and the rules (each
# watches one instance with its own threshold, `for: 30s`, templated labels and annotations; about
# half fire). Once every group has evaluated twice and RULES_SPEED_WARMUP s (20) have passed, the
# script reads utime+stime from /proc/<pid>/stat at both ends of a RULES_SPEED_SECONDS (60) window,
# then, from /api/v1/rules, the sum of the groups' last evaluationTime (one round of all rules).
#   figures   CPU seconds in the window and per evaluation round, one round's summed evaluation
#             time, the share of one core a 15 s interval needs, RSS at the end; Vigil/Prometheus
#   checks    correctness only: every group evaluated without error on both, and the same number
#             of firing alerts (count(ALERTS{alertstate="firing"})) on both
# Prints "rules-speed: N passed, M failed"; exits non-zero on a failed check or a setup failure.
# Takes about 4 min after the build. RULES_SPEED_VIGIL=/path/to/vigil measures that binary (a
# release build) instead of building the work tree's release product; RULES_SPEED_KEEP=1 keeps
# the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl jq python3

RULES=${RULES_SPEED_RULES:-10000}
SERIES=${RULES_SPEED_SERIES:-2000}
WINDOW=${RULES_SPEED_SECONDS:-60}
WARMUP=${RULES_SPEED_WARMUP:-20}
VIGIL_PORT=19740
PROM_PORT=19741
EXPORTER_PORT=19742
HERE="$COMPAT_ROOT/compat/rules-speed"

WORK=$(mktemp -d -t rules-speed.XXXXXX)
EXPORTER_PID= SERVER_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0
  for pid in $SERVER_PID $EXPORTER_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $SERVER_PID $EXPORTER_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${RULES_SPEED_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
setup_failure() {
  echo "rules-speed: setup failed: $*" >&2
  exit 1
}

VIGIL=$(vigil_release_binary "${RULES_SPEED_VIGIL:-}" "$WORK/build.log") || setup_failure "swift build of vigil"
[ -x "$VIGIL" ] || setup_failure "no vigil binary at $VIGIL"
for port in $VIGIL_PORT $PROM_PORT $EXPORTER_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "port $port is in use"; fi
done

python3 "$HERE/generate.py" "$SERIES" "$RULES" "$WORK/payload.txt" "$WORK/rules.yml"
python3 "$HERE/exporter.py" $EXPORTER_PORT "$WORK/payload.txt" >"$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
wait_http "http://127.0.0.1:$EXPORTER_PORT/metrics" 20 || setup_failure "exporter did not start"
GROUPS_EXPECTED=$(( (RULES + 99) / 100 ))
cat >"$WORK/config.yml" <<YAML
global:
  scrape_interval: 15s
  evaluation_interval: 15s
rule_files:
  - $WORK/rules.yml
scrape_configs:
  - job_name: load
    static_configs:
      - targets: ['127.0.0.1:$EXPORTER_PORT']
YAML

CLK_TCK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }
RESULTS=$WORK/results
: >"$RESULTS"
check() { # name actual expected
  if [ "$2" = "$3" ]; then echo "PASS $1 ($2)" | tee -a "$RESULTS"; else echo "FAIL $1: got $2, want $3" | tee -a "$RESULTS"; fi
}
rules_json() { curl -fsS "$1/api/v1/rules?exclude_alerts=true" 2>/dev/null || echo '{}'; }
# Groups whose last evaluation happened at or after $2 (s since the epoch).
groups_evaluated_since() {
  rules_json "$1" | jq --argjson since "$2" \
    '[.data.groups[]? | select(.lastEvaluation != null and (.lastEvaluation | sub("\\.[0-9]+"; "") | sub("Z$"; "Z") | fromdateiso8601) >= $since)] | length' 2>/dev/null || echo 0
}

declare -A CPU ROUND_EVAL RSS FIRING HEALTHY
measure() { # name url start-command...
  local name=$1 url=$2 t0 cpu0 cpu1 started
  shift 2
  "$@" >"$WORK/$name.log" 2>&1 &
  SERVER_PID=$!
  wait_http "$url/-/ready" 60 || { tail -20 "$WORK/$name.log" >&2; setup_failure "$name not ready"; }
  # Two full rounds after the data arrived, so every group has its first evaluation behind it.
  started=$(( $(date +%s) + 16 ))
  t0=$(now_ms)
  while (($(groups_evaluated_since "$url" "$started") < GROUPS_EXPECTED)); do
    (($(now_ms) - t0 > 120000)) && break
    sleep 1
  done
  check "$name: every group evaluated after the data arrived" "$(groups_evaluated_since "$url" "$started")" "$GROUPS_EXPECTED"
  sleep "$WARMUP"
  cpu0=$(cpu_ticks "$SERVER_PID")
  sleep "$WINDOW"
  cpu1=$(cpu_ticks "$SERVER_PID")
  RSS[$name]=$(rss_kb "$SERVER_PID")
  CPU[$name]=$(awk -v a="$cpu0" -v b="$cpu1" -v hz="$CLK_TCK" 'BEGIN { printf "%.2f", (b - a) / hz }')
  local json
  json=$(rules_json "$url")
  ROUND_EVAL[$name]=$(jq "[(.data.groups // [])[].evaluationTime] | add // 0" <<<"$json")
  HEALTHY[$name]=$(jq "[(.data.groups // [])[].rules[] | select(.health == \"ok\")] | length" <<<"$json")
  FIRING[$name]=$(curl -fsS --get "$url/api/v1/query" --data-urlencode 'query=count(ALERTS{alertstate="firing"})' |
    jq -r '.data.result[0].value[1] // "0"')
  check "$name: every rule healthy" "${HEALTHY[$name]}" "$RULES"
  kill -0 "$SERVER_PID" 2>/dev/null || echo "FAIL $name: the process exited during the run" | tee -a "$RESULTS"
  kill "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}

echo "== Vigil ($VIGIL)"
measure vigil "http://127.0.0.1:$VIGIL_PORT" \
  "$VIGIL" server --config "$WORK/config.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" --log.level warn
echo "== Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}')"
measure prometheus "http://127.0.0.1:$PROM_PORT" \
  prometheus --config.file="$WORK/config.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn
check "the same number of firing alerts" "${FIRING[vigil]}" "${FIRING[prometheus]}"
check "alerts fire (about half the rules)" "$(awk -v f="${FIRING[prometheus]}" -v r="$RULES" 'BEGIN { print (f > r / 4 && f < 3 * r / 4) ? "yes" : "no (" f ")" }')" yes

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "n/a"; else printf "%.2f", a / b }'; }
row() { printf '%-52s %12s %12s %8s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
rounds=$(awk -v w="$WINDOW" 'BEGIN { printf "%.2f", w / 15 }')
echo
echo "$RULES alerting rules in $GROUPS_EXPECTED groups every 15 s over $SERIES series, ${WINDOW} s window after ${WARMUP} s warm-up, $(nproc) cores"
printf '%-52s %12s %12s %8s\n' "" Vigil Prometheus V/Prom
row "CPU seconds in the window (utime+stime)" "${CPU[vigil]}" "${CPU[prometheus]}"
row "CPU seconds per round of all rules" "$(awk -v c="${CPU[vigil]}" -v r="$rounds" 'BEGIN { printf "%.3f", c / r }')" \
  "$(awk -v c="${CPU[prometheus]}" -v r="$rounds" 'BEGIN { printf "%.3f", c / r }')"
row "one round's summed group evaluationTime, s" "$(printf '%.3f' "${ROUND_EVAL[vigil]}")" "$(printf '%.3f' "${ROUND_EVAL[prometheus]}")"
row "share of one core needed at 15 s, %" "$(awk -v c="${CPU[vigil]}" -v w="$WINDOW" 'BEGIN { printf "%.1f", 100 * c / w }')" \
  "$(awk -v c="${CPU[prometheus]}" -v w="$WINDOW" 'BEGIN { printf "%.1f", 100 * c / w }')"
row "firing alerts" "${FIRING[vigil]}" "${FIRING[prometheus]}"
row "RSS at the end of the window, MB" "$(awk -v k="${RSS[vigil]}" 'BEGIN { printf "%.1f", k / 1024 }')" \
  "$(awk -v k="${RSS[prometheus]}" 'BEGIN { printf "%.1f", k / 1024 }')"
echo "(ratios are Vigil / Prometheus: below 1 is Vigil cheaper; the issue's target: 10,000 rules every 15 s on one core with headroom)"

passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
echo
echo "rules-speed: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
