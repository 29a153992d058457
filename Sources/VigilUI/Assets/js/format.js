// Number and time formatting shared by the chart, tables and tooltips. API:
//   formatValue(v, unit?) -> '1.5k', '12 MiB', '250ms' ('bytes', 'seconds' or '' for SI)
//   exactValue(v) -> the value as Prometheus prints it ('+Inf', 'NaN', full precision)
//   unitFor(expr) -> 'bytes' | 'seconds' | '' guessed from a PromQL expression's metric names
//   formatClock(sec, spanSec) -> a time axis label suited to the span
//   relativeTime(sec) -> '12s ago'

const SI = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
const SMALL = [[1e-3, 'm'], [1e-6, '\u00b5'], [1e-9, 'n']];
const IEC = [[2 ** 50, 'PiB'], [2 ** 40, 'TiB'], [2 ** 30, 'GiB'], [2 ** 20, 'MiB'], [2 ** 10, 'KiB']];

function trim(n, digits = 3) {
  return Number(n.toPrecision(digits)).toString();
}

export function formatValue(v, unit = '') {
  if (!Number.isFinite(v)) return exactValue(v);
  const a = Math.abs(v);
  if (unit === 'bytes') {
    for (const [size, name] of IEC) if (a >= size) return `${trim(v / size)} ${name}`;
    return `${trim(v)} B`;
  }
  if (unit === 'seconds') {
    if (a >= 86400) return `${trim(v / 86400)}d`;
    if (a >= 3600) return `${trim(v / 3600)}h`;
    if (a >= 60) return `${trim(v / 60)}m`;
    if (a >= 1 || a === 0) return `${trim(v)}s`;
    if (a >= 1e-3) return `${trim(v * 1e3)}ms`;
    return `${trim(v * 1e6)}\u00b5s`;
  }
  for (const [size, name] of SI) if (a >= size) return `${trim(v / size)}${name}`;
  if (a !== 0 && a < 1) for (const [size, name] of SMALL) if (a >= size) return `${trim(v / size)}${name}`;
  return trim(v, 4);
}

export function exactValue(v) {
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return '+Inf';
  if (v === -Infinity) return '-Inf';
  return String(v);
}

export function unitFor(expr) {
  const text = String(expr || '');
  if (/_bytes(_total)?\b/.test(text)) return 'bytes';
  if (/_seconds(_total|_sum|_bucket|_count)?\b/.test(text) && !/_count\b|_bucket\b/.test(text)) return 'seconds';
  return '';
}

const pad = (n) => String(n).padStart(2, '0');

export function formatClock(seconds, span) {
  const d = new Date(seconds * 1000);
  const hm = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (span <= 300) return `${hm}:${pad(d.getSeconds())}`;
  if (span <= 2 * 86400) return hm;
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${hm}`;
}

export function relativeTime(seconds) {
  const delta = Date.now() / 1000 - seconds;
  if (!Number.isFinite(delta)) return '';
  const abs = Math.abs(delta);
  const text = abs < 1 ? `${Math.round(abs * 1000)}ms` : abs < 120 ? `${abs.toFixed(1)}s`
    : abs < 7200 ? `${Math.round(abs / 60)}m` : abs < 172800 ? `${Math.round(abs / 3600)}h` : `${Math.round(abs / 86400)}d`;
  return delta >= 0 ? `${text} ago` : `in ${text}`;
}
