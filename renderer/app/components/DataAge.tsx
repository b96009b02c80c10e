import { useEffect, useState } from 'react';
import { formatAge } from '../format';

const TICK_MS = 1_000;

/**
 * How old the data on screen is, ticking every second, with a refresh marker while a new
 * read is under way. A view whose refreshes keep failing shows the age growing beside the
 * error, so stale numbers are never mistaken for current ones.
 */
export function DataAge({ updatedAt, fetching }: { updatedAt: number; fetching: boolean }) {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(timer);
  }, []);
  if (updatedAt === 0) return null;
  return (
    <span className="data-age" title={new Date(updatedAt).toLocaleString()}>
      <span className={fetching ? 'data-age-dot fetching' : 'data-age-dot'} aria-hidden="true" />
      Updated {formatAge(now - updatedAt)}
    </span>
  );
}
