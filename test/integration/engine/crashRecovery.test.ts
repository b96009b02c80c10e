/**
 * Broker crashes (SIGKILL through the control API) and clean restarts while real clients
 * write, then the pass criteria of kafka-semantics.md section 6: every acknowledged message
 * is consumed, idempotent producers leave no duplicates, offsets strictly increase, and a
 * torn segment tail is cut back to the last whole batch on recovery.
 */
import { appendFileSync, readFileSync, statSync, truncateSync } from 'node:fs';
import { Kafka, logLevel, type Admin, type Producer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readBatchHeader, splitBatches, verifyBatchCrc } from '../../../src/protocol/records/batchHeader';
import { printClusterLogsOnFailure, segmentFiles, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatLeaderOf, type ConsumedLine } from '../../helpers/externalClients';

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 2 });
  kafka = new Kafka({
    clientId: 'samsa-it-crash',
    brokers: cluster.brokerAddresses,
    logLevel: logLevel.NOTHING,
    // Retries must outlast a broker restart (about a second), so no send gives up while
    // the leader is down: a given-up idempotent send would desynchronise kafkajs' sequences.
    retry: { retries: 30, initialRetryTime: 100, maxRetryTime: 500 },
  });
  admin = kafka.admin();
  await admin.connect();
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function createTopic(topic: string): Promise<number> {
  expect(await admin.createTopics({ topics: [{ topic, numPartitions: 1 }], waitForLeaders: true })).toBe(true);
  return kcatLeaderOf(cluster.bootstrap, topic, 0);
}

/** Waits until metadata names a live leader for partition 0 again (after a restart). */
function leaderServing(topic: string): Promise<number> {
  return waitFor(`a leader for ${topic}-0`, () => kcatLeaderOf(cluster.bootstrap, topic, 0), 15_000, 100);
}

async function withProducer<T>(options: Parameters<Kafka['producer']>[0], use: (producer: Producer) => Promise<T>): Promise<T> {
  const producer = kafka.producer({ allowAutoTopicCreation: false, ...options });
  await producer.connect();
  try {
    return await use(producer);
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
}

function expectStrictlyIncreasingOffsets(lines: ConsumedLine[]): void {
  const offsets = lines.map((line) => line.offset);
  expect(offsets.every((offset, index) => index === 0 || offset > offsets[index - 1]!), `offsets ${offsets.join(',')}`).toBe(true);
}

interface CrashRun {
  acknowledged: Set<string>;
  /** Messages whose send was in flight while the leader was being killed. */
  inFlightAtKill: Set<string>;
  failed: string[];
}

/**
 * Sends numbered messages one at a time (bounded in count and time) and SIGKILLs the
 * leader once `killAfter` are acknowledged, restarting it right away, while the sends go on.
 */
async function produceThroughLeaderCrash(producer: Producer, topic: string, leader: number, options: { acks: number; total: number; killAfter: number }): Promise<CrashRun> {
  const run: CrashRun = { acknowledged: new Set(), inFlightAtKill: new Set(), failed: [] };
  let killing = false;
  let crash: Promise<void> | undefined;
  const deadline = Date.now() + 40_000;
  for (let i = 0; i < options.total && Date.now() < deadline; i++) {
    const value = `message-${i}`;
    if (run.acknowledged.size === options.killAfter && crash === undefined) {
      killing = true;
      crash = (async () => {
        expect((await cluster.brokerAction(leader, 'kill')).state).toBe('killed');
        killing = false;
        expect((await cluster.brokerAction(leader, 'start')).state).toBe('running');
      })();
    }
    if (killing) run.inFlightAtKill.add(value);
    try {
      await producer.send({ topic, acks: options.acks, messages: [{ partition: 0, value }] });
      run.acknowledged.add(value);
    } catch {
      run.failed.push(value);
    }
  }
  expect(crash, 'the leader was killed during the run').toBeDefined();
  await crash;
  return run;
}

describe('leader killed (SIGKILL) while a producer writes', () => {
  it('keeps every acknowledged acks=1 message, in strictly increasing offsets', async () => {
    const topic = 'crash-acks-1';
    const leader = await createTopic(topic);
    const run = await withProducer({}, (producer) => produceThroughLeaderCrash(producer, topic, leader, { acks: 1, total: 400, killAfter: 100 }));
    expect(run.acknowledged.size).toBeGreaterThan(100);

    await leaderServing(topic);
    const lines = await kcatConsumeAll(cluster.bootstrap, topic);
    expectStrictlyIncreasingOffsets(lines);
    const counts = new Map<string, number>();
    for (const line of lines) counts.set(line.value, (counts.get(line.value) ?? 0) + 1);
    const missing = [...run.acknowledged].filter((value) => !counts.has(value));
    expect(missing, 'acknowledged messages missing after the crash').toEqual([]);
    // Without idempotence a send whose append survived the kill but whose answer did not is
    // retried and stored twice; that can only happen to a message in flight at the kill.
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([value]) => value);
    expect(duplicated.filter((value) => !run.inFlightAtKill.has(value)), 'duplicates of messages not in flight at the kill').toEqual([]);
    // Nothing appears that was never sent.
    expect([...counts.keys()].filter((value) => !/^message-\d+$/.test(value))).toEqual([]);
  });

  it('keeps every message of an idempotent producer exactly once, since retries after recovery are de-duplicated', async () => {
    const topic = 'crash-idempotent';
    const leader = await createTopic(topic);
    const total = 300;
    const run = await withProducer({ idempotent: true, maxInFlightRequests: 1 }, (producer) =>
      produceThroughLeaderCrash(producer, topic, leader, { acks: -1, total, killAfter: 100 }),
    );
    expect(run.failed, 'sends that gave up (the retry budget should outlast the restart)').toEqual([]);

    await leaderServing(topic);
    const lines = await kcatConsumeAll(cluster.bootstrap, topic);
    expectStrictlyIncreasingOffsets(lines);
    expect(lines.map((line) => line.value)).toEqual(Array.from({ length: total }, (_, i) => `message-${i}`));
  });
});

/** The whole batches of a segment file: their sizes, CRC checks and record counts. */
function inspectSegment(file: string): { size: number; wholeBatchBytes: number; partialTailBytes: number; crcOk: boolean[]; records: number; lastBatchSize: number } {
  const bytes = readFileSync(file);
  const { batches, partialTailBytes } = splitBatches(bytes);
  return {
    size: statSync(file).size,
    wholeBatchBytes: batches.reduce((sum, batch) => sum + batch.length, 0),
    partialTailBytes,
    crcOk: batches.map(verifyBatchCrc),
    records: batches.reduce((sum, batch) => sum + readBatchHeader(batch).recordCount, 0),
    lastBatchSize: batches.at(-1)?.length ?? 0,
  };
}

describe('torn segment tail after a crash', () => {
  const BATCHES = 5;
  const PER_BATCH = 4;

  /** Writes BATCHES batches of PER_BATCH records (one send each), then SIGKILLs the leader. */
  async function writeThenKill(topic: string): Promise<{ leader: number; activeSegment: string }> {
    const leader = await createTopic(topic);
    await withProducer({}, async (producer) => {
      for (let b = 0; b < BATCHES; b++) {
        const messages = Array.from({ length: PER_BATCH }, (_, i) => ({ partition: 0, value: `value-${b * PER_BATCH + i}` }));
        await producer.send({ topic, acks: 1, messages });
      }
    });
    expect((await cluster.brokerAction(leader, 'kill')).state).toBe('killed');
    const activeSegment = segmentFiles(cluster.partitionDir(leader, topic, 0)).at(-1)!;
    const before = inspectSegment(activeSegment);
    expect(before.records).toBe(BATCHES * PER_BATCH);
    expect(before.partialTailBytes).toBe(0);
    return { leader, activeSegment };
  }

  async function restartAndCheck(topic: string, leader: number, activeSegment: string, survivingRecords: number): Promise<void> {
    expect((await cluster.brokerAction(leader, 'start')).state).toBe('running');
    await leaderServing(topic);

    const after = inspectSegment(activeSegment);
    expect(after.partialTailBytes, 'torn bytes left at the end of the segment').toBe(0);
    expect(after.size).toBe(after.wholeBatchBytes);
    expect(after.crcOk.every(Boolean), `batch CRCs ${after.crcOk.join(',')}`).toBe(true);
    expect(after.records).toBe(survivingRecords);

    const survivors = Array.from({ length: survivingRecords }, (_, i) => `value-${i}`);
    expect((await kcatConsumeAll(cluster.bootstrap, topic)).map((line) => [line.offset, line.value])).toEqual(survivors.map((value, i) => [i, value]));

    // Writing goes on right after the last whole batch.
    const [result] = await withProducer({}, (producer) => producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'after-recovery' }] }));
    expect(result?.baseOffset).toBe(String(survivingRecords));
    const lines = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(lines.at(-1)).toMatchObject({ offset: survivingRecords, value: 'after-recovery' });
    expect(lines).toHaveLength(survivingRecords + 1);
  }

  it('drops garbage appended after the last batch and keeps every complete batch', async () => {
    const topic = 'torn-garbage';
    const { leader, activeSegment } = await writeThenKill(topic);
    // Starts like a batch header with a plausible length, then ends: a write cut short.
    const garbage = Buffer.alloc(100, 0x5a);
    garbage.writeBigInt64BE(BigInt(BATCHES * PER_BATCH), 0);
    garbage.writeInt32BE(500, 8);
    appendFileSync(activeSegment, garbage);
    await restartAndCheck(topic, leader, activeSegment, BATCHES * PER_BATCH);
  });

  it('drops a last batch cut in half and keeps the batches before it', async () => {
    const topic = 'torn-half-batch';
    const { leader, activeSegment } = await writeThenKill(topic);
    const { size, lastBatchSize } = inspectSegment(activeSegment);
    truncateSync(activeSegment, size - Math.floor(lastBatchSize / 2));
    await restartAndCheck(topic, leader, activeSegment, (BATCHES - 1) * PER_BATCH);
  });

  it('drops random bytes appended after the last batch', async () => {
    const topic = 'torn-random';
    const { leader, activeSegment } = await writeThenKill(topic);
    appendFileSync(activeSegment, Buffer.from('this is not a record batch, only bytes a crash left behind'));
    await restartAndCheck(topic, leader, activeSegment, BATCHES * PER_BATCH);
  });
});

describe('clean restart (stop, then start)', () => {
  it('keeps all data and offsets, and writing continues at the next offset', async () => {
    const topic = 'clean-restart';
    const leader = await createTopic(topic);
    await withProducer({}, async (producer) => {
      for (let b = 0; b < 6; b++) {
        await producer.send({ topic, acks: -1, messages: Array.from({ length: 5 }, (_, i) => ({ partition: 0, key: `k${b}`, value: `v-${b * 5 + i}` })) });
      }
    });
    const before = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(before).toHaveLength(30);
    const offsetsBefore = await admin.fetchTopicOffsets(topic);

    expect((await cluster.brokerAction(leader, 'stop')).state).toBe('stopped');
    expect((await cluster.brokerAction(leader, 'start')).state).toBe('running');
    await leaderServing(topic);

    expect(await kcatConsumeAll(cluster.bootstrap, topic)).toEqual(before);
    expect(await admin.fetchTopicOffsets(topic)).toEqual(offsetsBefore);
    expect(offsetsBefore).toEqual([expect.objectContaining({ partition: 0, low: '0', high: '30' })]);
    const [result] = await withProducer({}, (producer) => producer.send({ topic, acks: -1, messages: [{ partition: 0, value: 'v-30' }] }));
    expect(result?.baseOffset).toBe('30');
  });
});
