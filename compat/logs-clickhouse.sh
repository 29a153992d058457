#!/usr/bin/env bash
# ClickHouse as a real log output: installs Debian's clickhouse-server (18.16 in Debian 12), starts
# it on loopback with a throw-away config and data directory, creates the logs table, runs
# `vigil logs ship` tailing files written here (plain lines, Unicode, quotes and backslashes, a
# rename rotation), and checks the lines in ClickHouse equal the lines written: count and content,
# per file. ClickHouse 18.16 has neither Map nor DateTime64, so the table uses the legacy
# column types (`timestamp_format: unix_nanos`, `labels_format: json_string`).
# Prints "logs-clickhouse: ok" or what differs; skips (exit 0) only when the package cannot be installed.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/lib/clickhouse.bash"
ensure_packages curl
if ! ensure_clickhouse; then
  echo "logs-clickhouse: SKIPPED: Debian's clickhouse-server package cannot be installed here"
  exit 0
fi

HTTP_PORT=19861
TCP_PORT=19862
WORK=$(mktemp -d -t logs-clickhouse.XXXXXX)
CH_PID=
VIGIL_PID=
cleanup() {
  [ -n "$VIGIL_PID" ] && kill -9 "$VIGIL_PID" 2>/dev/null || true
  [ -n "$CH_PID" ] && kill -9 "$CH_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -p "$WORK/ch/tmp" "$WORK/ch/user_files" "$WORK/logs" "$WORK/data"

printf 's3cret\n' >"$WORK/password"

start_clickhouse "$WORK/ch" "$HTTP_PORT" "$TCP_PORT" \
  '<vigil><password>s3cret</password><networks><ip>127.0.0.1</ip></networks><profile>default</profile><quota>default</quota></vigil>' ||
  exit 1
ch() { curl -fsS "http://127.0.0.1:$HTTP_PORT/" --data-binary "$1"; }
ch "CREATE TABLE default.logs (timestamp UInt64, labels String, line String) ENGINE = MergeTree ORDER BY timestamp"

# Lines written before vigil starts (read_from_head) and while it runs, with a rename rotation.
python3 - "$WORK/logs" <<'PY'
import sys
root = sys.argv[1]
with open(f"{root}/app.log", "w") as f:
    for i in range(500):
        f.write(f"app line {i} \"quoted\" back\\slash tab\there ünïcödé ✓\n")
PY

cat >"$WORK/vigil.yml" <<YAML
logs:
  inputs:
    - name: files
      paths: ["$WORK/logs/*.log"]
      read_from_head: true
      labels: {job: compat}
  outputs:
    - type: clickhouse
      url: http://127.0.0.1:$HTTP_PORT
      table: logs
      user: vigil
      password_file: $WORK/password
      timestamp_format: unix_nanos
      labels_format: json_string
      compression: gzip
      batch_wait: 200ms
      min_backoff: 100ms
      max_backoff: 1s
YAML
VIGIL=${LOGS_CLICKHOUSE_VIGIL:-$(vigil_binary)}
"$VIGIL" logs ship --config "$WORK/vigil.yml" --data-dir "$WORK/data" >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!

python3 - "$WORK/logs" <<'PY'
import os, sys, time
root = sys.argv[1]
time.sleep(1)
with open(f"{root}/app.log", "a") as f:
    for i in range(500, 1000):
        f.write(f"app line {i}\n")
os.rename(f"{root}/app.log", f"{root}/app.log.1")
with open(f"{root}/app.log", "w") as f:
    for i in range(1000, 1500):
        f.write(f"app line {i} after rotation\n")
with open(f"{root}/other.log", "w") as f:
    for i in range(2000):
        f.write(f"other {i} " + "x" * (i % 300) + "\n")
PY

expected() {
  python3 - <<'PY'
for i in range(500):
    print(f"app line {i} \"quoted\" back\\slash tab\there ünïcödé ✓")
for i in range(500, 1000):
    print(f"app line {i}")
for i in range(1000, 1500):
    print(f"app line {i} after rotation")
PY
}
want_total=3500
got=0
for _ in $(seq 1 120); do
  got=$(ch "SELECT count() FROM default.logs" 2>/dev/null || echo 0)
  [ "$got" -ge "$want_total" ] && break
  kill -0 "$VIGIL_PID" 2>/dev/null || { echo "vigil exited:" >&2; tail -20 "$WORK/vigil.log" >&2; exit 1; }
  sleep 1
done
status=0
if [ "$got" != "$want_total" ]; then
  echo "logs-clickhouse: count: got $got lines, want $want_total" >&2
  tail -20 "$WORK/vigil.log" >&2
  status=1
fi
# Content per file (sorted: lines read in one pass share a read-time timestamp). TSVRaw prints lines as stored.
ch "SELECT line FROM default.logs WHERE visitParamExtractString(labels, 'filename') = '$WORK/logs/app.log' FORMAT TSVRaw" | LC_ALL=C sort >"$WORK/app.got"
expected | LC_ALL=C sort >"$WORK/app.want"
if ! cmp -s "$WORK/app.got" "$WORK/app.want"; then
  echo "logs-clickhouse: app.log lines differ:" >&2
  diff "$WORK/app.want" "$WORK/app.got" | head -10 >&2
  status=1
fi
python3 -c '
import sys
for i in range(2000): print(f"other {i} " + "x" * (i % 300))' | LC_ALL=C sort >"$WORK/other.want"
ch "SELECT line FROM default.logs WHERE visitParamExtractString(labels, 'filename') = '$WORK/logs/other.log' FORMAT TSVRaw" | LC_ALL=C sort >"$WORK/other.got"
if ! cmp -s "$WORK/other.got" "$WORK/other.want"; then
  echo "logs-clickhouse: other.log lines differ:" >&2
  diff "$WORK/other.want" "$WORK/other.got" | head -10 >&2
  status=1
fi
labels=$(ch "SELECT labels FROM default.logs LIMIT 1 FORMAT TSVRaw")
case "$labels" in
  *'"job":"compat"'*) ;;
  *) echo "logs-clickhouse: labels column lacks job=compat: $labels" >&2; status=1 ;;
esac
[ $status = 0 ] && echo "logs-clickhouse: ok ($got lines, content equal, labels $labels)"
exit $status
