// Targets: every scrape target by pool, with health, last scrape, duration, error and its
// labels after relabeling (and, expanded, before). State in the URL: ?pool=…&health=…&search=…
import { h, replace, errorBox, labelChips } from '../dom.js';
import { getData } from '../api.js';
import { formatValue, relativeTime } from '../format.js';

function healthClass(health) {
  return health === 'up' ? 'health-up' : health === 'down' ? 'health-down' : 'health-unknown';
}

function matches(target, search) {
  if (!search) return true;
  const needle = search.toLowerCase();
  return target.scrapeUrl.toLowerCase().includes(needle)
    || Object.entries(target.labels).some(([k, v]) => `${k}="${v}"`.toLowerCase().includes(needle));
}

export async function render(root, ctx) {
  const state = {
    pool: ctx.params.get('pool') || '', health: ctx.params.get('health') || '', search: ctx.params.get('search') || '',
  };
  const body = h('div', { class: 'targets' }, h('p', { class: 'loading' }, 'Loading targets\u2026'));
  const update = () => { ctx.setParams(state, { replace: true }); draw(); };
  let data = null;
  const poolSelect = h('select', { 'aria-label': 'Scrape pool', on: { change: (e) => { state.pool = e.target.value; update(); } } });
  const toolbar = h('div', { class: 'toolbar' },
    poolSelect,
    h('select', { 'aria-label': 'Health', on: { change: (e) => { state.health = e.target.value; update(); } } },
      ['', 'up', 'down', 'unknown'].map((v) => h('option', { value: v, selected: v === state.health }, v || 'any health'))),
    h('input', { type: 'search', placeholder: 'Filter by endpoint or labels', value: state.search, size: 30,
      on: { input: (e) => { state.search = e.target.value; update(); } } }),
    h('button', { type: 'button', on: { click: () => load() } }, 'Refresh'));
  replace(root, h('h1', 'Targets'), toolbar, body);

  function draw() {
    if (!data) return;
    const pools = new Map();
    for (const t of data.activeTargets) {
      if (!pools.has(t.scrapePool)) pools.set(t.scrapePool, []);
      pools.get(t.scrapePool).push(t);
    }
    replace(poolSelect, h('option', { value: '' }, 'all pools'),
      [...pools.keys()].sort().map((p) => h('option', { value: p, selected: p === state.pool }, p)));
    const sections = [...pools.keys()].sort().filter((p) => !state.pool || p === state.pool).map((pool) => {
      const all = pools.get(pool);
      const targets = all.filter((t) => (!state.health || t.health === state.health) && matches(t, state.search));
      const up = all.filter((t) => t.health === 'up').length;
      return h('section', { class: 'pool', dataset: { pool } },
        h('h2', `${pool} (${up}/${all.length} up)`),
        h('div', { class: 'scroll' }, h('table', { class: 'data' },
          h('thead', h('tr', h('th', 'Endpoint'), h('th', 'State'), h('th', 'Labels'), h('th', 'Last scrape'),
            h('th', { class: 'num' }, 'Duration'), h('th', 'Error'))),
          h('tbody', targets.map((t) => h('tr', { class: 'target' },
            h('td', h('a', { href: t.scrapeUrl, rel: 'noreferrer', target: '_blank' }, t.scrapeUrl)),
            h('td', h('span', { class: healthClass(t.health) }, t.health.toUpperCase())),
            h('td', labelChips(t.labels),
              h('details', h('summary', { class: 'muted' }, 'before relabeling'), labelChips(t.discoveredLabels))),
            h('td', { title: t.lastScrape }, t.lastScrape.startsWith('0001-') ? 'never' : relativeTime(Date.parse(t.lastScrape) / 1000)),
            h('td', { class: 'num' }, formatValue(t.lastScrapeDuration, 'seconds')),
            h('td', t.lastError ? h('span', { class: 'health-down' }, t.lastError) : '')))))));
    });
    replace(body, sections.length ? sections : h('p', { class: 'muted' }, 'No targets. Add scrape_configs to the configuration.'));
  }

  async function load() {
    try {
      data = await getData('/api/v1/targets', { state: 'active' }, { signal: ctx.signal });
      draw();
    } catch (error) {
      if (error.name !== 'AbortError') replace(body, errorBox(error));
    }
  }
  await load();
  const timer = setInterval(load, 15000);
  return () => clearInterval(timer);
}
