// The application shell: navigation, theme, and the client-side router. Pages are modules under
// js/pages/ registered in routes.js; each exports render(root, context) (docs/UI.md).
import { h, replace, errorBox } from './dom.js';
import { routes, aliases } from './routes.js';
import { onNavigate, params as currentParams, setParams, navigate } from './url.js';
import { initTheme } from './theme.js';

const root = document.getElementById('page');
const nav = document.getElementById('nav');
let current = null;

function findRoute(path) {
  const target = aliases[path] || path;
  return routes.find((r) => r.path === target) || null;
}

function renderNav(activePath) {
  replace(nav, routes.filter((r) => r.nav !== false).map((r) => h('a', {
    href: r.path, 'data-nav': true, class: r.path === activePath ? 'active' : undefined,
    'aria-current': r.path === activePath ? 'page' : undefined,
  }, r.title)));
}

async function show(path, search) {
  const route = findRoute(path);
  if (current) {
    current.controller.abort();
    if (typeof current.cleanup === 'function') {
      try { current.cleanup(); } catch (e) { console.warn('page cleanup failed', e); }
    }
    current = null;
  }
  renderNav(route ? route.path : null);
  document.getElementById('nav-toggle').setAttribute('aria-expanded', 'false');
  nav.classList.remove('open');
  if (!route) {
    replace(root, h('h1', 'Not found'), h('p', `No page at ${path}.`));
    document.title = 'Vigil';
    return;
  }
  const controller = new AbortController();
  const page = { controller, cleanup: null };
  current = page;
  document.title = `${route.title} · Vigil`;
  replace(root, h('p', { class: 'loading' }, 'Loading\u2026'));
  root.dataset.page = route.path.slice(1);
  try {
    const module = await route.load();
    if (current !== page) return;
    const content = h('div', { class: 'page-content' });
    replace(root, content);
    const context = {
      params: search, path, signal: controller.signal,
      setParams: (values, opts) => setParams(values, opts), navigate,
    };
    page.cleanup = await module.render(content, context);
    root.dataset.ready = 'true';
  } catch (error) {
    if (error.name === 'AbortError') return;
    console.error(error);
    if (current === page) replace(root, errorBox(error));
  }
}

onNavigate((path, search) => show(path, search));

window.addEventListener('popstate', (event) => {
  // A state change inside one page (setParams) re-renders it too, so back restores the view.
  show(window.location.pathname, currentParams());
});

document.addEventListener('click', (event) => {
  const link = event.target.closest('a[data-nav], a[href^="/"]');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
  if (link.target || link.hasAttribute('download')) return;
  const url = new URL(link.href, window.location.href);
  if (url.origin !== window.location.origin || url.pathname.startsWith('/api/') || url.pathname.startsWith('/static/')) return;
  if (!findRoute(url.pathname)) return;
  event.preventDefault();
  navigate(url.pathname, url.searchParams);
});

document.getElementById('nav-toggle').addEventListener('click', (event) => {
  const open = nav.classList.toggle('open');
  event.currentTarget.setAttribute('aria-expanded', String(open));
});

initTheme(document.getElementById('theme-toggle'));
show(window.location.pathname, currentParams());
