/**
 * Partition reassignment (KIP-455) while a producer writes with acks=all, on a 3-broker
 * cluster of separate processes (kafka-semantics.md section 6, item 8): replication factor
 * 1 -> 3, 3 -> 2 with the leader moved off a removed broker, a move to other brokers, and a
 * move cancelled half-way (the new replica is slowed so the move cannot finish first).
 * Nothing acknowledged is lost, kcat's metadata shows the expected replicas after each
 * step, ListPartitionReassignments ends empty, and the final replicas' logs are identical.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { ClusterAdmin, faultAction } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat, kcatConsumeAll } from '../../helpers/externalClients';
import { expectDelivered, startKafkajsProducer, type ProduceReport } from '../../helpers/produceWorkloads';
import { waitForIdenticalReplicaLogs } from '../../helpers/replicaLogs';

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: ['--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000'] });
  kafka = new Kafka({ clientId: 'samsa-it-reassign', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
  admin = kafka.admin();
  await admin.connect();
  clusterAdmin = new ClusterAdmin(cluster);
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await clusterAdmin?.close();
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

interface KcatPartition {
  partition: number;
  leader: number;
  replicas: { id: number }[];
  isrs: { id: number }[];
}

/** Replicas, ISR and leader of partition 0 as librdkafka sees them (`kcat -L -J`). */
async function kcatPartition(topic: string): Promise<{ leader: number; replicas: number[]; isr: number[] }> {
  const metadata = JSON.parse(expectSuccess('kcat -L', await kcat(cluster.bootstrap, ['-L', '-J', '-t', topic])).stdout) as { topics: { topic: string; partitions: KcatPartition[] }[] };
  const partition = metadata.topics.find((t) => t.topic === topic)?.partitions.find((p) => p.partition === 0);
  if (partition === undefined) throw new Error(`kcat shows no ${topic}-0: ${JSON.stringify(metadata)}`);
  return { leader: partition.leader, replicas: partition.replicas.map((r) => r.id), isr: partition.isrs.map((r) => r.id) };
}

/** Starts a reassignment and waits until the cluster lists none and kcat shows `replicas` all in sync. */
async function reassignAndComplete(topic: string, replicas: number[]): Promise<void> {
  expect(await clusterAdmin.reassign(topic, replicas)).toBe(ErrorCode.NONE);
  await waitFor(`the reassignment of ${topic} to [${replicas}] to finish`, async () => ((await clusterAdmin.reassignments()).length === 0 ? true : undefined), 20_000, 100);
  await kcatShows(topic, replicas);
}

/** Waits until kcat shows exactly `replicas` (in this order unless anyOrder), all in sync, one of them leading. */
async function kcatShows(topic: string, replicas: number[], options: { anyOrder?: boolean } = {}): Promise<void> {
  const key = (ids: number[]) => (options.anyOrder ? [...ids].sort((a, b) => a - b) : ids).join(',');
  let last: unknown;
  try {
    await waitFor(
      `kcat to show ${topic}-0 on [${replicas}], all in sync`,
      async () => {
        const view = await kcatPartition(topic);
        last = view;
        return key(view.replicas) === key(replicas) && view.isr.length === replicas.length && replicas.includes(view.leader) ? true : undefined;
      },
      10_000,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}; last seen ${JSON.stringify(last)}`, { cause: error });
  }
}

/** Waits until the producer has `count` more acknowledged-or-failed sends, so each step happens under load. */
async function underLoad(sent: () => number, count = 20): Promise<void> {
  const start = sent();
  await waitFor(`${count} more sends`, () => (sent() >= start + count ? true : undefined), 15_000);
}

describe('item 8: reassignment while producing', () => {
  it('changes the replication factor 1 -> 3 -> 2, moves replicas, cancels a slowed move, and loses nothing acknowledged', async () => {
    const topic = 'moving';
    expect(await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1] }] }], waitForLeaders: true })).toBe(true);
    const producer = startKafkajsProducer(kafka, { topic, prefix: 'move', acks: -1, pauseMs: 5 });
    let report: ProduceReport;
    try {
      await underLoad(producer.sent);
      // RF 1 -> 3: the new replicas copy everything, then join the ISR.
      await reassignAndComplete(topic, [1, 2, 3]);
      await underLoad(producer.sent);

      // RF 3 -> 2, dropping the leader: leadership moves to the new first replica.
      await reassignAndComplete(topic, [2, 3]);
      expect((await kcatPartition(topic)).leader).not.toBe(1);
      await underLoad(producer.sent);

      // A move to another broker set (adds 1, removes 2).
      await reassignAndComplete(topic, [3, 1]);
      await underLoad(producer.sent);

      // Cancel half-way: broker 2 is too slow to catch up, so the move [3,1] -> [1,2] waits.
      await faultAction(cluster, 2, 'slow', 60_000);
      expect(await clusterAdmin.reassign(topic, [1, 2])).toBe(ErrorCode.NONE);
      const ongoing = await clusterAdmin.reassignments();
      expect(ongoing).toEqual([{ partition: `${topic}-0`, replicas: [1, 2, 3], adding: [2], removing: [3] }]);
      await underLoad(producer.sent);
      expect(await clusterAdmin.reassignments(), 'the slowed move must still be running').toHaveLength(1);
      expect(await clusterAdmin.reassign(topic, null)).toBe(ErrorCode.NONE);
      expect(await clusterAdmin.reassignments()).toEqual([]);
      await faultAction(cluster, 2, 'slow', 0);
      // The original set comes back; like KRaft's revert, it keeps the order of the merged
      // list (target first), so only membership is compared.
      await kcatShows(topic, [3, 1], { anyOrder: true });
      await underLoad(producer.sent);
      expect(await clusterAdmin.reassign(topic, null)).toBe(ErrorCode.NO_REASSIGNMENT_IN_PROGRESS);
    } finally {
      await faultAction(cluster, 2, 'slow', 0).catch(() => undefined);
      report = await producer.stop();
    }
    expect(report.failed).toEqual([]);
    expect(report.acknowledged.length).toBeGreaterThan(100);
    expectDelivered(await kcatConsumeAll(cluster.bootstrap, topic), report, { idempotent: false, prefix: 'move' });
    expect(await clusterAdmin.reassignments()).toEqual([]);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, [3, 1]);
  }, 120_000);
});
