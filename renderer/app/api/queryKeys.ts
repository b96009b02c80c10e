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
  audit: {
    all: () => ['audit'] as const,
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
    /** Under 'topicConfigs', not 'topics': ISR and leader changes (hinted as 'topics') leave configs as they were. */
    topicMinIsr: (ref: ClusterRef) => ['cluster', ref, 'topicConfigs', 'min-isr'] as const,
    groups: (ref: ClusterRef) => ['cluster', ref, 'groups', 'list'] as const,
    group: (ref: ClusterRef, name: string) => ['cluster', ref, 'groups', 'detail', name] as const,
    /** Every group's lag figure the page has received, whichever read brought it (groupLagHooks.ts). */
    groupLagReadings: (ref: ClusterRef) => ['cluster', ref, 'groups', 'lag', 'readings'] as const,
    /** The read of the named groups' lag (the rows in view). */
    groupLagOf: (ref: ClusterRef, groups: readonly string[]) => ['cluster', ref, 'groups', 'lag', 'named', groups] as const,
    /** The read of every group's lag, up to the back end's limit (sorting by lag). */
    groupLagAll: (ref: ClusterRef) => ['cluster', ref, 'groups', 'lag', 'all'] as const,
    reassignments: (ref: ClusterRef) => ['cluster', ref, 'reassignments'] as const,
    /** Outside 'topics' on purpose: a data.changed hint must not re-read pages of messages already shown. */
    messages: (ref: ClusterRef, topic: string, read: unknown) => ['cluster', ref, 'messages', topic, read] as const,
    command: (ref: ClusterRef, change: unknown) => ['cluster', ref, 'command', change] as const,
    broker: (ref: ClusterRef, id: number) => ['cluster', ref, 'brokers', 'detail', id] as const,
    lagTrends: (ref: ClusterRef) => ['cluster', ref, 'groups', 'lag-trends'] as const,
    lagHistory: (ref: ClusterRef, group: string) => ['cluster', ref, 'groups', 'lag-history', group] as const,
    audit: (ref: ClusterRef) => ['cluster', ref, 'audit'] as const,
  },
};
