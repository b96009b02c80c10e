import { useEffect, useState } from 'react';

/**
 * `value` once it has stopped changing for `delayMs` (a debounce), compared by `key`; the
 * first value that differs from `initialKey`'s settles at once, so the first read is not
 * delayed. For reads that follow something as fast as scrolling.
 */
export function useSettled<T>(value: T, key: string, delayMs: number, initialKey: string): T {
  const [settled, setSettled] = useState<{ key: string; value: T }>({ key, value });
  const immediate = settled.key === initialKey;
  useEffect(() => {
    if (key === settled.key) return;
    const timer = setTimeout(() => setSettled({ key, value }), immediate ? 0 : delayMs);
    return () => clearTimeout(timer);
  }, [key, value, settled.key, immediate, delayMs]);
  return settled.value;
}
