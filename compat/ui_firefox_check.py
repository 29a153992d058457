#!/usr/bin/python3
"""Drives headless Firefox (Debian's firefox-esr) over WebDriver BiDi against a running `vigil server`.

Usage: ui_firefox_check.py <base URL> <artifacts directory>
Every check of ui_check.py (Chromium) — imported from it and run unchanged through this driver —
plus `pages`: every page and alias that the UI's own js/routes.js lists renders. Any uncaught
exception or promise rejection, console.error, CSP violation or HTTP error response (4xx, 5xx)
fails the check it happens in. Screenshots are saved as firefox-<page>-<theme>-<width>.png and
figures as firefox-ui-figures.json. Prints PASS/FAIL per check and
"ui-firefox: N passed, M failed"; exits 1 on a failure.
Environment: FIREFOX (binary), UI_FIREFOX_PORT (the BiDi port, default 19880), UI_CHECKS, UI_BIG_*.
"""
import base64
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

import websocket

import ui_check
from ui_check import ARTIFACTS, expect

# Without these Firefox spends the run fetching updates, experiments and telemetry.
PREFERENCES = {
    "app.update.disabledForTesting": True,
    "app.normandy.enabled": False,
    "messaging-system.rsexperimentloader.enabled": False,
    "datareporting.policy.dataSubmissionEnabled": False,
    "toolkit.telemetry.reportingpolicy.firstRun": False,
    "browser.shell.checkDefaultBrowser": False,
    "browser.safebrowsing.update.enabled": False,
    "network.captive-portal-service.enabled": False,
    "network.connectivity-service.enabled": False,
    "extensions.update.enabled": False,
}

# Firefox's pref behind prefers-color-scheme for pages: 0 dark, 1 light.
COLOR_SCHEME_PREF = "layout.css.prefers-color-scheme.content-override"


class Firefox(ui_check.PageDriver):
    """One Firefox process and its one tab, spoken to over WebDriver BiDi."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="vigil-ui-firefox.")
        with open(os.path.join(self.profile, "user.js"), "w") as f:
            for name, value in PREFERENCES.items():
                f.write(f"user_pref({json.dumps(name)}, {json.dumps(value)});\n")
        binary = os.environ.get("FIREFOX") or shutil.which("firefox-esr") or shutil.which("firefox") or "firefox-esr"
        port = os.environ.get("UI_FIREFOX_PORT", "19880")
        # --remote-allow-system-access lets the driver set the colour-scheme pref (BiDi has no
        # emulation command for it in Firefox 153).
        self.process = subprocess.Popen(
            [binary, "--headless", "--no-remote", "--profile", self.profile, "--remote-debugging-port", port,
             "--remote-allow-system-access", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=open(os.path.join(ARTIFACTS, "firefox.log"), "wb"),
            env=dict(os.environ, MOZ_CRASHREPORTER_DISABLE="1"))
        try:
            self._connect()
        except BaseException:
            self.process.kill()
            self.process.wait()
            shutil.rmtree(self.profile, ignore_errors=True)
            raise

    def _connect(self):
        # Firefox writes the address it listens on into the profile once BiDi is up.
        server_file = os.path.join(self.profile, "WebDriverBiDiServer.json")
        deadline = time.time() + 60
        while True:
            try:
                with open(server_file) as f:
                    address = json.load(f)
                break
            except (OSError, ValueError):
                if time.time() > deadline or self.process.poll() is not None:
                    raise RuntimeError("Firefox did not start WebDriver BiDi (see firefox.log)")
                time.sleep(0.1)
        self.ws = websocket.create_connection(f"ws://{address['ws_host']}:{address['ws_port']}/session",
                                              timeout=120, suppress_origin=True)
        self.next_id = 0
        self.errors = []
        self.allowed = []
        self.dark = None
        self.call("session.new", {"capabilities": {}})
        self.call("session.subscribe", {"events": ["log.entryAdded", "network.responseCompleted"]})
        self.context = self.call("browsingContext.getTree", {"maxDepth": 0})["contexts"][0]["context"]
        self.chrome = self.call("browsingContext.getTree", {"maxDepth": 0, "moz:scope": "chrome"})["contexts"][0]["context"]

    def close(self):
        try:
            try:
                self.call("browser.close", timeout=20)
            except Exception:  # noqa: BLE001 - the connection drops as Firefox exits
                pass
            self.ws.close()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def _record(self, message):
        if message.get("type") != "event":
            return
        method = message["method"]
        params = message["params"]
        if method == "log.entryAdded" and params.get("level") == "error":
            if params["type"] == "console":
                self.errors.append(f"console.{params.get('method')}: {params.get('text')}")
            else:
                # Uncaught exceptions and rejections, CSP violations (Firefox words them as errors).
                frames = (params.get("stackTrace") or {}).get("callFrames")
                where = f" at {frames[0].get('url', '')}:{frames[0].get('lineNumber')}" if frames else ""
                self.errors.append(f"exception: {params.get('text')}{where}")
        elif method == "network.responseCompleted" and params["response"]["status"] >= 400:
            # Worded as Chromium's log entry, so a check's `allowed` matches both browsers.
            response = params["response"]
            self.errors.append(f"network: the server responded with a status of {response['status']} "
                               f"({response.get('statusText', '')}) {response['url']}")

    def eval(self, expression, timeout=120):
        # The value crosses as JSON text, as CDP's returnByValue gives it (a node reads as {}).
        wrapped = f"(async () => {{ const v = await (\n{expression}\n); return v === undefined ? 'null' : JSON.stringify(v); }})()"
        result = self.call("script.evaluate", {"expression": wrapped, "target": {"context": self.context},
                                               "awaitPromise": True, "resultOwnership": "none"}, timeout)
        if result.get("type") == "exception":
            raise RuntimeError(f"evaluate failed: {result['exceptionDetails'].get('text')}")
        value = result["result"].get("value")
        return None if value is None else json.loads(value)

    def _chrome_eval(self, expression):
        result = self.call("script.evaluate", {"expression": expression, "target": {"context": self.chrome}, "awaitPromise": False})
        if result.get("type") == "exception":
            raise RuntimeError(f"browser script failed: {result['exceptionDetails'].get('text')}")

    def navigate(self, url):
        self.call("browsingContext.navigate", {"context": self.context, "url": url, "wait": "complete"})

    def viewport(self, width, height, mobile=False, dark=False):
        # Firefox has no mobile emulation over BiDi: a phone is its width and height.
        self.call("browsingContext.setViewport", {"context": self.context, "viewport": {"width": width, "height": height},
                                                  "devicePixelRatio": 1})
        if dark != self.dark:
            self._chrome_eval(f"Services.prefs.setIntPref({json.dumps(COLOR_SCHEME_PREF)}, {0 if dark else 1})")
            # The pref reaches the content process over IPC, a moment after the chrome script returns.
            scheme = "dark" if dark else "light"
            try:
                self.wait_for(f"matchMedia('(prefers-color-scheme: {scheme})').matches", timeout=15,
                              what=f"prefers-color-scheme: {scheme}")
            except TimeoutError:
                expect(False, f"the page sees prefers-color-scheme: {'light' if dark else 'dark'} 15 s after the switch")
            self.dark = dark

    def screenshot(self, name):
        data = self.call("browsingContext.captureScreenshot", {"context": self.context, "origin": "viewport"})["data"]
        with open(os.path.join(ARTIFACTS, f"firefox-{name}.png"), "wb") as f:
            f.write(base64.b64decode(data))

    def disable_cache(self, disabled):
        self.call("network.setCacheBehavior", {"cacheBehavior": "bypass" if disabled else "default"})

    def _keys(self, values):
        actions = [action for value in values for action in ({"type": "keyDown", "value": value}, {"type": "keyUp", "value": value})]
        self.call("input.performActions", {"context": self.context,
                                           "actions": [{"type": "key", "id": "keyboard", "actions": actions}]})

    def insert_text(self, text):
        """Types the text key by key into the focused element."""
        self._keys(list(text))

    def press_key(self, key):
        self._keys([{"Tab": "\ue004"}[key]])


def check_pages(b):
    """Every page and alias that js/routes.js lists renders its page, marked in the navigation."""
    b.open("/query")
    routes = b.eval("""import('/static/js/routes.js').then(m => ({paths: m.routes.map(r => r.path),
        nav: m.routes.filter(r => r.nav !== false).map(r => r.path), aliases: m.aliases}))""")
    expect(len(routes["paths"]) >= 10, f"the routes: {routes}")
    for path in routes["paths"] + sorted(routes["aliases"]):
        b.open(path)
        page = routes["aliases"].get(path, path)
        shown = "/" + b.eval("document.getElementById('page').dataset.page")
        expect(shown == page, f"{path} shows {shown}, not {page}")
        expect(b.eval("document.getElementById('page').children.length") > 0, f"{path} has content")
        if page in routes["nav"]:
            marked = b.eval("(document.querySelector('.shell-nav a[aria-current=\"page\"]') || {}).pathname")
            expect(marked == shown, f"{path}: the navigation marks {marked}")
    print(f"  {len(routes['paths'])} pages and {len(routes['aliases'])} aliases rendered")


FIREFOX_CHECKS = [("pages", check_pages)] + ui_check.PAGE_CHECKS


def main():
    os.makedirs(ARTIFACTS, exist_ok=True)
    try:
        browser = Firefox()
    except Exception as error:  # noqa: BLE001 - reported as the run's failure, with the summary line
        print(f"FAIL firefox-start: {error}")
        print("ui-firefox: 0 passed, 1 failed")
        return 1
    status = ui_check.run_checks(browser, FIREFOX_CHECKS, "ui-firefox")
    with open(os.path.join(ARTIFACTS, "firefox-ui-figures.json"), "w") as f:
        json.dump(ui_check.FIGURES, f, indent=2)
    return status


if __name__ == "__main__":
    sys.exit(main())
