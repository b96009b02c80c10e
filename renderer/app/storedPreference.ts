/**
 * Small per-user preferences kept in localStorage. They are about this display, not about
 * the data, and must be readable before the first paint. localStorage can be unavailable
 * (privacy modes, a full quota), and then the preference simply lasts for this session.
 */
export function readPreference(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

export function writePreference(key: string, value: string | null): void {
  try {
    if (value === null) window.localStorage.removeItem(key);
    else window.localStorage.setItem(key, value);
  } catch {
    // Keeping the choice for this session only is the best available.
  }
}
