// URL state: a page's whole state lives in the query string, so a link reproduces the view and
// the back button undoes a change. API:
//   params() -> URLSearchParams of the current location
//   setParams(object | URLSearchParams, {replace?}) -> updates the query string (keys with
//       undefined/null/'' are removed) and notifies the router without re-rendering the page
//   navigate(path, params?, {replace?, quiet?}) -> moves to another page (re-renders unless quiet:
//       quiet only rewrites the address, e.g. /graph?… becoming /query?…)
//   onNavigate(fn) -> called by the router with (path, params) on every page change
// Helpers for numbered groups such as Prometheus's g0.expr, g1.expr:
//   indexedGroups(params, prefix) -> [{key: value}] for prefix0.key, prefix1.key, ...

let listener = null;

export function params() {
  return new URLSearchParams(window.location.search);
}

function toSearch(values) {
  if (values instanceof URLSearchParams) return values;
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(values || {})) {
    if (v === undefined || v === null || v === '') continue;
    if (Array.isArray(v)) v.forEach((item) => search.append(k, String(item)));
    else search.set(k, String(v));
  }
  return search;
}

export function setParams(values, opts = {}) {
  const search = toSearch(values).toString();
  const url = window.location.pathname + (search ? `?${search}` : '');
  if (url === window.location.pathname + window.location.search) return;
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState({ sameView: window.location.pathname }, '', url);
}

export function navigate(path, values, opts = {}) {
  const search = toSearch(values).toString();
  const url = path + (search ? `?${search}` : '');
  if (opts.replace) window.history.replaceState(null, '', url);
  else window.history.pushState(null, '', url);
  if (listener && !opts.quiet) listener(path, new URLSearchParams(search));
}

export function onNavigate(fn) {
  listener = fn;
}

export function indexedGroups(search, prefix) {
  const groups = [];
  for (const [key, value] of search) {
    const match = new RegExp(`^${prefix}(\\d+)\\.(.+)$`).exec(key);
    if (!match) continue;
    const index = Number(match[1]);
    if (index > 99) continue;
    groups[index] = groups[index] || {};
    groups[index][match[2]] = value;
  }
  return groups.filter(Boolean);
}
