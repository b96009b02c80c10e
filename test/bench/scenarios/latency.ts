import { spawn } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Kafka, logLevel } from 'kafkajs';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../../src/protocol/generated/createTopicsRequest';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../../src/protocol/generated/fetchRequest';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { splitBatches } from '../../../src/protocol/records/batchHeader';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { startCluster } from '../cluster';
import { figure, type Figure } from '../figure';
import { startMachineShare } from '../machineShare';
import { SYSTEM_PYTHON, runProcess } from '../../helpers/externalClients';

/** 10,000 records/s: a 100-record batch every 10 ms. */
const RECORDS_PER_SEND = 100;
const SEND_INTERVAL_MS = 10;
/**
 * Each measurement first runs the same workload this long, unrecorded, through the same
 * clients and topic: the first second of a fresh topic on a fresh cluster pays one-off costs
 * (cold JIT in brokers and client, the producer's first metadata and leader connection, the
 * group's first fetch), which at 10,000 records/s put up to a few hundred ms on the first
 * records and alone decided the p99 of whichever measurement ran first. The figure is the
 * steady state, as in Kafka's own latency tests.
 */
const WARMUP_SECONDS = 1;

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Calls `send` every SEND_INTERVAL_MS for `seconds` (catching up on late ticks), then waits for all sends. */
async function atFixedRate(seconds: number, send: () => Promise<unknown>): Promise<number> {
  const sends: Promise<unknown>[] = [];
  const end = performance.now() + seconds * 1000;
  let next = performance.now();
  while (performance.now() < end) {
    sends.push(send());
    next += SEND_INTERVAL_MS;
    await sleep(Math.max(0, next - performance.now()));
  }
  await Promise.all(sends);
  return sends.length * RECORDS_PER_SEND;
}

/**
 * kafkajs, the app's own client, as users run it: a producer and a group consumer with its
 * default auto-commit (an OffsetCommit after every batch, which for a group on an RF 3
 * __consumer_offsets waits for replication like any acks=all write). maxWaitTimeInMs only
 * bounds how long disconnecting waits for the last long poll: the broker answers a waiting
 * fetch as soon as the high watermark moves. Latency per record is the time from building
 * it to the consumer's eachBatch.
 */
/** Latencies of what arrived, sorted, and how many were sent (a shortfall means the rest took longer than the wait). */
interface Measured {
  sorted: number[];
  sent: number;
  /** The machine's CPU share stolen by the hypervisor during the measurement (see machineShare.ts). */
  stealPercent?: number;
}

async function measureKafkajs(bootstrap: string, topic: string, rf: number, acks: number, seconds: number): Promise<Measured> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-latency', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: rf }] });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `latency-${topic}`, maxWaitTimeInMs: 100 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const latencies: number[] = [];
  /** Records created before this (the warm-up) are consumed but not counted. */
  let measuredFrom = Number.POSITIVE_INFINITY;
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) {
        const created = Number(message.value!.toString());
        if (created >= measuredFrom) latencies.push(now - created);
      }
    },
  });
  for (let i = 0; i < 200 && !joined; i++) await sleep(50);
  const send = () => producer.send({ topic, acks, messages: Array.from({ length: RECORDS_PER_SEND }, () => ({ value: String(Date.now()) })) });
  await atFixedRate(WARMUP_SECONDS, send);
  measuredFrom = Date.now();
  const expected = await atFixedRate(seconds, send);
  for (let i = 0; i < 200 && latencies.length < expected; i++) await sleep(50);
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return { sorted: latencies.sort((a, b) => a - b), sent: expected };
}

const LIBRDKAFKA_CLIENT = path.join(path.dirname(fileURLToPath(import.meta.url)), '../librdkafkaLatency.py');

/**
 * librdkafka (confluent-kafka in /usr/bin/python3, see librdkafkaLatency.py), the client
 * most non-Java users run, with a group consumer on its defaults: offsets are committed in
 * the background every 5 s, as the Java consumer does, where kafkajs commits after every
 * batch before it fetches again. The producer sets linger.ms=0, as a latency-sensitive one
 * would. Producer and consumer are separate processes, so neither's work delays the other's.
 */
async function measureLibrdkafka(bootstrap: string, topic: string, rf: number, acks: number, seconds: number): Promise<Measured> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-latency', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: rf }] });
  await admin.disconnect();
  const params = { bootstrap, topic, group: `latency-${topic}`, acks, seconds, warmupSeconds: WARMUP_SECONDS, maxSeconds: WARMUP_SECONDS + seconds + 60 };
  const consumer = spawn(SYSTEM_PYTHON, [LIBRDKAFKA_CLIENT, 'consume', JSON.stringify(params)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let consumerErrors = '';
  consumer.stderr.setEncoding('utf8').on('data', (chunk: string) => (consumerErrors += chunk));
  const exited = new Promise<number | null>((resolve) => consumer.on('close', resolve));
  const lines = createInterface({ input: consumer.stdout })[Symbol.asyncIterator]();
  try {
    const ready = await lines.next();
    if (ready.done === true || ready.value !== 'ready') throw new Error(`librdkafka consumer did not start: ${consumerErrors.trim()}`);
    const produced = await runProcess(SYSTEM_PYTHON, [LIBRDKAFKA_CLIENT, 'produce', JSON.stringify(params)], { timeoutMs: (WARMUP_SECONDS + seconds + 60) * 1000 });
    if (produced.exitCode !== 0) throw new Error(`librdkafka producer failed: ${produced.stderr.trim()}`);
    const { sent } = JSON.parse(produced.stdout) as { sent: number };
    const report = await lines.next();
    if (report.done === true) throw new Error(`librdkafka consumer ended without a report: ${consumerErrors.trim()}`);
    const { latencies } = JSON.parse(report.value) as { latencies: number[] };
    return { sorted: latencies.sort((a, b) => a - b), sent };
  } finally {
    consumer.kill();
    await exited;
  }
}

/** The address of partition 0's leader once all `rf` replicas are in sync, and the topic's id. */
export async function leaderWithFullIsr(admin: KafkaConnection, topic: string, rf: number): Promise<{ address: string; topicId: string }> {
  for (let i = 0; i < 100; i++) {
    const metadata = await admin.send(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: topic }], allowAutoTopicCreation: false });
    const partition = metadata.topics[0]?.partitions[0];
    const broker = metadata.brokers.find((b) => b.nodeId === partition?.leaderId);
    if (partition !== undefined && broker !== undefined && partition.isrNodes.length === rf) return { address: `${broker.host}:${broker.port}`, topicId: metadata.topics[0]!.topicId };
    await sleep(50);
  }
  throw new Error(`${topic} got no leader with a full ISR`);
}

export async function connect(address: string): Promise<KafkaConnection> {
  const [host, port] = address.split(':');
  const connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'bench-latency' });
  await connection.connect();
  await connection.negotiate();
  return connection;
}

/**
 * The same workload through our protocol client, one Produce and one long-polling Fetch
 * connection to the leader, no group: what the brokers alone add, without a client's
 * batching, commits and heartbeats. Latency per batch is send to the fetch that returns it.
 */
async function measureProtocolClient(bootstrap: string, topic: string, rf: number, acks: number, seconds: number): Promise<Measured> {
  const admin = await connect(bootstrap.split(',')[0]!);
  await admin.send(ApiKey.CreateTopics, { ...defaultCreateTopicsRequest(), topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: topic, numPartitions: 1, replicationFactor: rf }] });
  const leader = await leaderWithFullIsr(admin, topic, rf);
  await admin.close();
  const [producer, consumer] = await Promise.all([connect(leader.address), connect(leader.address)]);
  /** Send times of the measured batches by base offset; warm-up batches are not in it. */
  const sentAt = new Map<bigint, number>();
  let measuring = false;
  const latencies: number[] = [];
  let nextBase = 0n;
  let fetchOffset = 0n;
  let consuming = true;
  const consumed = (async () => {
    while (consuming) {
      const response = await consumer.send(ApiKey.Fetch, {
        ...defaultFetchRequest(),
        maxWaitMs: 100,
        minBytes: 1,
        maxBytes: 1 << 20,
        topics: [{ topic, topicId: leader.topicId, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
      });
      const now = performance.now();
      for (const batch of splitBatches(response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0)).batches) {
        const base = batch.readBigInt64BE(0);
        const sent = sentAt.get(base);
        if (sent !== undefined) latencies.push(now - sent);
        fetchOffset = base + BigInt(batch.readInt32BE(23) + 1);
      }
    }
  })();
  const values = Array.from({ length: RECORDS_PER_SEND }, (_, i) => ({ value: Buffer.from(String(i).padStart(12, '0')) }));
  const send = async () => {
    const records = await encodeRecordBatch({ records: values });
    if (measuring) sentAt.set(nextBase, performance.now());
    nextBase += BigInt(RECORDS_PER_SEND);
    await producer.send(ApiKey.Produce, { ...defaultProduceRequest(), acks, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
  };
  await atFixedRate(WARMUP_SECONDS, send);
  measuring = true;
  const expected = await atFixedRate(seconds, send);
  for (let i = 0; i < 200 && latencies.length * RECORDS_PER_SEND < expected; i++) await sleep(50);
  consuming = false;
  await consumed;
  await Promise.all([producer.close(), consumer.close()]);
  return { sorted: latencies.sort((a, b) => a - b), sent: expected / RECORDS_PER_SEND };
}

/** Per-run percentiles, each the median over the runs; `arrived` is the worst run's. */
const details = (prefix: string, runs: readonly Measured[]) => {
  const median = (values: number[]) => values.sort((x, y) => x - y)[Math.floor(values.length / 2)]!;
  return {
    [`${prefix} p50`]: median(runs.map((run) => percentile(run.sorted, 50))),
    [`${prefix} p99`]: median(runs.map((run) => percentile(run.sorted, 99))),
    [`${prefix} p999`]: median(runs.map((run) => percentile(run.sorted, 99.9))),
    // Below 1, the percentiles leave out what had not arrived when the wait ended.
    [`${prefix} arrived`]: Math.min(...runs.map(({ sorted, sent }) => sorted.length / sent)),
    [`${prefix} worst steal %`]: Math.max(...runs.map((run) => run.stealPercent ?? 0)),
  };
};

type Measure = (bootstrap: string, topic: string, rf: number, acks: number, seconds: number) => Promise<Measured>;

/**
 * End-to-end latency, produce to consume, at 10,000 records/s, RF 3 acks=all against the
 * same workload on RF 1 acks=1 in the same run: with kafkajs, with librdkafka, and with our
 * protocol client (the brokers' share of it). Each client measures `runs` times, each run on
 * fresh topics, and a figure is the median of the runs' p99s: one run's p99 is its few
 * slowest records, which one stall of the shared machine decides (a run at 02:20 UTC had 5 s
 * windows from 6 to 228 ms, see the README).
 */
export async function latency(work: string, seconds: number, runs: number): Promise<Figure[]> {
  const cluster = await startCluster(path.join(work, 'latency'), 3, ['--group-initial-rebalance-delay-ms', '0']);
  const clients: { label: string; topic: string; measure: Measure }[] = [
    { label: 'kafkajs', topic: 'latency', measure: measureKafkajs },
    { label: 'librdkafka', topic: 'latency-rdkafka', measure: measureLibrdkafka },
    { label: 'protocol client', topic: 'latency-raw', measure: measureProtocolClient },
  ];
  const replicated = clients.map((): Measured[] => []);
  const single = clients.map((): Measured[] => []);
  const admin = new Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'bench-latency-admin', logLevel: logLevel.NOTHING }).admin();
  try {
    await admin.connect();
    // Each measurement's topic is deleted after it: a follower's fetch names every partition
    // it follows from a leader, so topics left behind would make every later run slower.
    const measure = async (client: (typeof clients)[number], topic: string, rf: number, acks: number) => {
      const machine = startMachineShare();
      const measured = await client.measure(cluster.bootstrap, topic, rf, acks, seconds);
      const stealPercent = machine.stop()?.stealPercent;
      await admin.deleteTopics({ topics: [topic] });
      const steal = stealPercent === undefined ? '' : `, machine steal ${stealPercent.toFixed(1)}%`;
      const percentiles = measured.sorted.length === 0 ? 'no records arrived' : `p50 ${percentile(measured.sorted, 50).toFixed(2)} ms, p99 ${percentile(measured.sorted, 99).toFixed(2)} ms`;
      process.stderr.write(`bench: latency ${client.label} RF ${rf}: ${percentiles}${steal}\n`);
      return { ...measured, ...(stealPercent === undefined ? {} : { stealPercent }) };
    };
    for (let run = 0; run < runs; run++) {
      for (const [i, client] of clients.entries()) {
        replicated[i]!.push(await measure(client, `${client.topic}-rf3-${run}`, 3, -1));
        single[i]!.push(await measure(client, `${client.topic}-rf1-${run}`, 1, 1));
      }
    }
    return clients.map((client, i) =>
      figure(
        `latency p99 RF3 acks=all @10k rec/s (${client.label})`,
        'ms',
        replicated[i]!.map((run) => percentile(run.sorted, 99)),
        'p99 RF1 acks=1, same rate',
        single[i]!.map((run) => percentile(run.sorted, 99)),
        { ...details('rf3', replicated[i]!), ...details('rf1', single[i]!) },
      ),
    );
  } finally {
    await admin.disconnect().catch(() => undefined);
    await cluster.stop();
  }
}
