// Service discovery: per scrape pool, every discovered target with its labels before
// relabeling and what relabeling made of it (kept with its labels, or dropped).
import { h, replace, errorBox, labelChips } from '../dom.js';
import { getData } from '../api.js';

export async function render(root, ctx) {
  const body = h('div', h('p', { class: 'loading' }, 'Loading\u2026'));
  replace(root, h('h1', 'Service discovery'), body);
  let data;
  try {
    data = await getData('/api/v1/targets', { state: 'any' }, { signal: ctx.signal });
  } catch (error) {
    if (error.name !== 'AbortError') replace(body, errorBox(error));
    return;
  }
  const pools = new Map();
  const add = (pool, row) => {
    if (!pools.has(pool)) pools.set(pool, []);
    pools.get(pool).push(row);
  };
  for (const t of data.activeTargets) add(t.scrapePool, { discovered: t.discoveredLabels, target: t.labels });
  for (const t of data.droppedTargets) add(t.scrapePool || t.discoveredLabels.job || '', { discovered: t.discoveredLabels, target: null });
  const selected = ctx.params.get('pool') || '';
  const names = [...pools.keys()].sort();
  replace(body,
    h('ul', { class: 'pool-index' }, names.map((name) => {
      const rows = pools.get(name);
      const active = rows.filter((r) => r.target).length;
      return h('li', h('a', { href: `/service-discovery?pool=${encodeURIComponent(name)}`, 'data-nav': true }, name),
        ` (${active} / ${rows.length} active targets)`);
    })),
    names.filter((n) => !selected || n === selected).map((name) => h('section', { class: 'pool', dataset: { pool: name } },
      h('h2', name),
      h('div', { class: 'scroll' }, h('table', { class: 'data' },
        h('thead', h('tr', h('th', 'Discovered labels'), h('th', 'Target labels'))),
        h('tbody', pools.get(name).map((r) => h('tr',
          h('td', labelChips(r.discovered)),
          h('td', r.target ? labelChips(r.target) : h('span', { class: 'muted' }, 'Dropped'))))))))));
  if (!names.length) body.appendChild(h('p', { class: 'muted' }, 'Nothing discovered.'));
}
