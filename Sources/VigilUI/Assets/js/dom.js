// DOM builder. Everything passed as a child becomes a text node, so data is always escaped:
// no page ever assigns innerHTML. API:
//   h(tag, props?, ...children) -> Element
//     props: {class, id, title, type, value, href, ..., dataset: {k: v}, style: {prop: value},
//             on: {click: fn, ...}}  (attributes are set with setAttribute, never parsed as HTML)
//     children: strings/numbers (text), Nodes, arrays (flattened), null/undefined/false (skipped)
//   text(value) -> Text node;  clear(el) -> el with no children;  replace(el, ...children)
//   svg(tag, props, ...children) -> an SVG element (same props)
//   table(columns, rows) -> <table>: columns [{title, cell(row) -> child, class?}]
//   errorBox(error) -> an element describing an error (message escaped)
//   labelsText(metric) -> '{a="b", ...}' as Prometheus prints a label set

const SVG_NS = 'http://www.w3.org/2000/svg';

function apply(el, props) {
  if (!props) return el;
  for (const [key, value] of Object.entries(props)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'on') {
      for (const [event, handler] of Object.entries(value)) el.addEventListener(event, handler);
    } else if (key === 'dataset') {
      for (const [k, v] of Object.entries(value)) el.dataset[k] = String(v);
    } else if (key === 'style') {
      for (const [k, v] of Object.entries(value)) el.style.setProperty(k, String(v));
    } else if (key === 'class') {
      el.setAttribute('class', Array.isArray(value) ? value.filter(Boolean).join(' ') : String(value));
    } else if (key === 'value' && 'value' in el) {
      el.value = String(value);
    } else if (key === 'checked' || key === 'selected' || key === 'disabled') {
      el[key] = Boolean(value);
    } else if (key.startsWith('on')) {
      throw new Error(`dom: event handlers go in props.on, not ${key}`);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else if (child instanceof Node) el.appendChild(child);
    else el.appendChild(document.createTextNode(String(child)));
  }
  return el;
}

export function h(tag, props, ...children) {
  if (props instanceof Node || typeof props !== 'object' || Array.isArray(props)) {
    children.unshift(props);
    props = null;
  }
  return append(apply(document.createElement(tag), props), children);
}

export function svg(tag, props, ...children) {
  return append(apply(document.createElementNS(SVG_NS, tag), props), children);
}

export function text(value) {
  return document.createTextNode(String(value));
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

export function replace(el, ...children) {
  return append(clear(el), children);
}

export function table(columns, rows, props) {
  return h('table', props || { class: 'data' },
    h('thead', h('tr', columns.map((c) => h('th', { class: c.class }, c.title)))),
    h('tbody', rows.map((row) => h('tr', columns.map((c) => h('td', { class: c.class }, c.cell(row)))))));
}

export function errorBox(error) {
  const message = error && error.message ? error.message : String(error);
  return h('div', { class: 'error', role: 'alert' }, message);
}

export function labelsText(metric) {
  const name = metric.__name__ || '';
  const pairs = Object.keys(metric).filter((k) => k !== '__name__').sort()
    .map((k) => `${k}=${JSON.stringify(metric[k])}`);
  return pairs.length ? `${name}{${pairs.join(', ')}}` : (name || '{}');
}

// A labels set as chips: name{a="b"} with the name and each pair a separate span.
export function labelChips(labels, onClick) {
  return h('span', { class: 'labels' },
    Object.keys(labels).sort().map((k) => h(onClick ? 'button' : 'span', {
      class: 'label', type: onClick ? 'button' : undefined, title: onClick ? 'filter by this label' : undefined,
      on: onClick ? { click: () => onClick(k, labels[k]) } : undefined,
    }, `${k}="${labels[k]}"`)));
}
