import type { DataResource } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';

/**
 * Every query key the renderer uses, in one place, so invalidation after a mutation or an
 * event can target a whole resource (`clusters.all()`) or one query precisely. Cluster data
 * is keyed [cluster, ref, resource, ...], matching the back end's data.changed resources.
 */
export const queryKeys = {
  app: {
    info: () => ['app', 'info'] as const,
  },
  clusters: {
    all: () => ['clusters'] as const,
    list: () => ['clusters', 'list'] as const,
  },
  embedded: {
    status: () => ['embedded', 'status'] as const,
  },
  lab: {
    presets: () => ['lab', 'presets'] as const,
    /** The latest run: the page shows one run at a time, as the back end keeps one. */
    latest: () => ['lab', 'latest'] as const,
  },
  cluster: {
    all: (ref: ClusterRef) => ['cluster', ref] as const,
    resource: (ref: ClusterRef, resource: Exclude<DataResource, 'clusters' | 'embedded'>) => ['cluster', ref, resource] as const,
    overview: (ref: ClusterRef) => ['cluster', ref, 'overview'] as const,
    events: (ref: ClusterRef) => ['cluster', ref, 'events'] as const,
    brokers: (ref: ClusterRef) => ['cluster', ref, 'brokers'] as const,
    topics: (ref: ClusterRef) => ['cluster', ref, 'topics', 'list'] as const,
    topic: (ref: ClusterRef, name: string) => ['cluster', ref, 'topics', 'detail', name] as const,
    groups: (ref: ClusterRef) => ['cluster', ref, 'groups', 'list'] as const,
    group: (ref: ClusterRef, name: string) => ['cluster', ref, 'groups', 'detail', name] as const,
  },
};
