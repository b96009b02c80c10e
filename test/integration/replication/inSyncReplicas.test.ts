/**
 * The in-sync replica set on a 3-broker cluster of separate processes (kafka-semantics.md
 * section 6, items 2 and 3): min.insync.replicas refuses acks=all writes when too few
 * replicas are in sync but lets acks=1 through, and a follower that stops keeping up leaves
 * the ISR after about replica.lag.time.max.ms (not before), rejoins once it has caught up,
 * and the leader's high watermark never moves back meanwhile. acks=all produce requests
 * pipelined on one connection are appended and answered in the order sent.
 */
import net from 'node:net';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../../src/protocol/client/frames';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { ClusterAdmin, faultAction } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatProduce, runPython } from '../../helpers/externalClients';
import { expectDelivered, startKafkajsProducer } from '../../helpers/produceWorkloads';
import { waitForIdenticalReplicaLogs } from '../../helpers/replicaLogs';

const ALL = [1, 2, 3];
const LAG_MS = 3_000;

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({
    brokers: 3,
    extraArgs: ['--config', 'min.insync.replicas=2', '--replica-lag-time-max-ms', String(LAG_MS), '--broker-session-timeout-ms', '3000', '--default-replication-factor', '3'],
  });
  kafka = new Kafka({ clientId: 'samsa-it-isr', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING, retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 } });
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

async function createTopic(topic: string): Promise<void> {
  expect(await admin.createTopics({ topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: ALL }] }], waitForLeaders: true })).toBe(true);
  await clusterAdmin.waitForIsr(topic, ALL);
}

/** One Produce through our client straight to `brokerId`; the partition's error code and offset. */
async function produceDirect(brokerId: number, topic: string, acks: -1 | 1, values: string[]): Promise<{ errorCode: number; baseOffset: number }> {
  const records = await encodeRecordBatch({ records: values.map((value) => ({ key: null, value: Buffer.from(value) })) });
  const response = await clusterAdmin.send(brokerId, ApiKey.Produce, { ...defaultProduceRequest(), acks, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
  const partition = response.responses[0]!.partitionResponses[0]!;
  return { errorCode: partition.errorCode, baseOffset: Number(partition.baseOffset) };
}

/** confluent-kafka producing one record without retries: the error code librdkafka reports (0 = delivered). */
const CONFLUENT_SEND_ONE = `
import json, sys
from confluent_kafka import Producer
params = json.load(sys.stdin)
producer = Producer({'bootstrap.servers': params['bootstrap'], 'acks': params['acks'], 'retries': 0, 'message.timeout.ms': 10000})
result = {}
def delivered(err, msg):
    result['code'] = 0 if err is None else err.code()
    result['name'] = None if err is None else err.name()
producer.produce(params['topic'], value=params['value'].encode(), on_delivery=delivered)
producer.flush(15)
print(json.dumps(result))
`;

function confluentSendOne(topic: string, acks: 'all' | '1', value: string): Promise<{ code: number; name: string | null }> {
  return runPython('confluent-kafka single send', CONFLUENT_SEND_ONE, { bootstrap: cluster.bootstrap, topic, acks, value });
}

describe('item 2: min.insync.replicas=2 with two followers stopped', () => {
  it('refuses acks=all with NOT_ENOUGH_REPLICAS before appending, accepts acks=1, and accepts acks=all again once the followers are back', async () => {
    const topic = 'min-insync';
    await createTopic(topic);
    const { leader } = await clusterAdmin.partition(topic);
    expect((await produceDirect(leader, topic, -1, ['before'])).errorCode).toBe(ErrorCode.NONE);

    const followers = ALL.filter((id) => id !== leader);
    for (const follower of followers) await cluster.brokerAction(follower, 'stop');
    await clusterAdmin.waitForIsr(topic, [leader]);

    const end = await clusterAdmin.highWatermark(leader, topic);
    expect(await produceDirect(leader, topic, -1, ['refused-direct'])).toMatchObject({ errorCode: ErrorCode.NOT_ENOUGH_REPLICAS });
    expect(await confluentSendOne(topic, 'all', 'refused-librdkafka')).toEqual({ code: ErrorCode.NOT_ENOUGH_REPLICAS, name: 'NOT_ENOUGH_REPLICAS' });
    // Refused before the append: the log did not grow.
    expect(await clusterAdmin.highWatermark(leader, topic)).toBe(end);

    expect(await produceDirect(leader, topic, 1, ['acks1-direct'])).toEqual({ errorCode: ErrorCode.NONE, baseOffset: end });
    await kcatProduce(cluster.bootstrap, topic, [{ key: 'k', value: 'acks1-kcat' }], ['-X', 'acks=1']);
    expect(await confluentSendOne(topic, '1', 'acks1-librdkafka')).toEqual({ code: 0, name: null });

    for (const follower of followers) await cluster.brokerAction(follower, 'start');
    await clusterAdmin.waitForIsr(topic, ALL);
    expect((await produceDirect(leader, topic, -1, ['after-direct'])).errorCode).toBe(ErrorCode.NONE);
    expect(await confluentSendOne(topic, 'all', 'after-librdkafka')).toEqual({ code: 0, name: null });
    await kcatProduce(cluster.bootstrap, topic, [{ key: 'k', value: 'after-kcat' }], ['-X', 'acks=all']);

    const values = (await kcatConsumeAll(cluster.bootstrap, topic)).map((line) => line.value);
    expect(values).toEqual(['before', 'acks1-direct', 'acks1-kcat', 'acks1-librdkafka', 'after-direct', 'after-librdkafka', 'after-kcat']);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 60_000);
});

describe('item 3: a follower that falls behind', () => {
  it(`leaves the ISR after about replica.lag.time.max.ms (${LAG_MS} ms), not before, rejoins after catching up, and the leader's HW never goes back`, async () => {
    const topic = 'lagging-follower';
    await createTopic(topic);
    const { leader } = await clusterAdmin.partition(topic);
    const laggard = ALL.find((id) => id !== leader)!;

    // Steady acks=1 load, and a sampler of the leader's HW for the whole scenario.
    const producer = startKafkajsProducer(kafka, { topic, prefix: 'lag', acks: 1, pauseMs: 20 });
    const hwSamples: number[] = [];
    let sampling = true;
    const sampler = (async () => {
      for (let i = 0; i < 1_000 && sampling; i++) {
        hwSamples.push(await clusterAdmin.highWatermark(leader, topic));
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    })();
    try {
      await waitFor('records flowing', async () => ((await clusterAdmin.highWatermark(leader, topic)) >= 20 ? true : undefined));

      const slowedAt = Date.now();
      await faultAction(cluster, laggard, 'slow', 120_000);
      // Polls membership until the laggard is gone (bounded by 3 × the lag time).
      let stillInAtThird = false;
      const leftAfterMs = await waitFor(
        `broker ${laggard} to leave the ISR`,
        async () => {
          const view = await clusterAdmin.partition(topic, 0, leader);
          const elapsed = Date.now() - slowedAt;
          if (view.isr.includes(laggard)) {
            if (elapsed >= LAG_MS / 3) stillInAtThird = true;
            return undefined;
          }
          return elapsed;
        },
        LAG_MS * 3,
        100,
      );
      expect(stillInAtThird, `broker ${laggard} left the ISR ${leftAfterMs} ms after it was slowed, before lag/3`).toBe(true);
      expect(leftAfterMs).toBeGreaterThanOrEqual(LAG_MS / 3);

      // The others still take acks=all writes (2 of 3 in sync is enough).
      expect((await produceDirect(leader, topic, -1, ['while-out'])).errorCode).toBe(ErrorCode.NONE);

      await faultAction(cluster, laggard, 'slow', 0);
      await clusterAdmin.waitForPartition(topic, `broker ${laggard} back in the ISR`, (view) => view.isr.includes(laggard), LAG_MS * 3);
    } finally {
      sampling = false;
      await sampler;
    }
    const report = await producer.stop();
    expect(report.failed).toEqual([]);
    for (let i = 1; i < hwSamples.length; i++) {
      if (hwSamples[i]! < hwSamples[i - 1]!) throw new Error(`the leader's HW went back from ${hwSamples[i - 1]} to ${hwSamples[i]}`);
    }
    expect(hwSamples.length).toBeGreaterThan(10);
    expectDelivered(await kcatConsumeAll(cluster.bootstrap, topic), report, { idempotent: false, prefix: 'lag' });
    // Rejoining means it caught up: its log ends up the same as the others'.
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 60_000);

  it('an isolated follower is fenced and leaves the ISR; healed, it catches up and rejoins', async () => {
    const topic = 'isolated-follower';
    await createTopic(topic);
    const { leader } = await clusterAdmin.partition(topic);
    const isolated = ALL.find((id) => id !== leader)!;
    await faultAction(cluster, isolated, 'isolate');
    await clusterAdmin.waitForPartition(topic, `broker ${isolated} out of the ISR`, (view) => !view.isr.includes(isolated), LAG_MS * 3);
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    const values = Array.from({ length: 10 }, (_, i) => `iso-${i}`);
    try {
      for (const value of values) await producer.send({ topic, acks: -1, messages: [{ value }] });
    } finally {
      await producer.disconnect();
    }
    await faultAction(cluster, isolated, 'heal');
    await clusterAdmin.waitForIsr(topic, ALL, LAG_MS * 3);
    expect((await kcatConsumeAll(cluster.bootstrap, topic)).map((line) => line.value)).toEqual(values);
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 60_000);
});

describe('acks=all produce requests pipelined on one connection', () => {
  /** Writes every frame at once on a raw socket and collects the response frames (size prefix removed) in arrival order. */
  function exchange(address: string, frames: Buffer[][], timeoutMs: number): Promise<Buffer[]> {
    const [host, port] = address.split(':');
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: host!, port: Number(port) });
      let pending = Buffer.alloc(0);
      const received: Buffer[] = [];
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`only ${received.length} of ${frames.length} answers within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.on('data', (chunk: Buffer) => {
        pending = Buffer.concat([pending, chunk]);
        while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
          received.push(pending.subarray(4, 4 + pending.readInt32BE(0)));
          pending = pending.subarray(4 + pending.readInt32BE(0));
        }
        if (received.length >= frames.length) {
          clearTimeout(timer);
          socket.destroy();
          resolve(received);
        }
      });
      socket.on('error', reject);
      socket.once('connect', () => socket.write(Buffer.concat(frames.flat())));
    });
  }

  it('are appended and answered in the order sent, with Metadata requests between them answered in their place, while slowed followers replicate them', async () => {
    const topic = 'isr-pipelined-acks-all';
    await createTopic(topic);
    const versions = (await clusterAdmin.connection(1)).versions!;
    const produceVersion = versions.get(ApiKey.Produce)!;
    const metadataVersion = versions.get(ApiKey.Metadata)!;
    const sends = 24;
    const values = Array.from({ length: sends }, (_, i) => [`p${i}-a`, `p${i}-b`]);
    // Slow followers keep every acks=all produce waiting for replication while the next ones arrive.
    for (const follower of [2, 3]) await faultAction(cluster, follower, 'slow', 150);
    try {
      const frames = await Promise.all(
        Array.from({ length: sends * 2 }, async (_, i) => {
          const correlationId = 500 + i;
          if (i % 2 === 1) return encodeRequestFrame(ApiKey.Metadata, metadataVersion, correlationId, 'pipeline', { ...defaultMetadataRequest(), topics: null });
          const records = await encodeRecordBatch({ records: values[i / 2]!.map((value) => ({ key: null, value: Buffer.from(value) })) });
          return encodeRequestFrame(ApiKey.Produce, produceVersion, correlationId, 'pipeline', { ...defaultProduceRequest(), acks: -1, timeoutMs: 20_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
        }),
      );
      const answers = await exchange(cluster.brokerAddresses[0]!, frames, 45_000);
      // Every response header starts with the correlation id: answers leave in request order.
      expect(answers.map((frame) => frame.readInt32BE(0))).toEqual(frames.map((_, i) => 500 + i));
      const produced = answers
        .filter((_, i) => i % 2 === 0)
        .map((frame) => {
          const decoded = decodeResponseFrame(ApiKey.Produce, produceVersion, frame);
          if (!decoded.ok) throw new Error(`undecodable produce answer: ${JSON.stringify(decoded.error)}`);
          const partition = decoded.body.responses[0]!.partitionResponses[0]!;
          return { errorCode: partition.errorCode, baseOffset: Number(partition.baseOffset) };
        });
      // Appended in the order sent: two records per request, offsets back to back.
      expect(produced).toEqual(values.map((_, i) => ({ errorCode: ErrorCode.NONE, baseOffset: 2 * i })));
    } finally {
      for (const follower of [2, 3]) await faultAction(cluster, follower, 'slow', 0);
    }
    expect((await kcatConsumeAll(cluster.bootstrap, topic)).map((line) => line.value)).toEqual(values.flat());
    await waitForIdenticalReplicaLogs(cluster, topic, 0, ALL);
  }, 90_000);
});
