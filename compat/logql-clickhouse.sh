#!/usr/bin/env bash
# A LogQL metric query beside ClickHouse on the same lines, in one run (issue #11's last target;
# figures in docs/PERFORMANCE.md). LOGQL_CH_LINES (default 4,000,000, about 1 GB) JSON access-log
# lines spread over one hour are written once, then loaded
#   - into `vigil server`'s log store, shipped by `vigil logs ship` (file input, `job="ingress"`,
#     the line's `time` as its timestamp, loki output to the server's push API), and
#   - into Debian's clickhouse-server (18.16) as a MergeTree table (ts UInt64, line String),
#     merged with OPTIMIZE … FINAL.
# Then each answers, LOGQL_CH_RUNS times (default 3, after one warm-up), the same question:
#   vigil:      sum by (status) (count_over_time({job="ingress"} | json [5m]))   (query_range, step 5m)
#   ClickHouse: SELECT <the 5-minute step>, visitParamExtractString(line, 'status'), count() … GROUP BY
# (18.16 predates JSONExtractString; visitParamExtractString is its faster flat-JSON reader).
# Checks (correctness only): both hold every line, and both give the same count for every
# (step, status). Reported: median latency of each (curl's time_total), and the ratio. Times are
# never asserted. Skips (exit 0) only when ClickHouse cannot be installed. LOGQL_CH_VIGIL names a
# prebuilt release binary.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/clickhouse.bash"
ensure_packages python3 curl
if ! ensure_clickhouse; then
  echo "logql-clickhouse: SKIPPED: Debian's clickhouse-server package cannot be installed here"
  exit 0
fi

VIGIL_PORT=19960
CH_HTTP_PORT=19961
CH_TCP_PORT=19962
LINES=${LOGQL_CH_LINES:-4000000}
RUNS=${LOGQL_CH_RUNS:-3}
WORK=$(mktemp -d -t logql-clickhouse.XXXXXX)
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

VIGIL=$(vigil_release_binary "${LOGQL_CH_VIGIL:-}" "$WORK/build.log") || exit 1

# The lines (access.log) and the same lines with their timestamps for ClickHouse (access.tsv).
# Times: START (a multiple of 5 minutes, an hour ago) + 1 µs + i × (one hour / LINES), whole µs.
START=$(( ($(date +%s) - 3600) / 300 * 300 ))
python3 - "$WORK" "$LINES" "$START" <<'PY'
import random, sys, datetime
work, count, start = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rng = random.Random(3)
step_us = 3600 * 1_000_000 // count
methods = ["GET"] * 6 + ["POST", "PUT", "DELETE"]
statuses = ["200"] * 14 + ["201", "204", "301", "304", "400", "401", "403", "404", "404", "429", "500", "502", "503"]
paths = ["/api/v1/orders", "/api/v1/users", "/api/v1/items", "/healthz", "/static/app.js", "/login", "/api/v2/search"]
agents = ["Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", "curl/8.5.0", "Go-http-client/1.1", "kube-probe/1.29"]
with open(f"{work}/access.log", "w") as log, open(f"{work}/access.tsv", "w") as tsv:
    for i in range(count):
        us = start * 1_000_000 + 1 + i * step_us
        when = datetime.datetime.fromtimestamp(us // 1_000_000, datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S")
        line = ('{"time":"%s.%06dZ","remote_addr":"10.%d.%d.%d","method":"%s","path":"%s/%d","status":"%s",'
                '"bytes_sent":%d,"request_time":%.3f,"upstream":"10.1.%d.%d:8080","user_agent":"%s","request_id":"%016x"}') % (
            when, us % 1_000_000, rng.randrange(256), rng.randrange(256), rng.randrange(256), rng.choice(methods),
            rng.choice(paths), rng.randrange(100000), rng.choice(statuses), rng.randrange(50000), rng.random() * 2,
            rng.randrange(8), rng.randrange(256), rng.choice(agents), rng.getrandbits(64))
        log.write(line + "\n")
        tsv.write("%d\t%s\n" % (us * 1000, line))
PY
BYTES=$(stat -c %s "$WORK/access.log")
echo "lines: $LINES, $BYTES bytes, from $START (+1 h)"

if ! start_clickhouse "$WORK/ch" "$CH_HTTP_PORT" "$CH_TCP_PORT"; then
  PIDS+=("$CH_PID")
  exit 1
fi
PIDS+=("$CH_PID")
ch() { curl -fsS "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$1"; }
ch "CREATE TABLE default.access (ts UInt64, line String) ENGINE = MergeTree ORDER BY ts"
# clickhouse-client streams the file (curl's --data-binary would hold the whole gigabyte in memory).
clickhouse-client --host 127.0.0.1 --port "$CH_TCP_PORT" --query "INSERT INTO default.access FORMAT TabSeparated" \
  <"$WORK/access.tsv" || { echo "logql-clickhouse: ClickHouse refused the lines" >&2; exit 1; }
ch "OPTIMIZE TABLE default.access FINAL"
rm -f "$WORK/access.tsv"

# Vigil: the server with its store's rate limits off, and the shipper feeding it.
cat >"$WORK/server.yml" <<YAML
log_store:
  ingestion_rate: 0
  per_stream_rate_limit: 0
YAML
"$VIGIL" server --config "$WORK/server.yml" --listen "127.0.0.1:$VIGIL_PORT" --data-dir "$WORK/vigil-data" >"$WORK/vigil.log" 2>&1 &
PIDS+=($!)
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 120 || { tail -20 "$WORK/vigil.log" >&2; exit 1; }
cat >"$WORK/ship.yml" <<YAML
logs:
  inputs:
    - type: file
      name: ingress
      paths: [$WORK/access.log]
      read_from_head: true
      labels: {job: ingress}
      processors: [{type: json, target: none, timestamp: {field: time, format: rfc3339nano}}]
  outputs:
    - type: loki
      url: http://127.0.0.1:$VIGIL_PORT/loki/api/v1/push
      encoding: protobuf
      batch_size: 1MiB
YAML
"$VIGIL" logs ship --config "$WORK/ship.yml" --data-dir "$WORK/ship-data" >"$WORK/ship.log" 2>&1 &
SHIP_PID=$!
PIDS+=($SHIP_PID)

END=$((START + 3600))
QUERY='sum by (status) (count_over_time({job="ingress"} | json [5m]))'
vigil_query() {
  curl -fsS -G "http://127.0.0.1:$VIGIL_PORT/loki/api/v1/query_range" --data-urlencode "query=$1" \
    --data-urlencode "start=$((START + 300))" --data-urlencode "end=$END" --data-urlencode "step=300" "${@:2}"
}
# Every line stored: the total count over the hour.
stored=0
for ((i = 0; i < 1800; i++)); do
  stored=$(curl -fsS -G "http://127.0.0.1:$VIGIL_PORT/loki/api/v1/query" \
    --data-urlencode 'query=sum(count_over_time({job="ingress"}[2h]))' --data-urlencode "time=$((END + 60))" |
    python3 -c 'import json,sys; r=json.load(sys.stdin)["data"]["result"]; print(int(float(r[0]["value"][1])) if r else 0)' || echo 0)
  [ "$stored" -ge "$LINES" ] && break
  sleep 1
done
kill "$SHIP_PID" 2>/dev/null; wait "$SHIP_PID" 2>/dev/null || true
ch_count=$(ch "SELECT count() FROM default.access")

pass=0 fail=0
check() { if [ "$2" = ok ]; then pass=$((pass + 1)); echo "ok: $1"; else fail=$((fail + 1)); echo "FAIL: $1 ($2)"; fi; }
[ "$stored" = "$LINES" ] && check "vigil holds every line" ok || check "vigil holds every line" "$stored of $LINES"
[ "$ch_count" = "$LINES" ] && check "ClickHouse holds every line" ok || check "ClickHouse holds every line" "$ch_count of $LINES"

SQL="SELECT intDiv(ts - $((START * 1000000000)) - 1, 300000000000) + 1 AS k, visitParamExtractString(line, 'status') AS status, count() FROM default.access GROUP BY k, status ORDER BY k, status FORMAT TabSeparated"
vigil_query "$QUERY" >"$WORK/vigil.json"
ch "$SQL" >"$WORK/ch.tsv"
python3 - "$WORK/vigil.json" "$WORK/ch.tsv" "$START" <<'PY' && check "same count for every (5-minute step, status)" ok || check "same count for every (5-minute step, status)" "see above"
import json, sys
vigil_path, ch_path, start = sys.argv[1], sys.argv[2], int(sys.argv[3])
vigil = {}
for series in json.load(open(vigil_path))["data"]["result"]:
    for t, v in series["values"]:
        vigil[(round((float(t) - start) / 300), series["metric"].get("status", ""))] = int(float(v))
ch = {}
for row in open(ch_path):
    k, status, count = row.rstrip("\n").split("\t")
    ch[(int(k), status)] = int(count)
if vigil != ch:
    diff = sorted(set(vigil.items()) ^ set(ch.items()))[:10]
    print("differences (first 10, (step, status), count):", diff, file=sys.stderr)
    sys.exit(1)
print("%d (step, status) counts, %d lines" % (len(ch), sum(ch.values())))
PY

# Latency: one warm-up each, then RUNS alternating runs; the median of curl's time_total.
median() { sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}'; }
vigil_query "$QUERY" -o /dev/null
ch "$SQL" >/dev/null
: >"$WORK/vigil.times"; : >"$WORK/ch.times"
for ((run = 0; run < RUNS; run++)); do
  vigil_query "$QUERY" -o /dev/null -w '%{time_total}\n' >>"$WORK/vigil.times"
  curl -fsS -o /dev/null -w '%{time_total}\n' "http://127.0.0.1:$CH_HTTP_PORT/" --data-binary "$SQL" >>"$WORK/ch.times"
done
vigil_time=$(median <"$WORK/vigil.times")
ch_time=$(median <"$WORK/ch.times")
awk -v v="$vigil_time" -v c="$ch_time" -v b="$BYTES" 'BEGIN {
  printf "vigil:      %8.3f s  (%.0f MB/s of raw lines)\n", v, b / 1e6 / v
  printf "ClickHouse: %8.3f s  (%.0f MB/s of raw lines)\n", c, b / 1e6 / c
  printf "vigil / ClickHouse latency: %.2fx\n", v / c }'
echo "vigil RSS after the queries: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' /proc/"${PIDS[1]}"/status 2>/dev/null)"
echo "logql-clickhouse: $pass passed, $fail failed"
[ "$fail" = 0 ]
