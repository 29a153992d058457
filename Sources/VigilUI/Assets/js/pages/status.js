// Status: build and runtime information, command-line flags and the loaded configuration
// (/api/v1/status/*). /config and /flags (Prometheus's URLs) open this page at that section.
import { h, replace, errorBox } from '../dom.js';
import { getData } from '../api.js';

function keyValueTable(object, id) {
  return h('table', { class: 'data', id },
    h('tbody', Object.keys(object).map((k) => h('tr', h('th', k), h('td', { class: 'mono' }, String(object[k]))))));
}

export async function render(root, ctx) {
  const sections = {
    runtime: h('section', { id: 'runtime' }, h('h2', 'Runtime information'), h('p', { class: 'loading' }, 'Loading\u2026')),
    build: h('section', { id: 'build' }, h('h2', 'Build information'), h('p', { class: 'loading' }, 'Loading\u2026')),
    flags: h('section', { id: 'flags' }, h('h2', 'Command-line flags'), h('p', { class: 'loading' }, 'Loading\u2026')),
    config: h('section', { id: 'config' }, h('h2', 'Configuration'), h('p', { class: 'loading' }, 'Loading\u2026')),
  };
  replace(root, h('h1', 'Status'), h('nav', { class: 'toolbar' },
    Object.keys(sections).map((k) => h('a', { href: `#${k}` }, sections[k].firstChild.textContent))),
  Object.values(sections));
  const fill = async (name, path, view) => {
    try {
      const data = await getData(path, null, { signal: ctx.signal });
      replace(sections[name], sections[name].firstChild, view(data));
    } catch (error) {
      if (error.name !== 'AbortError') replace(sections[name], sections[name].firstChild, errorBox(error));
    }
  };
  const filterInput = h('input', { type: 'search', placeholder: 'Filter flags', size: 30 });
  await Promise.all([
    fill('runtime', '/api/v1/status/runtimeinfo', (d) => keyValueTable(d, 'runtime-table')),
    fill('build', '/api/v1/status/buildinfo', (d) => keyValueTable(d, 'build-table')),
    fill('flags', '/api/v1/status/flags', (d) => {
      const table = keyValueTable(d, 'flags-table');
      filterInput.addEventListener('input', () => {
        const needle = filterInput.value.toLowerCase();
        for (const row of table.querySelectorAll('tr')) row.hidden = needle && !row.textContent.toLowerCase().includes(needle);
      });
      return [filterInput, table];
    }),
    fill('config', '/api/v1/status/config', (d) => h('pre', { class: 'block', id: 'config-yaml' }, d.yaml)),
  ]);
  const anchor = { '/config': 'config', '/flags': 'flags' }[ctx.path] || window.location.hash.slice(1);
  if (anchor && sections[anchor]) sections[anchor].scrollIntoView();
}
