import type { TopicRow } from '../../src/api/schemas/topics';

/** What the topics table can be sorted by; each column's natural order is ascending. */
export type TopicSortKey = 'name' | 'partitions' | 'replicationFactor' | 'underReplicatedPartitions' | 'offlinePartitions' | 'underMinIsrPartitions';
export interface TopicSort {
  readonly key: TopicSortKey;
  readonly direction: 'asc' | 'desc';
}

export interface TopicFilter {
  /** Case-insensitive substring of the name; blank matches all. */
  readonly search: string;
  readonly unhealthyOnly: boolean;
  readonly includeInternal: boolean;
}

/** A topic needs attention when any partition is offline, under-replicated or under its min ISR. */
export function isUnhealthy(topic: TopicRow): boolean {
  return topic.offlinePartitions > 0 || topic.underReplicatedPartitions > 0 || (topic.underMinIsrPartitions ?? 0) > 0;
}

export function filterTopics(topics: readonly TopicRow[], filter: TopicFilter): TopicRow[] {
  const needle = filter.search.trim().toLowerCase();
  return topics.filter(
    (topic) =>
      (filter.includeInternal || !topic.internal) && (!filter.unhealthyOnly || isUnhealthy(topic)) && (needle === '' || topic.name.toLowerCase().includes(needle)),
  );
}

/**
 * Sorts by the chosen column, then by name so that equal values keep a stable, readable
 * order whichever way the column goes. Unknown min-ISR counts sort below every known count.
 */
export function sortTopics(topics: readonly TopicRow[], sort: TopicSort): TopicRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const byName = (a: TopicRow, b: TopicRow) => a.name.localeCompare(b.name);
  return [...topics].sort((a, b) => {
    if (sort.key === 'name') return sign * byName(a, b);
    const left = a[sort.key] ?? -1;
    const right = b[sort.key] ?? -1;
    return left === right ? byName(a, b) : sign * (left - right);
  });
}

/** Clicking the sorted column flips it; another column starts descending for counts, ascending for names. */
export function nextSort(current: TopicSort, key: TopicSortKey): TopicSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'name' ? 'asc' : 'desc' };
}
