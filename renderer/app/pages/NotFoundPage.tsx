import { hrefFor } from '../routing';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="empty-state" role="status">
      <h2>There is no page at “{path}”</h2>
      <a className="button button-primary" href={hrefFor('clusters')}>
        Go to Clusters
      </a>
    </div>
  );
}
