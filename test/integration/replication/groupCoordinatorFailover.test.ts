/**
 * Consumer groups across the group coordinator's broker being killed (kafka-semantics.md
 * section 6, item 11's failover part, on the replicated __consumer_offsets): the cluster
 * creates __consumer_offsets with replication factor 3 on first use, so when the
 * coordinator's broker dies (SIGKILL) another broker takes over the group's partition,
 * loads the committed offsets from its replica, the running kafkajs consumer carries on,
 * and a consumer that joins afterwards starts exactly at the committed offsets.
 */
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultFindCoordinatorRequest } from '../../../src/protocol/generated/findCoordinatorRequest';
import { ClusterAdmin } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';

const TOPIC = 'orders';
const GROUP = 'billing';
const PARTITIONS = 3;

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;
const consumers: Consumer[] = [];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({
    brokers: 3,
    extraArgs: ['--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000', '--group-initial-rebalance-delay-ms', '0'],
  });
  kafka = new Kafka({ clientId: 'samsa-it-groups', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
  admin = kafka.admin();
  await admin.connect();
  clusterAdmin = new ClusterAdmin(cluster);
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  for (const consumer of consumers) await consumer.disconnect().catch(() => undefined);
  await clusterAdmin?.close();
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function produce(values: string[]): Promise<void> {
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    await producer.send({ topic: TOPIC, acks: -1, messages: values.map((value, i) => ({ value, partition: i % PARTITIONS })) });
  } finally {
    await producer.disconnect();
  }
}

/** A kafkajs group member that records every value it is given and commits often. */
async function startConsumer(received: string[]): Promise<Consumer> {
  // kafkajs looks the coordinator up again only when it rejoins, which it does after its
  // retries against the dead coordinator run out: few, short retries keep that quick.
  const consumer = kafka.consumer({ groupId: GROUP, sessionTimeout: 6_000, heartbeatInterval: 300, rebalanceTimeout: 10_000, retry: { retries: 4, initialRetryTime: 100, maxRetryTime: 300 } });
  consumers.push(consumer);
  await consumer.connect();
  await consumer.subscribe({ topic: TOPIC, fromBeginning: true });
  await consumer.run({ autoCommitInterval: 100, eachMessage: async ({ message }) => void received.push(message.value!.toString()) });
  return consumer;
}

async function committedTotal(): Promise<number> {
  const [topic] = await admin.fetchOffsets({ groupId: GROUP, topics: [TOPIC] });
  return topic!.partitions.reduce((sum, p) => sum + Math.max(0, Number(p.offset)), 0);
}

async function coordinatorOf(group: string): Promise<number> {
  const response = await clusterAdmin.sendToAny(ApiKey.FindCoordinator, { ...defaultFindCoordinatorRequest(), keyType: 0, coordinatorKeys: [group] });
  const answer = response.coordinators.length > 0 ? response.coordinators[0]! : response;
  if (answer.errorCode !== ErrorCode.NONE) throw new Error(`FindCoordinator(${group}): error ${answer.errorCode}`);
  return answer.nodeId;
}

const values = (prefix: string, count: number) => Array.from({ length: count }, (_, i) => `${prefix}-${i}`);

describe('group coordinator failover', () => {
  it('keeps the group consuming and its committed offsets when the coordinator broker is killed', async () => {
    expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: PARTITIONS, replicationFactor: 3 }], waitForLeaders: true })).toBe(true);
    const first = values('first', 30);
    await produce(first);

    const received: string[] = [];
    const consumer = await startConsumer(received);
    await waitFor('the first records consumed', () => (first.every((value) => received.includes(value)) ? true : undefined), 30_000, 100);
    await waitFor('their offsets committed', async () => ((await committedTotal()) === first.length ? true : undefined), 15_000, 100);

    // The offsets topic was created on first use with a replica on every broker.
    const offsetsTopic = await clusterAdmin.partition('__consumer_offsets', 0);
    expect(offsetsTopic.replicas).toHaveLength(3);

    const coordinator = await coordinatorOf(GROUP);
    await cluster.brokerAction(coordinator, 'kill');
    const newCoordinator = await waitFor('a new coordinator', async () => {
      const id = await coordinatorOf(GROUP);
      return id !== coordinator ? id : undefined;
    }, 15_000, 200);
    expect(newCoordinator).not.toBe(coordinator);

    // The committed offsets survived on the new coordinator, and the group keeps going.
    expect(await committedTotal()).toBe(first.length);
    const second = values('second', 30);
    await produce(second);
    await waitFor('the records produced after the failover consumed', () => (second.every((value) => received.includes(value)) ? true : undefined), 40_000, 100);
    await waitFor('their offsets committed', async () => ((await committedTotal()) === first.length + second.length ? true : undefined), 15_000, 100);
    await consumer.disconnect();

    // A new member starts from the committed offsets, not from the beginning.
    const afterRestart: string[] = [];
    await startConsumer(afterRestart);
    const third = values('third', 9);
    await produce(third);
    await waitFor('the newest records consumed by the new member', () => (third.every((value) => afterRestart.includes(value)) ? true : undefined), 30_000, 100);
    expect(afterRestart.filter((value) => !value.startsWith('third-')), 'records consumed again although their offsets were committed').toEqual([]);

    await cluster.brokerAction(coordinator, 'start');
    await clusterAdmin.waitForIsr('__consumer_offsets', [1, 2, 3], 20_000, 0);
  }, 120_000);
});
