// Kubernetes events: a timeline and a table from /api/v1/events, filtered by namespace, kind,
// reason and type, Warnings first, with counts and first/last seen; each Pod or Node event links
// to the Correlation page. State in the URL: ?namespace=&kind=&reason=&type=&object=&range=&end=
import { h, replace, errorBox } from '../dom.js';
import { getData } from '../api.js';
import { rangePicker, resolveRange } from '../time.js';
import { sortEvents, eventsTimeline, eventsTable } from '../events-view.js';

const FILTERS = ['namespace', 'kind', 'reason', 'type', 'object'];
const LIMIT = 5000;

export async function render(root, ctx) {
  const state = { range: ctx.params.get('range') || '1d', end: ctx.params.get('end') || '' };
  for (const key of FILTERS) state[key] = ctx.params.get(key) || '';
  const body = h('div', { class: 'events-body' }, h('p', { class: 'loading' }, 'Loading events\u2026'));
  const inputs = {};
  const update = () => { ctx.setParams(state, { replace: true }); load(); };
  for (const key of FILTERS) {
    inputs[key] = key === 'type'
      ? h('select', { 'aria-label': 'Type', on: { change: (e) => { state.type = e.target.value; update(); } } },
        ['', 'Warning', 'Normal'].map((v) => h('option', { value: v, selected: v === state.type }, v || 'any type')))
      : h('input', { type: 'search', size: 14, value: state[key], placeholder: key, 'aria-label': key,
        on: { change: (e) => { state[key] = e.target.value.trim(); update(); } } });
  }
  replace(root, h('h1', 'Kubernetes events'),
    h('div', { class: 'toolbar' }, FILTERS.map((k) => inputs[k]),
      rangePicker({ range: state.range, end: state.end, showStep: false, onChange: (r) => { state.range = r.range; state.end = r.end; update(); } }),
      h('button', { type: 'button', on: { click: () => load() } }, 'Refresh')),
    body);

  async function load() {
    const { start, end } = resolveRange(state);
    try {
      const params = { start: Math.floor(start), end: Math.ceil(end), limit: LIMIT };
      for (const key of FILTERS) if (state[key]) params[key] = state[key];
      const events = sortEvents(await getData('/api/v1/events', params, { signal: ctx.signal }));
      const warnings = events.filter((e) => e.type === 'Warning').length;
      replace(body, events.length
        ? [h('p', { class: 'muted summary' }, `${events.length} event${events.length === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}${events.length >= LIMIT ? ` (first ${LIMIT})` : ''}`),
          eventsTimeline(events, { start, end }),
          eventsTable(events, { onFilter: (key, value) => { state[key] = value; if (inputs[key]) inputs[key].value = value; update(); } })]
        : h('p', { class: 'muted empty' }, 'No events in this range. Events are stored when the configuration has a kubernetes_events section (docs/KUBERNETES.md).'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(body, errorBox(error));
    }
  }
  await load();
  const timer = setInterval(load, 30000);
  return () => clearInterval(timer);
}
