// Query: panels of PromQL expressions, each shown as a graph (range query) or a table (instant
// query). The whole state is in the URL with Prometheus's parameter names, so /graph?g0.expr=…
// links from alerts and Grafana open here:
//   g<i>.expr, g<i>.tab (graph|table; legacy 0|1), g<i>.range_input, g<i>.end_input,
//   g<i>.step_input, g<i>.moment_input, g<i>.display_mode (lines|stacked; legacy g<i>.stacked=1)
import { h, replace, errorBox, labelsText } from '../dom.js';
import { postForm } from '../api.js';
import { indexedGroups } from '../url.js';
import { rangePicker, resolveRange, autoStep, parseDuration, parseTime, formatTime } from '../time.js';
import { exactValue, unitFor } from '../format.js';
import { Chart } from '../chart.js';
import { createEditor } from '../editor.js';
import { correlateLink } from '../correlate-link.js';
import { createCompleter } from '../promql/complete.js';
import { parseErrorRange } from '../promql/lexer.js';

const MAX_TABLE_ROWS = 10000;

function readPanels(search) {
  const panels = indexedGroups(search, 'g').map((g) => ({
    expr: g.expr || '',
    tab: g.tab === '1' || g.tab === 'table' ? 'table' : 'graph',
    range: g.range_input || '1h',
    end: g.end_input || '',
    step: g.step_input || '',
    moment: g.moment_input || '',
    stacked: g.display_mode === 'stacked' || g.stacked === '1',
  }));
  return panels.length ? panels : [{ expr: '', tab: 'graph', range: '1h', end: '', step: '', moment: '', stacked: false }];
}

function writePanels(panels) {
  const out = {};
  panels.forEach((p, i) => {
    out[`g${i}.expr`] = p.expr;
    out[`g${i}.tab`] = p.tab;
    out[`g${i}.range_input`] = p.range;
    out[`g${i}.end_input`] = p.end;
    out[`g${i}.step_input`] = p.step;
    out[`g${i}.moment_input`] = p.tab === 'table' ? p.moment : '';
    out[`g${i}.display_mode`] = p.stacked ? 'stacked' : '';
  });
  return out;
}

function valueCell(sample) {
  return sample ? exactValue(Number(sample[1])) : '';
}

function resultTable(data) {
  if (data.resultType === 'scalar' || data.resultType === 'string') {
    return h('table', { class: 'data result-table' }, h('tbody', h('tr', h('td', data.resultType), h('td', { class: 'num' }, String(data.result[1])))));
  }
  const rows = data.result;
  const shown = rows.slice(0, MAX_TABLE_ROWS);
  return [
    h('div', { class: 'scroll' }, h('table', { class: 'data result-table' },
      h('thead', h('tr', h('th', 'Series'), h('th', { class: 'num' }, 'Value'))),
      h('tbody', shown.map((r) => h('tr',
        h('td', { class: 'mono' }, labelsText(r.metric), ' ', correlateLink(r.metric)),
        h('td', { class: 'num mono' }, data.resultType === 'matrix'
          ? r.values.map((v) => `${exactValue(Number(v[1]))} @${v[0]}`).join('\n')
          : r.histogram ? `histogram count ${r.histogram[1].count} sum ${r.histogram[1].sum}` : valueCell(r.value))))))),
    rows.length > shown.length ? h('p', { class: 'muted' }, `Showing ${shown.length} of ${rows.length} series.`) : null,
  ];
}

export async function render(root, ctx) {
  const panels = readPanels(ctx.params);
  const completer = createCompleter({ signal: ctx.signal });
  completer.catalog.catch(() => {});
  const list = h('div', { class: 'panels' });
  const views = [];
  const save = () => ctx.setParams(writePanels(panels), { replace: true });

  function addPanel(panel, runNow) {
    const index = views.length;
    const view = { panel, controller: null, chart: null };
    views.push(view);
    const output = h('div', { class: 'panel-output' });
    const stats = h('span', { class: 'stats' });
    const messages = h('div', { class: 'panel-messages' });
    const editor = createEditor({
      value: panel.expr, placeholder: 'Expression (press Enter to run, Shift+Enter for a new line)',
      tokenize: completer.tokenize, complete: completer.complete,
      onRun: () => run(), onChange: (v) => { panel.expr = v; },
    });
    view.editor = editor;
    const tabButton = (tab, title) => h('button', {
      type: 'button', 'aria-pressed': String(panel.tab === tab), dataset: { tab },
      on: { click: () => { panel.tab = tab; refreshControls(); run(); } },
    }, title);
    const tabs = h('span', { class: 'tabs' }, tabButton('graph', 'Graph'), tabButton('table', 'Table'));
    const controls = h('span', { class: 'toolbar panel-controls' });
    const stackedBox = h('label', h('input', { type: 'checkbox', checked: panel.stacked, on: { change: (e) => {
      panel.stacked = e.target.checked; save(); if (view.chart) view.chart.setStacked(panel.stacked);
    } } }), ' stacked');
    const momentInput = h('input', { type: 'text', size: 22, placeholder: 'evaluation time: now', value: panel.moment, 'aria-label': 'Evaluation time',
      on: { change: (e) => { panel.moment = e.target.value.trim(); run(); } } });
    function refreshControls() {
      tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.tab === panel.tab)));
      replace(controls, panel.tab === 'graph'
        ? [rangePicker({ range: panel.range, end: panel.end, step: panel.step, onChange: (r) => { Object.assign(panel, r); run(); } }), stackedBox]
        : momentInput);
    }
    const element = h('section', { class: 'panel', dataset: { panel: String(index) } },
      h('div', { class: 'panel-head' }, editor.element,
        h('button', { type: 'button', class: 'primary run', on: { click: () => run() } }, 'Execute'),
        h('button', { type: 'button', title: 'Remove panel', 'aria-label': 'Remove panel', on: { click: () => remove() } }, '\u00d7')),
      h('div', { class: 'toolbar' }, tabs, controls, stats),
      messages, output);
    refreshControls();
    list.appendChild(element);

    function remove() {
      if (view.controller) view.controller.abort();
      if (view.chart) view.chart.destroy();
      const at = views.indexOf(view);
      views.splice(at, 1);
      panels.splice(at, 1);
      element.remove();
      list.querySelectorAll('.panel').forEach((el, i) => { el.dataset.panel = String(i); });
      save();
    }

    async function run() {
      save();
      if (view.controller) view.controller.abort();
      const expr = panel.expr.trim();
      editor.setError(null);
      replace(messages);
      if (!expr) { replace(output); replace(stats); return; }
      const controller = new AbortController();
      view.controller = controller;
      ctx.signal.addEventListener('abort', () => controller.abort());
      element.dataset.state = 'loading';
      const began = performance.now();
      try {
        let envelope;
        if (panel.tab === 'graph') {
          const { start, end, length } = resolveRange(panel);
          const width = output.clientWidth || list.clientWidth || 1000;
          const step = panel.step ? parseDuration(panel.step) : autoStep(length, width);
          envelope = await postForm('/api/v1/query_range', { query: expr, start, end, step }, { signal: controller.signal, envelope: true });
          const series = envelope.data.result.map((r) => ({
            name: labelsText(r.metric), metric: r.metric, values: (r.values || []).map(([t, v]) => [t, Number(v)]),
          }));
          if (!view.chart || !output.contains(view.chart.container)) {
            if (view.chart) view.chart.destroy();
            const container = h('div', { class: 'chart-container' });
            replace(output, container);
            view.chart = new Chart(container, { stacked: panel.stacked });
          }
          view.chart.unit = unitFor(expr);
          view.chart.stacked = panel.stacked;
          Object.assign(view.chart.container.dataset, { expr, start: String(start), end: String(end), step: String(step) });
          view.chart.setData(series, { start, end, step });
          replace(stats, `${series.length} series, ${series.reduce((n, s) => n + s.values.length, 0)} points, `
            + `${Math.round(performance.now() - began)} ms, step ${step}s`);
        } else {
          if (view.chart) { view.chart.destroy(); view.chart = null; }
          const time = panel.moment ? parseTime(panel.moment) : Date.now() / 1000;
          envelope = await postForm('/api/v1/query', { query: expr, time }, { signal: controller.signal, envelope: true });
          replace(output, resultTable(envelope.data));
          const count = Array.isArray(envelope.data.result) && envelope.data.resultType !== 'scalar' && envelope.data.resultType !== 'string'
            ? envelope.data.result.length : 1;
          replace(stats, `${count} result${count === 1 ? '' : 's'} at ${formatTime(time)}, ${Math.round(performance.now() - began)} ms`);
        }
        const notes = [...(envelope.warnings || []), ...(envelope.infos || [])];
        if (notes.length) replace(messages, notes.map((w) => h('div', { class: 'warning muted' }, `Warning: ${w}`)));
        element.dataset.state = 'done';
      } catch (error) {
        if (error.name === 'AbortError') return;
        element.dataset.state = 'error';
        replace(messages, errorBox(error));
        const range = parseErrorRange(panel.expr, error.message);
        if (range) editor.setError({ ...range, message: error.message });
        replace(stats);
      }
    }
    view.run = run;
    if (runNow && panel.expr) run();
    return view;
  }

  replace(root, h('h1', { class: 'visually-hidden' }, 'Query'), list,
    h('div', { class: 'toolbar' },
      h('button', { type: 'button', class: 'add-panel', on: { click: () => {
        const panel = { expr: '', tab: 'graph', range: '1h', end: '', step: '', moment: '', stacked: false };
        panels.push(panel);
        addPanel(panel, false).editor.focus();
        save();
      } } }, 'Add panel')));
  panels.forEach((p) => addPanel(p, true));
  if (ctx.path === '/graph') ctx.navigate('/query', writePanels(panels), { replace: true, quiet: true });
  if (!panels[0].expr) views[0].editor.focus();
  return () => views.forEach((v) => { if (v.controller) v.controller.abort(); if (v.chart) v.chart.destroy(); });
}
