#!/usr/bin/env bash
# Vigil's scraper beside Prometheus 2.42's (Debian's package): same prometheus.yml, same targets.
#
# compat/scrape/exporter.py serves deterministic payloads on loopback ports (text format with
# every metric type, OpenMetrics, colliding job/instance labels, HTTP 500, a hang past
# scrape_timeout, garbage, an oversized body, too many samples, gzip, ?module= params, a 302,
# explicit timestamps, many and long labels). Both servers run the config written below:
# static_configs and a file_sd_configs file, relabel_configs using all eleven actions (and $1 /
# ${1} expansion, __address__ / __param_ / __metrics_path__ / __scrape_interval__ rewriting),
# metric_relabel_configs, honor_labels, honor_timestamps, follow_redirects, sample_limit,
# body_size_limit and the label limits. compat/scrape/compare.py then compares, A = Prometheus
# and B = Vigil:
#   targets    /api/v1/targets (labels, discoveredLabels, scrapeInterval/Timeout, globalUrl,
#              health per scrapePool + scrapeUrl; lastError empty on both or on neither),
#              droppedTargets, /api/v1/scrape_pools
#   series     /api/v1/series for {__name__=~".+"} over the run
#   values     instant queries at one time: up and scrape_* per target, every scraped series
#              (all values are constant; scrape_duration_seconds is left out), timestamp() of
#              the explicitly timestamped samples
#   metadata   /api/v1/targets/metadata and /api/v1/metadata
#   federation /federate?match[]=… (global external_labels cluster=compat): same # TYPE lines,
#              series with their labels in the same order, values (scrape_duration_seconds
#              left out) and the explicit timestamps; a bad selector and a POST answered alike
#   staleness  a target removed from the file_sd file has no series at now on either
#   reload     a relabel rule added by POST /-/reload shows on both; same node series at now
#   proxy      through proxy_url (with credentials) both send the same requests to the proxy:
#              request line (absolute form, no CONNECT), Host, Proxy-Authorization
# Prometheus 2.42 shows active targets' discoveredLabels partly overwritten by relabeling
# (prometheus#11960, fixed in 2.43): jobs probe and relabel have *_witness twins whose targets are
# all dropped unrelabeled, and B may show those untouched labels instead of A's.
# Prints each check as PASS or FAIL (with a short diff), then "scrape: N passed, M failed"; exits
# non-zero on any failure or a setup failure. Takes about 30 s.
#
# SCRAPE_VIGIL=/path/to/vigil tests that binary instead of the work tree's debug build;
# SCRAPE_SELF_TEST=1 runs a second Prometheus as B (proves the script and payloads deterministic);
# SCRAPE_VERBOSE=1 prints both lastError texts and more; SCRAPE_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus curl python3

HERE="$COMPAT_ROOT/compat/scrape"
A_PORT=19630
B_PORT=19631
A_URL=http://127.0.0.1:$A_PORT
B_URL=http://127.0.0.1:$B_PORT
# Exporter roles and ports. TINY ports: relabel job 19645-19650, file_sd job 19651-19653.
declare -A P=([node]=19632 [openmetrics]=19633 [conflict]=19634 [error500]=19635 [hang]=19636
  [garbage]=19637 [bigbody]=19638 [many]=19639 [gzip]=19640 [probe]=19641 [redirect]=19642
  [timestamps]=19643 [labels]=19644 [proxy]=19655)
TINY_PORTS=(19645 19646 19647 19648 19649 19650 19651 19652 19653)
REFUSED_PORT=19654 # nothing listens here
# The active targets the config below yields (Prometheus' count; the wait checks it).
EXPECTED_TARGETS=35

WORK=$(mktemp -d -t scrape-compat.XXXXXX)
EXPORTER_PID= A_PID= B_PID=
MAIN_PID=$BASHPID
cleanup() {
  [ "$BASHPID" = "$MAIN_PID" ] || return 0 # not in subshells
  for pid in $A_PID $B_PID $EXPORTER_PID; do kill "$pid" 2>/dev/null || true; done
  for pid in $A_PID $B_PID $EXPORTER_PID; do { wait "$pid" || true; } 2>/dev/null; done
  if [ "${SCRAPE_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

setup_failure() {
  echo "scrape: setup failed: $*" >&2
  exit 1
}

if [ "${SCRAPE_SELF_TEST:-0}" = 1 ]; then
  B_NAME="Prometheus (self-test)"
elif [ -n "${SCRAPE_VIGIL:-}" ]; then
  VIGIL=$SCRAPE_VIGIL
  B_NAME="Vigil ($VIGIL)"
else
  VIGIL=$(vigil_binary)
  B_NAME="Vigil ($VIGIL)"
fi
[ "${SCRAPE_SELF_TEST:-0}" = 1 ] || [ -x "$VIGIL" ] || setup_failure "no vigil binary at $VIGIL"

for port in $A_PORT $B_PORT "${P[@]}" "${TINY_PORTS[@]}" $REFUSED_PORT; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    setup_failure "port $port on 127.0.0.1 is already in use (this script needs 19630-19654)"
  fi
done

exporter_args=()
for role in "${!P[@]}"; do exporter_args+=("$role=${P[$role]}"); done
for port in "${TINY_PORTS[@]}"; do exporter_args+=("tiny=$port"); done
export SCRAPE_PROXY_LOG=$WORK/proxy-requests.jsonl
: >"$SCRAPE_PROXY_LOG"
python3 "$HERE/exporter.py" "${exporter_args[@]}" >"$WORK/exporter.log" 2>&1 &
EXPORTER_PID=$!
wait_http "http://127.0.0.1:${P[node]}/metrics" 20 || { cat "$WORK/exporter.log" >&2; setup_failure "exporter did not start"; }

# file_sd targets; the staleness check removes the last one.
write_file_sd() {
  local groups='{"targets": ["127.0.0.1:19651", "127.0.0.1:19652"], "labels": {"group": "a"}}'
  [ "$1" = all ] && groups+=', {"targets": ["127.0.0.1:19653"], "labels": {"group": "b", "__meta_extra": "m"}}'
  echo "[$groups]" >"$WORK/targets.json.tmp"
  mv "$WORK/targets.json.tmp" "$WORK/targets.json"
}

# The config both servers load. $1 = 1 adds the rules the reload check looks for.
write_config() {
  local reload_target_rule='' reload_metric_rule=''
  if [ "$1" = 1 ]; then
    reload_target_rule="      - {target_label: reloaded, replacement: 'yes'}"
    reload_metric_rule="      - {source_labels: [__name__], regex: node_special, action: drop}"
  fi
  # Static targets shared by a job and its witness (below).
  local probe_targets relabel_targets
  probe_targets=$(cat <<EOF
      - targets: ['127.0.0.1:${P[probe]}']
      - targets: ['127.0.0.1:${P[probe]}']
        labels: {__param_module: y, variant: param_label}
      - targets: ['127.0.0.1:${P[probe]}']
        labels: {mod: z, variant: relabeled}
EOF
  )
  # 19655-19658 are dropped by the relabel job, so never scraped.
  relabel_targets=$(cat <<EOF
      - targets: ['127.0.0.1:19645', '127.0.0.1:19646', '127.0.0.1:19658']
        labels: {env: Prod, dc: eu-West-1, __tmp_team: Core, drop_me: x, keep_me: 'yes', a: '1', b: '1', Mixed: z}
      - targets: ['127.0.0.1:19647']
        labels: {env: Dev, dc: us-East-2, __tmp_team: Edge, keep_me: 'yes', a: '1', b: '1',
                 __scrape_interval__: 2s, __metrics_path__: /custom}
      - targets: ['127.0.0.1:19655']
        labels: {env: Dev, keep_me: 'no', a: '1', b: '1'}
      - targets: ['127.0.0.1:19656']
        labels: {env: Dev, keep_me: 'yes', a: '1', b: '2'}
      - targets: ['127.0.0.1:19657']
        labels: {env: Test, keep_me: 'yes', a: '1', b: '1', c: '1'}
      - targets: ['blackbox-style-placeholder']
        labels: {__tmp_addr: '127.0.0.1:19648', keep_me: 'yes', a: '1', b: '1', env: prod}
      - targets: ['127.0.0.1:19649']
        labels: {instance: custom-instance, keep_me: 'yes', a: '1', b: '1', env: Stage}
      - targets: ['127.0.0.1:19650']
        labels: {keep_me: 'yes', a: '1', b: '1'}
EOF
  )
  cat >"$WORK/prometheus.yml.tmp" <<EOF
global:
  scrape_interval: 1s
  scrape_timeout: 500ms
  external_labels: {cluster: compat}
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:${P[node]}']
        labels: {env: static}
    relabel_configs:
      - {source_labels: [__address__], target_label: addr_copy}
$reload_target_rule
    metric_relabel_configs:
      - {source_labels: [__name__], regex: 'node_drop_me_.*', action: drop}
      - {source_labels: [device], target_label: disk}
      - {regex: device, action: labeldrop}
$reload_metric_rule

  - job_name: openmetrics
    static_configs: [{targets: ['127.0.0.1:${P[openmetrics]}']}]

  # Samples carry job, instance, env and exported_job labels of their own.
  - job_name: conflict
    static_configs: [{targets: ['127.0.0.1:${P[conflict]}'], labels: {env: static}}]
  - job_name: conflict_honor
    honor_labels: true
    static_configs: [{targets: ['127.0.0.1:${P[conflict]}'], labels: {env: static}}]

  # HTTP 500, garbage, connection refused.
  - job_name: failing
    static_configs:
      - targets: ['127.0.0.1:${P[error500]}', '127.0.0.1:${P[garbage]}', '127.0.0.1:$REFUSED_PORT']
  - job_name: hang
    scrape_timeout: 300ms
    static_configs: [{targets: ['127.0.0.1:${P[hang]}']}]

  - job_name: body_limit
    body_size_limit: 4KB
    static_configs: [{targets: ['127.0.0.1:${P[bigbody]}']}]
  - job_name: sample_limit_exceeded
    sample_limit: 50
    static_configs: [{targets: ['127.0.0.1:${P[many]}']}]
  - job_name: sample_limit_boundary
    sample_limit: 100
    static_configs: [{targets: ['127.0.0.1:${P[many]}']}]
  # The limit applies after metric_relabel_configs: 50 of the 100 samples are dropped first.
  - job_name: sample_limit_relabeled
    sample_limit: 60
    static_configs: [{targets: ['127.0.0.1:${P[many]}']}]
    metric_relabel_configs:
      - {source_labels: [i], regex: '[0-4]?[0-9]', action: drop}

  - job_name: gzip
    static_configs: [{targets: ['127.0.0.1:${P[gzip]}']}]
  # The compressed body is under the limit, the decompressed one over it.
  - job_name: gzip_body_limit
    body_size_limit: 2KB
    static_configs: [{targets: ['127.0.0.1:${P[gzip]}']}]

  - job_name: probe
    metrics_path: /probe
    params: {module: [x], extra: [a, b]}
    static_configs:
$probe_targets
    relabel_configs:
      - {source_labels: [mod], regex: '(.+)', target_label: __param_module, replacement: 'from_\${1}'}
  - job_name: probe_witness
    metrics_path: /probe
    params: {module: [x], extra: [a, b]}
    static_configs:
$probe_targets
    relabel_configs:
      - {source_labels: [__address__], regex: '.+', action: drop}

  - job_name: redirect
    static_configs: [{targets: ['127.0.0.1:${P[redirect]}']}]
  - job_name: redirect_not_followed
    follow_redirects: false
    static_configs: [{targets: ['127.0.0.1:${P[redirect]}']}]

  # Through an HTTP proxy with credentials; 192.0.2.10 (TEST-NET-1) answers only via the proxy.
  - job_name: proxied
    proxy_url: http://scraper:s3cret@127.0.0.1:${P[proxy]}
    static_configs: [{targets: ['192.0.2.10:9100']}]

  - job_name: timestamps
    static_configs: [{targets: ['127.0.0.1:${P[timestamps]}']}]
  - job_name: timestamps_ignored
    honor_timestamps: false
    static_configs: [{targets: ['127.0.0.1:${P[timestamps]}']}]

  # wide{} has 11 labels with __name__, job and instance; the long name and value are 40 long.
  - job_name: label_limits_ok
    label_limit: 11
    label_name_length_limit: 40
    label_value_length_limit: 40
    static_configs: [{targets: ['127.0.0.1:${P[labels]}']}]
  - job_name: label_limit_exceeded
    label_limit: 10
    static_configs: [{targets: ['127.0.0.1:${P[labels]}']}]
  - job_name: label_name_length_exceeded
    label_name_length_limit: 39
    static_configs: [{targets: ['127.0.0.1:${P[labels]}']}]
  - job_name: label_value_length_exceeded
    label_value_length_limit: 39
    static_configs: [{targets: ['127.0.0.1:${P[labels]}']}]

  # Witnesses: the probe and relabel jobs' targets, all dropped by the first rule, so that
  # droppedTargets shows their discovered labels untouched. Prometheus 2.42 shows active targets'
  # discoveredLabels partly overwritten by relabeling (prometheus#11960, fixed in 2.43):
  # compare.py accepts the untouched ones from B for the jobs P that have a P_witness.
  - job_name: relabel_witness
    metrics_path: /tiny
    static_configs:
$relabel_targets
    relabel_configs:
      - {source_labels: [__address__], regex: '.+', action: drop}

  # Every relabel action.
  - job_name: relabel
    metrics_path: /tiny
    static_configs:
$relabel_targets
    relabel_configs:
      - {source_labels: [keep_me], regex: 'yes', action: keep}
      - {source_labels: [__address__], regex: '.*:19658', action: drop}
      - {source_labels: [a], target_label: b, action: keepequal}
      - {source_labels: [a], target_label: c, action: dropequal}
      - {source_labels: [__tmp_addr], regex: '(.+)', target_label: __address__, replacement: '\$1'}
      - {source_labels: [__address__], target_label: __param_target}
      - {source_labels: [__address__], regex: '(.+):(\d+)', target_label: port, replacement: '\$2'}
      - {source_labels: [__address__], regex: '([^:]+):.*', target_label: host, replacement: 'host-\${1}'}
      - {source_labels: [env, dc], separator: /, target_label: location}
      - {source_labels: [__address__], regex: '0\.0', target_label: anchored, replacement: matched}
      - {source_labels: [env], regex: '(.+)', target_label: 'env_is_\${1}', replacement: 'true'}
      - {source_labels: [env], target_label: env_quirk, replacement: '\$1_x'}
      - {source_labels: [env], target_label: env_braced, replacement: '\${1}_x'}
      - {source_labels: [__address__], modulus: 4, target_label: shard, action: hashmod}
      - {regex: '__tmp_(.+)', replacement: '\${1}', action: labelmap}
      - {regex: 'drop_me|a|b|c', action: labeldrop}
      - {regex: '__.+|[a-z_]+|env_is_.+', action: labelkeep}
      - {source_labels: [env], target_label: env_lower, action: lowercase}
      - {source_labels: [dc], target_label: dc_upper, action: uppercase}
      - {source_labels: [keep_me], target_label: keep_me, replacement: ''}

  - job_name: filesd
    metrics_path: /tiny
    file_sd_configs:
      - files: ['$WORK/targets.json']
        refresh_interval: 1s
    relabel_configs:
      - {regex: '__meta_(.+)', action: labelmap}
EOF
  mv "$WORK/prometheus.yml.tmp" "$WORK/prometheus.yml"
}

write_file_sd all
write_config 0

start_prometheus() { # $1 port, $2 name
  prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/$2" \
    --web.listen-address="127.0.0.1:$1" --web.enable-lifecycle --log.level=warn >"$WORK/$2.log" 2>&1 &
}
START_S=$(($(date +%s) - 120))
start_prometheus $A_PORT prometheus
A_PID=$!
if [ "${SCRAPE_SELF_TEST:-0}" = 1 ]; then
  start_prometheus $B_PORT prometheus-b
  B_PID=$!
  B_LOG=$WORK/prometheus-b.log
else
  "$VIGIL" server --config "$WORK/prometheus.yml" --data-dir "$WORK/vigil" \
    --listen "127.0.0.1:$B_PORT" >"$WORK/vigil.log" 2>&1 &
  B_PID=$!
  B_LOG=$WORK/vigil.log
fi
wait_http "$A_URL/-/ready" 60 || { tail -20 "$WORK/prometheus.log" >&2; setup_failure "Prometheus not ready"; }
wait_http "$B_URL/-/ready" 60 || { tail -20 "$B_LOG" >&2; setup_failure "$B_NAME not ready"; }
echo "A: Prometheus $(prometheus --version 2>&1 | head -1 | awk '{print $3}') on $A_PORT; B: $B_NAME on $B_PORT"

RESULTS=$WORK/results
: >"$RESULTS"
compare() {
  { python3 "$HERE/compare.py" "$1" "$A_URL" "$B_URL" "${@:2}" 2>&1 || echo "FAIL $1: compare.py exited with status $?"; } |
    tee -a "$RESULTS"
}

echo
echo "waiting until both have scraped all $EXPECTED_TARGETS targets"
python3 "$HERE/compare.py" wait "$A_URL" "$B_URL" "$EXPECTED_TARGETS" 40 >"$WORK/wait.out" || true
head -n -1 "$WORK/wait.out"
READY_S=$(tail -1 "$WORK/wait.out")
if grep -q '^all ' "$WORK/wait.out"; then
  echo "PASS wait: both scraped all $EXPECTED_TARGETS targets" | tee -a "$RESULTS"
else
  echo "FAIL wait: both scraped all $EXPECTED_TARGETS targets" | tee -a "$RESULTS"
fi
# Values are read 4 s after that (every target, the 2 s one too, scraped at least twice on both,
# so scrape_series_added is 0 everywhere), and only once every explicitly timestamped sample (now
# rounded down to 5 s) up to then is in on both.
VALUES_S=$((READY_S + 4))
while (($(date +%s) < VALUES_S + 7)); do sleep 0.5; done

echo
echo "== targets"
compare targets
echo
echo "== series"
compare series "$START_S" "$(date +%s)"
echo
echo "== values at $VALUES_S"
compare values "$VALUES_S"
echo
echo "== metadata"
compare metadata

echo
echo "== proxy: the requests each sent through proxy_url"
python3 - "$SCRAPE_PROXY_LOG" <<'PY' | tee -a "$RESULTS"
import json, sys
sides = {"A": set(), "B": set()}
for line in open(sys.argv[1]):
    entry = json.loads(line)
    side = "A" if entry["ua"].startswith("Prometheus/") else "B"
    sides[side].add((entry["line"], entry["host"], entry["auth"]))
if sides["A"] and sides["A"] == sides["B"]:
    print("PASS proxy: both sent %s" % sorted(sides["A"]))
else:
    print("FAIL proxy: A sent %s, B sent %s" % (sorted(sides["A"]), sorted(sides["B"])))
PY

echo
echo "== federation (external_labels cluster=compat)"
compare federate node '{job="node"}'
# Overlapping selectors, a series without instance (honor_labels), failed targets' up,
# explicit timestamps.
compare federate several '{job="conflict_honor"}' '{job="conflict_honor",__name__=~"up|conflict_none"}' \
  'up{job=~"failing|hang"}' 'ts_gauge'
compare federate-errors

# Both servers' answers, for a look with SCRAPE_KEEP=1.
for side in A B; do
  url=${side}_URL
  for endpoint in targets targets/metadata metadata scrape_pools; do
    curl -s "${!url}/api/v1/$endpoint" >"$WORK/$side-${endpoint//\//-}.json" || true
  done
  curl -s --get "${!url}/api/v1/query" --data-urlencode 'query={__name__=~".+"}' \
    --data-urlencode "time=$VALUES_S" >"$WORK/$side-values.json" || true
  curl -s --get "${!url}/api/v1/series" --data-urlencode 'match[]={__name__=~".+"}' \
    --data-urlencode "start=$START_S" >"$WORK/$side-series.json" || true
  curl -s --get "${!url}/federate" --data-urlencode 'match[]={job=~"node|conflict_honor"}' \
    >"$WORK/$side-federate.txt" || true
done

echo
echo "== staleness: 127.0.0.1:19653 leaves the file_sd file"
write_file_sd some
compare stale filesd 127.0.0.1:19653

echo
echo "== reload: a target relabel rule and a metric relabel rule added"
write_config 1
for side in A B; do
  url=${side}_URL
  status=$(curl -s -o /dev/null -w '%{http_code}' -X POST "${!url}/-/reload")
  if [ "$status" = 200 ]; then
    echo "PASS reload: POST /-/reload on $side answers 200" | tee -a "$RESULTS"
  else
    echo "FAIL reload: POST /-/reload on $side answers $status" | tee -a "$RESULTS"
  fi
done
compare reload
echo
echo "== targets after the reload"
compare targets

for pid in $A_PID $B_PID; do
  kill -0 "$pid" 2>/dev/null || echo "FAIL process $pid exited during the run" | tee -a "$RESULTS"
done
passed=$(grep -c '^PASS' "$RESULTS" || true)
failed=$(grep -c '^FAIL' "$RESULTS" || true)
echo
echo "scrape: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
