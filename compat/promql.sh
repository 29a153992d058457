#!/usr/bin/env bash
# Vigil's PromQL engine and HTTP API against Prometheus 2.42 (Debian's package), on the same data.
#
# compat/promql/dataset.py sends one seeded two-hour dataset (counters with resets, gauges with
# negative, NaN and infinite values, gaps, a stale marker, classic histograms, a many-valued
# metric) to both servers through remote write. compat/promql/compare.py then runs every query in
# compat/promql/battery.promql as instant queries at four times and as two range queries against
# both, and compares status, errorType, resultType, label sets and values (relative 1e-9).
# compat/promql/VERSION_DIFFERENCES lists queries whose answer changed between 2.42 and the 2.53
# semantics Vigil follows; for those Vigil must answer without an error.
# Prints each failure with both answers, then "promql: N passed, M failed"; exits non-zero on any.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3

VIGIL=$(vigil_binary)
WORK=$(mktemp -d)
PROM_PORT=19700
VIGIL_PORT=19701
HERE="$COMPAT_ROOT/compat/promql"
cleanup() {
  [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null || true
  [ -n "${VIGIL_PID:-}" ] && kill "$VIGIL_PID" 2>/dev/null || true
  [ -n "${PROM_PID:-}" ] && wait "$PROM_PID" 2>/dev/null || true
  [ -n "${VIGIL_PID:-}" ] && wait "$VIGIL_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

# No scrape jobs: both servers hold exactly the dataset. evaluation_interval is the default step of
# subqueries written without one (`[10m:]`).
echo "global: {scrape_interval: 15s, evaluation_interval: 15s}" > "$WORK/config.yml"

prometheus --config.file="$WORK/config.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --web.enable-remote-write-receiver \
  --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
"$VIGIL" server --config "$WORK/config.yml" --data-dir "$WORK/vigil" \
  --listen "127.0.0.1:$VIGIL_PORT" --log.level warn >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60 || { cat "$WORK/prometheus.log" >&2; exit 1; }
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 60 || { cat "$WORK/vigil.log" >&2; exit 1; }

# The last sample sits on the last whole hour at least a minute ago: the dataset is in the past,
# and subquery steps (aligned to multiples of the step since the epoch) fall at the same offsets
# into the data on every run, so each run evaluates exactly the same points.
END_MS=$(( ($(date +%s) - 60) / 3600 * 3600 * 1000 ))
python3 "$HERE/dataset.py" "$END_MS" \
  "http://127.0.0.1:$PROM_PORT/api/v1/write" "http://127.0.0.1:$VIGIL_PORT/api/v1/write"

# Both must hold every sample before the battery starts.
expected=$(python3 "$HERE/dataset.py" "$END_MS" --count)
count_samples() {
  curl -fsS "http://127.0.0.1:$1/api/v1/query" --data-urlencode 'query={__name__=~".+"}[3h]' \
    --data-urlencode "time=$((END_MS / 1000))" |
    python3 -c 'import json,sys; print(sum(len(s["values"]) for s in json.load(sys.stdin)["data"]["result"]))'
}
for port in $PROM_PORT $VIGIL_PORT; do
  got=0
  for ((i = 0; i < 100; i++)); do
    got=$(count_samples "$port")
    [ "$got" = "$expected" ] && break
    sleep 0.1
  done
  if [ "$got" != "$expected" ]; then
    echo "server on port $port holds $got samples, expected $expected" >&2
    exit 1
  fi
done

python3 "$HERE/compare.py" "http://127.0.0.1:$PROM_PORT" "http://127.0.0.1:$VIGIL_PORT" "$END_MS" \
  "$HERE/battery.promql" "$HERE/VERSION_DIFFERENCES"
