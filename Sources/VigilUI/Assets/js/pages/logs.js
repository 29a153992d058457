// Logs: LogQL queries against the log store. A log query lists lines (newest first by default)
// with a volume histogram of the same selector above them; a metric query draws a graph. Live
// tail streams new lines over /loki/api/v1/tail. A line expands to its labels, structured
// metadata and parsed fields (JSON or logfmt, detected here); clicking a label adds it to the
// query; "context" shows the lines around one line in its stream.
// State in the URL: ?query=…&range=1h&end=…&limit=100&direction=backward|forward&live=1
import { h, replace, errorBox, labelChips } from '../dom.js';
import { getEnvelope } from '../api.js';
import { rangePicker, resolveRange, autoStep, formatTime } from '../time.js';
import { formatClock } from '../format.js';
import { Chart } from '../chart.js';
import { createEditor } from '../editor.js';
import { correlateLink } from '../correlate-link.js';
import { createLogQLCompleter, streamSelector, addMatcher, isMetricQuery, parseFields } from '../logql/language.js';

const LIMITS = ['50', '100', '500', '1000', '5000'];
const MAX_LIVE_LINES = 2000;

/** Lines of a streams result, each {ns, time, line, labels, metadata}, sorted by `direction`. */
export function flattenStreams(result, direction) {
  const lines = [];
  for (const stream of result || []) {
    for (const value of stream.values || []) {
      lines.push({ ns: BigInt(value[0]), line: value[1], labels: stream.stream || {}, metadata: value[2] || null });
    }
  }
  lines.sort((a, b) => (a.ns === b.ns ? 0 : (a.ns < b.ns) === (direction === 'forward') ? -1 : 1));
  return lines;
}

function nsToSeconds(ns) {
  return Number(ns / 1000000n) / 1000;
}

function exactSelector(labels) {
  const pairs = Object.keys(labels).sort().map((k) => `${k}=${JSON.stringify(labels[k])}`);
  return `{${pairs.join(', ')}}`;
}

export async function render(root, ctx) {
  const state = {
    query: ctx.params.get('query') || '',
    range: ctx.params.get('range') || '1h',
    end: ctx.params.get('end') || '',
    limit: ctx.params.get('limit') || '100',
    direction: ctx.params.get('direction') === 'forward' ? 'forward' : 'backward',
    live: ctx.params.get('live') === '1',
  };
  const save = () => ctx.setParams({ ...state, live: state.live ? '1' : '' }, { replace: true });
  let controller = null;
  let chart = null;
  let socket = null;

  const completer = createLogQLCompleter({ signal: ctx.signal, range: () => { const r = resolveRange(state); return { start: Math.floor(r.start), end: Math.ceil(r.end) }; } });
  const editor = createEditor({
    value: state.query, placeholder: 'LogQL, e.g. {job="app"} |= "error" (Enter runs)',
    tokenize: completer.tokenize, complete: completer.complete,
    onRun: () => run(), onChange: (v) => { state.query = v; },
  });
  const messages = h('div', { class: 'panel-messages' });
  const stats = h('span', { class: 'stats' });
  const volume = h('div', { class: 'logs-volume' });
  const output = h('div', { class: 'logs-output' });
  const liveButton = h('button', { type: 'button', class: 'live-toggle', 'aria-pressed': String(state.live), on: { click: () => toggleLive() } }, state.live ? 'Stop live' : 'Live');
  const limitSelect = h('select', { 'aria-label': 'Line limit', on: { change: (e) => { state.limit = e.target.value; run(); } } },
    [...new Set([...LIMITS, state.limit])].map((l) => h('option', { value: l, selected: l === state.limit }, `${l} lines`)));
  const directionSelect = h('select', { 'aria-label': 'Direction', on: { change: (e) => { state.direction = e.target.value; run(); } } },
    h('option', { value: 'backward', selected: state.direction === 'backward' }, 'newest first'),
    h('option', { value: 'forward', selected: state.direction === 'forward' }, 'oldest first'));
  const panel = h('section', { class: 'panel logs-panel' },
    h('div', { class: 'panel-head' }, editor.element,
      h('button', { type: 'button', class: 'primary run', on: { click: () => run() } }, 'Run')),
    h('div', { class: 'toolbar' },
      rangePicker({ range: state.range, end: state.end, showStep: false, onChange: (r) => { state.range = r.range; state.end = r.end; run(); } }),
      limitSelect, directionSelect, liveButton, stats),
    messages, volume, output);
  replace(root, h('h1', { class: 'visually-hidden' }, 'Logs'), panel);

  function setQuery(query) {
    state.query = query;
    editor.value = query;
    if (state.live) startLive(); else run();
  }

  function lineView(entry) {
    const details = h('div', { class: 'log-details', hidden: true });
    const row = h('li', { class: 'log-line', dataset: { ns: entry.ns.toString() } },
      h('button', { type: 'button', class: 'log-toggle', 'aria-expanded': 'false', title: 'Labels, metadata and fields',
        on: { click: (e) => {
          const open = details.hidden;
          if (open && !details.firstChild) fillDetails(details, entry);
          details.hidden = !open;
          e.currentTarget.setAttribute('aria-expanded', String(open));
        } } }, '\u25b8'),
      h('time', { class: 'log-time mono', datetime: new Date(nsToSeconds(entry.ns) * 1000).toISOString() },
        new Date(nsToSeconds(entry.ns) * 1000).toISOString().replace('T', ' ').replace('Z', '')),
      h('span', { class: 'log-text mono' }, entry.line),
      details);
    row.vigilEntry = entry;
    return row;
  }

  function fieldTable(title, pairs, filterable) {
    if (!pairs.length) return null;
    return h('div', { class: 'log-fieldset' }, h('h3', title), h('table', { class: 'data compact' }, h('tbody',
      pairs.map(([k, v]) => h('tr', h('td', { class: 'mono' }, k), h('td', { class: 'mono' }, v),
        h('td', filterable ? h('button', { type: 'button', class: 'link', title: 'add to the query as a filter',
          on: { click: () => setQuery(filterable(k, v)) } }, 'filter') : null))))));
  }

  function fillDetails(details, entry) {
    const parsed = parseFields(entry.line);
    const metadata = entry.metadata ? Object.entries(entry.metadata) : [];
    replace(details,
      h('div', { class: 'toolbar' },
        labelChips(entry.labels, (k, v) => setQuery(addMatcher(state.query, k, v))),
        correlateLink(entry.labels, state),
        h('button', { type: 'button', class: 'log-context-button', on: { click: () => showContext(details, entry) } }, 'Show context')),
      fieldTable('Structured metadata', metadata, (k, v) => `${state.query} | ${k}=${JSON.stringify(v)}`),
      parsed ? fieldTable(`Parsed fields (${parsed.format})`, parsed.fields,
        (k, v) => (/^[a-zA-Z_][a-zA-Z0-9_]*$/.test(k) && !new RegExp(`\\|\\s*${parsed.format}\\b`).test(state.query)
          ? `${state.query} | ${parsed.format} | ${k}=${JSON.stringify(v)}`
          : `${state.query} | ${k}=${JSON.stringify(v)}`)) : null);
  }

  async function showContext(details, entry) {
    const box = h('div', { class: 'log-context' }, h('p', { class: 'loading' }, 'Loading context\u2026'));
    const old = details.querySelector('.log-context');
    if (old) old.remove();
    details.appendChild(box);
    const selector = exactSelector(entry.labels);
    const ns = entry.ns;
    try {
      const [before, after] = await Promise.all([
        getEnvelope('/loki/api/v1/query_range', { query: selector, start: (ns - 3600n * 1000000000n).toString(), end: (ns + 1n).toString(), limit: 11, direction: 'backward' }, { signal: ctx.signal }),
        getEnvelope('/loki/api/v1/query_range', { query: selector, start: (ns + 1n).toString(), end: (ns + 3600n * 1000000000n).toString(), limit: 10, direction: 'forward' }, { signal: ctx.signal }),
      ]);
      const earlier = flattenStreams(before.data.result, 'forward');
      const later = flattenStreams(after.data.result, 'forward');
      const row = (e, current) => h('li', { class: ['log-line', current && 'log-current'] },
        h('time', { class: 'log-time mono' }, new Date(nsToSeconds(e.ns) * 1000).toISOString().replace('T', ' ').replace('Z', '')),
        h('span', { class: 'log-text mono' }, e.line));
      // The end is exclusive: the backward query ends just after the line, so it holds the line and 10 before.
      replace(box, h('h3', `Context in ${selector}`), h('ol', { class: 'log-lines' },
        earlier.map((e) => row(e, e.ns === ns && e.line === entry.line)), later.map((e) => row(e, false))));
    } catch (error) {
      if (error.name !== 'AbortError') replace(box, errorBox(error));
    }
  }

  async function drawVolume(selector, start, end, signal) {
    if (!selector) { replace(volume); return; }
    const width = volume.clientWidth || 1000;
    const step = Math.max(1, autoStep(end - start, width / 4));
    const query = `sum by (level) (count_over_time(${selector}[${step}s]))`;
    // A bar at t counts (t - step, t]: bars from start + step to the first whole step at or after
    // `end` count every line of the range once.
    const from = Math.floor(start) + step;
    const to = Math.floor(start) + Math.max(1, Math.ceil((end - Math.floor(start)) / step)) * step;
    try {
      const envelope = await getEnvelope('/loki/api/v1/query_range', { query, start: from, end: to, step }, { signal });
      const series = envelope.data.result.map((r) => ({
        name: r.metric.level ? `level=${r.metric.level}` : 'lines', metric: r.metric, values: r.values.map(([t, v]) => [Number(t), Number(v)]),
      }));
      if (!chart || !volume.contains(chart.container)) {
        const container = h('div', { class: 'chart-container' });
        replace(volume, container);
        chart = new Chart(container, { height: 120, stacked: true });
      }
      Object.assign(chart.container.dataset, { expr: query });
      chart.setData(series, { start: from, end: to, step });
    } catch (error) {
      if (error.name !== 'AbortError') replace(volume, h('p', { class: 'muted' }, `Volume: ${error.message}`));
    }
  }

  async function run() {
    save();
    if (controller) controller.abort();
    editor.setError(null);
    replace(messages);
    const query = state.query.trim();
    if (!query) { replace(output, h('p', { class: 'muted' }, 'Type a LogQL query: a stream selector such as {job="app"}, optionally filters and parsers.')); replace(volume); return; }
    if (state.live) { startLive(); return; }
    controller = new AbortController();
    const signal = controller.signal;
    ctx.signal.addEventListener('abort', () => controller.abort());
    panel.dataset.state = 'loading';
    const began = performance.now();
    const { start, end, length } = resolveRange(state);
    try {
      if (isMetricQuery(query)) {
        const step = autoStep(length, output.clientWidth || 1000);
        const envelope = await getEnvelope('/loki/api/v1/query_range', { query, start: Math.floor(start), end: Math.ceil(end), step }, { signal });
        replace(volume);
        if (chart) { chart.destroy(); chart = null; }
        const container = h('div', { class: 'chart-container' });
        replace(output, container);
        chart = new Chart(container, {});
        const data = envelope.data;
        const series = data.resultType === 'matrix'
          ? data.result.map((r) => ({ name: JSON.stringify(r.metric), metric: r.metric, values: r.values.map(([t, v]) => [Number(t), Number(v)]) }))
          : data.result.map((r) => ({ name: JSON.stringify(r.metric), metric: r.metric, values: [[Number(r.value[0]), Number(r.value[1])]] }));
        Object.assign(container.dataset, { expr: query, start: String(start), end: String(end), step: String(step) });
        chart.setData(series, { start, end, step });
        replace(stats, `${series.length} series, ${Math.round(performance.now() - began)} ms`);
      } else {
        const envelope = await getEnvelope('/loki/api/v1/query_range', {
          query, start: Math.floor(start * 1e3) + '000000', end: Math.ceil(end * 1e3) + '000000', limit: state.limit, direction: state.direction,
        }, { signal });
        const lines = flattenStreams(envelope.data.result, state.direction);
        replace(output, lines.length
          ? h('ol', { class: 'log-lines', dataset: { count: String(lines.length) } }, lines.map(lineView))
          : h('p', { class: 'muted empty' }, 'No lines in this range.'));
        replace(stats, `${lines.length} line${lines.length === 1 ? '' : 's'}${lines.length >= Number(state.limit) ? ` (limit ${state.limit})` : ''}, ${Math.round(performance.now() - began)} ms`);
        drawVolume(streamSelector(query), start, end, signal);
      }
      panel.dataset.state = 'done';
    } catch (error) {
      if (error.name === 'AbortError') return;
      panel.dataset.state = 'error';
      replace(messages, errorBox(error));
      const position = /(\d+):(\d+)/.exec(error.message);
      if (position && !error.message.includes('://')) {
        const col = Number(position[2]) - 1;
        if (col >= 0 && col < query.length) editor.setError({ start: col, end: Math.min(query.length, col + 1), message: error.message });
      }
      replace(stats);
    }
  }

  function stopLive() {
    if (socket) { socket.onclose = null; socket.close(); socket = null; }
  }

  function startLive() {
    stopLive();
    if (controller) controller.abort();
    const query = state.query.trim();
    if (!query) return;
    replace(volume);
    const list = h('ol', { class: 'log-lines live', dataset: { count: '0' } });
    const notice = h('div', { class: 'muted live-notice' }, 'Connecting\u2026');
    replace(output, notice, list);
    let dropped = 0;
    const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
    const search = new URLSearchParams({ query, limit: state.limit, start: `${Date.now() - 60000}000000` });
    const ws = new WebSocket(`${scheme}://${window.location.host}/loki/api/v1/tail?${search}`);
    socket = ws;
    panel.dataset.state = 'live';
    ws.onopen = () => { replace(notice, 'Live: new lines appear at the top.'); };
    ws.onmessage = (event) => {
      let frame;
      try { frame = JSON.parse(event.data); } catch (_) { return; }
      const entries = flattenStreams(frame.streams, 'backward');
      for (const entry of entries.reverse()) list.insertBefore(lineView(entry), list.firstChild);
      while (list.children.length > MAX_LIVE_LINES) list.lastChild.remove();
      list.dataset.count = String(list.children.length);
      if (frame.dropped_entries && frame.dropped_entries.length) {
        dropped += frame.dropped_entries.length;
        replace(notice, h('span', { class: 'warning' }, `${dropped} entr${dropped === 1 ? 'y was' : 'ies were'} dropped: the server sent faster than this page could read.`));
      }
      replace(stats, `${list.children.length} live lines`);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      replace(notice, h('span', { class: 'error' }, `Live tail closed${event.reason ? `: ${event.reason}` : ` (code ${event.code})`}.`));
      state.live = false;
      refreshLive();
      save();
    };
  }

  function refreshLive() {
    liveButton.setAttribute('aria-pressed', String(state.live));
    replace(liveButton, state.live ? 'Stop live' : 'Live');
  }

  function toggleLive() {
    state.live = !state.live;
    refreshLive();
    save();
    if (state.live) startLive(); else { stopLive(); run(); }
  }

  await run();
  if (!state.query) editor.focus();
  return () => { stopLive(); if (controller) controller.abort(); if (chart) chart.destroy(); };
}
