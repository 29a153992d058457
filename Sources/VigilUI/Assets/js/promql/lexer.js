// PromQL tokenizer for highlighting and completion (not validation: the server parses).
// tokenize(text) -> [{type, start, end, text, context}] covering the whole text; types:
//   space comment string number duration keyword function aggregation metric label operator
//   paren brace bracket comma error
// `context` is 'labels' inside {…} or a by/without/on/ignoring/group_left/group_right list.

export const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'offset', 'bool', 'and', 'or', 'unless', 'atan2', 'start', 'end']);
const LABEL_LIST_KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right']);
export const DEFAULT_AGGREGATIONS = new Set(['sum', 'min', 'max', 'avg', 'group', 'stddev', 'stdvar', 'count', 'count_values', 'bottomk', 'topk', 'quantile', 'limitk', 'limit_ratio']);

const PATTERNS = [
  ['space', /\s+/y],
  ['comment', /#[^\n]*/y],
  ['string', /"(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?|`[^`]*`?/y],
  ['duration', /(?:\d+(?:ms|[smhdwy]))+(?![a-zA-Z0-9_:])/y],
  ['number', /0[xX][0-9a-fA-F]+|(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y],
  ['ident', /[a-zA-Z_:][a-zA-Z0-9_:]*/y],
  ['operator', /==|!=|<=|>=|=~|!~|[-+*/%^<>=@]/y],
  ['paren', /[()]/y],
  ['brace', /[{}]/y],
  ['bracket', /[[\]]/y],
  ['comma', /,/y],
];

export function tokenize(text, { functions = new Set(), aggregations = DEFAULT_AGGREGATIONS } = {}) {
  const tokens = [];
  let at = 0;
  let braces = 0;
  let parenDepth = 0;
  let labelListDepth = -1;
  let pendingLabelList = false;
  while (at < text.length) {
    let type = 'error';
    let end = at + 1;
    for (const [name, re] of PATTERNS) {
      re.lastIndex = at;
      if (re.test(text)) { type = name; end = re.lastIndex; break; }
    }
    const value = text.slice(at, end);
    const inLabels = braces > 0 || labelListDepth >= 0;
    if (type === 'ident') {
      const lower = value.toLowerCase();
      const next = /^\s*\(/.test(text.slice(end));
      if (inLabels) type = 'label';
      else if (lower === 'inf' || lower === 'nan') type = 'number';
      else if (KEYWORDS.has(lower) && !(lower === 'start' || lower === 'end') ) type = 'keyword';
      else if ((lower === 'start' || lower === 'end') && next) type = 'keyword';
      else if (aggregations.has(lower) && next) type = 'aggregation';
      else if (aggregations.has(lower) && /^\s*(by|without)\b/i.test(text.slice(end))) type = 'aggregation';
      else if (functions.has(value) && next) type = 'function';
      else type = 'metric';
      if (type === 'keyword' && LABEL_LIST_KEYWORDS.has(lower)) pendingLabelList = true;
    }
    const opensLabelList = type === 'paren' && value === '(' && pendingLabelList;
    const token = { type, start: at, end, text: value, context: inLabels || opensLabelList ? 'labels' : '' };
    if (type === 'brace') braces = Math.max(0, braces + (value === '{' ? 1 : -1));
    if (type === 'paren') {
      if (value === '(') {
        if (pendingLabelList) labelListDepth = parenDepth;
        parenDepth++;
      } else {
        parenDepth = Math.max(0, parenDepth - 1);
        if (parenDepth === labelListDepth) labelListDepth = -1;
      }
    }
    if (type !== 'space' && !(type === 'keyword' && LABEL_LIST_KEYWORDS.has(value.toLowerCase()))) pendingLabelList = false;
    tokens.push(token);
    at = end;
  }
  return tokens;
}

// Converts Prometheus's `line:column` (1-based, column in UTF-8 bytes) to a string index.
export function indexOfPosition(text, line, column) {
  let index = 0;
  for (let l = 1; l < line; l++) {
    const newline = text.indexOf('\n', index);
    if (newline < 0) return text.length;
    index = newline + 1;
  }
  let bytes = 0;
  while (index < text.length && bytes < column - 1) {
    const code = text.codePointAt(index);
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    index += code > 0xffff ? 2 : 1;
  }
  return index;
}

// The error position in an API error message (`… 1:5: parse error: …`), as a string range
// covering the token that starts there; null when the message carries no position.
export function parseErrorRange(text, message) {
  const match = /(\d+):(\d+): parse error: /.exec(message || '');
  if (!match) return null;
  const start = Math.min(text.length, indexOfPosition(text, Number(match[1]), Number(match[2])));
  if (start >= text.length) return { start: Math.max(0, text.length - 1), end: text.length, atEnd: true };
  const token = tokenize(text).find((t) => t.start <= start && start < t.end);
  return { start, end: token && token.type !== 'space' ? token.end : start + 1, atEnd: false };
}
