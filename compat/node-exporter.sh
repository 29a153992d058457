#!/usr/bin/env bash
# Vigil's node collector beside node_exporter 1.5 (Debian's prometheus-node-exporter) on this
# machine: the same collectors, the same /proc and /sys, scraped in one run.
#
# node_exporter listens on 127.0.0.1:19690 with --collector.disable-defaults and exactly the
# collectors Vigil implements enabled (netdev without Debian's patched-in "^lo$" exclude, so both
# use upstream's default of none); `vigil agent` (no config, so it only collects) listens on
# 127.0.0.1:19691 with the same collector flags. Both read *.prom files from one textfile
# directory holding a gauge, an untyped sample, a histogram, and a file with timestamps (which
# both reject). The script scrapes node_exporter, then Vigil, then node_exporter again, and
# compat/node-exporter/compare.py checks, family by family, that Vigil has every family
# node_exporter exposes with the same TYPE, HELP, label names and series, that each counter lies
# between node_exporter's two readings, that stable gauges (sizes, totals, boot time, info
# metrics) are equal, and that moving gauges are within 10% of them; it prints each family that
# differs. One check per family, plus the rounds below.
#
# Then the cost: NODE_EXPORTER_SCRAPES (200) scrapes of each, one exporter after the other, CPU
# read as utime+stime from /proc/<pid>/stat before and after; prints milliseconds of CPU per
# scrape for both, the Vigil / node_exporter ratio, and both VmRSS; then the same for a second
# pair started with every collector off, so the collectors' own cost (the difference) is printed
# beside the whole process's. Figures are printed, not asserted. Prints "node-exporter: N passed, M failed" last; exits non-zero on a failure.
#
# NODE_EXPORTER_VIGIL=/path/to/vigil uses that binary (CPU figures need a release build);
# otherwise the work tree's release product is built. NODE_EXPORTER_KEEP=1 keeps the work dir.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus-node-exporter curl python3

NE_PORT=19690
VIGIL_PORT=19691
NE_BARE_PORT=19692
VIGIL_BARE_PORT=19693
SCRAPES=${NODE_EXPORTER_SCRAPES:-200}
COLLECTORS=(conntrack cpu diskstats entropy filefd filesystem hwmon loadavg meminfo netdev netstat nvme os pressure
  sockstat stat textfile thermal_zone time timex uname vmstat)

WORK=$(mktemp -d -t node-exporter.XXXXXX)
NE_PID= VIGIL_PID= NE_BARE_PID= VIGIL_BARE_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0
  for pid in $NE_PID $VIGIL_PID $NE_BARE_PID $VIGIL_BARE_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $NE_PID $VIGIL_PID $NE_BARE_PID $VIGIL_BARE_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${NODE_EXPORTER_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

PASSED=0 FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "PASS $*"; }
fail() { FAILED=$((FAILED + 1)); echo "FAIL $*"; }
setup_failure() {
  echo "node-exporter: setup failed: $*" >&2
  echo "node-exporter: $PASSED passed, $((FAILED + 1)) failed"
  exit 1
}

VIGIL=$(vigil_release_binary "${NODE_EXPORTER_VIGIL:-}" "$WORK/build.log") || setup_failure "swift build of vigil"
[ -x "$VIGIL" ] || setup_failure "no vigil binary at $VIGIL"
for port in $NE_PORT $VIGIL_PORT $NE_BARE_PORT $VIGIL_BARE_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then setup_failure "127.0.0.1:$port is already in use"; fi
done

mkdir -p "$WORK/text"
cat >"$WORK/text/batch.prom" <<'PROM'
# HELP backup_last_success_seconds When the last backup succeeded.
# TYPE backup_last_success_seconds gauge
backup_last_success_seconds{job="backup",target="db1"} 1.7e+09
cron_runs 42
# HELP job_duration_seconds How long the job ran.
# TYPE job_duration_seconds histogram
job_duration_seconds_bucket{le="1"} 3
job_duration_seconds_bucket{le="+Inf"} 5
job_duration_seconds_sum 12.5
job_duration_seconds_count 5
PROM
echo 'stamped_metric 1 1700000000000' >"$WORK/text/stamped.prom"

FLAGS=(--collector.disable-defaults --collector.textfile.directory="$WORK/text")
for collector in "${COLLECTORS[@]}"; do FLAGS+=("--collector.$collector"); done
prometheus-node-exporter --web.listen-address=127.0.0.1:$NE_PORT "${FLAGS[@]}" --collector.netdev.device-exclude='^$' \
  >"$WORK/node_exporter.log" 2>&1 &
NE_PID=$!
"$VIGIL" agent --listen 127.0.0.1:$VIGIL_PORT "${FLAGS[@]}" >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$NE_PORT/metrics" 30 || { cat "$WORK/node_exporter.log" >&2; setup_failure "node_exporter did not start"; }
wait_http "http://127.0.0.1:$VIGIL_PORT/metrics" 30 || { cat "$WORK/vigil.log" >&2; setup_failure "vigil agent did not start"; }
echo "node_exporter: $(prometheus-node-exporter --version 2>&1 | head -1)"

# Three rounds, so a counter that happened to tick between scrapes gets another chance; the
# counter check needs Vigil's reading between two of node_exporter's.
for round in 1 2 3; do
  curl -fsS "http://127.0.0.1:$NE_PORT/metrics" >"$WORK/ne-before.txt"
  curl -fsS "http://127.0.0.1:$VIGIL_PORT/metrics" >"$WORK/vigil.txt"
  curl -fsS "http://127.0.0.1:$NE_PORT/metrics" >"$WORK/ne-after.txt"
  if python3 "$COMPAT_ROOT/compat/node-exporter/compare.py" "$WORK/ne-before.txt" "$WORK/vigil.txt" "$WORK/ne-after.txt" \
    >"$WORK/compare-$round.txt"; then
    break
  fi
done
cat "$WORK/compare-$round.txt"
read -r FAMILY_PASSED FAMILY_FAILED < <(sed -n 's/^families: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$WORK/compare-$round.txt")
PASSED=$((PASSED + ${FAMILY_PASSED:-0}))
FAILED=$((FAILED + ${FAMILY_FAILED:-1}))

# Both reject the file with client-side timestamps and say so.
for file in ne-after vigil; do
  if grep -q '^node_textfile_scrape_error 1$' "$WORK/$file.txt" && ! grep -q '^stamped_metric' "$WORK/$file.txt"; then
    pass "$file: the timestamped textfile is rejected and node_textfile_scrape_error is 1"
  else
    fail "$file: the timestamped textfile was not rejected"
  fi
done

cpu_ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)
measure() { # pid port -> milliseconds of CPU per scrape
  local pid=$1 port=$2 before after i
  for i in 1 2 3 4 5; do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
  before=$(cpu_ticks "$pid")
  for ((i = 0; i < SCRAPES; i++)); do curl -fsS -o /dev/null "http://127.0.0.1:$port/metrics"; done
  after=$(cpu_ticks "$pid")
  python3 -c "print(f'{($after - $before) * 1000 / $TICK / $SCRAPES:.3f}')"
}
NE_MS=$(measure $NE_PID $NE_PORT)
VIGIL_MS=$(measure $VIGIL_PID $VIGIL_PORT)
NE_RSS=$(awk '/^VmRSS/ { print $2 }' /proc/$NE_PID/status)
VIGIL_RSS=$(awk '/^VmRSS/ { print $2 }' /proc/$VIGIL_PID/status)
NE_SAMPLES=$(grep -vc '^#' "$WORK/ne-after.txt")
VIGIL_SAMPLES=$(grep -vc '^#' "$WORK/vigil.txt")
echo "samples per scrape: node_exporter $NE_SAMPLES, vigil $VIGIL_SAMPLES (each with its own process metrics)"
echo "CPU per scrape over $SCRAPES scrapes: node_exporter ${NE_MS} ms, vigil ${VIGIL_MS} ms," \
  "ratio $(python3 -c "print(f'{$VIGIL_MS / max($NE_MS, 1e-9):.2f}')")"
echo "RSS after the scrapes: node_exporter $((NE_RSS / 1024)) MiB, vigil $((VIGIL_RSS / 1024)) MiB," \
  "ratio $(python3 -c "print(f'{$VIGIL_RSS / $NE_RSS:.2f}')")"
for pid in $NE_PID $VIGIL_PID; do
  echo "  pid $pid: $(awk '/^(RssAnon|RssFile)/ { printf "%s %d MiB  ", $1, $2 / 1024 }' /proc/$pid/status)"
done
if kill -0 $VIGIL_PID 2>/dev/null; then pass "vigil agent is still running after $SCRAPES scrapes"; else fail "vigil agent died"; fi

# The collectors' own share: the same measurement of each exporter with every collector off
# (HTTP and its process metrics only), subtracted.
prometheus-node-exporter --web.listen-address=127.0.0.1:$NE_BARE_PORT --collector.disable-defaults \
  >"$WORK/node_exporter-bare.log" 2>&1 &
NE_BARE_PID=$!
"$VIGIL" agent --listen 127.0.0.1:$VIGIL_BARE_PORT --collector.disable-defaults >"$WORK/vigil-bare.log" 2>&1 &
VIGIL_BARE_PID=$!
if wait_http "http://127.0.0.1:$NE_BARE_PORT/metrics" 30 && wait_http "http://127.0.0.1:$VIGIL_BARE_PORT/metrics" 30; then
  NE_BARE_MS=$(measure $NE_BARE_PID $NE_BARE_PORT)
  VIGIL_BARE_MS=$(measure $VIGIL_BARE_PID $VIGIL_BARE_PORT)
  echo "CPU per scrape with every collector off: node_exporter ${NE_BARE_MS} ms, vigil ${VIGIL_BARE_MS} ms"
  echo "the collectors alone: node_exporter $(python3 -c "print(f'{$NE_MS - $NE_BARE_MS:.3f}')") ms," \
    "vigil $(python3 -c "print(f'{$VIGIL_MS - $VIGIL_BARE_MS:.3f}')") ms," \
    "ratio $(python3 -c "print(f'{($VIGIL_MS - $VIGIL_BARE_MS) / max($NE_MS - $NE_BARE_MS, 1e-9):.2f}')")"
else
  fail "the exporters with every collector off did not start"
fi

echo "node-exporter: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
