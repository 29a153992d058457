#!/usr/bin/env bash
# Debian's rsyslog forwarding to Vigil's syslog input. An rsyslogd of our own (its own config,
# pid file and work directory; a unix socket input in the work directory, no /dev/log, no
# privileged port) receives messages from logger(1) and forwards every one with omfwd three
# ways: UDP in RFC 5424, TCP octet-counted in RFC 5424, TCP LF-framed in RFC 3164. Vigil
# (`vigil server`) ships what its three syslog inputs receive to its own log store through a loki
# output, and the script reads every line back with the query API: each must arrive once per
# path, with the facility, severity, hostname and app_name labels rsyslog saw.
# Prints "logs-rsyslog: N passed, M failed".
source "$(dirname "$0")/lib/common.bash"
ensure_packages rsyslog bsdutils curl python3

VIGIL_PORT=19870
UDP_PORT=19871
OCTET_PORT=19872
LF_PORT=19873
WORK=$(mktemp -d -t logs-rsyslog.XXXXXX)
VIGIL_PID=
RSYSLOG_PID=
cleanup() {
  [ -n "$RSYSLOG_PID" ] && kill "$RSYSLOG_PID" 2>/dev/null || true
  [ -n "$VIGIL_PID" ] && kill "$VIGIL_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

VIGIL=${LOGS_RSYSLOG_VIGIL:-$(vigil_binary)}
RSYSLOGD=$(command -v rsyslogd || echo /usr/sbin/rsyslogd)
mkdir -p "$WORK/rsyslog" "$WORK/data"

cat >"$WORK/vigil.yml" <<YAML
logs:
  inputs:
    - type: syslog
      name: udp
      mode: udp
      address: 127.0.0.1:$UDP_PORT
      batch_wait: 50ms
      labels: {via: udp}
    - type: syslog
      name: octet
      mode: tcp
      address: 127.0.0.1:$OCTET_PORT
      framing: octet_counted
      batch_wait: 50ms
      labels: {via: octet}
    - type: syslog
      name: lf
      mode: tcp
      address: 127.0.0.1:$LF_PORT
      framing: newline
      batch_wait: 50ms
      labels: {via: lf}
  outputs:
    - type: loki
      url: http://127.0.0.1:$VIGIL_PORT/loki/api/v1/push
      batch_wait: 200ms
YAML

cat >"$WORK/rsyslog.conf" <<CONF
global(workDirectory="$WORK/rsyslog" maxMessageSize="64k")
module(load="imuxsock" SysSock.Use="off")
input(type="imuxsock" Socket="$WORK/in.sock" CreatePath="on")
*.* action(type="omfwd" target="127.0.0.1" port="$UDP_PORT" protocol="udp"
           template="RSYSLOG_SyslogProtocol23Format")
*.* action(type="omfwd" target="127.0.0.1" port="$OCTET_PORT" protocol="tcp"
           TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format"
           queue.type="LinkedList" action.resumeRetryCount="-1" action.resumeInterval="1")
*.* action(type="omfwd" target="127.0.0.1" port="$LF_PORT" protocol="tcp"
           TCP_Framing="traditional" template="RSYSLOG_TraditionalForwardFormat"
           queue.type="LinkedList" action.resumeRetryCount="-1" action.resumeInterval="1")
CONF

"$VIGIL" server --config "$WORK/vigil.yml" --listen "127.0.0.1:$VIGIL_PORT" --data-dir "$WORK/data" \
  >>"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" 120 || { tail -20 "$WORK/vigil.log" >&2; exit 1; }
# The syslog inputs listen once the pipeline has started.
for ((i = 0; i < 300; i++)); do
  grep -q "Syslog input listening.*$LF_PORT" "$WORK/vigil.log" 2>/dev/null && break
  (exec 3<>/dev/tcp/127.0.0.1/$LF_PORT) 2>/dev/null && break
  sleep 0.1
done

"$RSYSLOGD" -n -f "$WORK/rsyslog.conf" -i "$WORK/rsyslog.pid" >>"$WORK/rsyslog.log" 2>&1 &
RSYSLOG_PID=$!
for ((i = 0; i < 100; i++)); do [ -S "$WORK/in.sock" ] && break; sleep 0.1; done
[ -S "$WORK/in.sock" ] || { echo "rsyslogd did not create its socket" >&2; cat "$WORK/rsyslog.log" >&2; exit 1; }

# Messages: facility.severity and tag vary; the text names its number.
PRIORITIES=(local0.info auth.warning daemon.err user.notice local7.debug mail.crit)
COUNT=60
: >"$WORK/expected.tsv"
for ((n = 0; n < COUNT; n++)); do
  priority=${PRIORITIES[$((n % ${#PRIORITIES[@]}))]}
  tag="app-$((n % 4))"
  logger --socket "$WORK/in.sock" --priority "$priority" --tag "$tag" "vigil compat message $n ok"
  printf '%s\t%s\t%s\t%s\n' "$n" "${priority%%.*}" "${priority##*.}" "$tag" >>"$WORK/expected.tsv"
done
HOST=$(hostname -s 2>/dev/null || hostname)

status=0
python3 - "$VIGIL_PORT" "$WORK/expected.tsv" "$HOST" <<'PY' || status=$?
import json, sys, time, urllib.parse, urllib.request
port, expected_path, host = sys.argv[1], sys.argv[2], sys.argv[3]
severity_names = {"warning": "warning", "err": "err", "info": "info", "notice": "notice", "debug": "debug", "crit": "crit"}
expected = {}
for row in open(expected_path):
    n, facility, severity, tag = row.rstrip("\n").split("\t")
    expected[f"vigil compat message {n} ok"] = (facility, severity_names[severity], tag)

def query(via):
    params = urllib.parse.urlencode({
        "query": '{via="%s"}' % via, "limit": "5000", "direction": "forward",
        "start": str(int((time.time() - 3600) * 1e9)), "end": str(int((time.time() + 60) * 1e9)),
    })
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/loki/api/v1/query_range?{params}", timeout=30) as response:
        body = json.load(response)
    lines = []
    for stream in body["data"]["result"]:
        for _, line in stream["values"]:
            lines.append((stream["stream"], line))
    return lines

passed = failed = 0
for via in ("udp", "octet", "lf"):
    deadline = time.time() + 90
    while True:
        lines = query(via)
        if len(lines) >= len(expected) or time.time() > deadline:
            break
        time.sleep(0.5)
    seen = {}
    problems = []
    for labels, line in lines:
        text = line.strip()
        seen[text] = seen.get(text, 0) + 1
        if text not in expected:
            problems.append(f"unexpected line {text!r} {labels}")
            continue
        facility, severity, tag = expected[text]
        want = {"facility": facility, "severity": severity, "app_name": tag, "hostname": host, "via": via}
        got = {k: labels.get(k) for k in want}
        if got != want:
            problems.append(f"{text!r}: labels {got} != {want}")
    missing = [t for t in expected if t not in seen]
    duplicated = [t for t, c in seen.items() if c > 1]
    if missing:
        problems.append(f"{len(missing)} lines missing, e.g. {missing[:3]}")
    if duplicated:
        problems.append(f"{len(duplicated)} lines duplicated, e.g. {duplicated[:3]}")
    if problems:
        failed += 1
        print(f"FAIL {via}: " + "; ".join(problems[:5]))
    else:
        passed += 1
        print(f"ok   {via}: {len(expected)} lines with facility, severity, hostname and app_name labels")
print(f"logs-rsyslog: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PY
if [ $status -ne 0 ]; then
  echo "--- vigil log" >&2; tail -20 "$WORK/vigil.log" >&2
  echo "--- rsyslog log" >&2; tail -20 "$WORK/rsyslog.log" >&2
fi
exit $status
