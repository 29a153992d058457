#!/usr/bin/env python3
"""The checks of compat/scrape.sh: what two servers scraped from the same targets, compared.

usage: compare.py PHASE URL_A URL_B [ARGS...]

URL_A is the reference (Prometheus 2.42), URL_B the server under test (Vigil, or a second
Prometheus in the self-test). Phases (compat/scrape.sh runs them in this order):

  wait EXPECTED TIMEOUT   until A and B each list EXPECTED active targets and every one of them
                          has been scraped;
                          prints the time it happened (Unix seconds) on the last line
  targets                 /api/v1/targets: active targets matched by (scrapePool, scrapeUrl):
                          labels, discoveredLabels, scrapeInterval, scrapeTimeout, globalUrl,
                          health equal, lastError empty on both or non-empty on both; dropped
                          targets' discoveredLabels equal as multisets; /api/v1/scrape_pools
  series START END        /api/v1/series?match[]={__name__=~".+"} over [START, END]: same sets
  values T                instant queries at T: up, scrape_samples_scraped,
                          scrape_samples_post_metric_relabeling, scrape_series_added per target,
                          then every other series (but scrape_duration_seconds) per job, and
                          timestamp() of the samples with explicit timestamps
  metadata                /api/v1/targets/metadata and /api/v1/metadata: same entries
  federate NAME SEL...    GET /federate with one match[] per SEL: HTTP status and Content-Type,
                          the # TYPE lines in order, the series (name and labels, every one with
                          a timestamp), each series' labels in the same written order, values
                          (but scrape_duration_seconds) and the explicit timestamps of
                          ts_gauge{job="timestamps",kind="fixed"}
  federate-errors         /federate with a bad selector (status and body) and by POST (status)
  stale JOB INSTANCE      after INSTANCE left JOB's file_sd file: gone from both /api/v1/targets,
                          then up{job=JOB} at now holds the others and not INSTANCE (stale marker)
  reload                  after a reload that added reloaded="yes" to the node job's targets:
                          both show the label, up{reloaded="yes"} is non-empty at now, and the
                          series present at now are the same on both

Every check prints one "PASS name" or "FAIL name" line (with a short diff under a FAIL).
SCRAPE_VERBOSE=1 also prints both servers' lastError texts and other details.
"""
import json
import os
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

VERBOSE = os.environ.get("SCRAPE_VERBOSE", "0") == "1"
NEVER = "0001-01-01T00:00:00Z"
REPORT_METRICS = ["up", "scrape_samples_scraped", "scrape_samples_post_metric_relabeling", "scrape_series_added"]
TIMING_METRICS = {"scrape_duration_seconds"}
MAX_DIFF_LINES = 12


def get(base, path, params=None):
    url = base + path
    if params:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            raw = response.read()
            status = response.status
    except urllib.error.HTTPError as e:
        raw, status = e.read(), e.code
    except (urllib.error.URLError, OSError) as e:
        return {"status": "unreachable", "error": str(e)}
    try:
        doc = json.loads(raw)
    except ValueError:
        return {"status": "unparsable", "http": status, "body": raw[:200].decode(errors="replace")}
    if not isinstance(doc, dict):
        return {"status": "unparsable", "http": status, "body": str(doc)[:200]}
    doc.setdefault("http", status)
    return doc


def data(doc, default=None):
    if doc.get("status") != "success":
        return default
    return doc.get("data", default)


def post(base, path):
    request = urllib.request.Request(base + path, method="POST", data=b"")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as e:
        return e.code
    except (urllib.error.URLError, OSError):
        return 0


passed = failed = 0


def check(name, ok, details=()):
    global passed, failed
    if ok:
        passed += 1
        print("PASS", name)
    else:
        failed += 1
        print("FAIL", name)
        details = list(details)
        for line in details[:MAX_DIFF_LINES]:
            print("     " + line)
        if len(details) > MAX_DIFF_LINES:
            print("     ... %d more" % (len(details) - MAX_DIFF_LINES))
    sys.stdout.flush()


def fmt_labels(labels):
    if labels is None:
        return "<none>"
    return "{" + ", ".join('%s="%s"' % (k, v) for k, v in sorted(labels.items())) + "}"


def canon(obj):
    return json.dumps(obj, sort_keys=True)


def set_diff(a, b, show=canon):
    """Lines describing what only A and only B hold (A is the reference)."""
    lines = []
    for item in sorted(set(a) - set(b)):
        lines.append("only A: " + show(item))
    for item in sorted(set(b) - set(a)):
        lines.append("only B: " + show(item))
    return lines


def multiset_diff(a, b):
    lines = []
    ca, cb = {}, {}
    for x in a:
        ca[x] = ca.get(x, 0) + 1
    for x in b:
        cb[x] = cb.get(x, 0) + 1
    for key in sorted(set(ca) | set(cb)):
        if ca.get(key, 0) != cb.get(key, 0):
            lines.append("A has %d, B has %d: %s" % (ca.get(key, 0), cb.get(key, 0), key))
    return lines


# ---- targets ----

def targets(base):
    doc = get(base, "/api/v1/targets")
    d = data(doc)
    if not isinstance(d, dict):
        return None, None, doc
    return d.get("activeTargets") or [], d.get("droppedTargets") or [], doc


def index_targets(ts):
    """{(scrapePool, scrapeUrl, n): target}; n tells apart targets sharing a pool and URL (in order
    of their discoveredLabels), as config params override discovered __param_ labels."""
    groups = {}
    for t in ts:
        groups.setdefault((t.get("scrapePool", ""), t.get("scrapeUrl", "")), []).append(t)
    result = {}
    for (pool, url), group in groups.items():
        for n, t in enumerate(sorted(group, key=lambda t: canon(t.get("discoveredLabels")))):
            result[(pool, url, n)] = t
    return result


def phase_wait(a, b, expected, timeout):
    expected, deadline = int(expected), time.time() + float(timeout)
    why = ""
    while True:
        ta, _, doc_a = targets(a)
        tb, _, doc_b = targets(b)
        if ta is None:
            why = "A: /api/v1/targets answered %s" % canon(doc_a)[:200]
        elif tb is None:
            why = "B: /api/v1/targets answered %s" % canon(doc_b)[:200]
        else:
            ia, ib = index_targets(ta), index_targets(tb)
            ka, kb = set(ia), set(ib)
            unscraped = [k for m in (ia, ib) for k, t in m.items() if t.get("lastScrape", NEVER) == NEVER]
            # B's targets need not be A's (the targets check compares them), just as many.
            if len(ka) != expected:
                why = "A lists %d active targets, expected %d" % (len(ka), expected)
            elif len(kb) != expected:
                why = "B lists %d active targets, expected %d" % (len(kb), expected)
            elif unscraped:
                why = "not scraped yet: %s" % sorted(set(unscraped))[:4]
            else:
                print("all %d targets scraped on both" % expected)
                print(int(time.time()))
                return 0
        if time.time() > deadline:
            print("gave up waiting after %ss: %s" % (timeout, why))
            print(int(time.time()))
            return 1
        time.sleep(0.25)


def phase_targets(a, b):
    ta, da, doc_a = targets(a)
    tb, db, doc_b = targets(b)
    check("targets: A answers /api/v1/targets", ta is not None, [canon(doc_a)[:300]])
    check("targets: B answers /api/v1/targets", tb is not None, [canon(doc_b)[:300]])
    if ta is None or tb is None:
        return
    ma, mb = index_targets(ta), index_targets(tb)
    check("targets: same active (scrapePool, scrapeUrl) pairs (%d)" % len(ma), set(ma) == set(mb),
          set_diff(set(ma), set(mb), repr))
    fields = ["labels", "discoveredLabels", "scrapeInterval", "scrapeTimeout", "globalUrl", "health"]
    # Prometheus 2.42 overwrites part of an active target's discoveredLabels while relabeling
    # (prometheus#11960, fixed in 2.43). For a pool P with a witness pool P_witness (the same
    # targets, all dropped by their first rule) B may instead show the untouched labels, which the
    # witness' droppedTargets hold (with job P_witness).
    witness = {}
    for t in da:
        dl = dict(t.get("discoveredLabels") or {})
        job = dl.get("job", "")
        if job.endswith("_witness"):
            dl["job"] = job[:-len("_witness")]
            witness.setdefault(dl["job"], set()).add(canon(dl))
    by_pool = {}
    for key in sorted(set(ma) & set(mb)):
        by_pool.setdefault(key[0], []).append(key)
    for pool, keys in sorted(by_pool.items()):
        for field in fields:
            diffs = []
            used = set()
            for key in keys:
                va, vb = ma[key].get(field), mb[key].get(field)
                if field == "discoveredLabels" and va != vb and canon(vb) in witness.get(pool, set()) - used:
                    used.add(canon(vb))
                    if VERBOSE:
                        print("     %s: B's discoveredLabels are the untouched ones, A's show the 2.42 bug" % key[1])
                    continue
                if va != vb:
                    if isinstance(va, dict) and isinstance(vb, dict):
                        diffs.append("%s#%d: %s" % (key[1], key[2], "; ".join(
                            "%s: A=%r B=%r" % (k, va.get(k), vb.get(k))
                            for k in sorted(set(va) | set(vb)) if va.get(k) != vb.get(k))))
                    else:
                        diffs.append("%s#%d: A=%r B=%r" % (key[1], key[2], va, vb))
            check("targets[%s]: %s" % (pool, field), not diffs, diffs)
        diffs = []
        for key in keys:
            ea, eb = ma[key].get("lastError", ""), mb[key].get("lastError", "")
            if bool(ea) != bool(eb):
                diffs.append("%s: A=%r B=%r" % (key[1], ea, eb))
            elif VERBOSE and ea:
                print("     lastError %s %s\n       A: %s\n       B: %s" % (pool, key[1], ea, eb))
        check("targets[%s]: lastError set on both or on neither" % pool, not diffs, diffs)
    dla = [canon(t.get("discoveredLabels")) for t in da]
    dlb = [canon(t.get("discoveredLabels")) for t in db]
    check("targets: droppedTargets discoveredLabels (%d)" % len(dla), sorted(dla) == sorted(dlb), multiset_diff(dla, dlb))
    if VERBOSE:
        for t in ta:
            print("     A active %s %s health=%s labels=%s" % (t.get("scrapePool"), t.get("scrapeUrl"), t.get("health"),
                                                          fmt_labels(t.get("labels"))))
    pa, pb = get(a, "/api/v1/scrape_pools"), get(b, "/api/v1/scrape_pools")
    if data(pa) is not None:
        sa, sb = data(pa, {}).get("scrapePools"), (data(pb) or {}).get("scrapePools")
        check("scrape_pools: same list", sa == sb, ["A=%s" % sa, "B=%s" % sb])


# ---- series and values ----

def phase_series(a, b, start, end):
    params = {"match[]": '{__name__=~".+"}', "start": start, "end": end}
    sa, sb = data(get(a, "/api/v1/series", params)), data(get(b, "/api/v1/series", params))
    check("series: A answers /api/v1/series", isinstance(sa, list))
    check("series: B answers /api/v1/series", isinstance(sb, list))
    if not isinstance(sa, list) or not isinstance(sb, list):
        return
    ca = {canon(s) for s in sa}
    cb = {canon(s) for s in sb}
    check("series: same label sets (%d on A, %d on B)" % (len(ca), len(cb)), ca == cb,
          set_diff(ca, cb, lambda s: fmt_labels(json.loads(s))))


def instant(base, query, t):
    doc = get(base, "/api/v1/query", {"query": query, "time": t})
    d = data(doc)
    if not isinstance(d, dict) or d.get("resultType") != "vector":
        return None, doc
    return {canon(r["metric"]): r["value"][1] for r in d["result"]}, doc


def compare_vectors(name, va, vb, group=None):
    """Compares two {labels: value} maps, optionally one check per group(labels)."""
    groups = {}
    for key in set(va) | set(vb):
        g = group(json.loads(key)) if group else ""
        groups.setdefault(g, set()).add(key)
    for g in sorted(groups):
        diffs = []
        for key in sorted(groups[g]):
            x, y = va.get(key, "<absent>"), vb.get(key, "<absent>")
            if x != y:
                diffs.append("%s: A=%s B=%s" % (fmt_labels(json.loads(key)), x, y))
        label = "%s[%s]" % (name, g) if group else name
        check("%s (%d series)" % (label, len(groups[g])), not diffs, diffs)


def phase_values(a, b, t):
    for metric in REPORT_METRICS:
        va, doc_a = instant(a, metric, t)
        vb, doc_b = instant(b, metric, t)
        if va is None or vb is None:
            check("values: %s at %s" % (metric, t), False, ["A: " + canon(doc_a)[:200], "B: " + canon(doc_b)[:200]])
            continue
        compare_vectors("values: %s per target" % metric, va, vb)
    query = '{__name__=~".+",__name__!~"%s"}' % "|".join(REPORT_METRICS + sorted(TIMING_METRICS))
    va, doc_a = instant(a, query, t)
    vb, doc_b = instant(b, query, t)
    if va is None or vb is None:
        check("values: scraped series at %s" % t, False, ["A: " + canon(doc_a)[:200], "B: " + canon(doc_b)[:200]])
    else:
        compare_vectors("values: job", va, vb, group=lambda m: m.get("job", "<no job>"))
    # Samples with explicit timestamps keep them (the others carry scrape times, which differ).
    query = 'timestamp(ts_gauge{job="timestamps",kind!="none"})'
    va, _ = instant(a, query, t)
    vb, _ = instant(b, query, t)
    if va is None or vb is None or len(va) != 2:
        check("values: " + query, False, ["A=%s B=%s" % (va, vb)])
    else:
        compare_vectors("values: " + query, va, vb)


# ---- metadata ----

def phase_metadata(a, b):
    ma, mb = data(get(a, "/api/v1/targets/metadata")), data(get(b, "/api/v1/targets/metadata"))
    check("metadata: B answers /api/v1/targets/metadata", isinstance(mb, list), ["B: %s" % canon(mb)[:200]])
    if isinstance(ma, list) and isinstance(mb, list):
        ea = [canon(e) for e in ma]
        eb = [canon(e) for e in mb]
        check("metadata: /api/v1/targets/metadata entries (%d)" % len(ea), sorted(ea) == sorted(eb), multiset_diff(ea, eb))
    ma, mb = data(get(a, "/api/v1/metadata")), data(get(b, "/api/v1/metadata"))
    check("metadata: B answers /api/v1/metadata", isinstance(mb, dict), ["B: %s" % canon(mb)[:200]])
    if isinstance(ma, dict) and isinstance(mb, dict):
        na = {m: sorted(canon(e) for e in v) for m, v in ma.items()}
        nb = {m: sorted(canon(e) for e in v) for m, v in mb.items()}
        diffs = ["%s: A=%s B=%s" % (m, na.get(m), nb.get(m)) for m in sorted(set(na) | set(nb)) if na.get(m) != nb.get(m)]
        check("metadata: /api/v1/metadata (%d metrics)" % len(na), not diffs, diffs)


# ---- federation ----

def fetch_text(base, path, params=None, method="GET"):
    """(status, Content-Type, body text) of a non-JSON endpoint."""
    url = base + path
    if params:
        url += "?" + urllib.parse.urlencode(params)
    request = urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read().decode(errors="replace")
    except urllib.error.HTTPError as e:
        return e.code, e.headers.get("Content-Type", ""), e.read().decode(errors="replace")
    except (urllib.error.URLError, OSError) as e:
        return 0, "", str(e)


ESCAPES = {"\\": "\\", "n": "\n", '"': '"'}


def parse_sample_line(line):
    """name, [(label, value)] in written order, value text, timestamp text or None."""
    i = 0
    while i < len(line) and line[i] not in "{ ":
        i += 1
    name, labels = line[:i], []
    if i < len(line) and line[i] == "{":
        i += 1
        while line[i] != "}":
            eq = line.index("=", i)
            if line[eq + 1] != '"':
                raise ValueError("unquoted label value")
            k, value = eq + 2, []
            while line[k] != '"':
                if line[k] == "\\":
                    k += 1
                    value.append(ESCAPES.get(line[k], "\\" + line[k]))
                else:
                    value.append(line[k])
                k += 1
            labels.append((line[i:eq], "".join(value)))
            i = k + 1
            if line[i] == ",":
                i += 1
        i += 1
    rest = line[i:].split()
    if not rest or len(rest) > 2:
        raise ValueError("expected a value and an optional timestamp")
    return name, labels, rest[0], rest[1] if len(rest) == 2 else None


def parse_federation(text):
    """(# TYPE lines in order, {(name, sorted labels): (value, timestamp, label names as written)},
    problems)."""
    types, samples, problems = [], {}, []
    for line in text.splitlines():
        if line.startswith("# TYPE "):
            types.append(line)
        elif line.startswith("#") or not line.strip():
            continue
        else:
            try:
                name, labels, value, ts = parse_sample_line(line)
            except (ValueError, IndexError) as e:
                problems.append("unparsable line %r: %s" % (line[:120], e))
                continue
            key = (name, tuple(sorted(labels)))
            if key in samples:
                problems.append("series twice: %s" % line[:120])
            samples[key] = (value, ts, [n for n, _ in labels])
    return types, samples, problems


def show_series(key):
    return key[0] + fmt_labels(dict(key[1]))


def phase_federate(a, b, name, *selectors):
    params = [("match[]", s) for s in selectors]
    sa, ta, xa = fetch_text(a, "/federate", params)
    sb, tb, xb = fetch_text(b, "/federate", params)
    check("federate[%s]: A and B answer %s with %r" % (name, sa, ta), sa == 200 and (sb, tb) == (sa, ta),
          ["A: %s %r %s" % (sa, ta, xa[:100]), "B: %s %r %s" % (sb, tb, xb[:100])])
    if sa != 200 or sb != 200:
        return
    types_a, samples_a, problems_a = parse_federation(xa)
    types_b, samples_b, problems_b = parse_federation(xb)
    check("federate[%s]: both parse, each series once" % name, not problems_a and not problems_b,
          ["A: " + p for p in problems_a] + ["B: " + p for p in problems_b])
    check("federate[%s]: same # TYPE lines in order (%d)" % (name, len(types_a)), types_a == types_b,
          set_diff(types_a, types_b, str) or ["A: %s" % types_a[:6], "B: %s" % types_b[:6]])
    ka, kb = set(samples_a), set(samples_b)
    external = all(dict(key[1]).get("cluster") for key in ka)
    check("federate[%s]: same series (%d on A, all with cluster)" % (name, len(ka)), bool(ka == kb and ka and external),
          set_diff(ka, kb, show_series))
    common = sorted(ka & kb)
    diffs = ["%s: A=%s B=%s" % (show_series(k), samples_a[k][2], samples_b[k][2])
             for k in common if samples_a[k][2] != samples_b[k][2]]
    check("federate[%s]: labels written in the same order" % name, not diffs, diffs)
    diffs = ["%s: A=%s B=%s" % (show_series(k), samples_a[k][0], samples_b[k][0])
             for k in common if k[0] not in TIMING_METRICS and samples_a[k][0] != samples_b[k][0]]
    check("federate[%s]: same values" % name, not diffs, diffs)
    missing = [show_series(k) for m in (samples_a, samples_b) for k, v in m.items() if not (v[1] or "").isdigit()]
    check("federate[%s]: every sample has a timestamp" % name, not missing, missing)
    fixed = [k for k in common if k[0] == "ts_gauge" and dict(k[1]).get("job") == "timestamps"
             and dict(k[1]).get("kind") == "fixed"]
    if "ts_gauge" in selectors:
        diffs = ["%s: A=%s B=%s" % (show_series(k), samples_a[k][1], samples_b[k][1])
                 for k in fixed if samples_a[k][1] != samples_b[k][1]]
        check("federate[%s]: explicit timestamps kept (%d)" % (name, len(fixed)), fixed and not diffs, diffs)


def phase_federate_errors(a, b):
    params = [("match[]", "bad{")]
    ra, rb = fetch_text(a, "/federate", params), fetch_text(b, "/federate", params)
    check("federate: a bad selector answers %s %r on both" % (ra[0], ra[2].strip()),
          ra[0] == 400 and (rb[0], rb[2]) == (ra[0], ra[2]), ["A: %s %r" % (ra[0], ra[2]), "B: %s %r" % (rb[0], rb[2])])
    params = [("match[]", "up")]
    pa, pb = fetch_text(a, "/federate", params, "POST"), fetch_text(b, "/federate", params, "POST")
    check("federate: POST answers %s on both" % pa[0], pa[0] == pb[0], ["A: %s" % pa[0], "B: %s" % pb[0]])


# ---- staleness and reload ----

def wait_until(predicate, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return True
        time.sleep(0.25)
    return predicate()


def instances(base, query):
    v, _ = instant(base, query, time.time())
    if v is None:
        return None
    return sorted(json.loads(k).get("instance", "") for k in v)


def phase_stale(a, b, job, instance):
    def gone(base):
        t, _, _ = targets(base)
        return t is not None and all(not (x.get("scrapePool") == job and x.get("labels", {}).get("instance") == instance)
                                     for x in t)
    for name, base in (("A", a), ("B", b)):
        check("stale: %s drops %s from /api/v1/targets after the file_sd change" % (name, instance),
              wait_until(lambda: gone(base), 20))
    # Prometheus writes a stopped loop's stale markers only after the next scrape would have
    # been plus 10% of the interval (end-of-run staleness); Vigil writes them at once. Wait for
    # both rather than a fixed time, so a loaded machine does not fail the peer.
    def lacks(base):
        found = instances(base, 'up{job="%s"}' % job)
        return found is not None and instance not in found
    wait_until(lambda: lacks(a) and lacks(b), 20)
    ia, ib = instances(a, 'up{job="%s"}' % job), instances(b, 'up{job="%s"}' % job)
    check("stale: A's up{job=%r} at now lacks the removed target" % job,
          ia is not None and instance not in ia and len(ia) > 0, ["A=%s" % ia])
    check("stale: up{job=%r} at now: same instances on both" % job, ia == ib, ["A=%s" % ia, "B=%s" % ib])
    query = '{instance="%s",__name__!~"scrape_duration_seconds"}' % instance
    va, _ = instant(a, query, time.time())
    vb, _ = instant(b, query, time.time())
    check("stale: no series of the removed target at now on either (A %s, B %s)" % (
        None if va is None else len(va), None if vb is None else len(vb)), va == {} and vb == {},
        ["A=%s" % (sorted(va or {})[:4]), "B=%s" % (sorted(vb or {})[:4])])


def phase_reload(a, b):
    def relabeled(base):
        t, _, _ = targets(base)
        return t is not None and any(x.get("scrapePool") == "node" and x.get("labels", {}).get("reloaded") == "yes"
                                     for x in t)
    for name, base in (("A", a), ("B", b)):
        check("reload: %s's node target carries reloaded=\"yes\"" % name, wait_until(lambda: relabeled(base), 20))
    time.sleep(3)
    ia, ib = instances(a, 'up{reloaded="yes"}'), instances(b, 'up{reloaded="yes"}')
    check("reload: up{reloaded=\"yes\"} at now on both", bool(ia) and ia == ib, ["A=%s" % ia, "B=%s" % ib])
    query = '{__name__=~".+",__name__!~"%s"}' % "|".join(sorted(TIMING_METRICS))
    now = time.time()
    va, _ = instant(a, query, now)
    vb, _ = instant(b, query, now)
    if va is None or vb is None:
        check("reload: series present at now", False, ["A=%s B=%s" % (va is None, vb is None)])
        return
    ka = {k for k in va if json.loads(k).get("job") in ("node",)}
    kb = {k for k in vb if json.loads(k).get("job") in ("node",)}
    check("reload: node job's series present at now are the same (%d on A)" % len(ka), ka == kb,
          set_diff(ka, kb, lambda s: fmt_labels(json.loads(s))))
    if VERBOSE:
        for k in sorted(ka):
            print("     A node series at now: " + fmt_labels(json.loads(k)))


def main():
    phase, a, b, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]
    if phase == "wait":
        sys.exit(phase_wait(a, b, *args))
    {"targets": phase_targets, "series": phase_series, "values": phase_values, "metadata": phase_metadata,
     "stale": phase_stale, "reload": phase_reload, "federate": phase_federate,
     "federate-errors": phase_federate_errors}[phase](a, b, *args)


if __name__ == "__main__":
    main()
