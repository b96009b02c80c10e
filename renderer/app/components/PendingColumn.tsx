/**
 * A column whose data arrives after the rows (min ISR, lag): each cell shows a quiet
 * placeholder while it is read, never a 0 that would pass for a real figure, and the panel
 * says in words what is being read or why it failed.
 */

/** A cell value still being read: a placeholder bar, announced as "loading". */
export function PendingValue() {
  return (
    <span className="pending-value">
      <span className="pending-bar" aria-hidden="true" />
      <span className="visually-hidden">loading</span>
    </span>
  );
}

/** A cell value that could not be read: a dash, announced as "unknown", with the reason on hover. */
export function UnknownValue({ reason }: { reason: string }) {
  return (
    <span className="muted" title={reason}>
      <span aria-hidden="true">—</span>
      <span className="visually-hidden">unknown</span>
    </span>
  );
}

/**
 * The panel's note about a late column: a live status naming what is being read (kept in the
 * page, so screen readers hear when it changes to loaded), or the failure with a retry.
 */
export function PendingColumnNote({ column, reading, error, onRetry }: { column: string; reading: string | null; error: Error | null; onRetry: () => void }) {
  if (error !== null) {
    return (
      <div className="panel-footnote pending-note" role="alert">
        <span>
          {column} is unknown: {error.message}
        </span>
        <button type="button" className="button button-quiet" onClick={onRetry}>
          Retry
        </button>
      </div>
    );
  }
  return (
    <p className={reading === null ? 'visually-hidden' : 'panel-footnote muted pending-note'} role="status" aria-label={`${column} column`}>
      {reading ?? `${column} loaded.`}
    </p>
  );
}
