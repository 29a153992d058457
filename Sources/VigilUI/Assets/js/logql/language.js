// LogQL for the editor: a tokenizer (types become hl-<type> classes), a completer for label
// names and values from Loki's label APIs, and small helpers the Logs and Correlate pages share:
// the stream selector of a query, adding a label matcher to it, and telling metric queries apart.
import { getData } from '../api.js';

const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless',
  'json', 'logfmt', 'regexp', 'pattern', 'unpack', 'line_format', 'label_format', 'drop', 'keep', 'decolorize', 'unwrap',
  'duration', 'duration_seconds', 'bytes', 'ip']);
const FUNCTIONS = ['count_over_time', 'rate', 'bytes_over_time', 'bytes_rate', 'absent_over_time', 'rate_counter',
  'sum_over_time', 'avg_over_time', 'min_over_time', 'max_over_time', 'stddev_over_time', 'stdvar_over_time',
  'quantile_over_time', 'first_over_time', 'last_over_time', 'sum', 'avg', 'min', 'max', 'count', 'stddev', 'stdvar',
  'topk', 'bottomk', 'sort', 'sort_desc', 'label_replace', 'vector'];
const FUNCTION_SET = new Set(FUNCTIONS);
const PIPE_STAGES = ['json', 'logfmt', 'regexp', 'pattern', 'unpack', 'line_format', 'label_format', 'drop', 'keep', 'decolorize', 'unwrap'];

/** Tokens of `text`: {type, start, end, text}; every character belongs to one token. */
export function tokenize(text) {
  const tokens = [];
  let i = 0;
  let depth = 0; // inside {…}: identifiers are label names
  const push = (type, start, end) => tokens.push({ type, start, end, text: text.slice(start, end) });
  while (i < text.length) {
    const c = text[i];
    const start = i;
    if (/\s/.test(c)) {
      while (i < text.length && /\s/.test(text[i])) i++;
      push('space', start, i);
    } else if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      push('comment', start, i);
    } else if (c === '"' || c === "'" || c === '`') {
      i++;
      while (i < text.length && text[i] !== c) i += text[i] === '\\' && c !== '`' ? 2 : 1;
      i = Math.min(text.length, i + 1);
      push('string', start, i);
    } else if (/[0-9]/.test(c)) {
      while (i < text.length && /[0-9.eE]/.test(text[i])) i++;
      const unit = /^(ms|[smhdwy])+/.exec(text.slice(i));
      if (unit && !/[a-zA-Z_]/.test(text[i + unit[0].length] || '')) { i += unit[0].length; push('duration', start, i); } else push('number', start, i);
    } else if (/[a-zA-Z_]/.test(c)) {
      while (i < text.length && /[a-zA-Z0-9_.]/.test(text[i])) i++;
      const word = text.slice(start, i);
      let type = 'label';
      if (depth === 0) {
        if (FUNCTION_SET.has(word)) type = 'function';
        else if (KEYWORDS.has(word)) type = 'keyword';
      }
      push(type, start, i);
    } else {
      if (c === '{') depth++;
      if (c === '}') depth = Math.max(0, depth - 1);
      const two = text.slice(i, i + 2);
      i += ['|=', '!=', '|~', '!~', '=~', '==', '>=', '<=', '|>', '!>'].includes(two) ? 2 : 1;
      push('operator', start, i);
    }
  }
  return tokens;
}

/** The first stream selector `{…}` of a query, or '' when there is none. */
export function streamSelector(query) {
  let quote = null;
  let start = -1;
  for (let i = 0; i < query.length; i++) {
    const c = query[i];
    if (quote) {
      if (c === '\\' && quote !== '`') i++;
      else if (c === quote) quote = null;
    } else if (c === '"' || c === '`') quote = c;
    else if (c === '{' && start < 0) start = i;
    else if (c === '}' && start >= 0) return query.slice(start, i + 1);
  }
  return '';
}

/** A LogQL string literal for `value`. */
export function quote(value) {
  return JSON.stringify(String(value));
}

/** The query with `name="value"` added to its first stream selector (or a new selector). */
export function addMatcher(query, name, value, op = '=') {
  const selector = streamSelector(query);
  const matcher = `${name}${op}${quote(value)}`;
  if (!selector) return `{${matcher}}${query ? ` ${query}` : ''}`;
  const inner = selector.slice(1, -1).trim();
  if (inner.split(',').map((s) => s.trim()).includes(matcher)) return query;
  const at = query.indexOf(selector);
  return query.slice(0, at) + `{${inner ? `${inner}, ` : ''}${matcher}}` + query.slice(at + selector.length);
}

/** True when the query is a metric query (its result is a matrix, not streams). */
export function isMetricQuery(query) {
  const trimmed = query.trim();
  return trimmed !== '' && !trimmed.startsWith('{');
}

/** Completion for the editor: label names inside `{`, values after `name=`, pipeline stages after `|`. */
export function createLogQLCompleter({ signal, range }) {
  const cache = new Map();
  const cached = (key, load) => {
    if (!cache.has(key)) cache.set(key, load().catch((e) => { cache.delete(key); throw e; }));
    return cache.get(key);
  };
  const window = () => (range ? range() : {});
  async function complete(text, cursor) {
    const before = text.slice(0, cursor);
    const valueMatch = /([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"([^"]*)$/.exec(before);
    const open = before.lastIndexOf('{');
    const inSelector = open > before.lastIndexOf('}');
    if (valueMatch) {
      const values = await cached(`v:${valueMatch[1]}`, () => getData(`/loki/api/v1/label/${encodeURIComponent(valueMatch[1])}/values`, window(), { signal }));
      const prefix = valueMatch[3];
      return {
        from: cursor - prefix.length, to: cursor,
        items: (values || []).filter((v) => v.startsWith(prefix)).map((v) => ({ label: v, insert: JSON.stringify(v).slice(1, -1), detail: valueMatch[1] })),
      };
    }
    const word = /[a-zA-Z_][a-zA-Z0-9_]*$/.exec(before);
    const prefix = word ? word[0] : '';
    const from = cursor - prefix.length;
    if (inSelector) {
      const names = await cached('names', () => getData('/loki/api/v1/labels', window(), { signal }));
      return { from, to: cursor, items: (names || []).filter((n) => n.startsWith(prefix)).map((n) => ({ label: n, insert: `${n}="`, detail: 'label' })) };
    }
    if (/\|\s*[a-z_]*$/.test(before)) {
      return { from, to: cursor, items: PIPE_STAGES.filter((s) => s.startsWith(prefix)).map((s) => ({ label: s, insert: s, detail: 'parser' })) };
    }
    if (!prefix) return null;
    return { from, to: cursor, items: FUNCTIONS.filter((f) => f.startsWith(prefix)).map((f) => ({ label: f, insert: `${f}(`, detail: 'function' })) };
  }
  return { tokenize, complete };
}

/** Fields parsed from a line: a JSON object's top-level keys, or logfmt pairs; null when neither. */
export function parseFields(line) {
  const trimmed = line.trim();
  if (trimmed.startsWith('{')) {
    try {
      const value = JSON.parse(trimmed);
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return { format: 'json', fields: Object.entries(value).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]) };
      }
    } catch (_) { /* not JSON: try logfmt */ }
  }
  const fields = [];
  const pattern = /([^\s=]+)=("((?:[^"\\]|\\.)*)"|[^\s]*)/g;
  let match;
  let covered = 0;
  while ((match = pattern.exec(line)) !== null) {
    let value = match[2];
    if (match[3] !== undefined) {
      try { value = JSON.parse(`"${match[3]}"`); } catch (_) { value = match[3]; }
    }
    fields.push([match[1], value]);
    covered += match[0].length;
  }
  // Mostly key=value pairs: call it logfmt.
  return fields.length >= 2 && covered >= line.replace(/\s/g, '').length * 0.6 ? { format: 'logfmt', fields } : null;
}
