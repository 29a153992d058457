#!/usr/bin/env bash
# Vigil's Pushgateway API beside the Prometheus Pushgateway (Debian's package, 1.5.x).
#
# The same sequence of requests goes to both: PUT, POST and DELETE; base64 and percent-encoded
# grouping keys; pushes with timestamps, type conflicts, duplicates, suffix collisions and bad
# bodies; bad URLs. Every status code must match. Then what each exposes must match:
#   text    the Pushgateway's /metrics (without its own go_*/process_*/pushgateway_*/promhttp_*
#           metrics) against Vigil's /pushgateway/metrics, byte for byte once push time values
#           (not their being 0 or not) are masked;
#   json    /api/v1/metrics on both, groups sorted, time_stamp fields and push time values masked;
#   promql  Prometheus 2.42 scraping the Pushgateway with honor_labels: true against Vigil's own
#           ingestion: the same series and values in an instant query;
#   restart both again after a restart: the Pushgateway stopped with SIGTERM (it persists on
#           shutdown), Vigil with SIGKILL (every acknowledged push must already be on disk).
# Last, compat/pushgateway_fuzz.py sends the same mutated bodies to both (status codes must match,
# then the views; PUSHGATEWAY_FUZZ_SEED, PUSHGATEWAY_FUZZ_COUNT). `vigil push` is used as a client
# against both. Requests the Pushgateway 1.5 handles badly are
# left out (a base64 job that does not decode leaves that route's mutex locked; a base64 label
# value that is not UTF-8 is stored and fails every later push); Vigil's answers to those, and to
# what it deliberately refuses (protobuf, compressed bodies), are checked on Vigil alone.
# Prints PASS/FAIL per check and "pushgateway: N passed, M failed"; exits non-zero on a failure.
# PUSHGATEWAY_COMPAT_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus-pushgateway prometheus curl jq python3

VIGIL=$(vigil_binary)
PG_PORT=19660
VIGIL_PORT=19661
PROM_PORT=19662
PG=http://127.0.0.1:$PG_PORT
VG=http://127.0.0.1:$VIGIL_PORT
PROM=http://127.0.0.1:$PROM_PORT
WORK=$(mktemp -d -t pushgateway-compat.XXXXXX)
PG_PID= VIGIL_PID= PROM_PID=
cleanup() {
  for pid in $PG_PID $VIGIL_PID $PROM_PID; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ "${PUSHGATEWAY_COMPAT_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "pushgateway: setup failed: $*" >&2
  exit 1
}

printf 'global:\n  scrape_interval: 1s\nscrape_configs: []\n' >"$WORK/vigil.yml"
cat >"$WORK/prometheus.yml" <<EOF
global: {scrape_interval: 1s, scrape_timeout: 1s}
scrape_configs:
  - job_name: pushgateway
    honor_labels: true
    static_configs: [{targets: ['127.0.0.1:$PG_PORT']}]
EOF

start_pushgateway() {
  prometheus-pushgateway --web.listen-address="127.0.0.1:$PG_PORT" \
    --persistence.file="$WORK/pushgateway.store" >>"$WORK/pushgateway.log" 2>&1 &
  PG_PID=$!
  wait_http "$PG/-/ready" 30 || { tail -20 "$WORK/pushgateway.log" >&2; setup_failure "the Pushgateway did not start"; }
}
start_vigil() {
  "$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/vigil" --listen "127.0.0.1:$VIGIL_PORT" \
    >>"$WORK/vigil.log" 2>&1 &
  VIGIL_PID=$!
  wait_http "$VG/-/ready" 60 || { tail -20 "$WORK/vigil.log" >&2; setup_failure "vigil server did not start"; }
}

passed=0
failed=0
# check NAME GOT WANT
check() {
  if [ "$2" = "$3" ]; then
    passed=$((passed + 1))
    echo "PASS $1 ($2)"
  else
    failed=$((failed + 1))
    echo "FAIL $1: vigil $2, pushgateway $3"
  fi
}
# check_files NAME VIGIL_FILE PUSHGATEWAY_FILE: identical, or FAIL with the diff.
check_files() {
  if diff -u "$3" "$2" >"$WORK/diff.txt"; then
    passed=$((passed + 1))
    echo "PASS $1 ($(wc -l <"$2") lines)"
  else
    failed=$((failed + 1))
    echo "FAIL $1 (- pushgateway, + vigil):"
    sed 's/^/    /' "$WORK/diff.txt" | head -60
  fi
}

# status BASE METHOD PATH BODY [curl args]: the HTTP status code.
status() {
  local base=$1 method=$2 path=$3 body=$4
  shift 4
  curl -s -o "$WORK/response.txt" -w '%{http_code}' -X "$method" --data-binary "$body" "$@" "$base$path"
}
# same NAME METHOD PATH BODY [curl args]: the request to both; the status codes must match.
same() {
  local name=$1 method=$2 path=$3 body=$4 pg vg
  shift 4
  pg=$(status "$PG" "$method" "$path" "$body" "$@")
  vg=$(status "$VG" "$method" "$path" "$body" "$@")
  check "status: $name ($method $path)" "$vg" "$pg"
}
# vigil_only NAME METHOD PATH BODY WANT [curl args]: a request checked on Vigil alone.
vigil_only() {
  local name=$1 method=$2 path=$3 body=$4 want=$5
  shift 5
  check "vigil only: $name ($method $path)" "$(status "$VG" "$method" "$path" "$body" "$@")" "$want"
}

own_metrics='^(# (HELP|TYPE) )?(go_|process_|pushgateway_|promhttp_)'
# The exposition without the Pushgateway's own metrics, push time values masked (0 kept).
exposition() {
  curl -fsS "$1" | grep -Ev "$own_metrics" |
    sed -E 's/^(push_(failure_)?time_seconds(\{[^}]*\})?) [^0 ][^ ]*$/\1 <time>/'
}
# /api/v1/metrics with groups sorted and times masked.
groups_json() {
  curl -fsS "$1/api/v1/metrics" | jq -S '
    [.data[] | with_entries(
      if (.value | type) == "object" and (.value | has("time_stamp")) then
        .value |= del(.time_stamp)
        | if (.key | test("^push_(failure_)?time_seconds$")) then
            .value.metrics |= map(.value |= (if . == "0" then . else "<time>" end))
          else . end
      else . end)]
    | sort_by(.labels | to_entries | sort_by(.key) | map("\(.key)=\(.value)") | join(","))'
}
# Every pushed series an instant query returns, one "labels value" line each, push times masked.
pushed_series() {
  curl -fsS --get "$1/api/v1/query" \
    --data-urlencode 'query={__name__=~".+",__name__!~"go_.*|process_.*|pushgateway_.*|promhttp_.*|up|scrape_.*"}' |
    jq -r '.data.result[]
      | ((.metric | to_entries | sort_by(.key) | map("\(.key)=\(.value | tojson)") | join(",")) + " "
        + (if (.metric.__name__ | test("^push_(failure_)?time_seconds$")) and .value[1] != "0" then "<time>" else .value[1] end))' |
    sort
}

compare_views() {
  local when=$1
  exposition "$PG/metrics" >"$WORK/pushgateway.txt"
  exposition "$VG/pushgateway/metrics" >"$WORK/vigil.txt"
  check_files "text exposition $when" "$WORK/vigil.txt" "$WORK/pushgateway.txt"
  groups_json "$PG" >"$WORK/pushgateway.json"
  groups_json "$VG" >"$WORK/vigil.json"
  check_files "JSON groups $when" "$WORK/vigil.json" "$WORK/pushgateway.json"
}

start_pushgateway
start_vigil
echo "Pushgateway $(prometheus-pushgateway --version 2>&1 | head -1 | awk '{print $3}'), vigil $("$VIGIL" version | head -1)"

echo
echo "pushes"
same "PUT a group with every type" PUT /metrics/job/j1/instance/i1 $'# HELP foo A foo\n# TYPE foo counter\nfoo{a="",b="x"} 1\nfoo{b="y"} 2.5\nbar 3\n# TYPE h histogram\nh_bucket{le="1"} 2.7\nh_bucket{le="0.5"} 1\nh_sum 3\n# TYPE s summary\ns{quantile="0.5"} 1\ns{quantile="0.9",a="b"} 7\ns_count 2\ns_sum{a="b"} 1e6\n'
same "POST replaces the families it names" POST /metrics/job/j1/instance/i1 $'# TYPE foo counter\nfoo{b="z"} 7\nnewfam 1\n'
same "PUT another job" PUT /metrics/job/a $'# HELP x first\n# TYPE x gauge\nx 1\ny 2\n'
same "POST to it" POST /metrics/job/a $'# TYPE x gauge\nx{k="v"} 3\nz 4\n'
same "PUT replaces the group" PUT /metrics/job/replaced $'old 1\nkept 1\n'
same "PUT again" PUT /metrics/job/replaced $'kept 2\n'
same "PUT with an empty body" PUT /metrics/job/emptied $'gone 1\n'
same "PUT an empty body" PUT /metrics/job/emptied ''
same "POST an empty body to a new group" POST /metrics/job/touched ''
same "grouping labels override the body's" PUT /metrics/job/over/zone/eu $'ov{job="other",instance="zz",zone="us",k="v"} 1\n'
same "base64 job" PUT /metrics/job@base64/dDY $'b64 1\n'
same "base64 value with a slash" PUT /metrics/job/t7/path@base64/L3Zhci90bXA $'b64 2\n'
same "base64 value with padding" PUT /metrics/job/t7/path@base64/YQ== $'b64 3\n'
same "base64 value without padding" POST /metrics/job/t7/path@base64/YQ $'b64x 3\n'
same "base64 empty value" PUT /metrics/job/t7/empty@base64/= $'b64 4\n'
same "trailing empty value" PUT /metrics/job/t12/a/ $'tr 1\n'
same "percent-encoded value" PUT /metrics/job/t15/b/%C3%A9 $'pct 1\n'
same "repeated label keeps the last" PUT /metrics/job/t17/a/b/a/c $'rep 1\n'
same "job label in the path" PUT /metrics/job/t18/job/zzz $'jl 1\n'
same "OpenMetrics content type is read as text" POST /metrics/job/t10 $'om 1\n' -H 'Content-Type: application/openmetrics-text; version=1.0.0'
same "push_time_seconds in the body" PUT /metrics/job/g $'push_time_seconds 1\n'
same "NaN and infinities" PUT /metrics/job/special $'# TYPE sp gauge\nsp{v="nan"} NaN\nsp{v="inf"} +Inf\nsp{v="-inf"} -Inf\n'
same "histogram counts converted as Go does" PUT /metrics/job/u $'# TYPE hc histogram\nhc_bucket{le="1"} -1\nhc_bucket{le="2"} 2.9\nhc_count 1e30\n'
same "escapes" PUT /metrics/job/esc $'# HELP esc Help with \\\\ and \\n.\nesc{v="a\\\\b\\"c\\nd"} 1\n'

echo
echo "refused pushes"
same "timestamps" PUT /metrics/job/ts $'x 1 1234\n'
same "type conflict with another group" POST /metrics/job/d $'# TYPE z counter\nz 1\n'
same "duplicate series in the body" PUT /metrics/job/dup $'q 1\nq 2\n'
same "first of two groups" PUT /metrics/job/f $'r{instance="x"} 1\n'
same "duplicate series across groups" PUT /metrics/job/f/instance/x $'r 1\n'
same "summary" PUT /metrics/job/e $'# TYPE w summary\nw_sum 1\n'
same "_count beside a summary" PUT /metrics/job/e2 $'w_count 1\n'
same "_bucket beside a summary" PUT /metrics/job/e3 $'w_bucket 1\n'
same "reserved label name in the body" PUT /metrics/job/t4 $'resv{__bar="x"} 1\n'
same "push_failure_time_seconds of another type" POST /metrics/job/g $'push_failure_time_seconds{foo="bar"} 1\n'

echo
echo "bad bodies and URLs"
same "unterminated label set" PUT /metrics/job/bad $'x{ 1\n'
same "no final newline" PUT /metrics/job/bad $'x 1'
same "unknown escape in a label value" PUT /metrics/job/bad $'x{a="\\q"} 1\n'
same "unknown escape in help" PUT /metrics/job/bad $'# HELP x a\\qb\nx 1\n'
same "quantile that is no number" PUT /metrics/job/bad $'# TYPE s3 summary\ns3{quantile="abc"} 1\n'
same "value that is no number" PUT /metrics/job/bad $'x abc\n'
same "duplicate label name" PUT /metrics/job/bad $'x{a="1",a="2"} 1\n'
same "second TYPE" PUT /metrics/job/bad $'# TYPE bad gauge\nbad 1\n# TYPE bad gauge\n'
same "odd number of components" PUT /metrics/job/t5/a $'x 1\n'
same "reserved label name in the URL" PUT /metrics/job/t5/__a/b $'x 1\n'
same "invalid label name in the URL" POST /metrics/job/t5/a-b/c $'x 1\n'
same "bad base64 label value" PUT /metrics/job/t7/a@base64/!! $'x 1\n'
same "encoded slash splits" PUT /metrics/job/t13/a/b%2Fc $'x 1\n'
same "GET on a push URL" GET /metrics/job/a ''
same "no such URL" PUT /metrics/jobs/x $'x 1\n'

echo
echo "deletes"
same "DELETE a group" DELETE /metrics/job/a ''
same "DELETE a missing group" DELETE /metrics/job/nonexistent ''
same "DELETE with a bad key" DELETE /metrics/job/t20/a ''
same "DELETE a labelled group" DELETE /metrics/job/t7/path@base64/YQ ''

echo
echo "vigil push as a client of both"
printf '# TYPE cli_pushed gauge\ncli_pushed 1\n' >"$WORK/cli.prom"
for target in "$PG" "$VG"; do
  "$VIGIL" push --job cli --label path=/var/tmp --label empty= --url "$target" "$WORK/cli.prom"
  echo $? >"$WORK/cli.$([ "$target" = "$PG" ] && echo pg || echo vg)"
done
check "vigil push exit code" "$(cat "$WORK/cli.vg")" "$(cat "$WORK/cli.pg")"

echo
echo "Vigil's own answers where the Pushgateway 1.5 misbehaves or Vigil refuses on purpose"
vigil_only "base64 job that does not decode (the Pushgateway then hangs that route)" PUT '/metrics/job@base64/!!' $'x 1\n' 400
vigil_only "base64 value that is not UTF-8 (the Pushgateway stores it and breaks)" PUT /metrics/job/t16/a@base64/_w $'x 1\n' 400
vigil_only "protobuf body" PUT /metrics/job/pb 'garbage' 415 \
  -H 'Content-Type: application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily; encoding=delimited'
vigil_only "gzip body" PUT /metrics/job/gz $'x 1\n' 415 -H 'Content-Encoding: gzip'

echo
echo "what each exposes"
compare_views "after the pushes"

echo
echo "series in PromQL: Prometheus scraping the Pushgateway (honor_labels) against Vigil's ingestion"
prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prometheus" \
  --web.listen-address="127.0.0.1:$PROM_PORT" --log.level=warn >"$WORK/prometheus.log" 2>&1 &
PROM_PID=$!
wait_http "$PROM/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "Prometheus did not start"; }
for ((i = 0; i < 300; i++)); do
  up=$(curl -fsS --get "$PROM/api/v1/query" --data-urlencode 'query=count_over_time(up{job="pushgateway"}[1m]) >= 2' |
    jq -r '.data.result | length')
  [ "$up" = 1 ] && break
  sleep 0.1
done
[ "$up" = 1 ] || setup_failure "Prometheus did not scrape the Pushgateway"
# A group deleted now must be gone from both by the next scrape/round (stale markers).
same "DELETE before the PromQL comparison" DELETE /metrics/job/t12/a@base64/= ''
sleep 3
pushed_series "$PROM" >"$WORK/prometheus.series"
pushed_series "$VG" >"$WORK/vigil.series"
check_files "instant query of every pushed series" "$WORK/vigil.series" "$WORK/prometheus.series"
check "t12 is gone (stale)" "$(grep -c 'job=t12' "$WORK/vigil.series")" 0

echo
echo "restart: the Pushgateway with SIGTERM, Vigil with SIGKILL"
kill -TERM "$PG_PID"
wait "$PG_PID" 2>/dev/null || true
kill -KILL "$VIGIL_PID"
wait "$VIGIL_PID" 2>/dev/null || true
start_pushgateway
start_vigil
compare_views "after the restart"

echo
echo "differential fuzz: mutated pushes (compat/pushgateway_fuzz.py) to both"
python3 "$COMPAT_ROOT/compat/pushgateway_fuzz.py" "$PG" "$VG" "${PUSHGATEWAY_FUZZ_SEED:-1}" "${PUSHGATEWAY_FUZZ_COUNT:-1500}" \
  >"$WORK/fuzz.txt" || true
head -20 "$WORK/fuzz.txt" | grep -v '^fuzz:' || true
check "fuzz: status codes" "$(tail -1 "$WORK/fuzz.txt")" "fuzz: ${PUSHGATEWAY_FUZZ_COUNT:-1500} requests, 0 with different status codes"
# Help texts that differ between groups, and metrics client_golang's sorter finds equal across
# groups, come out in the Pushgateway's map order: compare the lines as a set, without HELP.
exposition "$PG/metrics" | grep -v '^# HELP' | sort >"$WORK/pushgateway.txt"
exposition "$VG/pushgateway/metrics" | grep -v '^# HELP' | sort >"$WORK/vigil.txt"
check_files "text exposition after the fuzz (lines as a set)" "$WORK/vigil.txt" "$WORK/pushgateway.txt"
groups_json "$PG" >"$WORK/pushgateway.json"
groups_json "$VG" >"$WORK/vigil.json"
check_files "JSON groups after the fuzz" "$WORK/vigil.json" "$WORK/pushgateway.json"

echo
echo "pushgateway: $passed passed, $failed failed"
[ "$failed" = 0 ]
