// Silences: the embedded Alertmanager's silences (active, pending, expired), a form to create or
// edit one (creator, comment, start, end or duration, matchers) that lists the alerts it would
// mute before it is saved, and expiring. "Silence" on an alert opens the form with the alert's
// labels as matchers. State in the URL: ?state=active|pending|expired&filter=…, the form
// ?new=1&matcher=name="value"… or ?edit=<id>.
import { h, replace, errorBox, labelChips } from '../dom.js';
import { getJSON, sendJSON } from '../api.js';
import { parseDuration, formatDuration, formatTime, parseTime } from '../time.js';
import { relativeTime } from '../format.js';
import { splitMatchers } from './alerts.js';

const CREATOR_KEY = 'vigil-silence-creator';

/** `name op "value"` → Alertmanager's matcher object; throws naming the matcher when it does not parse. */
export function parseMatcher(text) {
  const match = /^\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*$/.exec(text);
  if (!match) throw new Error(`matcher ${JSON.stringify(text)}: expected name="value" (or !=, =~, !~)`);
  let value = match[3];
  if (value.startsWith('"')) {
    try { value = JSON.parse(value); } catch (_) { throw new Error(`matcher ${JSON.stringify(text)}: the value is not a closed, escaped string`); }
  }
  const isRegex = match[2] === '=~' || match[2] === '!~';
  if (isRegex) {
    try { new RegExp(value); } catch (e) { throw new Error(`matcher ${JSON.stringify(text)}: ${e.message}`); }
  }
  return { name: match[1], value, isRegex, isEqual: match[2] === '=' || match[2] === '=~' };
}

export function matcherText(m) {
  const op = (m.isEqual === false ? '!' : '=') + (m.isRegex ? '~' : m.isEqual === false ? '=' : '');
  return `${m.name}${op}${JSON.stringify(m.value)}`;
}

/** Whether `labels` satisfies every matcher, as Alertmanager decides it (regexes anchored). */
export function matchesAll(matchers, labels) {
  return matchers.every((m) => {
    const value = labels[m.name] || '';
    const hit = m.isRegex ? new RegExp(`^(?:${m.value})$`).test(value) : value === m.value;
    return m.isEqual === false ? !hit : hit;
  });
}

function stateClass(state) {
  return state === 'active' ? 'health-down' : state === 'pending' ? 'health-unknown' : 'muted';
}

export async function render(root, ctx) {
  const p = ctx.params;
  if (p.get('new') === '1' || p.get('edit')) return renderForm(root, ctx);
  const state = { state: p.get('state') || 'active', filter: p.get('filter') || '' };
  const body = h('div', { class: 'silences' }, h('p', { class: 'loading' }, 'Loading silences\u2026'));
  const tabs = h('span', { class: 'tabs' }, ['active', 'pending', 'expired'].map((s) => h('button', {
    type: 'button', dataset: { tab: s }, 'aria-pressed': String(s === state.state),
    on: { click: () => { state.state = s; ctx.setParams(state, { replace: true }); tabs.querySelectorAll('button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.tab === s))); draw(); } },
  }, s)));
  const messages = h('div', p.get('saved') ? h('p', { class: 'muted saved' }, `Saved silence ${p.get('saved')}.`) : null);
  replace(root, h('h1', 'Silences'),
    h('div', { class: 'toolbar' }, tabs,
      h('input', { type: 'search', size: 30, value: state.filter, placeholder: 'Filter: {alertname="…"}', 'aria-label': 'Matchers',
        on: { change: (e) => { state.filter = e.target.value; ctx.setParams(state, { replace: true }); load(); } } }),
      h('a', { class: 'button new-silence', href: '/silences?new=1' }, 'New silence')),
    messages, body);
  let silences = [];

  function draw() {
    const shown = silences.filter((s) => s.status.state === state.state);
    const counts = { active: 0, pending: 0, expired: 0 };
    silences.forEach((s) => { counts[s.status.state] = (counts[s.status.state] || 0) + 1; });
    tabs.querySelectorAll('button').forEach((b) => replace(b, `${b.dataset.tab} (${counts[b.dataset.tab] || 0})`));
    replace(body, shown.length ? h('ul', { class: 'silence-list' }, shown.map((s) => h('li', { class: 'silence', dataset: { id: s.id, state: s.status.state } },
      h('div', { class: 'silence-head' },
        h('span', { class: stateClass(s.status.state) }, s.status.state.toUpperCase()), ' ',
        h('span', { class: 'mono' }, s.matchers.map(matcherText).join(', ')), ' ',
        h('span', { class: 'muted' }, s.status.state === 'pending' ? `starts ${relativeTime(Date.parse(s.startsAt) / 1000)}` : s.status.state === 'active'
          ? `ends ${relativeTime(Date.parse(s.endsAt) / 1000)}` : `ended ${relativeTime(Date.parse(s.endsAt) / 1000)}`)),
      h('div', { class: 'muted' }, `${s.createdBy}: ${s.comment}`),
      h('div', { class: 'muted mono' }, `${s.startsAt} \u2192 ${s.endsAt}, id ${s.id}`),
      h('div', { class: 'toolbar' },
        h('a', { class: 'button', href: `/silences?${new URLSearchParams({ edit: s.id })}` }, s.status.state === 'expired' ? 'Recreate' : 'Edit'),
        s.status.state !== 'expired' ? h('button', { type: 'button', class: 'expire', on: { click: () => expire(s) } }, 'Expire') : null))))
      : h('p', { class: 'muted empty' }, `No ${state.state} silences.`));
  }

  async function expire(silence) {
    try {
      await sendJSON('DELETE', `/api/v2/silence/${encodeURIComponent(silence.id)}`);
      replace(messages, h('p', { class: 'muted' }, `Expired ${silence.id}.`));
      await load();
    } catch (error) {
      replace(messages, errorBox(error));
    }
  }

  async function load() {
    try {
      silences = await getJSON('/api/v2/silences', { filter: splitMatchers(state.filter) }, { signal: ctx.signal });
      draw();
    } catch (error) {
      if (error.name !== 'AbortError') replace(body, errorBox(error));
    }
  }
  await load();
  return null;
}

async function renderForm(root, ctx) {
  const editing = ctx.params.get('edit');
  const form = {
    matchers: ctx.params.getAll('matcher').join('\n'),
    createdBy: window.localStorage.getItem(CREATOR_KEY) || '',
    comment: '', startsAt: '', endsAt: '', duration: '2h',
  };
  const messages = h('div', { class: 'panel-messages' });
  const preview = h('div', { class: 'silence-preview' });
  replace(root, h('h1', editing ? 'Edit silence' : 'New silence'), h('p', { class: 'loading' }, 'Loading\u2026'));
  if (editing) {
    try {
      const s = await getJSON(`/api/v2/silence/${encodeURIComponent(editing)}`, null, { signal: ctx.signal });
      Object.assign(form, { matchers: s.matchers.map(matcherText).join('\n'), createdBy: s.createdBy, comment: s.comment });
      if (s.status.state !== 'expired') {
        form.startsAt = s.startsAt;
        form.endsAt = s.endsAt;
        form.duration = formatDuration(Math.max(60, (Date.parse(s.endsAt) - Date.parse(s.startsAt)) / 1000));
      }
    } catch (error) {
      if (error.name !== 'AbortError') replace(root, h('h1', 'Edit silence'), errorBox(error));
      return null;
    }
  }
  const now = Date.now() / 1000;
  if (!form.startsAt) form.startsAt = formatTime(Math.floor(now));
  if (!form.endsAt) form.endsAt = formatTime(Math.floor(now) + parseDuration(form.duration));
  const field = (label, input) => h('label', { class: 'field' }, h('span', label), input);
  const matchersInput = h('textarea', { name: 'matchers', rows: 4, class: 'mono', 'aria-label': 'Matchers', placeholder: 'alertname="DiskFull"\none matcher a line',
    on: { input: () => schedulePreview() } });
  matchersInput.value = form.matchers;
  const startInput = h('input', { name: 'startsAt', type: 'text', value: form.startsAt, size: 24, on: { change: () => fromStartOrDuration() } });
  const durationInput = h('input', { name: 'duration', type: 'text', value: form.duration, size: 8, on: { change: () => fromStartOrDuration() } });
  const endInput = h('input', { name: 'endsAt', type: 'text', value: form.endsAt, size: 24, on: { change: () => fromEnd() } });
  const creatorInput = h('input', { name: 'createdBy', type: 'text', value: form.createdBy, size: 24, required: true });
  const commentInput = h('textarea', { name: 'comment', rows: 2, 'aria-label': 'Comment', required: true });
  commentInput.value = form.comment;

  function fromStartOrDuration() {
    try {
      endInput.value = formatTime(parseTime(startInput.value.trim()) + parseDuration(durationInput.value.trim()));
      replace(messages);
    } catch (error) { replace(messages, errorBox(error)); }
  }
  function fromEnd() {
    try {
      durationInput.value = formatDuration(parseTime(endInput.value.trim()) - parseTime(startInput.value.trim()));
      replace(messages);
    } catch (error) { replace(messages, errorBox(error)); }
  }

  function matchers() {
    const lines = splitMatchers(matchersInput.value.split('\n').join(','));
    if (!lines.length) throw new Error('a silence needs at least one matcher');
    return lines.map(parseMatcher);
  }

  let timer = null;
  function schedulePreview() {
    clearTimeout(timer);
    timer = setTimeout(drawPreview, 250);
  }
  async function drawPreview() {
    let list;
    try { list = matchers(); } catch (error) { replace(preview, errorBox(error)); return; }
    try {
      const alerts = await getJSON('/api/v2/alerts', { active: 'true', silenced: 'true', inhibited: 'true' }, { signal: ctx.signal });
      const muted = alerts.filter((a) => matchesAll(list, a.labels));
      preview.dataset.count = String(muted.length);
      replace(preview, h('h2', `Affected alerts: ${muted.length}`),
        muted.length ? h('ul', { class: 'alerts' }, muted.map((a) => h('li', { class: 'alert', dataset: { fingerprint: a.fingerprint } },
          h('span', { class: a.status.state === 'active' ? 'health-down' : 'muted' }, a.status.state), ' ', labelChips(a.labels))))
          : h('p', { class: 'muted' }, 'No active alert matches these matchers now.'));
    } catch (error) {
      if (error.name !== 'AbortError') replace(preview, errorBox(error));
    }
  }

  async function save(event) {
    event.preventDefault();
    try {
      const body = {
        matchers: matchers(), startsAt: new Date(parseTime(startInput.value.trim()) * 1000).toISOString(),
        endsAt: new Date(parseTime(endInput.value.trim()) * 1000).toISOString(),
        createdBy: creatorInput.value.trim(), comment: commentInput.value.trim(),
      };
      if (!body.createdBy) throw new Error('the creator is required');
      if (!body.comment) throw new Error('the comment is required');
      if (editing) body.id = editing;
      const result = await sendJSON('POST', '/api/v2/silences', body);
      window.localStorage.setItem(CREATOR_KEY, body.createdBy);
      ctx.navigate('/silences', { state: Date.parse(body.startsAt) > Date.now() ? 'pending' : 'active', saved: result && result.silenceID });
    } catch (error) {
      replace(messages, errorBox(error));
    }
  }

  replace(root, h('h1', editing ? 'Edit silence' : 'New silence'),
    h('form', { class: 'silence-form', on: { submit: save } },
      field('Matchers', matchersInput),
      h('div', { class: 'toolbar' }, field('Start', startInput), field('Duration', durationInput), field('End', endInput)),
      field('Creator', creatorInput), field('Comment', commentInput),
      messages,
      h('div', { class: 'toolbar' }, h('button', { type: 'submit', class: 'primary save' }, editing ? 'Update' : 'Create'),
        h('a', { class: 'button', href: '/silences' }, 'Cancel'))),
    preview);
  await drawPreview();
  return () => clearTimeout(timer);
}
