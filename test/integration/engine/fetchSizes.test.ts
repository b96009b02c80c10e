/**
 * How much a Fetch answer carries, against real segment files: answers continue across
 * segment boundaries, the partition's and the request's max bytes are hard limits except for
 * the first batch of the first partition with data (KIP-74, Kafka's ReplicaManager), and real
 * clients (kcat, kafka-python) read every record exactly once whatever their fetch sizes.
 */
import fs from 'node:fs';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../../src/protocol/generated/fetchRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { readBatchHeader, splitBatches, verifyBatchCrc } from '../../../src/protocol/records/batchHeader';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { printClusterLogsOnFailure, requireDistBuild, segmentFiles, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, runPython } from '../../helpers/externalClients';

let cluster: EmbeddedCluster | undefined;
let admin: Admin;
let connection: KafkaConnection;
const current = () => cluster!;
printClusterLogsOnFailure(() => cluster);

/** 24 batches of 10 records of 1,000 bytes (about 10 KiB each) in segments of 16 KiB: one batch per segment. */
const SEGMENTED = 'fetch-segmented';
const BATCHES = 24;
const PER_BATCH = 10;
const valueOf = (offset: number) => `v${String(offset).padStart(6, '0')}-${'x'.repeat(992)}`;

/** One batch of a single 64 KiB record, then small batches: the big one exceeds every small fetch limit. */
const BIG = 'fetch-big-batch';
const BIG_VALUE = 'b'.repeat(64 * 1024);

beforeAll(async () => {
  requireDistBuild();
  cluster = await startEmbeddedCluster({ brokers: 1 });
  const kafka = new Kafka({ brokers: current().bootstrap.split(','), clientId: 'fetch-sizes', logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    waitForLeaders: true,
    topics: [
      { topic: SEGMENTED, numPartitions: 1, configEntries: [{ name: 'segment.bytes', value: '16384' }] },
      { topic: BIG, numPartitions: 2 },
    ],
  });
  const [host, port] = current().brokerAddresses[0]!.split(':');
  connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'fetch-sizes-test', requestTimeoutMs: 10_000 });
  await connection.connect();
  await connection.negotiate();
  for (let batch = 0; batch < BATCHES; batch++) {
    const offsets = Array.from({ length: PER_BATCH }, (_, i) => batch * PER_BATCH + i);
    await produce(SEGMENTED, 0, offsets.map(valueOf));
  }
  for (const partition of [0, 1]) {
    await produce(BIG, partition, [BIG_VALUE]);
    await produce(BIG, partition, ['small-1', 'small-2']);
  }
}, 120_000);

afterAll(async () => {
  await connection?.close().catch(() => undefined);
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function produce(topic: string, partition: number, values: string[]): Promise<void> {
  const records = await encodeRecordBatch({ records: values.map((value) => ({ value: Buffer.from(value) })) });
  const response = await connection.send(ApiKey.Produce, {
    ...defaultProduceRequest(),
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  expect(response.responses[0]?.partitionResponses[0]?.errorCode, `produce to ${topic}-${partition}`).toBe(0);
}

interface FetchedPartition {
  errorCode: number;
  highWatermark: number;
  batches: Buffer[];
  bytes: number;
}

async function fetch(
  topic: string,
  partitions: { partition: number; fetchOffset: number; partitionMaxBytes: number }[],
  maxBytes = 50 * 1024 * 1024,
): Promise<FetchedPartition[]> {
  const response = await connection.send(ApiKey.Fetch, {
    ...defaultFetchRequest(),
    maxBytes,
    topics: [
      {
        topic,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: partitions.map((p) => ({ ...defaultFetchRequestFetchPartition(), partition: p.partition, fetchOffset: BigInt(p.fetchOffset), partitionMaxBytes: p.partitionMaxBytes })),
      },
    ],
  });
  expect(response.errorCode).toBe(0);
  const answered = response.responses[0]!.partitions;
  return partitions.map(({ partition }) => {
    const data = answered.find((p) => p.partitionIndex === partition)!;
    const records = data.records ?? Buffer.alloc(0);
    const { batches, partialTailBytes } = splitBatches(records);
    expect(partialTailBytes, 'an answer carries whole batches only').toBe(0);
    for (const batch of batches) expect(verifyBatchCrc(batch), 'every batch arrives intact').toBe(true);
    return { errorCode: data.errorCode, highWatermark: Number(data.highWatermark), batches, bytes: records.length };
  });
}

const baseOffsetOf = (batch: Buffer) => Number(readBatchHeader(batch).baseOffset);
const nextOffsetOf = (batch: Buffer) => baseOffsetOf(batch) + readBatchHeader(batch).lastOffsetDelta + 1;

describe('Fetch answers across segment boundaries', () => {
  it('stores the test log as one batch per segment file', () => {
    const files = segmentFiles(current().partitionDir(1, SEGMENTED, 0));
    expect(files).toHaveLength(BATCHES);
    for (const file of files) expect(splitBatches(fs.readFileSync(file)).batches).toHaveLength(1);
  });

  it('answers a fetch from offset 0 with every segment, byte for byte, in one answer', async () => {
    const [answer] = await fetch(SEGMENTED, [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024 }]);
    const stored = Buffer.concat(segmentFiles(current().partitionDir(1, SEGMENTED, 0)).map((file) => fs.readFileSync(file)));
    expect(answer!.errorCode).toBe(0);
    expect(answer!.batches).toHaveLength(BATCHES);
    expect(Buffer.concat(answer!.batches).equals(stored)).toBe(true);
  });

  it('answers a fetch from inside a batch with that whole batch and the following segments, within the partition max bytes', async () => {
    const batchSize = fs.statSync(segmentFiles(current().partitionDir(1, SEGMENTED, 0))[0]!).size;
    const limit = Math.floor(batchSize * 3.5);
    const [answer] = await fetch(SEGMENTED, [{ partition: 0, fetchOffset: 5 * PER_BATCH + 3, partitionMaxBytes: limit }]);
    expect(answer!.batches.map(baseOffsetOf)).toEqual([50, 60, 70]);
    expect(answer!.bytes).toBeLessThanOrEqual(limit);
  });

  it('kcat reads every record exactly once, in order, with fetches of one segment and of all of them', async () => {
    const expected = Array.from({ length: BATCHES * PER_BATCH }, (_, offset) => ({ offset, value: valueOf(offset) }));
    for (const fetchBytes of ['12000', '1048576']) {
      const consumed = await kcatConsumeAll(current().bootstrap, SEGMENTED, { partition: 0, extraArgs: ['-X', `fetch.message.max.bytes=${fetchBytes}`] });
      expect(consumed.map(({ offset, value }) => ({ offset, value })), `fetch.message.max.bytes=${fetchBytes}`).toEqual(expected);
    }
  });

  it('kafka-python reads every record exactly once with a partition fetch size of one and a half segments', async () => {
    const offsets = await runPython<number[]>(
      'kafka-python consume',
      `
import json, sys, time
from kafka import KafkaConsumer, TopicPartition
params = json.load(sys.stdin)
consumer = KafkaConsumer(bootstrap_servers=params['bootstrap'].split(','), group_id=None, enable_auto_commit=False,
                         max_partition_fetch_bytes=params['fetchBytes'], request_timeout_ms=15000)
tp = TopicPartition(params['topic'], 0)
consumer.assign([tp])
consumer.seek_to_beginning(tp)
offsets = []
deadline = time.time() + 30
while time.time() < deadline and consumer.position(tp) < params['end']:
    for messages in consumer.poll(timeout_ms=500).values():
        offsets.extend(m.offset for m in messages if m.value.decode() == 'v%06d-' % m.offset + 'x' * 992)
consumer.close()
print(json.dumps(offsets))
`,
      { bootstrap: current().bootstrap, topic: SEGMENTED, fetchBytes: 16_000, end: BATCHES * PER_BATCH },
    );
    expect(offsets).toEqual(Array.from({ length: BATCHES * PER_BATCH }, (_, offset) => offset));
  });
});

describe('Fetch max bytes', () => {
  it('returns a batch bigger than the partition max bytes whole when it comes first', async () => {
    const [answer] = await fetch(BIG, [{ partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 }]);
    expect(answer!.batches).toHaveLength(1);
    expect(answer!.bytes).toBeGreaterThan(64 * 1024);
    const stored = splitBatches(fs.readFileSync(segmentFiles(current().partitionDir(1, BIG, 0))[0]!)).batches[0]!;
    expect(answer!.batches[0]!.equals(stored)).toBe(true);
  });

  it('gives a later partition nothing once the request max bytes is used up, and the first batch whole when no earlier partition had data', async () => {
    // Partition 0 fills the request's 1 KiB with its big batch: partition 1 gets nothing, not its own big batch.
    const [first, second] = await fetch(
      BIG,
      [
        { partition: 0, fetchOffset: 0, partitionMaxBytes: 1024 * 1024 },
        { partition: 1, fetchOffset: 0, partitionMaxBytes: 1024 * 1024 },
      ],
      1024,
    );
    expect(first!.batches.map(baseOffsetOf)).toEqual([0]);
    expect(second!.errorCode).toBe(0);
    expect(second!.batches).toEqual([]);
    expect(second!.highWatermark).toBe(3);

    // Partition 0 is at its end: partition 1 is the first with data and gets its big batch whole.
    const [atEnd, next] = await fetch(
      BIG,
      [
        { partition: 0, fetchOffset: 3, partitionMaxBytes: 1024 },
        { partition: 1, fetchOffset: 0, partitionMaxBytes: 1024 },
      ],
      1024,
    );
    expect(atEnd!.batches).toEqual([]);
    expect(next!.batches.map(baseOffsetOf)).toEqual([0]);
    expect(next!.bytes).toBeGreaterThan(64 * 1024);
  });

  it('adds a batch after the first only when the whole of it fits in the partition max bytes', async () => {
    const [big, small] = splitBatches(fs.readFileSync(segmentFiles(current().partitionDir(1, BIG, 0))[0]!)).batches.map((batch) => batch.length);
    const [oneByteShort] = await fetch(BIG, [{ partition: 0, fetchOffset: 0, partitionMaxBytes: big! + small! - 1 }]);
    expect(oneByteShort!.batches.map(nextOffsetOf)).toEqual([1]);
    const [exact] = await fetch(BIG, [{ partition: 0, fetchOffset: 0, partitionMaxBytes: big! + small! }]);
    expect(exact!.batches.map(nextOffsetOf)).toEqual([1, 3]);
  });

  it('kcat and kafka-python consume a record bigger than their fetch sizes', async () => {
    const consumed = await kcatConsumeAll(current().bootstrap, BIG, { partition: 1, extraArgs: ['-X', 'fetch.message.max.bytes=1024'] });
    expect(consumed.map(({ offset, value }) => ({ offset, value }))).toEqual([
      { offset: 0, value: BIG_VALUE },
      { offset: 1, value: 'small-1' },
      { offset: 2, value: 'small-2' },
    ]);
    const lengths = await runPython<number[]>(
      'kafka-python consume',
      `
import json, sys, time
from kafka import KafkaConsumer, TopicPartition
params = json.load(sys.stdin)
consumer = KafkaConsumer(bootstrap_servers=params['bootstrap'].split(','), group_id=None, enable_auto_commit=False,
                         max_partition_fetch_bytes=1024, fetch_max_bytes=1024, request_timeout_ms=15000)
tp = TopicPartition(params['topic'], 1)
consumer.assign([tp])
consumer.seek_to_beginning(tp)
lengths = []
deadline = time.time() + 30
while time.time() < deadline and consumer.position(tp) < 3:
    for messages in consumer.poll(timeout_ms=500).values():
        lengths.extend(len(m.value) for m in messages)
consumer.close()
print(json.dumps(lengths))
`,
      { bootstrap: current().bootstrap, topic: BIG },
    );
    expect(lengths).toEqual([64 * 1024, 7, 7]);
  });
});
