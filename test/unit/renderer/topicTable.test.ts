import { describe, expect, it } from 'vitest';
import type { TopicRow } from '../../../src/api/schemas/topics';
import { filterTopics, isUnhealthy, nextSort, sortTopics, withMinIsr, type TopicTableRow } from '../../../renderer/app/topicTable';

function topic(name: string, changes: Partial<TopicTableRow> = {}): TopicTableRow {
  return { name, internal: false, partitions: 3, replicationFactor: 3, underReplicatedPartitions: 0, offlinePartitions: 0, isrSizes: [[3, 3]], underMinIsrPartitions: 0, ...changes };
}

function listed(name: string, isrSizes: TopicRow['isrSizes']): TopicRow {
  return { name, internal: false, partitions: 3, replicationFactor: 3, underReplicatedPartitions: 0, offlinePartitions: 0, isrSizes };
}

const topics = [
  topic('orders', { partitions: 12 }),
  topic('Orders-archive', { underReplicatedPartitions: 2 }),
  topic('payments', { offlinePartitions: 1 }),
  topic('__consumer_offsets', { internal: true, partitions: 50, underMinIsrPartitions: 4 }),
  topic('audit', { underMinIsrPartitions: 'unknown' }),
  topic('billing', { underMinIsrPartitions: 'loading' }),
];
const all = { search: '', unhealthyOnly: false, includeInternal: true };

describe('topic health', () => {
  it('counts a topic as unhealthy when any partition is offline, under-replicated or under min ISR', () => {
    expect(topics.filter(isUnhealthy).map((entry) => entry.name)).toEqual(['Orders-archive', 'payments', '__consumer_offsets']);
  });

  it('treats a min ISR count not known yet, or not readable, as no evidence of a problem', () => {
    expect(isUnhealthy(topic('audit', { underMinIsrPartitions: 'unknown' }))).toBe(false);
    expect(isUnhealthy(topic('audit', { underMinIsrPartitions: 'loading' }))).toBe(false);
  });
});

describe('withMinIsr', () => {
  const rows = [listed('orders', [[1, 2], [3, 10]]), listed('payments', [[2, 4]]), listed('created-since', [[1, 1]])];
  const list = { topics: [{ topic: 'orders', minInsyncReplicas: 2 }, { topic: 'payments', minInsyncReplicas: 2 }] };

  it('counts the partitions whose ISR is smaller than the min.insync.replicas of their topic', () => {
    const resolved = withMinIsr(rows, { state: 'loaded', list });
    expect(resolved.map((row) => [row.name, row.underMinIsrPartitions])).toEqual([
      ['orders', 2],
      ['payments', 0],
      // Not in the config read yet: loading, not 0.
      ['created-since', 'loading'],
    ]);
  });

  it('marks every count loading before the config read, and unknown when it failed', () => {
    expect(withMinIsr(rows, { state: 'loading' }).map((row) => row.underMinIsrPartitions)).toEqual(['loading', 'loading', 'loading']);
    expect(withMinIsr(rows, { state: 'failed' }).map((row) => row.underMinIsrPartitions)).toEqual(['unknown', 'unknown', 'unknown']);
  });
});

describe('filterTopics', () => {
  it('matches the search anywhere in the name, ignoring case and surrounding spaces', () => {
    expect(filterTopics(topics, { ...all, search: '  ORDERS ' }).map((entry) => entry.name)).toEqual(['orders', 'Orders-archive']);
  });

  it('hides internal topics unless asked for', () => {
    expect(filterTopics(topics, { ...all, includeInternal: false }).map((entry) => entry.name)).not.toContain('__consumer_offsets');
  });

  it('combines the unhealthy filter with the search', () => {
    expect(filterTopics(topics, { ...all, search: 'orders', unhealthyOnly: true }).map((entry) => entry.name)).toEqual(['Orders-archive']);
  });

  it('returns nothing when nothing matches', () => {
    expect(filterTopics(topics, { ...all, search: 'nope' })).toEqual([]);
  });
});

describe('sortTopics', () => {
  it('sorts names in locale order, ignoring case', () => {
    expect(sortTopics(topics, { key: 'name', direction: 'asc' }).map((entry) => entry.name)).toEqual(['__consumer_offsets', 'audit', 'billing', 'orders', 'Orders-archive', 'payments']);
  });

  it('sorts counts descending with ties broken by name, ascending', () => {
    expect(sortTopics(topics, { key: 'partitions', direction: 'desc' }).map((entry) => entry.name)).toEqual(['__consumer_offsets', 'orders', 'audit', 'billing', 'Orders-archive', 'payments']);
  });

  it('puts min ISR counts not known yet below every known count', () => {
    expect(sortTopics(topics, { key: 'underMinIsrPartitions', direction: 'asc' }).map((entry) => entry.name).slice(0, 2)).toEqual(['audit', 'billing']);
    expect(sortTopics(topics, { key: 'underMinIsrPartitions', direction: 'desc' }).map((entry) => entry.name).slice(-2)).toEqual(['audit', 'billing']);
  });

  it('does not reorder the array it is given', () => {
    const copy = [...topics];
    sortTopics(topics, { key: 'partitions', direction: 'asc' });
    expect(topics).toEqual(copy);
  });
});

describe('nextSort', () => {
  it('flips the direction of the sorted column', () => {
    expect(nextSort({ key: 'name', direction: 'asc' }, 'name')).toEqual({ key: 'name', direction: 'desc' });
  });

  it('starts a count column with the largest first and the name column with A', () => {
    expect(nextSort({ key: 'name', direction: 'asc' }, 'offlinePartitions')).toEqual({ key: 'offlinePartitions', direction: 'desc' });
    expect(nextSort({ key: 'offlinePartitions', direction: 'desc' }, 'name')).toEqual({ key: 'name', direction: 'asc' });
  });
});
