// PromQL completion: metric names, functions (with signatures from the server's own function
// table, /static/promql-functions.json), aggregations, keywords, label names and label values
// for the metric at the cursor. API:
//   const completer = createCompleter({signal})
//   completer.complete(text, cursor, {force}) -> {from, to, items} | null   (editor.js's contract)
//   completer.catalog -> Promise<{functions, aggregations}>;  completer.tokenize(text)
import { getData, getJSON } from '../api.js';
import { tokenize, KEYWORDS } from './lexer.js';

const MAX_LABEL_VALUES = 1000;

export function signature(fn) {
  const args = fn.args.map((a, i) => (fn.variadic !== 0 && i === fn.args.length - 1 ? `[${a}${fn.variadic < 0 ? ', …' : ''}]` : a));
  return `${fn.name}(${args.join(', ')}) → ${fn.returns}`;
}

export function createCompleter({ signal } = {}) {
  const cache = new Map();
  const cached = (key, load) => {
    if (!cache.has(key)) {
      const promise = load().catch((e) => { cache.delete(key); throw e; });
      cache.set(key, promise);
    }
    return cache.get(key);
  };
  const catalog = cached('catalog', () => getJSON('/static/promql-functions.json', null, { signal }));
  let names = { functions: new Set(), aggregations: undefined };
  catalog.then((c) => {
    names = { functions: new Set(c.functions.map((f) => f.name)), aggregations: new Set(c.aggregations.map((a) => a.name)) };
  }, () => {});

  const metricNames = () => cached('metrics', () => getData('/api/v1/label/__name__/values', null, { signal }));
  const labelNames = (metric) => cached(`labels:${metric}`, () => getData('/api/v1/labels', metric ? { 'match[]': metric } : null, { signal }));
  const labelValues = (label, metric) => cached(`values:${label}:${metric}`, () => getData(
    `/api/v1/label/${encodeURIComponent(label)}/values`, { 'match[]': metric || undefined, limit: MAX_LABEL_VALUES }, { signal }));

  const lex = (text) => tokenize(text, names);

  // The metric whose selector the `{` at token index `open` belongs to.
  function selectorMetric(tokens, open) {
    for (let i = open - 1; i >= 0; i--) {
      if (tokens[i].type === 'space') continue;
      return tokens[i].type === 'metric' ? tokens[i].text : '';
    }
    return '';
  }

  function anyMetric(tokens) {
    const metric = tokens.find((t) => t.type === 'metric');
    return metric ? metric.text : '';
  }

  const filter = (values, prefix) => {
    const lower = prefix.toLowerCase();
    const starts = [];
    const contains = [];
    for (const v of values) {
      const l = v.toLowerCase();
      if (l.startsWith(lower)) starts.push(v); else if (lower && l.includes(lower)) contains.push(v);
    }
    return starts.concat(contains);
  };

  async function complete(text, cursor, { force } = {}) {
    const tokens = lex(text);
    let index = tokens.findIndex((t) => t.start < cursor && cursor <= t.end);
    const token = index >= 0 ? tokens[index] : null;
    // Where we are: inside a selector's braces, after a matcher operator, in a label list.
    let braceOpen = -1;
    for (let i = 0; i < tokens.length && tokens[i].start < cursor; i++) {
      if (tokens[i].type === 'brace') braceOpen = tokens[i].text === '{' ? i : -1;
    }
    const previous = (i) => { for (let j = i - 1; j >= 0; j--) if (tokens[j].type !== 'space') return j; return -1; };

    if (braceOpen >= 0) {
      const metric = selectorMetric(tokens, braceOpen);
      const matcher = metric ? metric : undefined;
      // Label value: cursor in a string (or right after the operator) following `name op`.
      const opIndex = token && token.type === 'string' ? previous(index) : token && token.type === 'operator' ? index : -1;
      if (opIndex >= 0 && tokens[opIndex].type === 'operator' && /^(=|!=|=~|!~)$/.test(tokens[opIndex].text)) {
        const nameIndex = previous(opIndex);
        if (nameIndex >= 0 && tokens[nameIndex].type === 'label') {
          const label = tokens[nameIndex].text;
          const partial = token.type === 'string' ? token.text.slice(1, cursor - token.start) : '';
          const from = token.type === 'string' ? token.start : cursor;
          const to = token.type === 'string' ? token.end : cursor;
          const values = await labelValues(label, label === '__name__' ? undefined : matcher);
          const quote = token.type === 'string' ? token.text[0] : '"';
          return {
            from, to,
            items: filter(values, partial).map((v) => ({ label: v, insert: quote + (quote === '`' ? v : v.replace(/\\/g, '\\\\').replace(new RegExp(quote, 'g'), `\\${quote}`)) + quote, detail: label })),
          };
        }
      }
      if (!token || token.type === 'label' || token.type === 'brace' || token.type === 'comma' || token.type === 'space') {
        const prefix = token && token.type === 'label' ? text.slice(token.start, cursor) : '';
        const from = token && token.type === 'label' ? token.start : cursor;
        const to = token && token.type === 'label' ? token.end : cursor;
        const labels = (await labelNames(matcher)).filter((l) => l !== '__name__');
        return { from, to, items: filter(labels, prefix).map((l) => ({ label: l, insert: `${l}=""`, cursorOffset: l.length + 2, detail: 'label', again: true })) };
      }
      return null;
    }

    if (token && token.context === 'labels' && (token.type === 'label' || token.type === 'paren' || token.type === 'comma' || token.type === 'space')) {
      const prefix = token.type === 'label' ? text.slice(token.start, cursor) : '';
      const from = token.type === 'label' ? token.start : cursor;
      const labels = await labelNames(anyMetric(tokens) || undefined);
      return { from, to: token.type === 'label' ? token.end : cursor, items: filter(labels, prefix).map((l) => ({ label: l, insert: l, detail: 'label' })) };
    }

    const wordTypes = new Set(['metric', 'function', 'aggregation', 'keyword', 'number']);
    if (!token || !wordTypes.has(token.type)) {
      if (!force) return null;
      index = -1;
    }
    const word = token && wordTypes.has(token.type) ? token : null;
    const prefix = word ? text.slice(word.start, cursor) : '';
    if (!force && prefix.length < 1) return null;
    const from = word ? word.start : cursor;
    const to = word ? word.end : cursor;
    const [c, metrics] = await Promise.all([catalog, metricNames().catch(() => [])]);
    const items = [];
    for (const a of c.aggregations) if (a.name.startsWith(prefix)) items.push({ label: a.name, insert: `${a.name}(`, detail: a.parameter ? 'aggregation (parameter, vector)' : 'aggregation' });
    for (const f of c.functions) if (f.name.startsWith(prefix)) items.push({ label: f.name, insert: `${f.name}(`, detail: signature(f) + (f.experimental ? ' (experimental)' : '') });
    for (const k of KEYWORDS) if (k.startsWith(prefix) && prefix.length >= 2) items.push({ label: k, insert: k, detail: 'keyword' });
    for (const m of filter(metrics, prefix).slice(0, 500)) items.push({ label: m, insert: m, detail: 'metric' });
    // Nothing to offer beyond what is already typed.
    if (items.length === 1 && items[0].insert === prefix) return null;
    return { from, to, items };
  }

  return { complete, catalog, tokenize: lex, metricNames, labelNames, labelValues };
}
