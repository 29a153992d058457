#!/usr/bin/env bash
# Loki's push protocol from a client Vigil did not write: compat/loki_push_client.py follows Loki's
# documented API (JSON and protobuf+snappy, structured metadata) with its own protobuf and snappy
# encoders, pushes Unicode, empty and 70 KB lines to `vigil server`, and reads everything back
# through query_range, labels, label values and series. Then the server is killed with SIGKILL
# and restarted, and every acknowledged line must still be there (read back without pushing again).
# Prints "loki-push: N passed, M failed" per run.
source "$(dirname "$0")/lib/common.bash"
ensure_packages python3 curl

VIGIL_PORT=19820
WORK=$(mktemp -d -t loki-push.XXXXXX)
VIGIL_PID=
cleanup() {
  [ -n "$VIGIL_PID" ] && kill -9 "$VIGIL_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

VIGIL=${LOKI_PUSH_VIGIL:-$(vigil_binary)}
start_vigil() {
  "$VIGIL" server --listen "127.0.0.1:$VIGIL_PORT" --data-dir "$WORK/data" >>"$WORK/vigil.log" 2>&1 &
  VIGIL_PID=$!
  wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 120 || { tail -20 "$WORK/vigil.log" >&2; exit 1; }
}

NOW=$(date +%s%N)
start_vigil
status=0
python3 "$(dirname "$0")/loki_push_client.py" "http://127.0.0.1:$VIGIL_PORT" "$NOW" | tee "$WORK/first.txt" || status=1

# SIGKILL: every acknowledged line must survive; the second run only reads back.
kill -9 "$VIGIL_PID"
wait "$VIGIL_PID" 2>/dev/null || true
start_vigil
echo "after SIGKILL and restart:"
python3 "$(dirname "$0")/loki_push_client.py" "http://127.0.0.1:$VIGIL_PORT" "$NOW" verify || status=1
exit $status
