// Light and dark themes: follows prefers-color-scheme until the user picks one with the toggle;
// the choice is kept in localStorage. API: initTheme(button), currentTheme() -> 'light' | 'dark'.
const KEY = 'vigil.theme';

function stored() {
  try { return localStorage.getItem(KEY); } catch { return null; }
}

export function currentTheme() {
  const chosen = document.documentElement.dataset.theme;
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function apply(theme, button) {
  if (theme === 'light' || theme === 'dark') document.documentElement.dataset.theme = theme;
  else delete document.documentElement.dataset.theme;
  button.textContent = currentTheme() === 'dark' ? 'Light' : 'Dark';
  button.title = `Switch to the ${button.textContent.toLowerCase()} theme`;
  window.dispatchEvent(new CustomEvent('vigil-theme'));
}

export function initTheme(button) {
  apply(stored(), button);
  button.addEventListener('click', () => {
    const next = currentTheme() === 'dark' ? 'light' : 'dark';
    try { localStorage.setItem(KEY, next); } catch { /* private mode: the choice lasts this page */ }
    apply(next, button);
  });
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => apply(stored(), button));
}
