import { useCallback, useState } from 'react';
import { readPreference, writePreference } from './storedPreference';

export type Theme = 'light' | 'dark';

const STORAGE_KEY = 'samsa.theme';

/** The saved choice, or the operating system's preference until the user picks one. */
export function initialTheme(): Theme {
  const saved = readPreference(STORAGE_KEY);
  if (saved === 'light' || saved === 'dark') return saved;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** styles.css keys both palettes off this attribute. */
export function applyTheme(theme: Theme): void {
  document.documentElement.dataset.theme = theme;
}

export function useTheme(): { theme: Theme; toggle: () => void } {
  const [theme, setTheme] = useState<Theme>(() => document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light');
  const toggle = useCallback(() => {
    setTheme((current) => {
      const next: Theme = current === 'dark' ? 'light' : 'dark';
      applyTheme(next);
      writePreference(STORAGE_KEY, next);
      return next;
    });
  }, []);
  return { theme, toggle };
}
