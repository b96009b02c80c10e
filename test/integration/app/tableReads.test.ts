import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSession } from '../../helpers/adminSession';
import { totalLagOfGroups } from '../../../src/admin/groupLag';
import { minInsyncReplicasByTopic } from '../../../src/admin/minInsyncReplicas';
import type { CallName, CallResult } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { GROUP_LAG_NAMED_MAX } from '../../../src/api/schemas/groups';
import { partitionsUnderMinIsr } from '../../../src/api/schemas/topics';
import { MIN_ISR_MAX_AGE_MS, MinIsrCache } from '../../../src/app/minIsrCache';
import { createBackend, type AppBackend } from '../../../src/app/services';
import { LAG_READING_REUSE_MS, SharedGroupLag } from '../../../src/app/sharedGroupLag';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatProduce, runPython } from '../../helpers/externalClients';
import { pythonAlterConfigs } from '../../helpers/kafkaPythonConfigs';

// The Topics and Groups tables read their cheap columns and their costly ones in separate
// calls: topics.list (Metadata: counts and ISR sizes) then topics.minInsyncReplicas (configs);
// groups.list (states) then groups.lag (offsets). Against a real cluster, with offsets
// committed by kafka-python and a broker killed, the split calls give the figures the
// single calls gave. min.insync.replicas is cached (one full read a minute, shared with the
// overview): the app's own config changes show at once, another tool's within the max age.

/** Commits the given offsets of `topic` for `group` without joining it. */
const KAFKA_PYTHON_COMMIT = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
p = json.load(sys.stdin)
c = KafkaConsumer(bootstrap_servers=p['bootstrap'].split(','), group_id=p['group'], enable_auto_commit=False, request_timeout_ms=15000)
c.commit({TopicPartition(p['topic'], int(k)): OffsetAndMetadata(v, None) for k, v in p['offsets'].items()})
c.close()
print(json.dumps(True))
`;

/**
 * Total lag of each group as kafka-consumer-groups.sh computes it, by an independent client:
 * kafka-python's end offsets minus the group's committed offsets, over committed partitions.
 */
const KAFKA_PYTHON_TOTAL_LAG = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
p = json.load(sys.stdin)
result = {}
for group in p['groups']:
    c = KafkaConsumer(bootstrap_servers=p['bootstrap'].split(','), group_id=group, enable_auto_commit=False, request_timeout_ms=15000)
    tps = [TopicPartition(p['topic'], n) for n in c.partitions_for_topic(p['topic'])]
    committed = {tp: c.committed(tp) for tp in tps}
    ends = c.end_offsets([tp for tp in tps if committed[tp] is not None])
    result[group] = sum(max(0, ends[tp] - committed[tp]) for tp in ends)
    c.close()
print(json.dumps(result))
`;

async function independentLag(groups: string[], topic = 'ledger'): Promise<Record<string, number>> {
  return (await runPython('kafka-python lag', KAFKA_PYTHON_TOTAL_LAG, { bootstrap: cluster.bootstrap, groups, topic })) as Record<string, number>;
}

const lagOf = (answer: CallResult<'groups.lag'>, groups: string[]) =>
  Object.fromEntries(answer.groups.filter((entry) => groups.includes(entry.group)).map((entry) => [entry.group, entry.totalLag]));

let cluster: EmbeddedCluster;
let backend: AppBackend;
let dataDir: string;
let clusterId: string;

async function call<M extends CallName>(method: M, input: unknown): Promise<CallResult<M>> {
  const envelope = (await backend.dispatch(method, input)) as { ok: boolean; value?: unknown; error?: { message: string } };
  if (!envelope.ok) throw new Error(`${method}: ${envelope.error?.message}`);
  return envelope.value as CallResult<M>;
}

printClusterLogsOnFailure(() => cluster);

beforeAll(async () => {
  requireDistBuild();
  cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: ['--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000'] });
  dataDir = await mkdtemp(join(tmpdir(), 'samsa-table-reads-'));
  backend = createBackend({ mode: 'browser', version: '0.0.0-test', dataDir, log: () => {}, embeddedAutoStart: false });
  clusterId = (await call('clusters.add', { name: 'table reads', bootstrapServers: cluster.bootstrap.split(','), security: { protocol: 'PLAINTEXT' } })).id;
  await call('topics.create', { clusterId, name: 'ledger', partitions: 3, replicationFactor: 3, configs: { 'min.insync.replicas': '3' } });
  await call('topics.create', { clusterId, name: 'notes', partitions: 1, replicationFactor: 1 });
}, 120_000);

afterAll(async () => {
  await backend?.close();
  await cluster?.stop();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});


describe('topics table reads', () => {
  it('lists topics with ISR sizes from metadata, and min.insync.replicas in a second call', async () => {
    const { topics, liveBrokers } = await call('topics.list', { clusterId });
    // The create form's default replication factor comes from it (no brokers.list on the page).
    expect(liveBrokers).toBe(3);
    const ledger = topics.find((topic) => topic.name === 'ledger');
    expect(ledger).toEqual({ name: 'ledger', internal: false, partitions: 3, replicationFactor: 3, underReplicatedPartitions: 0, offlinePartitions: 0, isrSizes: [[3, 3]] });
    expect(topics.find((topic) => topic.name === 'notes')?.isrSizes).toEqual([[1, 1]]);

    const minIsr = await call('topics.minInsyncReplicas', { clusterId });
    const required = new Map(minIsr.topics.map((entry) => [entry.topic, entry.minInsyncReplicas]));
    expect(required.get('ledger')).toBe(3);
    // The broker default: Kafka's min.insync.replicas is 1.
    expect(required.get('notes')).toBe(1);
    expect(partitionsUnderMinIsr(ledger!.isrSizes, required.get('ledger')!)).toBe(0);
  });

  it('counts every partition of a topic under its min ISR once a broker is gone from the ISR', async () => {
    await cluster.brokerAction(3, 'kill');
    try {
      const ledger = await waitFor(
        'ledger ISRs without broker 3',
        async () => {
          const row = (await call('topics.list', { clusterId })).topics.find((topic) => topic.name === 'ledger');
          return row?.underReplicatedPartitions === 3 ? row : undefined;
        },
        60_000,
        500,
      );
      expect(ledger.isrSizes).toEqual([[2, 3]]);
      // Out of the ISR because the controller fenced it: Metadata no longer lists it.
      expect((await call('topics.list', { clusterId })).liveBrokers).toBe(2);
      const required = (await call('topics.minInsyncReplicas', { clusterId })).topics.find((entry) => entry.topic === 'ledger')!.minInsyncReplicas;
      expect(partitionsUnderMinIsr(ledger.isrSizes, required)).toBe(3);

      // The overview counts from the same metadata and the same (shared) min.insync.replicas.
      const rows = (await call('topics.list', { clusterId })).topics;
      const minimums = new Map((await call('topics.minInsyncReplicas', { clusterId })).topics.map((entry) => [entry.topic, entry.minInsyncReplicas]));
      const tableCount = rows.reduce((total, row) => total + partitionsUnderMinIsr(row.isrSizes, minimums.get(row.name)!), 0);
      expect(tableCount).toBeGreaterThanOrEqual(3);
      expect((await call('cluster.overview', { clusterId })).underMinIsrPartitions).toBe(tableCount);
    } finally {
      await cluster.brokerAction(3, 'start');
    }
  }, 120_000);
});

describe('groups table reads', () => {
  it('lists groups without reading offsets, and their total lag in a second call', async () => {
    for (const partition of [0, 1, 2]) {
      await kcatProduce(
        cluster.bootstrap,
        'ledger',
        Array.from({ length: 5 }, (_, index) => ({ key: `k${index}`, value: `v${index}` })),
        ['-p', String(partition), '-X', 'acks=1'],
      );
    }
    await runPython('kafka-python commit', KAFKA_PYTHON_COMMIT, { bootstrap: cluster.bootstrap, group: 'billing', topic: 'ledger', offsets: { 0: 5, 1: 2, 2: 0 } });
    await runPython('kafka-python commit', KAFKA_PYTHON_COMMIT, { bootstrap: cluster.bootstrap, group: 'audit', topic: 'ledger', offsets: { 0: 5, 1: 5, 2: 5 } });

    const { groups } = await call('groups.list', { clusterId });
    // Offsets committed without joining: Kafka lists such groups Empty, with no protocol type.
    expect(groups.filter((group) => group.group === 'audit' || group.group === 'billing')).toEqual([
      { group: 'audit', state: 'Empty', protocolType: '', members: 0 },
      { group: 'billing', state: 'Empty', protocolType: '', members: 0 },
    ]);

    const lag = await call('groups.lag', { clusterId });
    expect(lag.groups.filter((entry) => entry.group === 'audit' || entry.group === 'billing')).toEqual([
      { group: 'audit', totalLag: 0 },
      // 0 + 3 + 5 behind the end offsets 5, 5, 5.
      { group: 'billing', totalLag: 8 },
    ]);
    expect(lag.limit).toBeGreaterThanOrEqual(groups.length);
    expect(lagOf(lag, ['audit', 'billing'])).toEqual(await independentLag(['audit', 'billing']));
  }, 120_000);

  it('reads the lag of the named groups only (the rows in view): exactly those, as kafka-python computes it, an unknown group with null lag', async () => {
    for (const [group, offsets] of [
      ['payroll', { 0: 1, 1: 1, 2: 1 }],
      ['refunds', { 0: 4, 2: 2 }],
    ] as const) {
      await runPython('kafka-python commit', KAFKA_PYTHON_COMMIT, { bootstrap: cluster.bootstrap, group, topic: 'ledger', offsets });
    }
    const named = await call('groups.lag', { clusterId, groups: ['refunds', 'never-committed', 'payroll', 'refunds'] });
    // In the order named, once each; the listed groups not named (audit, billing) are not read.
    expect(named.groups.map((entry) => entry.group)).toEqual(['refunds', 'never-committed', 'payroll']);
    expect(named.groups.find((entry) => entry.group === 'never-committed')).toEqual({ group: 'never-committed', totalLag: null });
    const truth = await independentLag(['payroll', 'refunds']);
    expect(lagOf(named, ['payroll', 'refunds'])).toEqual(truth);
    // Partitions without a commit do not count: refunds is behind on partitions 0 and 2 only.
    expect(truth.refunds).toBeGreaterThan(0);
    expect(named.readAt).not.toBeNull();

    // The same figures as the read of every group, which also lists the named ones.
    const every = await call('groups.lag', { clusterId });
    expect(lagOf(every, ['payroll', 'refunds'])).toEqual(truth);
    expect(every.groups.map((entry) => entry.group)).toEqual(expect.arrayContaining(['audit', 'billing', 'payroll', 'refunds']));
    expect(every.groups.map((entry) => entry.group)).not.toContain('never-committed');
  }, 120_000);

  it('refuses a malformed list of groups with an error naming the field; the largest list allowed is read', async () => {
    const refusal = async (input: unknown) => {
      const envelope = (await backend.dispatch('groups.lag', input)) as { ok: boolean; error?: { code: string; message: string } };
      expect(envelope.ok).toBe(false);
      expect(envelope.error?.code).toBe('invalid-input');
      return envelope.error!.message;
    };
    expect(await refusal({ clusterId, groups: [] })).toBe('Invalid input for groups.lag: groups: Name at least one group, or leave groups out to read every group');
    expect(await refusal({ clusterId, groups: Array.from({ length: GROUP_LAG_NAMED_MAX + 1 }, (_, index) => `group-${index}`) })).toBe(
      `Invalid input for groups.lag: groups: At most ${GROUP_LAG_NAMED_MAX} groups per call; leave groups out to read every group`,
    );
    expect(await refusal({ clusterId, groups: ['billing', ''] })).toBe('Invalid input for groups.lag: groups.1: A group id is not empty');
    expect(await refusal({ clusterId, groups: 'billing' })).toMatch(/^Invalid input for groups\.lag: groups: /);
    expect(await refusal({ clusterId, groups: ['billing'], limit: 10 })).toMatch(/^Invalid input for groups\.lag: .*limit/);
    // The largest list allowed is read: names beyond the groups that exist answer null.
    const most = await call('groups.lag', { clusterId, groups: ['billing', ...Array.from({ length: GROUP_LAG_NAMED_MAX - 1 }, (_, index) => `absent-${index}`)] });
    expect(most.groups).toHaveLength(GROUP_LAG_NAMED_MAX);
    expect(most.groups.filter((entry) => entry.totalLag !== null).map((entry) => entry.group)).toEqual(['billing']);
  }, 120_000);

  it('never answers lag older than the reuse age: records produced by kcat show once it has passed, the app\'s own produce at once', async () => {
    const groups = ['audit', 'billing'];
    const before = await call('groups.lag', { clusterId });
    expect(lagOf(before, groups)).toEqual(await independentLag(groups));

    // Another tool writes: the figure may be reused for LAG_READING_REUSE_MS, not longer.
    await kcatProduce(cluster.bootstrap, 'ledger', [{ key: 'k', value: 'late' }], ['-p', '1', '-X', 'acks=1']);
    const writtenAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, LAG_READING_REUSE_MS + 100));
    const after = await call('groups.lag', { clusterId });
    expect(after.readAt).not.toBeNull();
    expect(after.readAt!).toBeGreaterThanOrEqual(writtenAt);
    const expected = await independentLag(groups);
    expect(expected).toEqual({ audit: (before.groups.find((entry) => entry.group === 'audit')!.totalLag ?? 0) + 1, billing: (before.groups.find((entry) => entry.group === 'billing')!.totalLag ?? 0) + 1 });
    expect(lagOf(after, groups)).toEqual(expected);

    // The app's own write drops the shared readings: the answer right after it (a reading
    // made just before would otherwise be reused) has it.
    await call('groups.lag', { clusterId });
    await call('messages.produce', { clusterId, topic: 'ledger', partition: 2, key: 'k', value: 'mine', headers: [], valueFormat: 'text' });
    const mine = await call('groups.lag', { clusterId });
    expect(lagOf(mine, groups)).toEqual({ audit: expected.audit! + 1, billing: expected.billing! + 1 });
    expect(lagOf(mine, groups)).toEqual(await independentLag(groups));
  }, 120_000);

  it('reads a group\'s offsets once for concurrent callers (the page and the sampler), again only past the reuse age', async () => {
    const session = await connectTestSession(cluster.bootstrap);
    try {
      const reads: string[][] = [];
      let now = 1_000_000;
      const shared = new SharedGroupLag((_ref, groups) => {
        reads.push([...groups]);
        return totalLagOfGroups(session, [...groups]);
      }, () => now);
      const ref = clusterId as ClusterRef;
      // The sampler's batch and the page's whole list at once: billing is read once.
      const [sampler, page] = await Promise.all([shared.totalLag(ref, ['billing']), shared.totalLag(ref, ['audit', 'billing'])]);
      expect(reads).toEqual([['billing'], ['audit']]);
      const truth = await independentLag(['audit', 'billing']);
      expect(Object.fromEntries(sampler.lag)).toEqual({ billing: truth.billing });
      expect(Object.fromEntries(page.lag)).toEqual(truth);
      expect(page.readAt).toBe(1_000_000);

      // kcat writes; within the reuse age the reading stands and nothing is read.
      await kcatProduce(cluster.bootstrap, 'ledger', [{ key: 'k', value: 'later' }], ['-p', '0', '-X', 'acks=1']);
      now += LAG_READING_REUSE_MS;
      expect(Object.fromEntries((await shared.totalLag(ref, ['audit', 'billing'])).lag)).toEqual(truth);
      expect(reads).toHaveLength(2);

      // Past it, one read of both brings the new end offset, as kafka-python sees it.
      now += 1;
      const fresh = await shared.totalLag(ref, ['audit', 'billing']);
      expect(reads.at(-1)).toEqual(['audit', 'billing']);
      expect(Object.fromEntries(fresh.lag)).toEqual(await independentLag(['audit', 'billing']));
      expect(fresh.lag.get('billing')).toBe(truth.billing! + 1);
      expect(fresh.readAt).toBe(now);

      // Forgetting the cluster (a change made through the app) reads again at once.
      shared.forget(ref);
      await shared.totalLag(ref, ['billing']);
      expect(reads.at(-1)).toEqual(['billing']);
    } finally {
      await session.close();
    }
  }, 120_000);
});

describe('min.insync.replicas cache', () => {
  it('shows config changes made by the app at once, including a topic deleted and re-created with other configs', async () => {
    const required = async (topic: string) => (await call('topics.minInsyncReplicas', { clusterId })).topics.find((entry) => entry.topic === topic)?.minInsyncReplicas;
    await call('topics.create', { clusterId, name: 'receipts', partitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
    expect(await required('receipts')).toBe(2);

    await call('topics.alterConfigs', { clusterId, topic: 'receipts', set: { 'min.insync.replicas': '3' }, remove: [], validateOnly: false });
    expect(await required('receipts')).toBe(3);

    await call('topics.delete', { clusterId, topic: 'receipts', confirmation: 'receipts' });
    expect(await required('receipts')).toBeUndefined();
    // Deletion completes in the background; the name is free again once creating succeeds.
    await waitFor(
      're-created receipts',
      () =>
        call('topics.create', { clusterId, name: 'receipts', partitions: 1, replicationFactor: 1, configs: {} }).then(
          () => true,
          () => undefined,
        ),
      30_000,
      500,
    );
    expect(await required('receipts')).toBe(1);
  }, 120_000);

  it('reads every topic once per max age for concurrent callers, a new topic alone, and a change made by kafka-python after the max age', async () => {
    const session = await connectTestSession(cluster.bootstrap);
    try {
      const reads: string[][] = [];
      let now = 1_000_000;
      const cache = new MinIsrCache(
        (_ref, topics) => {
          reads.push([...topics]);
          return minInsyncReplicasByTopic(session, [...topics]);
        },
        MIN_ISR_MAX_AGE_MS,
        () => now,
      );
      const ref = clusterId as ClusterRef;
      const [first, second] = await Promise.all([cache.get(ref, ['ledger', 'notes']), cache.get(ref, ['ledger', 'notes'])]);
      expect(reads).toEqual([['ledger', 'notes']]);
      expect(first).toEqual(new Map([['ledger', 3], ['notes', 1]]));
      expect(second).toEqual(first);

      // Another tool lowers ledger's minimum: within the max age the cached value stands, no read.
      expect(await pythonAlterConfigs(cluster.bootstrap, { type: 'topic', name: 'ledger' }, { 'min.insync.replicas': '2' })).toEqual({ errorCode: 0, errorMessage: null });
      now += MIN_ISR_MAX_AGE_MS;
      expect((await cache.get(ref, ['ledger', 'notes'])).get('ledger')).toBe(3);
      expect(reads).toHaveLength(1);

      // A topic created since the full read is read on its own.
      await call('topics.create', { clusterId, name: 'invoices', partitions: 1, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
      expect((await cache.get(ref, ['invoices', 'ledger', 'notes'])).get('invoices')).toBe(2);
      expect(reads.at(-1)).toEqual(['invoices']);

      // Past the max age, one full read brings kafka-python's change.
      now += 1;
      expect(await cache.get(ref, ['invoices', 'ledger', 'notes'])).toEqual(new Map([['invoices', 2], ['ledger', 2], ['notes', 1]]));
      expect(reads.at(-1)).toEqual(['invoices', 'ledger', 'notes']);

      // Forgetting a topic reads that topic alone; a full read that overlapped a forget is not kept.
      cache.forget(ref, 'ledger');
      await cache.get(ref, ['invoices', 'ledger', 'notes']);
      expect(reads.at(-1)).toEqual(['ledger']);
      now += MIN_ISR_MAX_AGE_MS + 1;
      const overlapping = cache.get(ref, ['invoices', 'ledger', 'notes']);
      cache.forget(ref, 'ledger');
      await overlapping;
      const readsBefore = reads.length;
      await cache.get(ref, ['invoices', 'ledger', 'notes']);
      expect(reads.slice(readsBefore)).toEqual([['invoices', 'ledger', 'notes']]);
    } finally {
      await session.close();
      await pythonAlterConfigs(cluster.bootstrap, { type: 'topic', name: 'ledger' }, { 'min.insync.replicas': '3' });
    }
  }, 120_000);
});
