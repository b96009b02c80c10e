/**
 * Divergent histories and unclean elections on a 3-broker cluster of separate processes
 * (kafka-semantics.md section 6, items 5 and 7). A leader whose log lost its tail in a crash
 * writes new records over offsets its follower still holds from the old epoch; the follower
 * must truncate through the leader-epoch protocol and end with the same batches. With
 * unclean election off a partition whose ISR is gone stays offline; with it on (topic
 * config, or ElectLeaders UNCLEAN) an out-of-sync replica leads, acknowledged records are
 * lost, and the cluster reports an `unclean-election` event.
 */
import { readFileSync, truncateSync } from 'node:fs';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { splitBatches } from '../../../src/protocol/records/batchHeader';
import { ClusterAdmin, recordClusterEvents, type EventRecorder } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, segmentFiles, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll } from '../../helpers/externalClients';
import { waitForIdenticalReplicaLogs } from '../../helpers/replicaLogs';

/** Brokers 1 (preferred leader) and 2 hold these partitions; broker 3 stays out of them. */
const PAIR = [1, 2];

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;
let events: EventRecorder;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: ['--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000'] });
  kafka = new Kafka({ clientId: 'samsa-it-unclean', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING, retry: { retries: 20, initialRetryTime: 100, maxRetryTime: 500 } });
  admin = kafka.admin();
  await admin.connect();
  clusterAdmin = new ClusterAdmin(cluster);
  events = await recordClusterEvents(cluster);
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  events?.close();
  await clusterAdmin?.close();
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function createPairTopic(topic: string, unclean: boolean): Promise<void> {
  const configEntries = [
    { name: 'min.insync.replicas', value: '1' },
    { name: 'unclean.leader.election.enable', value: String(unclean) },
  ];
  expect(await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: PAIR }], configEntries }], waitForLeaders: true })).toBe(true);
  await clusterAdmin.waitForIsr(topic, PAIR);
}

/** acks=all, one record per request, each acknowledged before the next. */
async function produceAcknowledged(topic: string, values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const value of values) await producer.send({ topic, acks: -1, messages: [{ value }] });
  } finally {
    await producer.disconnect();
  }
}

const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

async function consumedValues(topic: string): Promise<string[]> {
  const lines = await kcatConsumeAll(cluster.bootstrap, topic);
  const offsets = lines.map((line) => line.offset);
  expect(offsets.every((offset, i) => i === 0 || offset > offsets[i - 1]!), `offsets ${offsets.join(',')}`).toBe(true);
  return lines.map((line) => line.value);
}

describe('item 5: divergence after both replicas crash and the leader loses the tail of its last segment', () => {
  it('the restarted follower truncates its divergent tail and ends with exactly the leader batches (offsets, epochs, CRCs)', async () => {
    const topic = 'divergence';
    await createPairTopic(topic, true);
    const first = values('old', 10);
    await produceAcknowledged(topic, first);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);

    // Both replicas crash, the follower first, so the leader stays the last ISR member.
    await cluster.brokerAction(2, 'kill');
    await cluster.brokerAction(1, 'kill');
    await clusterAdmin.waitForPartition(topic, 'offline', (view) => view.leader === -1);

    // Cut the leader's last segment in the middle of its last batch, as a torn write leaves it.
    const segments = segmentFiles(cluster.partitionDir(1, topic, 0));
    const last = segments[segments.length - 1]!;
    const { batches } = splitBatches(readFileSync(last));
    const lastBatchStart = batches.slice(0, -1).reduce((size, batch) => size + batch.length, 0);
    truncateSync(last, lastBatchStart + Math.floor(batches[batches.length - 1]!.length / 2));

    await cluster.brokerAction(1, 'start');
    const view = await clusterAdmin.waitForPartition(topic, 'broker 1 leading', (v) => v.leader === 1);
    expect(await clusterAdmin.highWatermark(1, topic)).toBe(first.length - 1);

    // New writes take the offsets the follower still holds from the old epoch.
    const second = values('new', 5);
    await produceAcknowledged(topic, second);
    await cluster.brokerAction(2, 'start');
    await clusterAdmin.waitForIsr(topic, PAIR);
    const batchesAfter = await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);
    expect(batchesAfter.map((batch) => batch.baseOffset)).toEqual([...Array(first.length - 1 + second.length).keys()]);
    expect(batchesAfter[first.length - 1]!.leaderEpoch).toBeGreaterThanOrEqual(view.leaderEpoch);
    expect(await consumedValues(topic)).toEqual([...first.slice(0, -1), ...second]);
  }, 60_000);
});

/**
 * Brokers 1 and 2 in sync with `before`; then 2 crashes, 1 alone acknowledges `after`, and
 * 1 crashes too. Broker 2 (out of sync) comes back alone.
 */
async function isrLostWithOnlyStaleReplicaLeft(topic: string, before: string[], after: string[]): Promise<void> {
  await produceAcknowledged(topic, before);
  await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);
  await cluster.brokerAction(2, 'kill');
  await clusterAdmin.waitForIsr(topic, [1]);
  await produceAcknowledged(topic, after);
  await cluster.brokerAction(1, 'kill');
  await clusterAdmin.waitForPartition(topic, 'offline', (view) => view.leader === -1);
  await cluster.brokerAction(2, 'start');
}

const uncleanEvents = (topic: string) => events.events.filter((event) => event.type === 'unclean-election' && event.topic === topic);

describe('item 7: unclean leader election', () => {
  it('off: the partition stays offline (leader -1) while only an out-of-sync replica is alive, and comes back with every acknowledged record when the ISR member returns', async () => {
    const topic = 'unclean-off';
    await createPairTopic(topic, false);
    const before = values('in-sync', 5);
    const after = values('leader-only', 5);
    await isrLostWithOnlyStaleReplicaLeft(topic, before, after);

    // Broker 2 is up (and registered) but not in the ISR: for 3 s the partition must stay offline.
    for (let sample = 0; sample < 30; sample++) {
      const view = await clusterAdmin.partition(topic, 0, 2);
      expect(view.leader, `leader at sample ${sample}`).toBe(-1);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(uncleanEvents(topic)).toEqual([]);

    await cluster.brokerAction(1, 'start');
    await clusterAdmin.waitForPartition(topic, 'broker 1 leading', (view) => view.leader === 1);
    await clusterAdmin.waitForIsr(topic, PAIR);
    expect(await consumedValues(topic)).toEqual([...before, ...after]);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);
    expect(uncleanEvents(topic)).toEqual([]);
  }, 60_000);

  it('on (topic config): the out-of-sync replica becomes leader, the records only the lost leader had are gone, and an unclean-election event is reported', async () => {
    const topic = 'unclean-on';
    await createPairTopic(topic, true);
    const before = values('in-sync', 5);
    const after = values('leader-only', 5);
    await isrLostWithOnlyStaleReplicaLeft(topic, before, after);

    const view = await clusterAdmin.waitForPartition(topic, 'broker 2 leading uncleanly', (v) => v.leader === 2);
    const event = await waitFor('an unclean-election event', () => uncleanEvents(topic)[0]);
    expect(event).toMatchObject({ partition: 0, leader: 2, leaderEpoch: view.leaderEpoch });
    expect(event.previousIsr).not.toContain(2);
    // The loss is real and visible: acknowledged records are missing.
    expect(await consumedValues(topic)).toEqual(before);

    // The old leader returns as a follower and truncates to the new history.
    await cluster.brokerAction(1, 'start');
    await clusterAdmin.waitForIsr(topic, PAIR);
    const later = values('later', 3);
    await produceAcknowledged(topic, later);
    expect(await consumedValues(topic)).toEqual([...before, ...later]);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);
  }, 60_000);

  it('off, forced by ElectLeaders UNCLEAN: the offline partition gets the live replica as leader and the event is reported', async () => {
    const topic = 'unclean-elect-leaders';
    await createPairTopic(topic, false);
    const before = values('in-sync', 4);
    const after = values('leader-only', 4);
    await isrLostWithOnlyStaleReplicaLeft(topic, before, after);
    expect((await clusterAdmin.partition(topic, 0, 2)).leader).toBe(-1);
    expect(await clusterAdmin.electLeaders('preferred', topic)).toBe(ErrorCode.PREFERRED_LEADER_NOT_AVAILABLE);

    expect(await clusterAdmin.electLeaders('unclean', topic)).toBe(ErrorCode.NONE);
    await clusterAdmin.waitForPartition(topic, 'broker 2 leading', (view) => view.leader === 2);
    await waitFor('an unclean-election event', () => uncleanEvents(topic)[0]);
    expect(await consumedValues(topic)).toEqual(before);

    await cluster.brokerAction(1, 'start');
    await clusterAdmin.waitForIsr(topic, PAIR);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, PAIR);
  }, 60_000);
});
