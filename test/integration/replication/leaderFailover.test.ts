/**
 * Leader failover on a 3-broker cluster of separate processes (kafka-semantics.md section 6,
 * items 1, 4, 6 and 9): leaders are killed (SIGKILL), stopped cleanly and moved by
 * preferred election while librdkafka and kafkajs produce with acks=all and
 * min.insync.replicas=2. Pass criteria each time: every acknowledged record is consumed,
 * offsets strictly increase, an idempotent producer leaves no duplicates, and once every
 * broker is back the three replica logs hold the same batches (offsets, epochs, CRCs).
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/initProducerIdRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { KafkaConnection } from '../../../src/protocol/client/kafkaConnection';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { ClusterAdmin } from '../../helpers/clusterControl';
import { faultAction } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, startEmbeddedCluster, waitFor, type BrokerAction, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll } from '../../helpers/externalClients';
import { expectDelivered, startConfluentProducer, startKafkajsProducer, type RunningProducer } from '../../helpers/produceWorkloads';
import { diskLogEndOffset, waitForIdenticalReplicaLogs } from '../../helpers/replicaLogs';

const ALL = [1, 2, 3];

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({
    brokers: 3,
    extraArgs: ['--config', 'min.insync.replicas=2', '--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000', '--default-replication-factor', '3'],
  });
  kafka = new Kafka({ clientId: 'samsa-it-failover', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
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

/** A single-partition topic on all three brokers, `first` as preferred leader, all in sync. */
async function createTopic(topic: string, replicas: number[] = ALL): Promise<void> {
  expect(await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas }] }], waitForLeaders: true })).toBe(true);
  await clusterAdmin.waitForIsr(topic, replicas);
}

/** Waits (bounded) until the partition's leader has `count` more records below its HW. */
async function waitForProgress(topic: string, count: number): Promise<void> {
  const { leader } = await clusterAdmin.waitForPartition(topic, 'a leader', (view) => view.leader !== -1);
  const start = await waitFor(`the HW of ${topic} on broker ${leader}`, () => clusterAdmin.highWatermark(leader, topic));
  await waitFor(`${count} more records committed on ${topic}`, async () => {
    const view = await clusterAdmin.partition(topic);
    return view.leader !== -1 && (await clusterAdmin.highWatermark(view.leader, topic)) >= start + count ? true : undefined;
  }, 20_000, 100);
}

/**
 * The fault loop of item 1: with the whole ISR in sync and records flowing, take the leader
 * down (SIGKILL or controlled shutdown), let a new leader take writes, bring the old one back.
 */
async function bounceLeaders(topic: string, actions: BrokerAction[]): Promise<void> {
  for (const action of actions) {
    const { leader } = await clusterAdmin.waitForIsr(topic, ALL, 20_000);
    await waitForProgress(topic, 10);
    await cluster.brokerAction(leader, action);
    await clusterAdmin.waitForNewLeader(topic, leader);
    await waitForProgress(topic, 10);
    await cluster.brokerAction(leader, 'start');
  }
}

/** After the faults: all back in sync, then the consumer's view and the replicas' logs. */
async function verifyTopic(topic: string, producer: RunningProducer, options: { idempotent: boolean; prefix: string }): Promise<void> {
  const report = await producer.stop();
  expect(report.acknowledged.length, `acknowledged records (failed: ${JSON.stringify(report.failed.slice(0, 5))})`).toBeGreaterThan(30);
  await clusterAdmin.waitForIsr(topic, ALL, 20_000);
  expectDelivered(await kcatConsumeAll(cluster.bootstrap, topic), report, options);
  await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
}

describe('item 1: the partition leader is killed and stopped repeatedly during acks=all produce (min.insync.replicas=2)', () => {
  it('confluent-kafka with enable.idempotence: every acknowledged record consumed exactly once, replica logs identical afterwards (also item 9: idempotent producer across repeated leader kills)', async () => {
    const topic = 'failover-idempotent';
    await createTopic(topic);
    const producer = startConfluentProducer({ bootstrap: cluster.bootstrap, topic, prefix: 'idem', idempotent: true, intervalMs: 5 });
    await bounceLeaders(topic, ['kill', 'stop', 'kill']);
    await verifyTopic(topic, producer, { idempotent: true, prefix: 'idem' });
  }, 120_000);

  it('kafkajs without idempotence (acks=all): every acknowledged record consumed, offsets increasing, replica logs identical afterwards', async () => {
    const topic = 'failover-plain';
    await createTopic(topic);
    const producer = startKafkajsProducer(kafka, { topic, prefix: 'plain', acks: -1 });
    await bounceLeaders(topic, ['stop', 'kill', 'kill']);
    await verifyTopic(topic, producer, { idempotent: false, prefix: 'plain' });
  }, 120_000);
});

describe('item 4: KIP-101, a follower restarts before learning the new high watermark, then the leader dies', () => {
  it('keeps the acknowledged records: the restarted follower does not truncate to its stale HW and serves them as the new leader', async () => {
    const topic = 'kip-101';
    await createTopic(topic);
    // Only brokers 1 (leader) and 2 stay in the ISR, so an acks=all write is on both of them.
    await cluster.brokerAction(3, 'stop');
    await clusterAdmin.waitForIsr(topic, [1, 2]);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const values = Array.from({ length: 5 }, (_, i) => `kip101-${i}`);
    try {
      for (const value of values) await producer.send({ topic, acks: -1, messages: [{ value }] });
    } finally {
      await producer.disconnect();
    }
    const acknowledgedEnd = await clusterAdmin.highWatermark(1, topic);
    expect(acknowledgedEnd).toBe(values.length);

    // Crash the follower right after the acknowledgement (its HW checkpoint is written once
    // a second, so it is most likely stale), and restart it with its fetches held back, so
    // what is on its disk right after start is what recovery kept, not a re-fetch.
    await cluster.brokerAction(2, 'kill');
    await faultAction(cluster, 2, 'slow', 60_000);
    await cluster.brokerAction(2, 'start');
    expect(diskLogEndOffset(cluster.partitionDir(2, topic, 0)), 'records broker 2 kept through its restart').toBe(acknowledgedEnd);
    await faultAction(cluster, 2, 'slow', 0);
    await clusterAdmin.waitForIsr(topic, [1, 2]);

    // The leader dies: broker 2 is the only live ISR member and must lead with everything.
    await cluster.brokerAction(1, 'kill');
    const view = await clusterAdmin.waitForNewLeader(topic, 1);
    expect(view.leader).toBe(2);
    expect(await clusterAdmin.highWatermark(2, topic)).toBe(acknowledgedEnd);
    const consumed = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(consumed.map((line) => line.value)).toEqual(values);

    await cluster.brokerAction(1, 'start');
    await cluster.brokerAction(3, 'start');
    await clusterAdmin.waitForIsr(topic, ALL);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 60_000);
});

describe('item 6: fast leader changes back and forth (KIP-279)', () => {
  it('moves leadership by kills and preferred elections while confluent-kafka produces: no divergence, no acknowledged loss, no duplicates', async () => {
    const topic = 'flip-flop';
    await createTopic(topic);
    const producer = startConfluentProducer({ bootstrap: cluster.bootstrap, topic, prefix: 'flip', idempotent: true, intervalMs: 5 });
    // Every leadership change must come with a higher leader epoch than the one before.
    const leaderships: { leader: number; epoch: number }[] = [];
    const saw = (view: { leader: number; leaderEpoch: number }) => {
      if (leaderships[leaderships.length - 1]?.leader !== view.leader) leaderships.push({ leader: view.leader, epoch: view.leaderEpoch });
    };
    for (let round = 0; round < 2; round++) {
      // Kill the leader and restart it at once: it comes back as a follower of a newer epoch
      // it never saw, while its log still ends in the old one.
      const first = await clusterAdmin.waitForPartition(topic, 'a leader with a live in-sync follower', (view) => view.leader !== -1 && view.isr.length >= 2);
      await waitForProgress(topic, 5);
      await cluster.brokerAction(first.leader, 'kill');
      const second = await clusterAdmin.waitForNewLeader(topic, first.leader);
      await cluster.brokerAction(first.leader, 'start');
      // Without waiting for it to catch up, move leadership again as soon as two replicas are in sync.
      await waitForProgress(topic, 5);
      await clusterAdmin.waitForPartition(topic, 'two replicas in sync', (view) => view.leader === second.leader && view.isr.length >= 2);
      await cluster.brokerAction(second.leader, 'kill');
      const third = await clusterAdmin.waitForNewLeader(topic, second.leader);
      await cluster.brokerAction(second.leader, 'start');
      await waitForProgress(topic, 5);
      // And back to the preferred leader (broker 1) once it is in sync.
      await clusterAdmin.waitForPartition(topic, 'broker 1 in sync', (view) => view.isr.includes(1) && view.leader !== -1);
      const electionError = await clusterAdmin.electLeaders('preferred', topic);
      expect([ErrorCode.NONE, ErrorCode.ELECTION_NOT_NEEDED]).toContain(electionError);
      const back = await clusterAdmin.waitForPartition(topic, 'broker 1 leading', (view) => view.leader === 1);
      for (const view of [first, second, third, back]) saw(view);
    }
    const history = leaderships.map(({ leader, epoch }) => `${leader}@${epoch}`).join(' ');
    expect(leaderships.length, history).toBeGreaterThanOrEqual(5);
    expect(leaderships.every((entry, i) => i === 0 || entry.epoch > leaderships[i - 1]!.epoch), history).toBe(true);
    await verifyTopic(topic, producer, { idempotent: true, prefix: 'flip' });
  }, 120_000);
});

describe('item 9: idempotent retries after a lost response', () => {
  it('answers a retried batch with its original offset and appends nothing, on the same leader and on a new leader after failover', async () => {
    const topic = 'idempotent-retry';
    await createTopic(topic);
    const { leader } = await clusterAdmin.partition(topic);
    const init = await clusterAdmin.send(leader, ApiKey.InitProducerId, { ...defaultInitProducerIdRequest(), transactionalId: null, transactionTimeoutMs: -1, producerId: -1n, producerEpoch: -1 });
    expect(init.errorCode).toBe(ErrorCode.NONE);
    const batch = (baseSequence: number, values: string[]) =>
      encodeRecordBatch({ producerId: init.producerId, producerEpoch: init.producerEpoch, baseSequence, records: values.map((value) => ({ key: null, value: Buffer.from(value) })) });
    const produce = (records: Buffer) => ({ ...defaultProduceRequest(), acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
    const answer = async (brokerId: number, records: Buffer) => {
      const response = await clusterAdmin.send(brokerId, ApiKey.Produce, produce(records));
      const partition = response.responses[0]!.partitionResponses[0]!;
      return { errorCode: partition.errorCode, baseOffset: Number(partition.baseOffset) };
    };
    /** Sends on a connection of its own and hangs up before the answer can be read. */
    const sendAndLoseResponse = async (brokerId: number, records: Buffer) => {
      const [host, port] = cluster.brokerAddresses[brokerId - 1]!.split(':');
      const connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'samsa-it-lost-response' });
      await connection.connect();
      await connection.negotiate();
      const pending = connection.send(ApiKey.Produce, produce(records)).catch(() => undefined);
      await connection.close();
      await pending;
    };
    const committedTo = (brokerId: number, end: number) =>
      waitFor(`HW ${end} on broker ${brokerId}`, async () => ((await clusterAdmin.highWatermark(brokerId, topic)) >= end ? true : undefined));

    // Same leader: the first answer is lost, the retry must not append a second copy.
    const first = await batch(0, ['a', 'b', 'c']);
    await sendAndLoseResponse(leader, first);
    await committedTo(leader, 3);
    expect(await answer(leader, first)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 0 });
    expect(await clusterAdmin.highWatermark(leader, topic)).toBe(3);

    // Across a leader change: the next batch's answer is lost, the leader dies, the retry
    // goes to the new leader, whose producer state came from the replicated log.
    const second = await batch(3, ['d', 'e']);
    await sendAndLoseResponse(leader, second);
    await committedTo(leader, 5);
    await cluster.brokerAction(leader, 'kill');
    const { leader: newLeader } = await clusterAdmin.waitForNewLeader(topic, leader);
    expect(await answer(newLeader, second)).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 3 });
    expect(await clusterAdmin.highWatermark(newLeader, topic)).toBe(5);
    // The sequence continues where the log says it is.
    expect(await answer(newLeader, await batch(5, ['f']))).toEqual({ errorCode: ErrorCode.NONE, baseOffset: 5 });
    expect((await answer(newLeader, await batch(7, ['gap']))).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);

    await cluster.brokerAction(leader, 'start');
    await clusterAdmin.waitForIsr(topic, ALL);
    const consumed = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(consumed.map((line) => [line.offset, line.value])).toEqual(['a', 'b', 'c', 'd', 'e', 'f'].map((value, offset) => [offset, value]));
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 60_000);
});
