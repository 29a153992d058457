// Correlation: everything about one pod (?pod=ns/name), node (?node=name) or alert
// (?alert=<fingerprint> or ?alert={matchers}) on one time axis: CPU and memory graphs (cAdvisor
// or node series), its log lines and its Kubernetes events. One range picker drives all of them;
// hovering a graph draws the time cursor on every graph and the timelines and highlights the log
// lines and events at that time. State in the URL: ?pod=|node=|alert=, &range=&end=
import { h, svg, replace, errorBox, labelChips } from '../dom.js';
import { getData, getJSON, getEnvelope, postForm } from '../api.js';
import { rangePicker, resolveRange, autoStep } from '../time.js';
import { Chart } from '../chart.js';
import { correlateTarget } from '../correlate-link.js';
import { splitMatchers } from './alerts.js';
import { sortEvents, eventsTimeline, eventsTable } from '../events-view.js';

const LOG_LIMIT = 500;
const POD_LOG_KEYS = { namespace: ['namespace', 'k8s_namespace_name', 'kubernetes_namespace'], pod: ['pod', 'k8s_pod_name', 'kubernetes_pod_name', 'pod_name'] };
const NODE_LOG_KEYS = ['node', 'node_name', 'k8s_node_name', 'nodename', 'host', 'hostname'];

const q = (value) => JSON.stringify(value);
const escapeRegex = (value) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The PromQL of each graph for a target. */
export function graphQueries(target) {
  if (target.pod) {
    const [namespace, pod] = target.pod.split('/');
    const sel = `namespace=${q(namespace)}, pod=${q(pod)}, container!="", container!="POD"`;
    return [
      { title: 'CPU (cores)', unit: '', expr: `sum by (container) (rate(container_cpu_usage_seconds_total{${sel}}[5m]))` },
      { title: 'Memory working set', unit: 'bytes', expr: `sum by (container) (container_memory_working_set_bytes{${sel}})` },
    ];
  }
  const node = target.node;
  const byNode = `node=${q(node)}`;
  const byInstance = `instance=~${q(`${escapeRegex(node)}(:[0-9]+)?`)}`;
  return [
    { title: 'CPU (cores, by mode)', unit: '', expr: `sum by (mode) (rate(node_cpu_seconds_total{mode!="idle", ${byNode}}[5m])) or sum by (mode) (rate(node_cpu_seconds_total{mode!="idle", ${byInstance}}[5m]))` },
    { title: 'Memory used', unit: 'bytes', expr: `sum(node_memory_MemTotal_bytes{${byNode}} - node_memory_MemAvailable_bytes{${byNode}}) or sum(node_memory_MemTotal_bytes{${byInstance}} - node_memory_MemAvailable_bytes{${byInstance}})` },
  ];
}

/** The LogQL selector for a target, using the label names the log store actually has. */
export function logSelector(target, names) {
  const pick = (candidates) => candidates.find((n) => names.includes(n)) || candidates[0];
  if (target.pod) {
    const [namespace, pod] = target.pod.split('/');
    return `{${pick(POD_LOG_KEYS.namespace)}=${q(namespace)}, ${pick(POD_LOG_KEYS.pod)}=${q(pod)}}`;
  }
  return `{${pick(NODE_LOG_KEYS)}=${q(target.node)}}`;
}

async function resolveAlert(value, signal) {
  const isFingerprint = /^[0-9a-f]{1,16}$/i.test(value);
  const alerts = await getJSON('/api/v2/alerts', isFingerprint ? { active: 'true', silenced: 'true', inhibited: 'true' } : { filter: splitMatchers(value) }, { signal });
  return (isFingerprint ? alerts.find((a) => a.fingerprint === value) : alerts[0]) || null;
}

export async function render(root, ctx) {
  const state = { range: ctx.params.get('range') || '1h', end: ctx.params.get('end') || '' };
  let target = ctx.params.get('pod') ? { pod: ctx.params.get('pod') } : ctx.params.get('node') ? { node: ctx.params.get('node') } : null;
  const alertParam = ctx.params.get('alert');
  const head = h('div', { class: 'correlate-head' });
  replace(root, h('h1', 'Correlate'), head);
  let alert = null;
  if (!target && alertParam) {
    try {
      alert = await resolveAlert(alertParam, ctx.signal);
    } catch (error) {
      if (error.name !== 'AbortError') replace(head, errorBox(error));
      return null;
    }
    if (!alert) { replace(head, h('p', { class: 'muted empty' }, `No alert ${alertParam} (it may have resolved).`)); return null; }
    target = correlateTarget(alert.labels);
    replace(head, h('div', { class: 'correlate-alert' }, h('strong', alert.labels.alertname || 'alert'), ' ', labelChips(alert.labels)));
    if (!target) {
      head.appendChild(h('p', { class: 'muted empty' }, 'This alert has no pod (namespace + pod) or node label to correlate with.'));
      return null;
    }
  }
  if (!target || (target.pod && !/^[^/]+\/[^/]+$/.test(target.pod))) {
    const input = h('input', { type: 'text', size: 30, placeholder: 'namespace/pod or node name', 'aria-label': 'Pod or node' });
    const kind = h('select', { 'aria-label': 'Kind' }, h('option', { value: 'pod' }, 'pod'), h('option', { value: 'node' }, 'node'));
    replace(head, h('form', { class: 'toolbar', on: { submit: (e) => { e.preventDefault(); ctx.navigate('/correlate', { [kind.value]: input.value.trim() }); } } },
      kind, input, h('button', { type: 'submit', class: 'primary' }, 'Correlate')),
    h('p', { class: 'muted' }, 'Pick a pod (namespace/name) or a node; Alerts, Events, Query and Logs link here too.'));
    return null;
  }

  const title = target.pod ? `Pod ${target.pod}` : `Node ${target.node}`;
  head.appendChild(h('h2', { class: 'correlate-target' }, title));
  const graphsBox = h('div', { class: 'correlate-graphs' });
  const logsBox = h('section', { class: 'correlate-logs' }, h('h2', 'Logs'));
  const eventsBox = h('section', { class: 'correlate-events' }, h('h2', 'Kubernetes events'));
  const cursorLabel = h('span', { class: 'muted cursor-time' });
  root.appendChild(h('div', { class: 'toolbar' },
    rangePicker({ range: state.range, end: state.end, showStep: false, onChange: (r) => { state.range = r.range; state.end = r.end; ctx.setParams({ ...Object.fromEntries(ctx.params), ...state }, { replace: true }); load(); } }),
    cursorLabel));
  root.append(graphsBox, logsBox, eventsBox);

  const charts = [];
  let window_ = null;
  let logRows = [];
  let eventRows = [];
  let timelines = [];
  const controllerBox = { current: null };

  function drawCursor(t) {
    root.dataset.cursor = t === null ? '' : String(t);
    replace(cursorLabel, t === null ? '' : new Date(t * 1000).toISOString());
    for (const chart of charts) {
      const g = chart.geometry;
      const canvas = chart.overlay;
      const context = canvas.getContext('2d');
      if (!g || chart.hovering) continue;
      const ratio = window.devicePixelRatio || 1;
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.clearRect(0, 0, canvas.width, canvas.height);
      if (t === null) continue;
      const x = g.left + ((t - g.start) / g.span) * g.plotW;
      context.strokeStyle = 'rgba(128,128,128,0.7)';
      context.beginPath();
      context.moveTo(Math.round(x) + 0.5, 8);
      context.lineTo(Math.round(x) + 0.5, 8 + g.plotH);
      context.stroke();
    }
    for (const line of timelines) {
      if (t === null || !window_) { line.setAttribute('visibility', 'hidden'); continue; }
      const x = ((t - window_.start) / (window_.end - window_.start)) * 1000;
      line.setAttribute('x1', String(x)); line.setAttribute('x2', String(x)); line.setAttribute('visibility', 'visible');
    }
    // Highlight the lines and events within half a step (at least 30 s) of the cursor.
    const tolerance = window_ ? Math.max(30, window_.step / 2) : 30;
    let first = null;
    for (const row of [...logRows, ...eventRows]) {
      const rt = Number(row.dataset.t);
      const near = t !== null && Number.isFinite(rt) && Math.abs(rt - t) <= tolerance;
      row.classList.toggle('at-cursor', near);
      if (near && !first && row.closest('.correlate-logs')) first = row;
    }
    if (first) first.scrollIntoView({ block: 'nearest' });
  }

  function timeAt(chart, event) {
    const g = chart.geometry;
    if (!g) return null;
    const rect = chart.overlay.getBoundingClientRect();
    const t = g.start + ((event.clientX - rect.left - g.left) / g.plotW) * g.span;
    return t < g.start || t > g.start + g.span ? null : t;
  }

  function timelineWithCursor(element) {
    const cursor = svg('line', { class: 'cursor', x1: 0, x2: 0, y1: 0, y2: 1000, visibility: 'hidden' });
    element.appendChild(cursor);
    timelines.push(cursor);
    return element;
  }

  async function loadGraphs(signal) {
    const { start, end, step } = window_;
    await Promise.all(graphQueries(target).map(async (graph, i) => {
      let chart = charts[i];
      if (!chart) {
        const container = h('div', { class: 'chart-container' });
        const box = h('section', { class: 'correlate-graph' }, h('h3', graph.title, ' ',
          h('a', { class: 'muted', href: `/query?${new URLSearchParams({ 'g0.expr': graph.expr, 'g0.tab': 'graph', 'g0.range_input': state.range, 'g0.end_input': state.end })}` }, 'query')), container);
        graphsBox.appendChild(box);
        chart = new Chart(container, { height: 180, unit: graph.unit });
        charts[i] = chart;
        chart.overlay.addEventListener('mouseenter', () => { chart.hovering = true; });
        chart.overlay.addEventListener('mousemove', (e) => { chart.hovering = true; drawCursor(timeAt(chart, e)); });
        chart.overlay.addEventListener('mouseleave', () => { chart.hovering = false; drawCursor(null); });
      }
      const box = chart.container.parentElement;
      const old = box.querySelector('.error, .empty');
      if (old) old.remove();
      try {
        const data = await postForm('/api/v1/query_range', { query: graph.expr, start, end, step }, { signal });
        const series = data.result.map((r) => ({ name: Object.keys(r.metric).length ? Object.entries(r.metric).map(([k, v]) => `${k}=${v}`).join(', ') : graph.title,
          metric: r.metric, values: r.values.map(([t, v]) => [t, Number(v)]) }));
        Object.assign(chart.container.dataset, { expr: graph.expr, start: String(start), end: String(end), step: String(step) });
        chart.setData(series, { start, end, step });
        if (!series.length) box.appendChild(h('p', { class: 'muted empty' }, 'No samples: is this target scraped (cAdvisor/node collectors)?'));
      } catch (error) {
        if (error.name !== 'AbortError') box.appendChild(errorBox(error));
      }
    }));
  }

  async function loadLogs(signal) {
    const { start, end } = window_;
    replace(logsBox, h('h2', 'Logs'), h('p', { class: 'loading' }, 'Loading logs\u2026'));
    try {
      const names = await getData('/loki/api/v1/labels', { start: Math.floor(start), end: Math.ceil(end) }, { signal }).catch(() => []);
      const selector = logSelector(target, names || []);
      const envelope = await getEnvelope('/loki/api/v1/query_range', {
        query: selector, start: `${Math.floor(start * 1e3)}000000`, end: `${Math.ceil(end * 1e3)}000000`, limit: LOG_LIMIT, direction: 'backward',
      }, { signal });
      const lines = [];
      for (const stream of envelope.data.result) for (const [ns, line] of stream.values) lines.push({ t: Number(BigInt(ns) / 1000000n) / 1000, line, labels: stream.stream });
      lines.sort((a, b) => b.t - a.t);
      const marks = svg('svg', { class: 'events-timeline logs-timeline', viewBox: '0 0 1000 28', preserveAspectRatio: 'none', role: 'img', 'aria-label': `${lines.length} log lines over time` },
        svg('line', { x1: 0, x2: 1000, y1: 14, y2: 14, class: 'axis' }),
        lines.map((l) => svg('rect', { class: 'mark', x: ((l.t - start) / (end - start)) * 1000 - 0.5, y: 6, width: 1, height: 16 })));
      logRows = lines.map((l) => h('li', { class: 'log-line', dataset: { t: String(l.t) } },
        h('time', { class: 'log-time mono' }, new Date(l.t * 1000).toISOString().replace('T', ' ').replace('Z', '')),
        h('span', { class: 'log-text mono' }, l.line)));
      replace(logsBox, h('h2', 'Logs ', h('a', { class: 'muted', href: `/logs?${new URLSearchParams({ query: selector, range: state.range, end: state.end })}` }, selector)),
        timelineWithCursor(marks),
        lines.length ? h('ol', { class: 'log-lines correlate-log-lines', dataset: { count: String(lines.length) } }, logRows)
          : h('p', { class: 'muted empty' }, 'No log lines in this range.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(logsBox, h('h2', 'Logs'), errorBox(error));
    }
  }

  async function loadEvents(signal) {
    const { start, end } = window_;
    const params = { start: Math.floor(start), end: Math.ceil(end), limit: 1000 };
    if (target.pod) Object.assign(params, { namespace: target.pod.split('/')[0], kind: 'Pod', object: target.pod.split('/')[1] });
    else Object.assign(params, { kind: 'Node', object: target.node });
    try {
      const response = await fetch(`/api/v1/events?${new URLSearchParams(params)}`, { signal, headers: { Accept: 'application/json' } });
      if (response.status === 404) {
        eventRows = [];
        replace(eventsBox, h('h2', 'Kubernetes events'), h('p', { class: 'muted empty' }, 'Events are not stored: add a kubernetes_events section to the configuration.'));
        return;
      }
      const body = await response.json();
      if (body.status !== 'success') throw new Error(body.error || `events: HTTP ${response.status}`);
      const events = sortEvents(body.data);
      const table = eventsTable(events);
      eventRows = [...table.querySelectorAll('tr.event')];
      replace(eventsBox, h('h2', `Kubernetes events (${events.length})`), timelineWithCursor(eventsTimeline(events, { start, end })),
        events.length ? table : h('p', { class: 'muted empty' }, 'No events in this range.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(eventsBox, h('h2', 'Kubernetes events'), errorBox(error));
    }
  }

  async function load() {
    if (controllerBox.current) controllerBox.current.abort();
    const controller = new AbortController();
    controllerBox.current = controller;
    ctx.signal.addEventListener('abort', () => controller.abort());
    const { start, end, length } = resolveRange(state);
    window_ = { start, end, step: autoStep(length, graphsBox.clientWidth / 2 || 600) };
    timelines = [];
    root.dataset.state = 'loading';
    await Promise.all([loadGraphs(controller.signal), loadLogs(controller.signal), loadEvents(controller.signal)]);
    if (!controller.signal.aborted) root.dataset.state = 'done';
  }
  await load();
  return () => { if (controllerBox.current) controllerBox.current.abort(); charts.forEach((c) => c.destroy()); };
}
