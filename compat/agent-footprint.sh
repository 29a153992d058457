#!/usr/bin/env bash
# The agent's cost with the container collector on: CPU per scrape and RSS of `vigil agent`
# (no config) on this machine's real /proc, /sys and cgroups, in four set-ups started one after
# the other on port 19695:
#   all       every collector (node_exporter's 22, container, gpu), the default
#   node      --no-collector.container --no-collector.gpu (the node collector alone)
#   container --collector.disable-defaults --collector.container
#   bare      --collector.disable-defaults (HTTP and Vigil's process metrics only)
#   inproc    every collector, VIGIL_AGENT_IN_PROCESS=1: served by the `vigil` process itself
#             instead of the lean `vigil-agent` it hands over to (the others; checked)
# and /metrics/resource of the `all` agent. Each gets 5 warm-up scrapes, then AGENT_SCRAPES (300)
# scrapes with curl, CPU read as utime+stime from /proc/<pid>/stat before and after; VmRSS,
# RssAnon and RssFile are read after the scrapes. Figures are printed, not asserted; the checks
# are that every agent keeps running and serves its families. Prints
# "agent-footprint: N passed, M failed" last; exits non-zero on a failure.
#
# AGENT_VIGIL=/path/to/vigil uses that binary (figures need a release build); otherwise the work
# tree's release product is built.
source "$(dirname "$0")/lib/common.bash"
ensure_packages curl python3

PORT=19695
SCRAPES=${AGENT_SCRAPES:-300}
WORK=$(mktemp -d)
PASSED=0
FAILED=0
pass() { echo "ok: $*"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL: $*"; FAILED=$((FAILED + 1)); }
AGENT_PID=
cleanup() {
  if [ -n "$AGENT_PID" ]; then kill "$AGENT_PID" 2>/dev/null || true; wait "$AGENT_PID" 2>/dev/null || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

VIGIL=$(vigil_release_binary "${AGENT_VIGIL:-}" "$WORK/build.log")
TICK=$(getconf CLK_TCK)
cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
measure() { # path -> milliseconds of CPU per scrape of the running agent
  local path=$1 before after i
  for i in 1 2 3 4 5; do curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path"; done
  before=$(cpu_ticks "$AGENT_PID")
  for ((i = 0; i < SCRAPES; i++)); do curl -fsS -o /dev/null "http://127.0.0.1:$PORT$path"; done
  after=$(cpu_ticks "$AGENT_PID")
  python3 -c "print(f'{($after - $before) * 1000 / $TICK / $SCRAPES:.3f}')"
}

run() { # name flags... -> prints one line of figures
  local name=$1
  shift
  if [ "$name" = inproc ]; then
    VIGIL_AGENT_IN_PROCESS=1 "$VIGIL" agent --listen 127.0.0.1:$PORT "$@" >"$WORK/$name.log" 2>&1 &
  else
    "$VIGIL" agent --listen 127.0.0.1:$PORT "$@" >"$WORK/$name.log" 2>&1 &
  fi
  AGENT_PID=$!
  wait_http "http://127.0.0.1:$PORT/metrics" 30 || { cat "$WORK/$name.log" >&2; fail "$name: agent did not start"; return; }
  curl -fsS "http://127.0.0.1:$PORT/metrics" >"$WORK/$name.txt"
  local ms samples
  ms=$(measure /metrics)
  samples=$(grep -vc '^#' "$WORK/$name.txt")
  printf '%-10s %6d samples  %7s ms CPU per /metrics scrape  %s\n' "$name" "$samples" "$ms" \
    "$(awk '/^(VmRSS|RssAnon|RssFile)/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' /proc/$AGENT_PID/status)"
  if [ "$name" = all ]; then
    curl -fsS "http://127.0.0.1:$PORT/metrics/resource" >"$WORK/resource.txt"
    printf '%-10s %6d samples  %7s ms CPU per /metrics/resource scrape\n' resource \
      "$(grep -vc '^#' "$WORK/resource.txt")" "$(measure /metrics/resource)"
    if grep -q '^node_cpu_usage_seconds_total [0-9.e+]* [0-9]*$' "$WORK/resource.txt" && grep -q '^resource_scrape_error 0$' "$WORK/resource.txt"; then
      pass "resource: node_cpu_usage_seconds_total with a timestamp, resource_scrape_error 0"
    else
      fail "resource: unexpected /metrics/resource"; head -20 "$WORK/resource.txt"
    fi
    echo "           after both: $(awk '/^(VmRSS|RssAnon|RssFile)/ { printf "%s %.1f MiB  ", $1, $2 / 1024 }' /proc/$AGENT_PID/status)"
  fi
  case $name in
    all | container) grep -q '^container_cpu_usage_seconds_total{cpu="total",id="/"}' "$WORK/$name.txt" \
      && pass "$name: container families served" || fail "$name: no container_cpu_usage_seconds_total{id=\"/\"}" ;;
  esac
  local image
  image=$(readlink "/proc/$AGENT_PID/exe" 2>/dev/null || true)
  case $name in
    inproc) [[ $image == */vigil ]] && pass "$name: served by vigil itself" || fail "$name: runs $image" ;;
    *) [[ $image == */vigil-agent ]] && pass "$name: handed over to vigil-agent" || fail "$name: runs $image, not vigil-agent" ;;
  esac
  if kill -0 "$AGENT_PID" 2>/dev/null; then pass "$name: still running after the scrapes"; else fail "$name: agent died"; fi
  kill "$AGENT_PID"
  wait "$AGENT_PID" 2>/dev/null || true
  AGENT_PID=
}

echo "vigil: $VIGIL; $SCRAPES scrapes each; load average $(cut -d' ' -f1-3 /proc/loadavg)"
run all
run node --no-collector.container --no-collector.gpu
run container --collector.disable-defaults --collector.container
run bare --collector.disable-defaults
run inproc
echo "agent-footprint: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
