#!/usr/bin/env bash
# DNS service discovery, Vigil beside Prometheus 2.42, against a real DNS server (dnsmasq).
#
# dnsmasq (Debian's dnsmasq-base) serves SRV, A, AAAA and MX records for vigil.test on
# 127.0.0.77:53. Each server runs in its own mount namespace where /etc/resolv.conf names only
# that server and searches vigil.test, so both resolve exactly as they would in production
# (nameserver list, search domains, ndots). Both get the same prometheus.yml; the script compares
# what /api/v1/targets says for every active target (scrape pool, URL, discovered labels with the
# __meta_dns_* labels, final labels) and for the dropped ones. Then dnsmasq is restarted without
# one SRV record and, after the refresh interval, both must have dropped that target.
# Needs root (mount namespaces, port 53). Prints "dns-sd: N passed, M failed".
source "$(dirname "$0")/lib/common.bash"
ensure_packages prometheus dnsmasq-base curl jq util-linux

DNS_IP=127.0.0.77
VIGIL_PORT=19640
PROM_PORT=19641
WORK=$(mktemp -d -t dns-sd.XXXXXX)
VIGIL_PID= PROM_PID= DNS_PID=
passed=0 failed=0
cleanup() {
  for pid in $VIGIL_PID $PROM_PID $DNS_PID; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
setup_failure() { echo "dns-sd: setup failed: $*" >&2; exit 1; }
check() {
  local name=$1 expected=$2 actual=$3
  if [ "$expected" == "$actual" ]; then
    echo "PASS $name"; passed=$((passed + 1))
  else
    echo "FAIL $name"; diff <(echo "$expected") <(echo "$actual") | head -20; failed=$((failed + 1))
  fi
}

[ "$(id -u)" = 0 ] || setup_failure "needs root for mount namespaces and port 53"
VIGIL=${DNS_SD_VIGIL:-$(vigil_binary)}

start_dns() {
  dnsmasq --keep-in-foreground --no-resolv --no-hosts --bind-interfaces --listen-address=$DNS_IP --port=53 \
    --pid-file="$WORK/dnsmasq.pid" --log-facility="$WORK/dnsmasq.log" \
    --srv-host=_node._tcp.vigil.test,node1.vigil.test,9100,10,5 \
    "$@" \
    --host-record=db.vigil.test,192.0.2.7 \
    --host-record=v6.vigil.test,2001:db8::7 \
    --mx-host=vigil.test,mail.vigil.test,10 &
  DNS_PID=$!
  sleep 0.5
  kill -0 "$DNS_PID" 2>/dev/null || setup_failure "dnsmasq did not start (see $WORK/dnsmasq.log)"
}
start_dns --srv-host=_node._tcp.vigil.test,node2.vigil.test,9200,20,5

printf 'nameserver %s\nsearch vigil.test\noptions ndots:1\n' "$DNS_IP" >"$WORK/resolv.conf"
cat >"$WORK/prometheus.yml" <<'YAML'
global:
  scrape_interval: 1m
scrape_configs:
  - job_name: srv
    dns_sd_configs:
      - names: ['_node._tcp.vigil.test']
        refresh_interval: 2s
  - job_name: a
    dns_sd_configs:
      - names: ['db.vigil.test', 'missing.vigil.test']
        type: A
        port: 9187
  - job_name: aaaa
    dns_sd_configs:
      - names: ['v6.vigil.test']
        type: AAAA
        port: 9187
  - job_name: mx
    dns_sd_configs:
      - names: ['vigil.test']
        type: MX
        port: 25
  - job_name: search
    dns_sd_configs:
      - names: ['db']
        type: A
        port: 9100
    relabel_configs:
      - source_labels: [__meta_dns_name]
        target_label: dns_name
  - job_name: dropped
    dns_sd_configs:
      - names: ['_node._tcp.vigil.test']
    relabel_configs:
      - source_labels: [__meta_dns_srv_record_port]
        regex: '9100'
        action: drop
YAML

# exec all the way down, so the PID the script keeps is the server's own and the trap stops it.
in_namespace() {
  exec unshare --mount sh -c "mount --bind '$WORK/resolv.conf' /etc/resolv.conf && exec \"\$@\"" sh "$@"
}
in_namespace prometheus --config.file="$WORK/prometheus.yml" --storage.tsdb.path="$WORK/prom" \
  --web.listen-address=127.0.0.1:$PROM_PORT >"$WORK/prom.log" 2>&1 &
PROM_PID=$!
in_namespace "$VIGIL" server --config "$WORK/prometheus.yml" --data-dir "$WORK/vigil" \
  --listen 127.0.0.1:$VIGIL_PORT >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
wait_http "http://127.0.0.1:$PROM_PORT/-/ready" || setup_failure "prometheus did not start"
wait_http "http://127.0.0.1:$VIGIL_PORT/-/ready" || setup_failure "vigil did not start"

targets() {
  curl -fsS "http://127.0.0.1:$1/api/v1/targets" | jq -S -c '
    [.data.activeTargets[] | {scrapePool, scrapeUrl, discoveredLabels, labels}] | sort_by(.scrapePool, .scrapeUrl) | .[]'
}
dropped() {
  curl -fsS "http://127.0.0.1:$1/api/v1/targets?state=dropped" | jq -S -c '[.data.droppedTargets[].discoveredLabels] | sort_by(.__address__) | .[]'
}
# Wait until both have discovered every job (Prometheus applies discovery on a 5 s tick).
wait_targets() {
  local want=$1 i
  for ((i = 0; i < 60; i++)); do
    if [ "$(targets $PROM_PORT | wc -l)" = "$want" ] && [ "$(targets $VIGIL_PORT | wc -l)" = "$want" ]; then return 0; fi
    sleep 0.5
  done
  return 1
}
wait_targets 7 || { echo "targets did not settle"; targets $PROM_PORT; targets $VIGIL_PORT; }
check "active targets and their discovered labels" "$(targets $PROM_PORT)" "$(targets $VIGIL_PORT)"
check "dropped targets" "$(dropped $PROM_PORT)" "$(dropped $VIGIL_PORT)"
check "srv meta labels present" 3 "$(targets $VIGIL_PORT | grep -c '__meta_dns_srv_record_port')"

# node2's SRV record goes away: after a refresh both must drop it.
kill "$DNS_PID"; wait "$DNS_PID" 2>/dev/null || true
start_dns
wait_targets 5 || echo "targets did not settle after the record was removed"
check "targets after an SRV record was removed" "$(targets $PROM_PORT)" "$(targets $VIGIL_PORT)"
check "removed SRV target is gone" 0 "$(targets $VIGIL_PORT | grep -c node2)"

echo "dns-sd: $passed passed, $failed failed"
[ "$failed" = 0 ]
