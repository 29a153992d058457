// Time ranges and steps, in the words Prometheus's UI uses. API:
//   parseDuration('1h30m') -> seconds (throws on bad input); formatDuration(seconds) -> '1h30m'
//   parseTime(value) -> unix seconds from RFC 3339, 'now' or unix seconds; formatTime(sec) -> ISO
//   resolveRange({range, end}) -> {start, end} unix seconds (end default now)
//   autoStep(rangeSeconds, widthPx) -> a step giving about one point per 2 px, at least 1 s
//   rangePicker({range, end, step, onChange}) -> element with range, end and step inputs;
//       onChange({range, end, step}) gets strings ('' = default)

import { h } from './dom.js';

const UNITS = { y: 31536000, w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001 };

export function parseDuration(text) {
  const value = String(text).trim();
  if (/^\d+(\.\d+)?$/.test(value)) return Number(value);
  const re = /(\d+)(ms|y|w|d|h|m|s)/y;
  let total = 0;
  let at = 0;
  while (at < value.length) {
    re.lastIndex = at;
    const match = re.exec(value);
    if (!match) throw new Error(`invalid duration "${value}" at character ${at + 1}`);
    total += Number(match[1]) * UNITS[match[2]];
    at = re.lastIndex;
  }
  if (!value) throw new Error('empty duration');
  return total;
}

export function formatDuration(seconds) {
  if (!Number.isFinite(seconds) || seconds <= 0) return '0s';
  let rest = Math.round(seconds * 1000);
  let out = '';
  for (const [unit, size] of [['w', 604800000], ['d', 86400000], ['h', 3600000], ['m', 60000], ['s', 1000], ['ms', 1]]) {
    const n = Math.floor(rest / size);
    if (n > 0) { out += `${n}${unit}`; rest -= n * size; }
  }
  return out;
}

export function parseTime(value) {
  if (value === undefined || value === null || value === '' || value === 'now') return Date.now() / 1000;
  if (/^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new Error(`invalid time "${value}"`);
  return ms / 1000;
}

export function formatTime(seconds) {
  return new Date(seconds * 1000).toISOString().replace('.000Z', 'Z');
}

export function resolveRange({ range, end }) {
  const length = parseDuration(range || '1h');
  const stop = parseTime(end);
  return { start: stop - length, end: stop, length };
}

export function autoStep(rangeSeconds, widthPx) {
  const points = Math.max(50, Math.min(11000, Math.floor((widthPx || 1000) / 2)));
  const raw = rangeSeconds / points;
  return Math.max(1, Math.ceil(raw));
}

const PRESETS = ['5m', '15m', '30m', '1h', '3h', '6h', '12h', '1d', '2d', '7d', '14d', '30d'];

export function rangePicker({ range, end, step, onChange, showStep = true }) {
  const state = { range: range || '1h', end: end || '', step: step || '' };
  const changed = () => onChange({ ...state });
  const rangeSelect = h('select', {
    class: 'range', title: 'Range', 'aria-label': 'Range',
    on: { change: (e) => { state.range = e.target.value; changed(); } },
  }, [...new Set([...PRESETS, state.range])].map((p) => h('option', { value: p, selected: p === state.range }, p)));
  const endInput = h('input', {
    class: 'end', type: 'text', placeholder: 'end: now', value: state.end, size: 20, 'aria-label': 'End time',
    title: 'End time: RFC 3339, unix seconds or empty for now',
    on: { change: (e) => { state.end = e.target.value.trim(); changed(); } },
  });
  const shift = (direction) => {
    const { end: stop, length } = resolveRange(state);
    state.end = formatTime(stop + direction * length / 2);
    endInput.value = state.end;
    changed();
  };
  const children = [
    h('button', { type: 'button', title: 'Earlier', on: { click: () => shift(-1) } }, '\u2039'),
    rangeSelect,
    endInput,
    h('button', { type: 'button', title: 'Later', on: { click: () => shift(1) } }, '\u203a'),
    h('button', { type: 'button', title: 'Now', on: { click: () => { state.end = ''; endInput.value = ''; changed(); } } }, 'now'),
  ];
  if (showStep) {
    children.push(h('input', {
      class: 'step', type: 'text', placeholder: 'step: auto', value: state.step, size: 8, 'aria-label': 'Step',
      title: 'Resolution step (e.g. 15s); empty picks one from the range and width',
      on: { change: (e) => { state.step = e.target.value.trim(); changed(); } },
    }));
  }
  return h('span', { class: 'range-picker' }, children);
}
