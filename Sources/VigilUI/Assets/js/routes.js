// The page registry: one line per page. `path` is the URL (also listed in WebUI.pagePaths on
// the server, which answers it with index.html), `title` the nav text, `load` the page module
// (loaded on first visit, so the first page load stays small). `nav: false` keeps a page out of
// the navigation bar (aliases, pages reached from other pages). See docs/UI.md.
export const routes = [
  { path: '/query', title: 'Query', load: () => import('./pages/query.js') },
  { path: '/targets', title: 'Targets', load: () => import('./pages/targets.js') },
  { path: '/service-discovery', title: 'Service discovery', load: () => import('./pages/service-discovery.js') },
  { path: '/status', title: 'Status', load: () => import('./pages/status.js') },
  { path: '/tsdb', title: 'TSDB', load: () => import('./pages/tsdb.js') },
  { path: '/logs', title: 'Logs', load: () => import('./pages/logs.js') },
  { path: '/alerts', title: 'Alerts', load: () => import('./pages/alerts.js') },
  { path: '/silences', title: 'Silences', load: () => import('./pages/silences.js') },
  { path: '/events', title: 'Events', load: () => import('./pages/events.js') },
  { path: '/correlate', title: 'Correlate', load: () => import('./pages/correlate.js') },
];

// Paths that show another page: Prometheus's own URLs keep working.
export const aliases = {
  '/': '/query',
  '/graph': '/query',
  '/config': '/status',
  '/flags': '/status',
  '/tsdb-status': '/tsdb',
  '/rules': '/alerts',
};
