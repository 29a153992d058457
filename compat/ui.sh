#!/usr/bin/env bash
# Vigil's web UI in real browsers: Debian's Chromium, headless, driven over the DevTools protocol
# by compat/ui_check.py, then Debian's Firefox ESR, headless, driven over WebDriver BiDi by
# compat/ui_firefox_check.py (the same checks, less the two that need CDP), against one running
# `vigil server` that scrapes itself (and a target that is down, and one that relabeling drops),
# has a pushed group, and holds 1,000 imported series × 1,000 points. Every page is loaded; any
# JavaScript error fails the run. The checks: plotted points equal /api/v1/query_range, completion
# and parse-error highlighting, Prometheus's /graph links, the first load < 300 KB, the
# 1,000 × 1,000 graph's draw time, screenshots (light/dark, 1280 px/phone; Firefox's named
# firefox-*.png) under ${CI_ARTIFACTS_DIR:-/tmp/vigil-ui-artifacts}.
# Prints PASS/FAIL per check and "ui: N passed, M failed", then "ui-firefox: N passed, M failed";
# exits non-zero on a failure in either browser.
# The drivers run on Debian's /usr/bin/python3 (its python3-websocket), whatever python3 is first on PATH.
# UI_CHECKS=query,targets runs only those checks (in each browser); UI_BROWSERS=firefox (or
# chromium) runs one browser; UI_COMPAT_KEEP=1 keeps the work directory.
source "$(dirname "$0")/lib/common.bash"
source "$(dirname "$0")/ui_ops_setup.bash"
UI_BROWSERS=${UI_BROWSERS:-chromium,firefox}
BROWSER_PACKAGES=()
case ",$UI_BROWSERS," in *,chromium,*) BROWSER_PACKAGES+=(chromium) ;; esac
case ",$UI_BROWSERS," in *,firefox,*) BROWSER_PACKAGES+=(firefox-esr) ;; esac
if [ ${#BROWSER_PACKAGES[@]} = 0 ]; then echo "ui: UI_BROWSERS names neither chromium nor firefox: $UI_BROWSERS" >&2; exit 2; fi
ensure_packages "${BROWSER_PACKAGES[@]}" python3-websocket python3 curl fonts-dejavu-core

VIGIL=$(vigil_binary)
PORT=${UI_PORT:-19850}
DOWN_PORT=${UI_DOWN_PORT:-19859}
BASE=http://127.0.0.1:$PORT
ARTIFACTS=${CI_ARTIFACTS_DIR:-/tmp/vigil-ui-artifacts}
WORK=$(mktemp -d -t vigil-ui.XXXXXX)
VIGIL_PID=
cleanup() {
  ui_ops_cleanup
  if [ -n "$VIGIL_PID" ]; then kill "$VIGIL_PID" 2>/dev/null || true; wait "$VIGIL_PID" 2>/dev/null || true; fi
  if [ "${UI_COMPAT_KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
mkdir -p "$ARTIFACTS"

cat >"$WORK/vigil.yml" <<YAML
global:
  scrape_interval: 1s
  scrape_timeout: 1s
scrape_configs:
  - job_name: vigil
    static_configs:
      - targets: ['127.0.0.1:$PORT']
        labels: {team: observability}
    relabel_configs:
      - source_labels: [__address__]
        regex: '.*:(\d+)'
        target_label: port
  - job_name: offline
    static_configs:
      - targets: ['127.0.0.1:$DOWN_PORT', '127.0.0.1:1']
    relabel_configs:
      - source_labels: [__address__]
        regex: '127.0.0.1:1'
        action: drop
YAML

ui_ops_prepare || { echo "ui: setup failed: the fake Kubernetes API did not start" >&2; exit 1; }
ui_ops_config >>"$WORK/vigil.yml"

"$VIGIL" server --config "$WORK/vigil.yml" --data-dir "$WORK/data" --listen "127.0.0.1:$PORT" --log.level warn \
  >"$WORK/vigil.log" 2>&1 &
VIGIL_PID=$!
if ! wait_http "$BASE/-/ready" 120; then
  tail -30 "$WORK/vigil.log" >&2
  echo "ui: setup failed: vigil did not start" >&2
  exit 1
fi

# 1,000 series × 1,000 points, 3 s apart, ending now (inside the head's appendable window).
BIG_END=$(date +%s)
python3 - "$BASE" "$BIG_END" <<'PY'
import sys, urllib.request
base, end = sys.argv[1], int(sys.argv[2])
for chunk in range(10):
    lines = []
    for s in range(chunk * 100, chunk * 100 + 100):
        for i in range(1000):
            t = end - 3 * (999 - i)
            lines.append(f'ui_big_series{{series="{s:04d}",group="g{s % 7}"}} {(s * 7 + i * (s % 13)) % 1000 / 10} {t * 1000}\n')
    request = urllib.request.Request(base + "/api/v1/import/prometheus", data="".join(lines).encode(), method="POST",
                                     headers={"Content-Type": "text/plain"})
    urllib.request.urlopen(request, timeout=120).read()
PY
curl -fsS --data-binary $'# TYPE ui_pushed_jobs gauge\nui_pushed_jobs{queue="a"} 3\nui_pushed_jobs{queue="b"} 5\n' \
  "$BASE/metrics/job/ui-test/instance/batch-1" >/dev/null
ui_ops_push
# A few scrapes, so range queries have more than one point.
sleep 5

status=0
export UI_BIG_METRIC=ui_big_series UI_BIG_END=$BIG_END UI_BIG_RANGE=50m UI_BIG_STEP=3s
case ",$UI_BROWSERS," in *,chromium,*)
  /usr/bin/python3 "$(dirname "$0")/ui_check.py" "$BASE" "$ARTIFACTS" || status=$?
esac
case ",$UI_BROWSERS," in *,firefox,*)
  /usr/bin/python3 "$(dirname "$0")/ui_firefox_check.py" "$BASE" "$ARTIFACTS" || status=$?
esac
echo "screenshots and figures: $ARTIFACTS"
if [ "$status" != 0 ]; then tail -20 "$WORK/vigil.log" >&2; fi
exit "$status"
