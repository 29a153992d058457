// A code editor: a transparent <textarea> over a <pre> holding the highlighted tokens, with an
// error underline and a completion list. Language-neutral: the caller passes a tokenizer (types
// become `hl-<type>` classes) and a completer. API:
//   const editor = createEditor({value, placeholder, tokenize(text) -> tokens,
//       complete(text, cursor) -> Promise<{from, to, items: [{label, insert, detail, cursorOffset?}]} | null>,
//       onRun(), onChange(value)})
//   editor.element, editor.textarea, editor.value (get/set), editor.setError({start, end} | null), editor.focus()
// Keys: Enter runs (Shift+Enter: new line); with the list open, ↑/↓ choose, Enter/Tab accept,
// Escape closes. Ctrl+Space opens the list.
import { h, replace } from './dom.js';

const MAX_ITEMS = 200;

export function createEditor({ value = '', placeholder = '', tokenize, complete, onRun, onChange }) {
  const pre = h('pre', { 'aria-hidden': 'true' });
  const textarea = h('textarea', {
    spellcheck: 'false', autocomplete: 'off', autocapitalize: 'off', rows: 1, placeholder,
    'aria-label': placeholder || 'Expression', 'aria-autocomplete': 'list',
  });
  const list = h('ul', { class: 'completions', role: 'listbox', hidden: true });
  const element = h('div', { class: 'editor' }, pre, textarea, list);
  textarea.value = value;
  let error = null;
  let items = [];
  let selected = 0;
  let replaceRange = null;
  let request = 0;

  function highlight() {
    const text = textarea.value;
    const tokens = tokenize(text);
    const nodes = [];
    for (const token of tokens) {
      if (error && token.end > error.start && token.start < error.end) {
        // Split the token so exactly the error range is marked.
        const a = Math.max(token.start, error.start);
        const b = Math.min(token.end, error.end);
        if (a > token.start) nodes.push(h('span', { class: `hl-${token.type}` }, text.slice(token.start, a)));
        nodes.push(h('span', { class: `hl-${token.type} hl-error`, title: error.message || '' }, text.slice(a, b)));
        if (b < token.end) nodes.push(h('span', { class: `hl-${token.type}` }, text.slice(b, token.end)));
      } else if (token.type === 'space') {
        nodes.push(token.text);
      } else {
        nodes.push(h('span', { class: `hl-${token.type}` }, token.text));
      }
    }
    if (error && error.atEnd) nodes.push(h('span', { class: 'hl-error', title: error.message || '' }, ' '));
    // A trailing newline needs a character after it, or the <pre> is one line shorter.
    nodes.push('\n');
    replace(pre, nodes);
    element.dataset.tokens = String(tokens.length);
  }

  function close() {
    list.hidden = true;
    items = [];
    textarea.setAttribute('aria-expanded', 'false');
  }

  function show() {
    replace(list, items.map((item, i) => h('li', {
      role: 'option', class: i === selected ? 'selected' : undefined, 'aria-selected': String(i === selected),
      on: { mousedown: (e) => { e.preventDefault(); accept(i); } },
    }, h('span', { class: 'completion-label' }, item.label), item.detail ? h('span', { class: 'detail' }, item.detail) : null)));
    list.hidden = items.length === 0;
    textarea.setAttribute('aria-expanded', String(!list.hidden));
    const current = list.children[selected];
    if (current) current.scrollIntoView({ block: 'nearest' });
  }

  async function suggest(force) {
    const id = ++request;
    const text = textarea.value;
    const cursor = textarea.selectionStart;
    if (textarea.selectionEnd !== cursor) { close(); return; }
    let result = null;
    try {
      result = await complete(text, cursor, { force });
    } catch (e) {
      // Completion is a convenience: a failed lookup leaves the editor usable.
      console.warn('completion failed', e);
    }
    if (id !== request || textarea.value !== text) return;
    if (!result || !result.items.length) { close(); return; }
    items = result.items.slice(0, MAX_ITEMS);
    replaceRange = { from: result.from, to: result.to };
    selected = 0;
    show();
  }

  function accept(index) {
    const item = items[index];
    if (!item) return;
    const text = textarea.value;
    const before = text.slice(0, replaceRange.from);
    const after = text.slice(replaceRange.to);
    textarea.value = before + item.insert + after;
    const cursor = before.length + (item.cursorOffset ?? item.insert.length);
    textarea.setSelectionRange(cursor, cursor);
    close();
    changed();
    if (item.again) suggest(true);
  }

  function changed() {
    error = null;
    highlight();
    if (onChange) onChange(textarea.value);
  }

  textarea.addEventListener('input', () => { changed(); suggest(false); });
  textarea.addEventListener('keydown', (e) => {
    if (!list.hidden && items.length) {
      if (e.key === 'ArrowDown') { e.preventDefault(); selected = (selected + 1) % items.length; show(); return; }
      if (e.key === 'ArrowUp') { e.preventDefault(); selected = (selected + items.length - 1) % items.length; show(); return; }
      if (e.key === 'Enter' || e.key === 'Tab') { e.preventDefault(); accept(selected); return; }
      if (e.key === 'Escape') { e.preventDefault(); close(); return; }
    }
    if (e.key === ' ' && e.ctrlKey) { e.preventDefault(); suggest(true); return; }
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); close(); if (onRun) onRun(); }
  });
  textarea.addEventListener('blur', () => setTimeout(close, 150));
  textarea.addEventListener('click', close);
  highlight();

  return {
    element,
    textarea,
    get value() { return textarea.value; },
    set value(text) { textarea.value = text; error = null; highlight(); },
    setError(range) { error = range; highlight(); },
    focus() { textarea.focus(); },
    suggest,
  };
}
