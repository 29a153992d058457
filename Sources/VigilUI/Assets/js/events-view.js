// Kubernetes events as the Events and Correlation pages show them: a timeline strip (one mark
// per event at its last-seen time, Warnings red) and a table, Warnings first, with counts and
// first/last seen. API:
//   sortEvents(events) -> Warnings first, then newest last-seen first
//   eventTime(event) -> last-seen seconds (first-seen when there is no last)
//   eventsTimeline(events, {start, end}) -> <svg>
//   eventsTable(events, {onFilter?(key, value)}) -> element
//   eventLabels(event) -> labels a Correlate link understands
import { h, svg } from './dom.js';
import { relativeTime } from './format.js';
import { correlateLink } from './correlate-link.js';

export function eventTime(event) {
  const t = Date.parse(event.lastTimestamp || event.firstTimestamp || '');
  return Number.isNaN(t) ? null : t / 1000;
}

export function sortEvents(events) {
  return [...events].sort((a, b) => {
    const wa = a.type === 'Warning' ? 0 : 1;
    const wb = b.type === 'Warning' ? 0 : 1;
    if (wa !== wb) return wa - wb;
    return (eventTime(b) || 0) - (eventTime(a) || 0);
  });
}

export function eventLabels(event) {
  if (event.kind === 'Pod') return { namespace: event.namespace, pod: event.object };
  if (event.kind === 'Node') return { node: event.object };
  return null;
}

export function eventsTimeline(events, { start, end }) {
  const width = 1000;
  const height = 28;
  const span = Math.max(1, end - start);
  return svg('svg', { class: 'events-timeline', viewBox: `0 0 ${width} ${height}`, preserveAspectRatio: 'none', role: 'img', 'aria-label': `${events.length} events over time` },
    svg('line', { x1: 0, x2: width, y1: height / 2, y2: height / 2, class: 'axis' }),
    events.map((e) => {
      const t = eventTime(e);
      if (t === null || t < start || t > end) return null;
      return svg('rect', { x: ((t - start) / span) * width - 1.5, y: 4, width: 3, height: height - 8,
        class: e.type === 'Warning' ? 'mark warning' : 'mark', dataset: { t: String(t) } },
      svg('title', `${e.type} ${e.reason} ${e.kind}/${e.object}: ${e.message}`));
    }));
}

function seen(text) {
  const t = Date.parse(text || '');
  return Number.isNaN(t) ? '' : relativeTime(t / 1000);
}

export function eventsTable(events, { onFilter } = {}) {
  const chip = (key, value) => (onFilter && value
    ? h('button', { type: 'button', class: 'label', title: `only ${key} ${value}`, on: { click: () => onFilter(key, value) } }, value)
    : value);
  return h('div', { class: 'scroll' }, h('table', { class: 'data events' },
    h('thead', h('tr', h('th', 'Type'), h('th', 'Reason'), h('th', 'Object'), h('th', 'Message'), h('th', { class: 'num' }, 'Count'),
      h('th', 'First seen'), h('th', 'Last seen'))),
    h('tbody', events.map((e) => h('tr', { class: ['event', e.type === 'Warning' && 'warning'], dataset: { t: String(eventTime(e) || '') } },
      h('td', h('span', { class: e.type === 'Warning' ? 'health-down' : 'muted' }, chip('type', e.type))),
      h('td', chip('reason', e.reason)),
      h('td', h('div', chip('kind', e.kind), ' ', h('span', { class: 'mono' }, `${e.namespace ? `${e.namespace}/` : ''}${e.object}`)),
        eventLabels(e) ? correlateLink(eventLabels(e)) : null),
      h('td', e.message),
      h('td', { class: 'num' }, String(e.count)),
      h('td', { title: e.firstTimestamp }, seen(e.firstTimestamp)),
      h('td', { title: e.lastTimestamp }, seen(e.lastTimestamp)))))));
}
