import { describe, expect, it } from 'vitest';
import type { AuditRow } from '../../../src/api/schemas/audit';
import { diffValues, filterAudit } from '../../../renderer/app/auditDiff';

const row = (overrides: Partial<AuditRow>): AuditRow => ({
  at: '2026-11-21T10:00:00.000Z',
  user: 'ops',
  cluster: '127.0.0.1:9092',
  clusterId: 'embedded',
  clusterName: 'Embedded cluster',
  kind: 'create-topic',
  summary: 'Created topic orders (3 partitions, RF 3)',
  outcome: 'done',
  change: {},
  before: null,
  after: null,
  kafkaCommand: 'kafka-topics.sh --create --topic orders',
  error: null,
  ...overrides,
});

describe('audit before/after diff', () => {
  it('compares nested values path by path and marks what changed', () => {
    const rows = diffValues({ partitions: 3, overrides: { 'retention.ms': '1000', 'cleanup.policy': 'delete' } }, { partitions: 6, overrides: { 'retention.ms': '1000' } });
    expect(rows).toEqual([
      { path: 'overrides.cleanup.policy', before: 'delete', after: null, changed: true },
      { path: 'overrides.retention.ms', before: '1000', after: '1000', changed: false },
      { path: 'partitions', before: '3', after: '6', changed: true },
    ]);
  });

  it('shows a created thing as none before and a deleted one as none after', () => {
    expect(diffValues(null, { name: 'orders', replicas: [1, 2] })).toEqual([
      { path: 'name', before: null, after: 'orders', changed: true },
      { path: 'replicas.0', before: null, after: '1', changed: true },
      { path: 'replicas.1', before: null, after: '2', changed: true },
    ]);
    expect(diffValues({ overrides: {} }, null)).toEqual([{ path: 'overrides', before: '{}', after: null, changed: true }]);
  });
});

describe('audit filter', () => {
  const rows = [
    row({}),
    row({ kind: 'delete-topic', summary: 'Deleted topic orders', user: 'alice' }),
    row({ clusterId: null, clusterName: null, cluster: 'kafka-eu:9093', kind: 'delete-group', summary: 'Deleted consumer group billing', kafkaCommand: 'kafka-consumer-groups.sh --delete --group billing' }),
  ];

  it('filters by cluster (its name, or its addresses for CLI changes), kind and text in any field', () => {
    expect(filterAudit(rows, { cluster: 'kafka-eu:9093', kind: '', text: '' }).map((entry) => entry.kind)).toEqual(['delete-group']);
    expect(filterAudit(rows, { cluster: 'Embedded cluster', kind: 'delete-topic', text: '' }).map((entry) => entry.user)).toEqual(['alice']);
    expect(filterAudit(rows, { cluster: '', kind: '', text: 'CONSUMER-GROUPS' }).map((entry) => entry.kind)).toEqual(['delete-group']);
    expect(filterAudit(rows, { cluster: '', kind: '', text: '  ' })).toHaveLength(3);
  });
});
