#!/usr/bin/env bash
# Vigil's exposition parsers against Prometheus 2.42's scraper (Debian's package), on the same bytes.
#
# Every payload under compat/exposition/ is served over HTTP with its format's Content-Type.
# Prometheus scrapes each one (up == 1 means it accepted the payload) and `vigil check metrics`
# parses the same file. For accepted payloads the two must agree on every series and value.
# compat/exposition/DIVERGENCES lists the payloads where Vigil deliberately follows the spec and
# Prometheus 2.42 accepts anyway; for those the check is that the divergence still holds.
# Prints "N passed, M failed" and exits non-zero on any difference.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3 jq

VIGIL=$(vigil_binary)
WORK=$(mktemp -d)
PROM_PORT=19590
HTTP_PORT=19591
cleanup() {
  [ -n "${PROM_PID:-}" ] && kill "$PROM_PID" 2>/dev/null || true
  [ -n "${HTTP_PID:-}" ] && kill "$HTTP_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

PAYLOADS="$COMPAT_ROOT/compat/exposition"
python3 "$COMPAT_ROOT/compat/exposition_server.py" "$PAYLOADS" "$HTTP_PORT" &
HTTP_PID=$!

{
  echo "global: {scrape_interval: 1s, scrape_timeout: 1s}"
  echo "scrape_configs:"
  for file in "$PAYLOADS"/*.txt "$PAYLOADS"/*.om; do
    name=$(basename "$file")
    job=${name//./_}
    echo "  - job_name: $job"
    echo "    metrics_path: /$name"
    echo "    honor_labels: true"
    echo "    static_configs: [{targets: ['127.0.0.1:$HTTP_PORT']}]"
  done
} > "$WORK/prometheus.yml"

prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/tsdb" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" 60
expected=$(ls "$PAYLOADS"/*.txt "$PAYLOADS"/*.om | wc -l)
# Prometheus applies discovered targets at most every 5s; wait until every target has been scraped twice.
for ((i = 0; i < 300; i++)); do
  scraped=$(curl -fsS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" \
    --data-urlencode 'query=count(count_over_time(up[1m]) >= 2)' | jq -r '.data.result[0].value[1] // 0')
  [ "$scraped" = "$expected" ] && break
  sleep 0.1
done
if [ "$scraped" != "$expected" ]; then
  echo "only $scraped of $expected targets were scraped twice" >&2
  cat "$WORK/prometheus.log" >&2
  exit 1
fi

query() {
  curl -fsS --get "http://127.0.0.1:$PROM_PORT/api/v1/query" --data-urlencode "query=$1"
}

passed=0
failed=0
for file in "$PAYLOADS"/*.txt "$PAYLOADS"/*.om; do
  name=$(basename "$file")
  job=${name//./_}
  case "$name" in *.om) format=openmetrics ;; *) format=text ;; esac
  up=$(query "up{job=\"$job\"}" | jq -r '.data.result[0].value[1] // "missing"')
  if "$VIGIL" check metrics --format "$format" --print "$file" >"$WORK/vigil.out" 2>"$WORK/vigil.err"; then
    vigil_ok=1
  else
    vigil_ok=0
  fi
  divergence=$(grep -E "^$name " "$PAYLOADS/DIVERGENCES" | cut -d' ' -f2- || true)
  if [ -n "$divergence" ]; then
    # A documented case where Vigil follows the spec and Prometheus 2.42 is lenient.
    if [ "$up" = 1 ] && [ "$vigil_ok" = 0 ]; then
      passed=$((passed + 1))
    else
      echo "FAIL $name: documented divergence no longer holds (prometheus up=$up, vigil accepted=$vigil_ok): $divergence"
      failed=$((failed + 1))
    fi
    continue
  fi
  if [ "$up" != "$vigil_ok" ]; then
    echo "FAIL $name: prometheus up=$up, vigil accepted=$vigil_ok $(head -c 300 "$WORK/vigil.err")"
    failed=$((failed + 1))
    continue
  fi
  if [ "$vigil_ok" = 1 ]; then
    # Every series Prometheus stored from this target, without the target labels, as name{labels} value.
    query "{job=\"$job\",__name__!~\"up|scrape_.*\"}" | jq -r '
      .data.result[] | .metric as $m
      | ($m | del(.__name__, .job, .instance) | to_entries | sort_by(.key)
          | map("\(.key)=\(.value | tojson)") | join(",")) as $labels
      | "\($m.__name__){\($labels)} \(.value[1])"' | sort >"$WORK/prom.sorted"
    sort "$WORK/vigil.out" >"$WORK/vigil.sorted"
    if ! diff -u "$WORK/prom.sorted" "$WORK/vigil.sorted" >"$WORK/diff"; then
      echo "FAIL $name: series differ"
      head -20 "$WORK/diff"
      failed=$((failed + 1))
      continue
    fi
  fi
  passed=$((passed + 1))
done

echo "exposition: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
