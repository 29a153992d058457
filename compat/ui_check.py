#!/usr/bin/python3
"""Drives headless Chromium over the DevTools protocol against a running `vigil server`.

Usage: ui_check.py <base URL> <artifacts directory>
Every page is loaded; any JavaScript exception, console.error or browser error log entry (a CSP
violation, a failed request) fails the run. One function per page (`check_<page>`), listed in
PAGE_CHECKS: add yours there. Prints PASS/FAIL per check; exits 1 on a failure.
Environment: CHROMIUM (binary), UI_BIG_METRIC (the 1,000 × 1,000 metric, empty to skip).
ui_firefox_check.py runs these same checks in Firefox over WebDriver BiDi.
"""
import base64
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

import websocket

BASE = sys.argv[1].rstrip("/")
ARTIFACTS = sys.argv[2]
PAGE_TIMEOUT = 30
RESULTS = {"passed": 0, "failed": 0}
FIGURES = {}


class PageDriver:
    """What the checks use, whatever the protocol. CDP and WebDriver BiDi both send commands as
    {id, method, params} over one WebSocket (`ws`) and answer by id, `error` on failure; anything
    else is an event, which a subclass's `_record` reads. A subclass provides `eval` (an
    expression's value as JSON gives it), `navigate`, `viewport`, `screenshot`, `insert_text`
    (into the focused element), `press_key` ("Tab") and `disable_cache`, and keeps `errors`
    (JavaScript errors seen) and `allowed` (substrings of errors a check expects)."""

    def call(self, method, params=None, timeout=120):
        """Sends a command and returns its result; events read meanwhile go to `_record`."""
        self.next_id += 1
        ident = self.next_id
        self.ws.send(json.dumps({"id": ident, "method": method, "params": params or {}}))
        deadline = time.time() + timeout
        while time.time() < deadline:
            message = json.loads(self.ws.recv())
            if message.get("id") == ident:
                if "error" in message:
                    raise RuntimeError(f"{method}: {message['error']} {message.get('message', '')}".rstrip())
                return message.get("result", {})
            self._record(message)
        raise TimeoutError(method)

    def pump(self, seconds):
        """Reads events for a while (console errors arrive asynchronously)."""
        self.ws.settimeout(0.05)
        deadline = time.time() + seconds
        try:
            while time.time() < deadline:
                try:
                    self._record(json.loads(self.ws.recv()))
                except websocket.WebSocketTimeoutException:
                    pass
        finally:
            self.ws.settimeout(120)

    def wait_for(self, expression, timeout=PAGE_TIMEOUT, what=None):
        deadline = time.time() + timeout
        while time.time() < deadline:
            # Truthiness is JavaScript's: a DOM node would arrive as {} and read as false here.
            value = self.eval(f"(() => {{ const v = ({expression}); return v ? (typeof v === 'object' && !Array.isArray(v) ? true : v) : false; }})()")
            if value:
                return value
            self.pump(0.1)
        raise TimeoutError(f"timed out waiting for {what or expression}")

    def open(self, path):
        """Loads a page of the UI and waits until its `render` returned (`data-ready`)."""
        self.navigate(BASE + path)
        self.wait_for("document.readyState === 'complete'", what="load")
        self.wait_for("document.getElementById('page') && document.getElementById('page').dataset.ready === 'true'", what=f"{path} to render")
        self.pump(0.3)


class Browser(PageDriver):
    """One Chromium process and one page target, spoken to over CDP."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="vigil-ui-chromium.")
        binary = os.environ.get("CHROMIUM") or shutil.which("chromium") or "chromium"
        self.process = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
             "--no-first-run", "--no-default-browser-check", "--disable-extensions",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             "--remote-debugging-port=0", "--remote-allow-origins=*", f"--user-data-dir={self.profile}",
             "--window-size=1280,900", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(ARTIFACTS, "chromium.log"), "wb"))
        port_file = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.time() + 60
        while not os.path.exists(port_file) or os.path.getsize(port_file) == 0:
            if time.time() > deadline or self.process.poll() is not None:
                raise RuntimeError("Chromium did not start (see chromium.log)")
            time.sleep(0.1)
        port = open(port_file).read().split()[0]
        targets = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=10))
        page = next(t for t in targets if t["type"] == "page")
        self.ws = websocket.create_connection(page["webSocketDebuggerUrl"], timeout=120, suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.errors = []
        # Substrings of error entries a check expects (a 400 for a query it sent malformed on purpose).
        self.allowed = []
        for domain in ("Page", "Runtime", "Log", "Network"):
            self.call(f"{domain}.enable")

    def close(self):
        try:
            self.ws.close()
        finally:
            self.process.kill()
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)

    def _record(self, message):
        method = message.get("method")
        params = message.get("params", {})
        if method == "Runtime.exceptionThrown":
            details = params["exceptionDetails"]
            text = details.get("exception", {}).get("description") or details.get("text")
            self.errors.append(f"exception: {text} at {details.get('url', '')}:{details.get('lineNumber')}")
        elif method == "Runtime.consoleAPICalled" and params["type"] in ("error", "assert"):
            args = " ".join(str(a.get("value", a.get("description", ""))) for a in params["args"])
            self.errors.append(f"console.{params['type']}: {args}")
        elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
            entry = params["entry"]
            self.errors.append(f"log ({entry['source']}): {entry['text']} {entry.get('url', '')}")
        self.events.append(message)

    def eval(self, expression, timeout=120):
        result = self.call("Runtime.evaluate", {"expression": expression, "returnByValue": True, "awaitPromise": True}, timeout)
        if "exceptionDetails" in result:
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails'].get('exception', {}).get('description')}")
        return result["result"].get("value")

    def navigate(self, url):
        self.events.clear()
        self.call("Page.navigate", {"url": url})

    def insert_text(self, text):
        self.call("Input.insertText", {"text": text})

    def disable_cache(self, disabled):
        self.call("Network.setCacheDisabled", {"cacheDisabled": disabled})

    def press_key(self, key):
        codes = {"Tab": 9}
        self.call("Input.dispatchKeyEvent", {"type": "keyDown", "key": key, "code": key, "windowsVirtualKeyCode": codes[key]})

    def viewport(self, width, height, mobile=False, dark=False):
        self.call("Emulation.setDeviceMetricsOverride", {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile})
        self.call("Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": "dark" if dark else "light"}]})

    def screenshot(self, name):
        data = self.call("Page.captureScreenshot", {"format": "png", "captureBeyondViewport": False})["data"]
        with open(os.path.join(ARTIFACTS, f"{name}.png"), "wb") as f:
            f.write(base64.b64decode(data))


def api(path, params=None):
    url = BASE + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    with urllib.request.urlopen(url, timeout=120) as response:
        body = json.load(response)
    if body.get("status") != "success":
        raise RuntimeError(f"{path}: {body}")
    return body["data"]


def check(name, function, browser):
    before = len(browser.errors)
    browser.allowed = []
    try:
        function(browser)
        browser.pump(0.2)
        new_errors = [e for e in browser.errors[before:] if not any(a in e for a in browser.allowed)]
        if new_errors:
            raise AssertionError("JavaScript errors: " + "; ".join(new_errors))
        print(f"PASS {name}")
        RESULTS["passed"] += 1
    except Exception as error:  # noqa: BLE001 - every failure is reported, then the next check runs
        print(f"FAIL {name}: {error}")
        RESULTS["failed"] += 1
        for line in browser.errors[before:]:
            print(f"  browser: {line}")
        try:
            browser.screenshot(f"failed-{name}")
        except Exception:  # noqa: BLE001
            pass


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def same_float(a, b):
    if math.isnan(a) and math.isnan(b):
        return True
    return a == b or abs(a - b) <= 1e-9 * max(abs(a), abs(b))


# ---- pages -------------------------------------------------------------------------------

def check_first_load(b):
    """The first visit, cache disabled, transfers less than 300 KB (Performance API)."""
    b.disable_cache(True)
    b.open("/query")
    total = b.eval("""(() => {
        const entries = [...performance.getEntriesByType('navigation'), ...performance.getEntriesByType('resource')];
        return entries.reduce((n, e) => n + e.transferSize, 0); })()""")
    count = b.eval("performance.getEntriesByType('resource').length")
    b.disable_cache(False)
    FIGURES["first_load_bytes"] = total
    print(f"  first load: {total} bytes in {count + 1} requests")
    expect(count >= 5, f"the page loaded its modules ({count} resources)")
    expect(0 < total < 300 * 1024, f"first load transfers {total} bytes, limit 300 KB")


def check_query(b):
    """A range query's plotted points equal /api/v1/query_range's; table view; URL state."""
    expr = 'scrape_duration_seconds * 1000 or up'
    b.open("/query?" + urllib.parse.urlencode({"g0.expr": expr, "g0.tab": "graph", "g0.range_input": "15m"}))
    b.wait_for("document.querySelector('[data-panel=\"0\"]').dataset.state === 'done'", what="the graph")
    chart = b.eval("""(() => { const c = document.querySelector('.chart-container');
        return {plotted: c.vigilChart.plotted(), start: c.dataset.start, end: c.dataset.end, step: c.dataset.step,
                points: Number(c.dataset.points)}; })()""")
    expect(chart["points"] > 0, "the graph has points")
    data = api("/api/v1/query_range", {"query": expr, "start": chart["start"], "end": chart["end"], "step": chart["step"]})
    expected = {json.dumps(s["metric"], sort_keys=True): [(float(t), float(v)) for t, v in s["values"]] for s in data["result"]}
    drawn = {json.dumps(s["metric"], sort_keys=True): [(float(t), float(v)) for t, v in s["values"]] for s in chart["plotted"]}
    expect(set(expected) == set(drawn), f"series differ: drawn {sorted(drawn)} API {sorted(expected)}")
    for key, points in expected.items():
        got = drawn[key]
        expect(len(got) == len(points), f"{key}: {len(got)} points drawn, API has {len(points)}")
        for (t1, v1), (t2, v2) in zip(got, points):
            expect(t1 == t2 and same_float(v1, v2), f"{key}: drawn ({t1}, {v1}) API ({t2}, {v2})")
    print(f"  graph: {len(drawn)} series, {chart['points']} points match the API")
    # Hover legend shows exact values.
    # Over the newest drawn point: a fresh server has data only at the right end of the range.
    b.eval("""(() => { const c = document.querySelector('.chart-container'); const g = c.vigilChart.geometry;
        const s = c.vigilChart.plotted()[0]; const t = s.values[s.values.length - 1][0];
        const o = document.querySelector('.chart-overlay'); const r = o.getBoundingClientRect();
        o.dispatchEvent(new MouseEvent('mousemove', {clientX: r.left + g.x(t), clientY: r.top + r.height / 2, bubbles: true})); })()""")
    expect(b.eval("!document.querySelector('.chart-tooltip').hidden && document.querySelectorAll('.tooltip-row').length > 0"), "hover legend shows")
    # Stacked, then the table view; the URL keeps the state.
    b.eval("document.querySelector('.panel-controls input[type=checkbox]').click()")
    expect("g0.display_mode=stacked" in b.eval("location.search"), "stacked is in the URL")
    b.eval("document.querySelector('[data-tab=\"table\"]').click()")
    b.wait_for("document.querySelector('[data-panel=\"0\"]').dataset.state === 'done' && document.querySelector('.result-table')", what="the table")
    rows = b.eval("document.querySelectorAll('.result-table tbody tr').length")
    instant = api("/api/v1/query", {"query": expr})
    expect(rows == len(instant["result"]), f"table rows {rows}, API {len(instant['result'])}")
    expect("g0.tab=table" in b.eval("location.search"), "the tab is in the URL")
    # A series naming a pod links to its correlation view.
    b.open("/query?" + urllib.parse.urlencode({"g0.expr": 'container_memory_working_set_bytes{pod="web-1"}', "g0.tab": "table"}))
    b.wait_for("document.querySelector('[data-panel=\"0\"]').dataset.state === 'done' && document.querySelector('.result-table')",
               what="the pod table")
    links = b.eval("[...document.querySelectorAll('.result-table a.correlate')].map(a => a.getAttribute('href'))")
    expect(len(links) > 0 and all(l.startswith("/correlate?pod=default%2Fweb-1") for l in links),
           f"each pod row links to /correlate?pod=default/web-1: {links}")


def completions_for(b, text, wanted):
    """Types `text` into the first editor (cursor at its end) and returns the completion labels
    once `wanted` is among them (or whatever is shown when the wait times out)."""
    b.eval("(() => { const t = document.querySelector('.editor textarea'); t.value = ''; t.dispatchEvent(new Event('input')); })()")
    b.wait_for("document.querySelector('.completions').hidden", what="the list to close")
    b.eval("document.querySelector('.editor textarea').focus()")
    b.insert_text(text)
    read = ("(document.querySelector('.completions').hidden ? [] : "
            "[...document.querySelectorAll('.completions li .completion-label')].map(e => e.textContent))")
    try:
        b.wait_for(f"{read}.includes({json.dumps(wanted)})", what=f"completion {wanted!r} for {text!r}")
    except TimeoutError:
        pass
    return b.eval(read)


def check_query_editor(b):
    """Highlighting, completion of metrics, functions, labels and values, parse error position."""
    b.open("/query")
    items = completions_for(b, "scrape_dur", "scrape_duration_seconds")
    expect("scrape_duration_seconds" in items, f"metric completion: {items[:20]}")
    completions_for(b, "histogram_qu", "histogram_quantile")
    detail = b.eval("document.querySelector('.completions li .detail').textContent")
    expect(detail.startswith("histogram_quantile(scalar, instant vector)"), f"function signature: {detail}")
    labels = completions_for(b, "up{", "job")
    expect("job" in labels and "__name__" not in labels, f"label names for up: {labels}")
    jobs = api("/api/v1/label/job/values", {"match[]": "up"})
    values = completions_for(b, 'up{job="', jobs[0] if jobs else "")
    expect(set(values) == set(jobs), f"job values {values} API {jobs}")
    by_labels = completions_for(b, "sum by (", "job")
    expect("job" in by_labels, f"label names in by (…): {by_labels}")
    # Accepting a completion inserts it.
    completions_for(b, "scrape_dur", "scrape_duration_seconds")
    b.press_key("Tab")
    expect(b.eval("document.querySelector('.editor textarea').value") == "scrape_duration_seconds", "Tab accepts the completion")
    expect(b.eval("document.querySelectorAll('.editor pre .hl-metric').length") >= 1, "the metric is highlighted")
    # A parse error underlines the reported position. The API answers 400, which Chromium logs.
    b.allowed.append("status of 400 (Bad Request) " + BASE + "/api/v1/query_range")
    b.eval("(() => { const t = document.querySelector('.editor textarea'); t.value = 'sum(rate(up[5m]) by'; t.dispatchEvent(new Event('input')); })()")
    b.eval("document.querySelector('.panel .run').click()")
    b.wait_for("document.querySelector('[data-panel=\"0\"]').dataset.state === 'error'", what="the parse error")
    message = b.eval("document.querySelector('.panel .error').textContent")
    expect("parse error" in message, f"the server's message is shown: {message}")
    expect(b.eval("document.querySelectorAll('.editor pre .hl-error').length") == 1, "the error position is underlined")


def check_graph_link(b):
    """Prometheus's /graph links (alert generatorURL) open the Query page with the same panels."""
    b.open("/graph?" + urllib.parse.urlencode({"g0.expr": "up", "g0.tab": "1", "g1.expr": "vector(1)", "g1.tab": "0"}))
    expect(b.eval("location.pathname") == "/query", "the address becomes /query")
    expect(b.eval("document.querySelectorAll('.panel').length") == 2, "two panels")
    b.wait_for("[...document.querySelectorAll('.panel')].every(p => p.dataset.state === 'done')", what="both panels")
    expect(b.eval("!!document.querySelector('[data-panel=\"0\"] .result-table') && !!document.querySelector('[data-panel=\"1\"] .chart-container')"),
           "g0.tab=1 is a table, g1.tab=0 a graph")


def check_targets(b):
    b.open("/targets")
    b.wait_for("document.querySelectorAll('tr.target').length > 0", what="targets")
    targets = api("/api/v1/targets", {"state": "active"})["activeTargets"]
    rows = b.eval("document.querySelectorAll('tr.target').length")
    expect(rows == len(targets), f"{rows} rows, API has {len(targets)} targets")
    expect(b.eval("document.querySelectorAll('.health-up').length") >= 1, "a healthy target")


def check_service_discovery(b):
    b.open("/service-discovery")
    expect(b.eval("document.querySelectorAll('section.pool').length") >= 1, "a scrape pool")


def check_status(b):
    b.open("/status")
    b.wait_for("document.querySelector('#config-yaml') && document.querySelector('#flags-table') && document.querySelector('#runtime-table') && document.querySelector('#build-table')", what="status sections")
    expect("scrape_configs" in b.eval("document.querySelector('#config-yaml').textContent"), "the configuration is shown")
    b.open("/flags")
    expect(b.eval("document.querySelectorAll('#flags-table tr').length") > 3, "flags")


def check_tsdb(b):
    b.open("/tsdb")
    b.wait_for("document.querySelectorAll('#by-metric tbody tr').length > 0", what="cardinality tables")
    b.eval("document.querySelector('#by-metric tbody a').click()")
    b.wait_for("document.querySelector('#metric-breakdown table')", what="the metric breakdown")
    expect("metric=" in b.eval("location.search"), "the selected metric is in the URL")


def check_screenshots(b):
    """Light and dark, 1280 px and a phone, for every page."""
    for dark in (False, True):
        for width, height, mobile, name in ((1280, 900, False, "1280"), (390, 844, True, "phone")):
            b.viewport(width, height, mobile, dark)
            for path in ("/query?g0.expr=up&g0.range_input=15m", "/targets", "/status", "/tsdb"):
                b.open(path)
                b.pump(0.5)
                page = path.split("?")[0].strip("/") or "query"
                b.screenshot(f"{page}-{'dark' if dark else 'light'}-{name}")
                overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                expect(overflow <= 1, f"{path} at {width} px scrolls sideways by {overflow} px")
    b.viewport(1280, 900)


def check_big_graph(b):
    """1,000 series × 1,000 points drawn through the Query page; the draw time is recorded."""
    metric = os.environ.get("UI_BIG_METRIC", "")
    if not metric:
        print("  skipped (UI_BIG_METRIC empty)")
        return
    span = os.environ.get("UI_BIG_RANGE", "50m")
    end = os.environ["UI_BIG_END"]
    b.open("/query?" + urllib.parse.urlencode({"g0.expr": metric, "g0.range_input": span, "g0.end_input": end, "g0.step_input": os.environ.get("UI_BIG_STEP", "3s")}))
    b.wait_for("document.querySelector('[data-panel=\"0\"]').dataset.state !== 'loading'", timeout=300, what="the big graph")
    state = b.eval("document.querySelector('[data-panel=\"0\"]').dataset.state")
    if state == "done":
        # The chart draws in frame-sized slices; drawMs appears when the last one is done.
        b.wait_for("document.querySelector('.chart-container').dataset.drawMs", timeout=120, what="the big graph's draw")
    error_text = b.eval("(document.querySelector('.panel .error') || {}).textContent")
    expect(state == "done", f"big graph state {state}: {error_text}")
    series = int(b.eval("document.querySelector('.chart-container').dataset.series"))
    points = int(b.eval("document.querySelector('.chart-container').dataset.points"))
    draws = b.eval("performance.getEntriesByName('vigil-chart-draw').map(e => e.duration)")
    # Redraw a few times (resize) for a steadier figure.
    for width in (1200, 1280, 1100):
        b.viewport(width, 900)
        b.pump(0.6)
    draws = b.eval("performance.getEntriesByName('vigil-chart-draw').map(e => e.duration)")
    longest_task = b.eval("""new Promise((resolve) => { const start = performance.now();
        requestAnimationFrame(() => resolve(performance.now() - start)); })""")
    FIGURES["big_graph"] = {"series": series, "points": points, "draw_ms": draws, "next_frame_ms": longest_task}
    print(f"  {series} series, {points} points; draws (ms): {', '.join(f'{d:.0f}' for d in draws)}")
    expect(series == 1000 and points >= 990000, f"expected 1000 series × ~1000 points, got {series} / {points}")
    expect(max(draws) < 5000, "a draw finishes within 5 s")
    b.viewport(1280, 900)


# ---- Logs, Alerts, Silences, Events, Correlate (data from compat/ui_ops_setup.bash) ----------

UI_POD = {"namespace": "default", "pod": "web-1"}
UI_ALERT = "UITestPodCrashLooping"


def get_json(path, params=None):
    url = BASE + path + ("?" + urllib.parse.urlencode(params, doseq=True) if params else "")
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def check_logs(b):
    """A LogQL query's lines equal /loki/api/v1/query_range's, newest first; expand, filter, metric graph, live tail."""
    query = '{job="ui-test"}'
    b.open("/logs?" + urllib.parse.urlencode({"query": query, "range": "1h", "limit": "1000"}))
    b.wait_for("document.querySelector('.logs-panel').dataset.state === 'done' && document.querySelector('.log-lines')", what="log lines")
    shown = b.eval("[...document.querySelectorAll('.logs-output .log-line')].map(li => [li.dataset.ns, li.querySelector('.log-text').textContent])")
    end_ns = max(int(ns) for ns, _ in shown) + 1
    data = api("/loki/api/v1/query_range", {"query": query, "start": str(end_ns - 3600 * 10**9), "end": str(end_ns), "limit": "1000", "direction": "backward"})
    expected = sorted(((v[0], v[1]) for s in data["result"] for v in s["values"]), key=lambda e: -int(e[0]))
    expect(len(expected) == 50, f"the pushed lines are all there ({len(expected)})")
    expect([tuple(e) for e in shown] == expected, f"lines differ from the API: shown {shown[:3]}… API {expected[:3]}…")
    print(f"  {len(shown)} lines match /loki/api/v1/query_range, newest first")
    b.wait_for("document.querySelector('.logs-volume .chart-container') && Number(document.querySelector('.logs-volume .chart-container').dataset.points) > 0", what="the volume histogram")
    # Each bar counts the lines of one step (count_over_time over exactly the step): they add up to all lines.
    total = b.eval("document.querySelector('.logs-volume .chart-container').vigilChart.plotted().reduce((n, s) => n + s.values.reduce((m, v) => m + v[1], 0), 0)")
    expect(total == len(expected), f"the volume histogram counts {total} lines, {len(expected)} shown")
    # Expand the newest logfmt line: labels, parsed fields; clicking a label filters the query.
    b.eval("[...document.querySelectorAll('.logs-output .log-line')].find(li => li.querySelector('.log-text').textContent.startsWith('level=')).querySelector('.log-toggle').click()")
    b.wait_for("document.querySelector('.log-details:not([hidden]) .labels')", what="the expanded line")
    fields = b.eval("[...document.querySelectorAll('.log-details:not([hidden]) .log-fieldset')].map(f => f.textContent)")
    expect(any("Parsed fields (logfmt)" in f and "path" in f for f in fields), f"logfmt fields: {fields}")
    expect(b.eval("!!document.querySelector('.log-details:not([hidden]) a.correlate[href*=\"pod=default%2Fweb-1\"]')"), "a Correlate link for the pod")
    b.eval("[...document.querySelectorAll('.log-details:not([hidden]) .labels button')].find(x => x.textContent === 'container=\"web\"').click()")
    b.wait_for("document.querySelector('.logs-panel').dataset.state === 'done' && new URLSearchParams(location.search).get('query').includes('container=\"web\"')", what="the label filter")
    count = b.eval("document.querySelectorAll('.logs-output .log-line').length")
    expect(count == 40, f"filtered to the web container: {count} lines")
    # Context around a line.
    b.eval("document.querySelectorAll('.logs-output .log-toggle')[5].click()")
    b.eval("document.querySelector('.log-details:not([hidden]) .log-context-button').click()")
    b.wait_for("document.querySelector('.log-context .log-current')", what="the context")
    expect(b.eval("document.querySelectorAll('.log-context .log-line').length") >= 10, "lines around the line")
    # A metric query draws a graph.
    b.open("/logs?" + urllib.parse.urlencode({"query": 'sum by (container) (count_over_time({job="ui-test"}[1m]))', "range": "1h"}))
    b.wait_for("document.querySelector('.logs-panel').dataset.state === 'done'", what="the metric query")
    series = b.eval("document.querySelector('.logs-output .chart-container').vigilChart.plotted().map(s => s.metric.container).sort()")
    expect(series == ["sidecar", "web"], f"metric query series: {series}")
    # Completion of label names and values.
    b.open("/logs")
    names = completions_for(b, "{", "job")
    expect("job" in names and "pod" in names, f"label completion: {names}")
    values = completions_for(b, '{job="', "ui-test")
    expect("ui-test" in values, f"value completion: {values}")
    # Live tail: a line pushed now appears.
    b.open("/logs?" + urllib.parse.urlencode({"query": '{job="ui-live"}'}))
    b.eval("document.querySelector('.live-toggle').click()")
    b.wait_for("document.querySelector('.live-notice') && document.querySelector('.live-notice').textContent.startsWith('Live')", what="the tail to open")
    marker = f"live line {time.time()}"
    push = {"streams": [{"stream": {"job": "ui-live"}, "values": [[str(time.time_ns()), marker]]}]}
    urllib.request.urlopen(urllib.request.Request(BASE + "/loki/api/v1/push", data=json.dumps(push).encode(), method="POST",
                                                  headers={"Content-Type": "application/json"}), timeout=30).read()
    b.wait_for(f"[...document.querySelectorAll('.log-lines.live .log-text')].some(e => e.textContent === {json.dumps(marker)})", what="the tailed line")
    b.eval("document.querySelector('.live-toggle').click()")
    expect("live=1" not in b.eval("location.search"), "stopping live leaves the URL")


def ui_alert():
    alerts = get_json("/api/v2/alerts", {"filter": f'alertname="{UI_ALERT}"'})
    return alerts[0] if alerts else None


def check_alerts(b):
    """Rules with state and evaluation; the firing alert grouped as Alertmanager groups it; filters."""
    deadline = time.time() + 30
    while not ui_alert() and time.time() < deadline:
        time.sleep(0.5)
    alert = ui_alert()
    expect(alert is not None, f"{UI_ALERT} reached the Alertmanager")
    b.open("/alerts")
    b.wait_for(f"document.querySelector('li.alert[data-fingerprint=\"{alert['fingerprint']}\"]')", what="the alert")
    b.wait_for(f"document.querySelector('tr.rule[data-rule=\"{UI_ALERT}\"]')", what="the rule")
    expect(b.eval(f"document.querySelector('tr.rule[data-rule=\"{UI_ALERT}\"]').dataset.state") == "firing", "the rule is firing")
    summary = b.eval(f"document.querySelector('li.alert[data-fingerprint=\"{alert['fingerprint']}\"] .annotations').textContent")
    expect("<b>often</b>" in summary, f"annotations shown as text: {summary}")
    expect(b.eval("document.querySelectorAll('.annotations b').length") == 0, "no markup from data")
    expect(b.eval(f"!!document.querySelector('li.alert[data-fingerprint=\"{alert['fingerprint']}\"] a.correlate[href=\"/correlate?alert={alert['fingerprint']}\"]')"),
           "the alert links to the Correlation page")
    groups = get_json("/api/v2/alerts/groups")
    shown = b.eval("document.querySelectorAll('section.alert-group').length")
    expect(shown == len([g for g in groups if g["alerts"]]), f"{shown} groups, API {len(groups)}")
    # A matcher that excludes it.
    b.open("/alerts?" + urllib.parse.urlencode({"filter": '{severity="none"}'}))
    b.wait_for("document.querySelector('.alert-groups .empty')", what="the filtered empty list")


def check_silences(b):
    """Silence the alert from the Alerts page (the preview lists it), verify via /api/v2/silences, expire it."""
    alert = ui_alert()
    expect(alert is not None, "the alert fires")
    b.open("/alerts")
    b.wait_for(f"document.querySelector('li.alert[data-fingerprint=\"{alert['fingerprint']}\"] a.silence-alert')", what="the Silence link")
    b.eval(f"document.querySelector('li.alert[data-fingerprint=\"{alert['fingerprint']}\"] a.silence-alert').click()")
    b.wait_for("document.querySelector('.silence-form') && document.querySelector('.silence-preview').dataset.count", what="the form and preview")
    matchers = b.eval("document.querySelector('textarea[name=matchers]').value")
    expect(f'alertname="{UI_ALERT}"' in matchers and 'pod="web-1"' in matchers, f"matchers prefilled: {matchers}")
    muted = b.eval("[...document.querySelectorAll('.silence-preview li.alert')].map(li => li.dataset.fingerprint)")
    expect(muted == [alert["fingerprint"]], f"the preview lists the alert: {muted}")
    comment = f"ui check {time.time()}"
    b.eval(f"""(() => {{ const f = document.querySelector('.silence-form');
        f.querySelector('[name=createdBy]').value = 'ui-check'; f.querySelector('[name=comment]').value = {json.dumps(comment)};
        f.querySelector('[name=duration]').value = '1h'; f.querySelector('[name=duration]').dispatchEvent(new Event('change'));
        f.querySelector('button.save').click(); }})()""")
    b.wait_for("location.pathname === '/silences' && !new URLSearchParams(location.search).get('new') && document.querySelector('li.silence')", what="the saved silence")
    silences = [s for s in get_json("/api/v2/silences") if s["comment"] == comment]
    expect(len(silences) == 1 and silences[0]["status"]["state"] == "active", f"one active silence: {silences}")
    silence = silences[0]
    expect({(m["name"], m["value"]) for m in silence["matchers"]} == set(alert["labels"].items()), f"matchers {silence['matchers']}")
    length = (time.mktime(time.strptime(silence["endsAt"][:19], "%Y-%m-%dT%H:%M:%S")) - time.mktime(time.strptime(silence["startsAt"][:19], "%Y-%m-%dT%H:%M:%S")))
    expect(abs(length - 3600) <= 2, f"one hour long: {silence['startsAt']} → {silence['endsAt']}")
    deadline = time.time() + 10
    while time.time() < deadline and not ui_alert()["status"]["silencedBy"]:
        time.sleep(0.2)
    expect(ui_alert()["status"]["silencedBy"] == [silence["id"]], "the alert is silenced")
    b.eval(f"document.querySelector('li.silence[data-id=\"{silence['id']}\"] button.expire').click()")
    b.wait_for(f"!document.querySelector('li.silence[data-id=\"{silence['id']}\"]')", what="the silence to leave the active list")
    state = get_json(f"/api/v2/silence/{silence['id']}")["status"]["state"]
    expect(state == "expired", f"expired through the UI: {state}")
    # A bad matcher shows the error instead of saving.
    b.open("/silences?new=1&matcher=" + urllib.parse.quote('alertname=~"(unclosed"'))
    b.wait_for("document.querySelector('.silence-preview .error')", what="the matcher error")


def check_events(b):
    """The events served by the fake API server: Warnings first, counts, filters, Correlate links."""
    deadline = time.time() + 30
    while time.time() < deadline and len(api("/api/v1/events")) < 5:
        time.sleep(0.5)
    events = api("/api/v1/events", {"start": int(time.time()) - 86400})
    expect(len(events) >= 5, f"the watcher stored the events ({len(events)})")
    b.open("/events")
    b.wait_for("document.querySelectorAll('tr.event').length > 0", what="events")
    rows = b.eval("[...document.querySelectorAll('tr.event')].map(r => r.classList.contains('warning'))")
    expect(len(rows) == len(events), f"{len(rows)} rows, API {len(events)}")
    expect(rows == sorted(rows, reverse=True), f"Warnings first: {rows}")
    expect(b.eval("document.querySelectorAll('.events-timeline .mark').length") == len(events), "one timeline mark per event")
    expect(b.eval("[...document.querySelectorAll('tr.event td')].some(td => td.textContent.includes('<script>'))"), "messages shown as text")
    expect(b.eval("document.querySelectorAll('tr.event script').length") == 0, "no markup from data")
    expect(b.eval("!!document.querySelector('tr.event a.correlate[href*=\"pod=default%2Fweb-1\"]')"), "a Correlate link for the pod")
    b.eval("[...document.querySelectorAll('tr.event button.label')].find(x => x.textContent === 'BackOff').click()")
    b.wait_for("new URLSearchParams(location.search).get('reason') === 'BackOff' && document.querySelectorAll('tr.event').length === 1", what="the reason filter")


def check_correlate(b):
    """Pod: CPU and memory graphs, logs and events on one axis; hovering a graph marks the others and the lines."""
    b.open("/correlate?" + urllib.parse.urlencode({"pod": "default/web-1", "range": "15m"}))
    b.wait_for("document.querySelector('.page-content').dataset.state === 'done'", what="the correlation view")
    points = b.eval("[...document.querySelectorAll('.correlate-graph .chart-container')].map(c => Number(c.dataset.points))")
    expect(len(points) == 2 and all(p > 0 for p in points), f"CPU and memory graphs with data: {points}")
    ranges = b.eval("[...document.querySelectorAll('.correlate-graph .chart-container')].map(c => c.dataset.start + '/' + c.dataset.end)")
    expect(len(set(ranges)) == 1, f"one time axis: {ranges}")
    lines = b.eval("document.querySelectorAll('.correlate-logs .log-line').length")
    expect(lines == 50, f"the pod's log lines: {lines}")
    events = b.eval("document.querySelectorAll('.correlate-events tr.event').length")
    expect(events == 3, f"the pod's events: {events}")
    # Hover the memory graph at a log line's time.
    t = b.eval("Number(document.querySelectorAll('.correlate-logs .log-line')[10].dataset.t)")
    b.eval(f"""(() => {{ const c = document.querySelectorAll('.correlate-graph .chart-container')[1].vigilChart; const g = c.geometry;
        const r = c.overlay.getBoundingClientRect(); const x = r.left + g.left + ({t} - g.start) / g.span * g.plotW;
        c.overlay.dispatchEvent(new MouseEvent('mousemove', {{clientX: x, clientY: r.top + 40, bubbles: true}})); }})()""")
    cursor = float(b.eval("document.querySelector('.page-content').dataset.cursor"))
    expect(abs(cursor - t) < 5, f"cursor at {cursor}, line at {t}")
    expect(b.eval("document.querySelectorAll('.correlate-logs .log-line.at-cursor').length") >= 1, "log lines at the cursor are highlighted")
    expect(b.eval("[...document.querySelectorAll('.events-timeline .cursor')].every(l => l.getAttribute('visibility') === 'visible')"), "the timelines show the cursor")
    # The other graph's overlay has the cursor line drawn.
    drawn = b.eval("""(() => { const o = document.querySelectorAll('.correlate-graph .chart-container')[0].vigilChart.overlay;
        const d = o.getContext('2d').getImageData(0, 0, o.width, o.height).data; let n = 0; for (let i = 3; i < d.length; i += 4) if (d[i]) n++; return n; })()""")
    expect(drawn > 0, "the other graph shows the cursor")
    # From the alert.
    alert = ui_alert()
    b.open("/correlate?" + urllib.parse.urlencode({"alert": alert["fingerprint"], "range": "15m"}))
    b.wait_for("document.querySelector('.page-content').dataset.state === 'done'", what="the alert's correlation view")
    expect(b.eval("document.querySelector('.correlate-target').textContent") == "Pod default/web-1", "the alert's pod")


def check_ops_screenshots(b):
    """Light and dark, 1280 px and a phone, for the Logs, Alerts, Silences, Events and Correlate pages."""
    pages = ('/logs?query=%7Bjob%3D%22ui-test%22%7D&range=1h', '/alerts', '/silences?state=expired', '/events',
             '/correlate?pod=default%2Fweb-1&range=15m')
    for dark in (False, True):
        for width, height, mobile, name in ((1280, 900, False, "1280"), (390, 844, True, "phone")):
            b.viewport(width, height, mobile, dark)
            for path in pages:
                b.open(path)
                b.pump(0.8)
                page = path.split("?")[0].strip("/")
                b.screenshot(f"{page}-{'dark' if dark else 'light'}-{name}")
                overflow = b.eval("document.documentElement.scrollWidth - document.documentElement.clientWidth")
                expect(overflow <= 1, f"{path} at {width} px scrolls sideways by {overflow} px")
    b.viewport(1280, 900)


PAGE_CHECKS = [
    ("first-load", check_first_load),
    ("query", check_query),
    ("query-editor", check_query_editor),
    ("graph-link", check_graph_link),
    ("targets", check_targets),
    ("service-discovery", check_service_discovery),
    ("status", check_status),
    ("tsdb", check_tsdb),
    ("big-graph", check_big_graph),
    ("screenshots", check_screenshots),
    ("logs", check_logs),
    ("alerts", check_alerts),
    ("silences", check_silences),
    ("events", check_events),
    ("correlate", check_correlate),
    ("ops-screenshots", check_ops_screenshots),
]


def run_checks(browser, checks, label):
    """Runs the checks UI_CHECKS names (all when it is empty), closes the browser, prints the
    summary line "<label>: N passed, M failed"; returns the exit status."""
    only = set(filter(None, os.environ.get("UI_CHECKS", "").split(",")))
    try:
        browser.viewport(1280, 900)
        for name, function in checks:
            if not only or name in only:
                check(name, function, browser)
    finally:
        browser.close()
    print(f"{label}: {RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    status = run_checks(Browser(), PAGE_CHECKS, "ui")
    with open(os.path.join(ARTIFACTS, "ui-figures.json"), "w") as f:
        json.dump(FIGURES, f, indent=2)
    return status


if __name__ == "__main__":
    sys.exit(main())
