// Alerts: the alerting and recording rules with their state, last evaluation, evaluation time
// and errors (/api/v1/rules), and the embedded Alertmanager's active alerts grouped as its own UI
// groups them (/api/v2/alerts/groups), with matcher, receiver and silenced/inhibited filters.
// Each alert links to a silence prefilled with its labels and to the Correlation page.
// State in the URL: ?filter=<matchers>&receiver=<regex>&silenced=1&inhibited=1&rules=<state>&search=…
import { h, replace, errorBox, labelChips } from '../dom.js';
import { getData, getJSON } from '../api.js';
import { formatValue, relativeTime } from '../format.js';

/** Matchers text `{a="b", c=~"d"}` or `a="b",c=~"d"` split into Alertmanager filter strings. */
export function splitMatchers(text) {
  const inner = text.trim().replace(/^\{/, '').replace(/\}$/, '');
  const out = [];
  let current = '';
  let quote = false;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (quote && c === '\\') { current += c + (inner[i + 1] || ''); i++; continue; }
    if (c === '"') quote = !quote;
    if (c === ',' && !quote) { if (current.trim()) out.push(current.trim()); current = ''; continue; }
    current += c;
  }
  if (current.trim()) out.push(current.trim());
  return out;
}

function stateClass(state) {
  return state === 'firing' || state === 'active' ? 'health-down' : state === 'pending' || state === 'suppressed' ? 'health-unknown' : 'health-up';
}

function silenceHref(alert) {
  const search = new URLSearchParams({ new: '1' });
  for (const [k, v] of Object.entries(alert.labels).sort()) search.append('matcher', `${k}=${JSON.stringify(v)}`);
  return `/silences?${search}`;
}

export async function render(root, ctx) {
  const state = {
    filter: ctx.params.get('filter') || '', receiver: ctx.params.get('receiver') || '',
    silenced: ctx.params.get('silenced') === '1', inhibited: ctx.params.get('inhibited') === '1',
    rules: ctx.params.get('rules') || '', search: ctx.params.get('search') || '',
  };
  const save = () => ctx.setParams({ ...state, silenced: state.silenced ? '1' : '', inhibited: state.inhibited ? '1' : '' }, { replace: true });
  const groupsBox = h('div', { class: 'alert-groups' }, h('p', { class: 'loading' }, 'Loading alerts\u2026'));
  const rulesBox = h('div', { class: 'rule-groups' }, h('p', { class: 'loading' }, 'Loading rules\u2026'));
  const receiverSelect = h('select', { 'aria-label': 'Receiver', on: { change: (e) => { state.receiver = e.target.value; save(); loadAlerts(); } } },
    h('option', { value: '' }, 'all receivers'));
  const filterInput = h('input', { type: 'search', class: 'matchers', size: 36, value: state.filter, placeholder: 'Filter: {severity="page", team=~"db.*"}', 'aria-label': 'Matchers',
    on: { change: (e) => { state.filter = e.target.value; save(); loadAlerts(); } } });
  const toggle = (key, label) => h('label', h('input', { type: 'checkbox', checked: state[key], dataset: { toggle: key },
    on: { change: (e) => { state[key] = e.target.checked; save(); loadAlerts(); } } }), ` ${label}`);
  const rulesToolbar = h('div', { class: 'toolbar' },
    h('select', { 'aria-label': 'Rule state', on: { change: (e) => { state.rules = e.target.value; save(); drawRules(); } } },
      ['', 'firing', 'pending', 'inactive', 'err'].map((v) => h('option', { value: v, selected: v === state.rules }, v === 'err' ? 'with errors' : v || 'every state'))),
    h('input', { type: 'search', size: 24, value: state.search, placeholder: 'Filter rules by name', 'aria-label': 'Rule name',
      on: { input: (e) => { state.search = e.target.value; save(); drawRules(); } } }));
  replace(root, h('h1', 'Alerts'),
    h('section', { class: 'alerts-active' }, h('h2', 'Active alerts (Alertmanager)'),
      h('div', { class: 'toolbar' }, filterInput, receiverSelect, toggle('silenced', 'silenced'), toggle('inhibited', 'inhibited'),
        h('button', { type: 'button', on: { click: () => load() } }, 'Refresh')),
      groupsBox),
    h('section', { class: 'alerts-rules' }, h('h2', 'Rules'), rulesToolbar, rulesBox));

  let rules = null;

  function drawRules() {
    if (!rules) return;
    const needle = state.search.toLowerCase();
    const sections = rules.groups.map((group) => {
      const shown = group.rules.filter((r) => (!needle || r.name.toLowerCase().includes(needle))
        && (!state.rules || (state.rules === 'err' ? r.health === 'err' : (r.state || (r.type === 'recording' ? '' : 'inactive')) === state.rules)));
      if (!shown.length) return null;
      return h('section', { class: 'rule-group', dataset: { group: group.name } },
        h('h3', `${group.name} `, h('span', { class: 'muted' }, `${group.file}, every ${group.interval}s, last ${relativeTime(Date.parse(group.lastEvaluation) / 1000)}, took ${formatValue(group.evaluationTime, 'seconds')}`)),
        h('div', { class: 'scroll' }, h('table', { class: 'data' },
          h('thead', h('tr', h('th', 'Rule'), h('th', 'State'), h('th', 'Last evaluation'), h('th', { class: 'num' }, 'Took'), h('th', 'Error'))),
          h('tbody', shown.map((r) => h('tr', { class: 'rule', dataset: { rule: r.name, state: r.state || 'recording' } },
            h('td', h('div', h('strong', r.type === 'alerting' ? 'alert: ' : 'record: '), r.name),
              h('a', { class: 'mono expr', href: `/query?${new URLSearchParams({ 'g0.expr': r.query, 'g0.tab': 'graph' })}` }, r.query),
              r.labels && Object.keys(r.labels).length ? labelChips(r.labels) : null,
              r.alerts && r.alerts.length ? h('details', h('summary', `${r.alerts.length} alert${r.alerts.length === 1 ? '' : 's'}`),
                r.alerts.map((a) => h('div', { class: 'rule-alert' }, h('span', { class: stateClass(a.state) }, a.state), ' ', labelChips(a.labels), ' since ', relativeTime(Date.parse(a.activeAt) / 1000)))) : null),
            h('td', r.type === 'alerting' ? h('span', { class: stateClass(r.state) }, r.state.toUpperCase()) : h('span', { class: r.health === 'err' ? 'health-down' : 'muted' }, r.health)),
            h('td', { title: r.lastEvaluation }, r.lastEvaluation && !r.lastEvaluation.startsWith('0001-') ? relativeTime(Date.parse(r.lastEvaluation) / 1000) : 'never'),
            h('td', { class: 'num' }, formatValue(r.evaluationTime, 'seconds')),
            h('td', r.lastError ? h('span', { class: 'health-down' }, r.lastError) : '')))))));
    }).filter(Boolean);
    replace(rulesBox, sections.length ? sections : h('p', { class: 'muted' }, rules.groups.length ? 'No rule matches the filter.' : 'No rules. Add rule_files to the configuration.'));
  }

  function alertView(alert) {
    const st = alert.status || {};
    return h('li', { class: 'alert', dataset: { fingerprint: alert.fingerprint, state: st.state || '' } },
      h('div', { class: 'alert-head' },
        h('span', { class: stateClass(st.state) }, st.state || ''), ' ',
        h('span', { class: 'muted', title: alert.startsAt }, `since ${relativeTime(Date.parse(alert.startsAt) / 1000)}`), ' ',
        alert.generatorURL ? h('a', { href: alert.generatorURL, rel: 'noreferrer' }, 'Source') : null, ' ',
        h('a', { class: 'silence-alert', href: silenceHref(alert) }, 'Silence'), ' ',
        h('a', { class: 'correlate', href: `/correlate?${new URLSearchParams({ alert: alert.fingerprint })}` }, 'Correlate'), ' ',
        st.silencedBy && st.silencedBy.length ? h('span', { class: 'muted' }, ` silenced by ${st.silencedBy.join(', ')}`) : null,
        st.inhibitedBy && st.inhibitedBy.length ? h('span', { class: 'muted' }, ` inhibited by ${st.inhibitedBy.join(', ')}`) : null),
      labelChips(alert.labels, (k, v) => {
        const matcher = `${k}=${JSON.stringify(v)}`;
        const list = splitMatchers(state.filter);
        if (!list.includes(matcher)) list.push(matcher);
        state.filter = `{${list.join(', ')}}`;
        filterInput.value = state.filter;
        save();
        loadAlerts();
      }),
      Object.keys(alert.annotations || {}).length ? h('dl', { class: 'annotations' },
        Object.entries(alert.annotations).map(([k, v]) => [h('dt', k), h('dd', v)])) : null);
  }

  async function loadAlerts() {
    try {
      const groups = await getJSON('/api/v2/alerts/groups', {
        filter: splitMatchers(state.filter), receiver: state.receiver || undefined,
        silenced: String(state.silenced), inhibited: String(state.inhibited), active: 'true',
      }, { signal: ctx.signal });
      const shown = groups.filter((g) => g.alerts.length);
      replace(groupsBox, shown.length ? shown.map((g) => h('section', { class: 'alert-group', dataset: { receiver: g.receiver.name } },
        h('h3', labelChips(g.labels), h('span', { class: 'muted' }, ` \u2192 ${g.receiver.name}, ${g.alerts.length} alert${g.alerts.length === 1 ? '' : 's'}`)),
        h('ul', { class: 'alerts' }, g.alerts.map(alertView))))
        : h('p', { class: 'muted empty' }, 'No active alerts match.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(groupsBox, errorBox(error));
    }
  }

  async function loadReceivers() {
    try {
      const receivers = await getJSON('/api/v2/receivers', null, { signal: ctx.signal });
      replace(receiverSelect, h('option', { value: '' }, 'all receivers'),
        receivers.map((r) => h('option', { value: `^${r.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`, selected: state.receiver === `^${r.name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$` }, r.name)));
    } catch (error) {
      if (error.name !== 'AbortError') replace(groupsBox, errorBox(error));
    }
  }

  async function loadRules() {
    try {
      rules = await getData('/api/v1/rules', null, { signal: ctx.signal });
      drawRules();
    } catch (error) {
      if (error.name !== 'AbortError') replace(rulesBox, errorBox(error));
    }
  }

  async function load() {
    await Promise.all([loadReceivers(), loadAlerts(), loadRules()]);
  }
  await load();
  const timer = setInterval(() => { loadAlerts(); loadRules(); }, 15000);
  return () => clearInterval(timer);
}
