import { partitionsUnderMinIsr, type TopicMinIsrList, type TopicRow } from '../../src/api/schemas/topics';

/**
 * Partitions under min ISR of one topic: a count; 'loading' while min.insync.replicas is
 * being read (it comes after the list, and a topic created since the last read waits for
 * the next); 'unknown' when that read failed.
 */
export type MinIsrCount = number | 'loading' | 'unknown';

/** A topics table row: the list's row with its under-min-ISR count resolved. */
export interface TopicTableRow extends TopicRow {
  readonly underMinIsrPartitions: MinIsrCount;
}

/** Where the min ISR read stands: its result, still under way, or failed. */
export type MinIsrState = { readonly state: 'loaded'; readonly list: TopicMinIsrList } | { readonly state: 'loading' } | { readonly state: 'failed' };

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

/** Combines the fresh ISR sizes of the list with the (slower, rarer) min.insync.replicas read. */
export function withMinIsr(topics: readonly TopicRow[], minIsr: MinIsrState): TopicTableRow[] {
  if (minIsr.state !== 'loaded') {
    const count = minIsr.state === 'loading' ? 'loading' : 'unknown';
    return topics.map((topic) => ({ ...topic, underMinIsrPartitions: count }));
  }
  const required = new Map(minIsr.list.topics.map((entry) => [entry.topic, entry.minInsyncReplicas]));
  return topics.map((topic) => {
    const minInsyncReplicas = required.get(topic.name);
    return { ...topic, underMinIsrPartitions: minInsyncReplicas === undefined ? 'loading' : partitionsUnderMinIsr(topic.isrSizes, minInsyncReplicas) };
  });
}

/**
 * A topic needs attention when any partition is offline, under-replicated or under its min
 * ISR; a min ISR count not known yet is no evidence either way.
 */
export function isUnhealthy(topic: TopicTableRow): boolean {
  return topic.offlinePartitions > 0 || topic.underReplicatedPartitions > 0 || (typeof topic.underMinIsrPartitions === 'number' && topic.underMinIsrPartitions > 0);
}

export function filterTopics(topics: readonly TopicTableRow[], filter: TopicFilter): TopicTableRow[] {
  const needle = filter.search.trim().toLowerCase();
  return topics.filter(
    (topic) =>
      (filter.includeInternal || !topic.internal) && (!filter.unhealthyOnly || isUnhealthy(topic)) && (needle === '' || topic.name.toLowerCase().includes(needle)),
  );
}

const countOf = (value: MinIsrCount | number): number => (typeof value === 'number' ? value : -1);

/**
 * Sorts by the chosen column, then by name so that equal values keep a stable, readable
 * order whichever way the column goes. Min-ISR counts not known yet sort below every known count.
 */
export function sortTopics(topics: readonly TopicTableRow[], sort: TopicSort): TopicTableRow[] {
  const sign = sort.direction === 'asc' ? 1 : -1;
  const byName = (a: TopicTableRow, b: TopicTableRow) => a.name.localeCompare(b.name);
  return [...topics].sort((a, b) => {
    if (sort.key === 'name') return sign * byName(a, b);
    const left = countOf(a[sort.key]);
    const right = countOf(b[sort.key]);
    return left === right ? byName(a, b) : sign * (left - right);
  });
}

/** Clicking the sorted column flips it; another column starts descending for counts, ascending for names. */
export function nextSort(current: TopicSort, key: TopicSortKey): TopicSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'name' ? 'asc' : 'desc' };
}
