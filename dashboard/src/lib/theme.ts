// Light or dark: the user's choice, else the system's.
import { createSignal } from 'solid-js';

export type Theme = 'light' | 'dark';
const THEME_KEY = 'emma.theme';

function initialTheme(): Theme {
  try {
    const stored = localStorage.getItem(THEME_KEY);
    if (stored === 'light' || stored === 'dark') return stored;
  } catch {
    // no storage
  }
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches
    ? 'dark'
    : 'light';
}

const [theme, setThemeSignal] = createSignal<Theme>(initialTheme());
export { theme };

export function applyTheme(next: Theme = theme()): void {
  // The attribute first: effects that read the theme's CSS values run as soon as the signal changes.
  document.documentElement.dataset.theme = next;
  setThemeSignal(next);
  try {
    localStorage.setItem(THEME_KEY, next);
  } catch {
    // no storage
  }
}

export function toggleTheme(): void {
  applyTheme(theme() === 'dark' ? 'light' : 'dark');
}
