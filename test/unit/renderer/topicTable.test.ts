import { describe, expect, it } from 'vitest';
import type { TopicRow } from '../../../src/api/schemas/topics';
import { filterTopics, isUnhealthy, nextSort, sortTopics } from '../../../renderer/app/topicTable';

function topic(name: string, changes: Partial<TopicRow> = {}): TopicRow {
  return { name, internal: false, partitions: 3, replicationFactor: 3, underReplicatedPartitions: 0, offlinePartitions: 0, underMinIsrPartitions: 0, ...changes };
}

const topics = [
  topic('orders', { partitions: 12 }),
  topic('Orders-archive', { underReplicatedPartitions: 2 }),
  topic('payments', { offlinePartitions: 1 }),
  topic('__consumer_offsets', { internal: true, partitions: 50, underMinIsrPartitions: 4 }),
  topic('audit', { underMinIsrPartitions: null }),
];
const all = { search: '', unhealthyOnly: false, includeInternal: true };

describe('topic health', () => {
  it('counts a topic as unhealthy when any partition is offline, under-replicated or under min ISR', () => {
    expect(topics.filter(isUnhealthy).map((entry) => entry.name)).toEqual(['Orders-archive', 'payments', '__consumer_offsets']);
  });

  it('treats an unknown min ISR count as no evidence of a problem', () => {
    expect(isUnhealthy(topic('audit', { underMinIsrPartitions: null }))).toBe(false);
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
    expect(sortTopics(topics, { key: 'name', direction: 'asc' }).map((entry) => entry.name)).toEqual(['__consumer_offsets', 'audit', 'orders', 'Orders-archive', 'payments']);
  });

  it('sorts counts descending with ties broken by name, ascending', () => {
    expect(sortTopics(topics, { key: 'partitions', direction: 'desc' }).map((entry) => entry.name)).toEqual(['__consumer_offsets', 'orders', 'audit', 'Orders-archive', 'payments']);
  });

  it('puts unknown min ISR counts below every known count', () => {
    expect(sortTopics(topics, { key: 'underMinIsrPartitions', direction: 'asc' }).map((entry) => entry.name)[0]).toBe('audit');
    expect(sortTopics(topics, { key: 'underMinIsrPartitions', direction: 'desc' }).map((entry) => entry.name).at(-1)).toBe('audit');
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
