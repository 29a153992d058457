// TSDB status and cardinality explorer: head statistics and the top metric names, label names
// and label pairs by series count (/api/v1/status/tsdb?limit=N). Selecting a metric breaks its
// series down by label (from /api/v1/series), to find the label that makes it expensive.
// State in the URL: ?limit=N&metric=name
import { h, replace, errorBox } from '../dom.js';
import { getData } from '../api.js';
import { formatValue } from '../format.js';

const LIMITS = [10, 20, 50, 100];
const BREAKDOWN_SERIES_LIMIT = 20000;

function ranked(title, entries, { id, unit, onPick, valueTitle = 'Series' }) {
  const max = Math.max(1, ...entries.map((e) => e.value));
  return h('section', { class: 'ranked', id },
    h('h2', title),
    entries.length ? h('table', { class: 'data' },
      h('thead', h('tr', h('th', 'Name'), h('th', { class: 'num' }, valueTitle), h('th', { class: 'hide-narrow' }, ''))),
      h('tbody', entries.map((e) => h('tr',
        h('td', { class: 'mono' }, onPick ? h('a', { href: '#', on: { click: (ev) => { ev.preventDefault(); onPick(e.name); } } }, e.name) : e.name),
        h('td', { class: 'num' }, unit ? formatValue(e.value, unit) : e.value.toLocaleString()),
        h('td', { class: 'hide-narrow', style: { width: '30%' } }, h('div', { class: 'bar', style: { width: `${(100 * e.value) / max}%` } }))))))
      : h('p', { class: 'muted' }, 'Nothing stored yet.'));
}

export async function render(root, ctx) {
  const limit = LIMITS.includes(Number(ctx.params.get('limit'))) ? Number(ctx.params.get('limit')) : 10;
  const metric = ctx.params.get('metric') || '';
  const body = h('div', h('p', { class: 'loading' }, 'Loading\u2026'));
  const breakdown = h('div', { id: 'metric-breakdown' });
  const pick = (name) => { ctx.setParams({ limit, metric: name }); explore(name); };
  replace(root, h('h1', 'TSDB status'),
    h('div', { class: 'toolbar' }, h('label', 'Top ',
      h('select', { on: { change: (e) => ctx.navigate('/tsdb', { limit: e.target.value, metric }) } },
        LIMITS.map((n) => h('option', { value: n, selected: n === limit }, String(n)))))),
    breakdown, body);
  let data;
  try {
    data = await getData('/api/v1/status/tsdb', { limit }, { signal: ctx.signal });
  } catch (error) {
    if (error.name !== 'AbortError') replace(body, errorBox(error));
    return;
  }
  const head = data.headStats;
  const empty = head.numSeries === 0;
  replace(body,
    h('section', { id: 'head-stats' }, h('h2', 'Head block'), h('table', { class: 'data' }, h('tbody',
      h('tr', h('th', 'Series'), h('td', { class: 'num' }, head.numSeries.toLocaleString())),
      h('tr', h('th', 'Chunks'), h('td', { class: 'num' }, head.chunkCount.toLocaleString())),
      h('tr', h('th', 'Label pairs'), h('td', { class: 'num' }, head.numLabelPairs.toLocaleString())),
      h('tr', h('th', 'Min time'), h('td', { class: 'num' }, empty ? '\u2013' : new Date(head.minTime).toISOString())),
      h('tr', h('th', 'Max time'), h('td', { class: 'num' }, empty ? '\u2013' : new Date(head.maxTime).toISOString()))))),
    ranked('Top metric names by series count', data.seriesCountByMetricName, { id: 'by-metric', onPick: pick }),
    ranked('Top label names by value count', data.labelValueCountByLabelName, { id: 'by-label', valueTitle: 'Values' }),
    ranked('Top label pairs by series count', data.seriesCountByLabelValuePair, { id: 'by-pair' }),
    ranked('Top label names by memory', data.memoryInBytesByLabelName, { id: 'by-memory', unit: 'bytes', valueTitle: 'Bytes' }));
  if (metric) explore(metric);

  async function explore(name) {
    replace(breakdown, h('p', { class: 'loading' }, `Loading the series of ${name}\u2026`));
    try {
      const series = await getData('/api/v1/series', { 'match[]': `{__name__=${JSON.stringify(name)}}`, limit: BREAKDOWN_SERIES_LIMIT }, { signal: ctx.signal });
      const values = new Map();
      for (const s of series) {
        for (const [k, v] of Object.entries(s)) {
          if (k === '__name__') continue;
          if (!values.has(k)) values.set(k, new Map());
          values.get(k).set(v, (values.get(k).get(v) || 0) + 1);
        }
      }
      const labels = [...values.entries()].sort((a, b) => b[1].size - a[1].size);
      replace(breakdown, h('section', { class: 'panel' },
        h('h2', `${name}: ${series.length.toLocaleString()} series${series.length >= BREAKDOWN_SERIES_LIMIT ? ' (first ' + BREAKDOWN_SERIES_LIMIT + ')' : ''}`),
        h('p', h('a', { href: `/query?${new URLSearchParams({ 'g0.expr': `count by (__name__) (${name})`, 'g0.tab': 'table' })}`, 'data-nav': true }, 'Query it')),
        h('table', { class: 'data' },
          h('thead', h('tr', h('th', 'Label'), h('th', { class: 'num' }, 'Distinct values'), h('th', 'Most frequent values'))),
          h('tbody', labels.map(([label, counts]) => h('tr',
            h('td', { class: 'mono' }, label),
            h('td', { class: 'num' }, counts.size.toLocaleString()),
            h('td', h('span', { class: 'labels' }, [...counts.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5)
              .map(([v, n]) => h('span', { class: 'label' }, `${v} (${n})`))))))))));
    } catch (error) {
      if (error.name !== 'AbortError') replace(breakdown, errorBox(error));
    }
  }
}
