import type { ReactNode } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { hrefFor, type SectionId } from '../routing';
import { useSelectedCluster } from '../selectedCluster';
import { EmptyState } from './EmptyState';

/**
 * Pages that read a cluster render only once one is chosen and, for the embedded cluster,
 * while it runs; otherwise they say what is missing and where to fix it.
 */
export function ClusterGate({ icon, subject, children }: { icon: SectionId; subject: string; children: (cluster: ClusterEntry) => ReactNode }) {
  const { cluster } = useSelectedCluster();
  if (cluster === undefined) {
    return (
      <EmptyState icon={icon} title={`Choose a cluster to see ${subject}`}>
        <p>Pick one in the cluster menu at the top, or start the embedded cluster or save a connection on the Clusters page.</p>
        <a className="button button-primary" href={hrefFor('clusters')}>
          Go to Clusters
        </a>
      </EmptyState>
    );
  }
  if (cluster.kind === 'embedded' && cluster.state !== 'running') {
    const busy = cluster.state === 'starting' || cluster.state === 'stopping';
    return (
      <EmptyState icon={icon} title={`The embedded cluster is ${cluster.state}`}>
        <p>{busy ? `Its ${subject} appear here as soon as it is running.` : `Start it on the Clusters page to see its ${subject}.`}</p>
        {busy ? null : (
          <a className="button button-primary" href={hrefFor('clusters')}>
            Go to Clusters
          </a>
        )}
      </EmptyState>
    );
  }
  return <>{children(cluster)}</>;
}
