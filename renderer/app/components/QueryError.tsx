import { ApiCallError } from '../api/client';
import { hrefFor } from '../routing';

/** What the user can do about each failure the back end names. */
function advice(error: Error): string | null {
  if (!(error instanceof ApiCallError)) return null;
  switch (error.code) {
    case 'cluster-unavailable':
      return 'Samsa keeps retrying every few seconds. If the address is wrong, fix the connection on the Clusters page.';
    case 'transport':
      return 'The Samsa back end stopped answering: restart the app.';
    case 'not-found':
      return 'It may have been deleted, or renamed, by someone else.';
    default:
      return null;
  }
}

/**
 * A failed read shown where its data would be: what failed, why (the back end's message,
 * which names the cluster and the Kafka error), and what to do.
 */
export function QueryError({ what, error, onRetry }: { what: string; error: Error; onRetry: () => void }) {
  const hint = advice(error);
  const clusterProblem = error instanceof ApiCallError && error.code === 'cluster-unavailable';
  return (
    <div className="inline-error-panel" role="alert">
      <p className="inline-error-title">Could not load {what}</p>
      <p className="error-message">{error.message}</p>
      {hint === null ? null : <p className="muted">{hint}</p>}
      <div className="row-actions start">
        <button type="button" className="button" onClick={onRetry}>
          Retry now
        </button>
        {clusterProblem ? (
          <a className="button button-quiet" href={hrefFor('clusters')}>
            Go to Clusters
          </a>
        ) : null}
      </div>
    </div>
  );
}
