import { THEME_EVENT } from './components/time-chart.js';

/** auto follows prefers-color-scheme; light and dark override it (kept in localStorage). */
export type Theme = 'auto' | 'light' | 'dark';
const KEY = 'cairn-theme';

export function storedTheme(): Theme {
  const t = localStorage.getItem(KEY);
  return t === 'light' || t === 'dark' ? t : 'auto';
}

export function applyTheme(t: Theme): void {
  if (t === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = t;
  localStorage.setItem(KEY, t);
  window.dispatchEvent(new Event(THEME_EVENT));
}

export function nextTheme(t: Theme): Theme {
  return t === 'auto' ? 'dark' : t === 'dark' ? 'light' : 'auto';
}
