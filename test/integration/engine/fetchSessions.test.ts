/**
 * Incremental fetch sessions (KIP-227), on a three-broker cluster. A full fetch with epoch 0
 * opens a session; each later request of the session names only what changed and gets back
 * only the partitions with news (records, a high watermark, last stable offset or log start
 * the client was not told yet); forgotten partitions leave the session; an out-of-order epoch
 * and an unknown session are refused with their errors; epoch -1 closes the session. The
 * followers fetch in sessions too: a partition nobody writes to is never named again after
 * the first request, and its followers must still count as fetching (the ISR stays whole).
 */
import type { Admin, Kafka } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaConnection } from '../../../src/protocol/client';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultFetchRequest, type FetchRequest } from '../../../src/protocol/generated/fetchRequest';
import { fetchPartitionsAt, longPollConnection, produceValues, recordValues, startLongPollCluster, type LongPollCluster } from '../../helpers/longPoll';
import type { ClusterAdmin } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure } from '../../helpers/embeddedCluster';

/** Far beyond every test's timeout: only news can end these waits in time. */
const LONG_WAIT_MS = 300_000;
const LAG_MS = 1500;

let setup: LongPollCluster | undefined;
let kafka: Kafka;
let admin: Admin;
let clusterAdmin: ClusterAdmin;
const current = () => setup!.cluster;
printClusterLogsOnFailure(() => setup?.cluster);

beforeAll(async () => {
  // Debug logs show the followers' fetch sessions opening (and any starting over).
  setup = await startLongPollCluster('fetch-sessions', { extraArgs: ['--replica-lag-time-max-ms', String(LAG_MS)], debugLogs: true });
  ({ kafka, admin, clusterAdmin } = setup);
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

const connect = (brokerId: number) => longPollConnection(current(), brokerId, 'fetch-sessions-test', LONG_WAIT_MS);
const produce = (brokerId: number, topic: string, partition: number, values: string[]) => produceValues(clusterAdmin, brokerId, topic, partition, values);

interface Answer {
  partition: number;
  errorCode: number;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
  values: string[];
}

interface SessionAnswer {
  errorCode: number;
  sessionId: number;
  partitions: Answer[];
}

async function sessionFetch(
  connection: KafkaConnection,
  topic: string,
  session: { id: number; epoch: number },
  offsets: ReadonlyMap<number, number>,
  options: { forget?: number[]; waitMs?: number; readCommitted?: boolean } = {},
): Promise<SessionAnswer> {
  const request: FetchRequest = {
    ...defaultFetchRequest(),
    maxWaitMs: options.waitMs ?? 0,
    minBytes: 1,
    maxBytes: 1 << 20,
    isolationLevel: options.readCommitted === true ? 1 : 0,
    sessionId: session.id,
    sessionEpoch: session.epoch,
    topics:
      offsets.size === 0
        ? []
        : [
            {
              topic,
              topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
              partitions: fetchPartitionsAt(offsets),
            },
          ],
    forgottenTopicsData: options.forget === undefined ? [] : [{ topic, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: options.forget }],
  };
  const response = await connection.send(ApiKey.Fetch, request);
  const partitions: Answer[] = [];
  for (const topicData of response.responses) {
    expect(topicData.topic).toBe(topic);
    for (const data of topicData.partitions) {
      const values = await recordValues(data.records);
      partitions.push({
        partition: data.partitionIndex,
        errorCode: data.errorCode,
        highWatermark: Number(data.highWatermark),
        lastStableOffset: Number(data.lastStableOffset),
        logStartOffset: Number(data.logStartOffset),
        values,
      });
    }
  }
  partitions.sort((a, b) => a.partition - b.partition);
  return { errorCode: response.errorCode, sessionId: response.sessionId, partitions };
}

const indexes = (answer: SessionAnswer) => answer.partitions.map((p) => p.partition);

describe('a consumer fetch session', () => {
  it('answers in full once, then only with the partitions that have news, until it is closed', async () => {
    const topic = 'sessions-consumer';
    // Broker 1 leads all three partitions.
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, replicaAssignment: [0, 1, 2].map((partition) => ({ partition, replicas: [1, 2, 3] })) }],
    });
    for (const partition of [0, 1, 2]) await clusterAdmin.waitForIsr(topic, [1, 2, 3], 15_000, partition);
    const connection = await connect(1);
    try {
      // A full fetch with epoch 0 opens a session and answers every partition.
      const opened = await sessionFetch(connection, topic, { id: 0, epoch: 0 }, new Map([[0, 0], [1, 0], [2, 0]]));
      expect(opened.errorCode).toBe(ErrorCode.NONE);
      expect(opened.sessionId).not.toBe(0);
      expect(indexes(opened)).toEqual([0, 1, 2]);
      const id = opened.sessionId;

      // Records on one partition: a waiting incremental fetch that names nothing answers with
      // that partition alone.
      const waiting = sessionFetch(connection, topic, { id, epoch: 1 }, new Map(), { waitMs: LONG_WAIT_MS });
      await produce(1, topic, 1, ['a']);
      const withRecords = await waiting;
      expect(withRecords.errorCode).toBe(ErrorCode.NONE);
      expect(withRecords.sessionId).toBe(id);
      expect(withRecords.partitions).toEqual([{ partition: 1, errorCode: ErrorCode.NONE, highWatermark: 1, lastStableOffset: 1, logStartOffset: 0, values: ['a'] }]);

      // Nothing new anywhere: an empty answer, though the session still reads all three.
      const quiet = await sessionFetch(connection, topic, { id, epoch: 2 }, new Map([[1, 1]]));
      expect(quiet.errorCode).toBe(ErrorCode.NONE);
      expect(quiet.partitions).toEqual([]);

      // A high watermark move alone: an open transaction's record raises partition 2's high
      // watermark but not its last stable offset, so a read_committed fetch gets no records,
      // yet is told the new high watermark, once.
      const producer = kafka.producer({ transactionalId: 'sessions-open-txn', idempotent: true, maxInFlightRequests: 1 });
      await producer.connect();
      const transaction = await producer.transaction();
      try {
        await transaction.send({ topic, messages: [{ partition: 2, value: 'pending' }] });
        const hwOnly = await sessionFetch(connection, topic, { id, epoch: 3 }, new Map(), { readCommitted: true });
        expect(hwOnly.partitions).toEqual([{ partition: 2, errorCode: ErrorCode.NONE, highWatermark: 1, lastStableOffset: 0, logStartOffset: 0, values: [] }]);
        const toldAlready = await sessionFetch(connection, topic, { id, epoch: 4 }, new Map(), { readCommitted: true });
        expect(toldAlready.partitions).toEqual([]);
      } finally {
        await transaction.abort();
        await producer.disconnect();
      }
      // The abort moves partition 2's last stable offset past its marker, and read_committed
      // now reads the aborted batch (with its aborted-transaction entry): news again.
      // The coordinator writes the abort marker after answering the producer: wait for it.
      const aborted = await sessionFetch(connection, topic, { id, epoch: 5 }, new Map(), { readCommitted: true, waitMs: LONG_WAIT_MS });
      expect(indexes(aborted)).toEqual([2]);
      expect(aborted.partitions[0]!.values).toEqual(['pending']);
      const toldHighWatermark = aborted.partitions[0]!.highWatermark;
      expect(aborted.partitions[0]!.lastStableOffset).toBe(toldHighWatermark);
      // Once the marker is replicated the high watermark is 2; past it nothing else is new,
      // and the move to 2 is told once if that answer had not told it yet.
      for (let tries = 0; (await clusterAdmin.highWatermark(1, topic, 2)) < 2; tries++) {
        expect(tries, 'the abort marker replicates').toBeLessThan(150);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const afterMarker = await sessionFetch(connection, topic, { id, epoch: 6 }, new Map([[2, 2]]));
      expect(indexes(afterMarker)).toEqual(toldHighWatermark < 2 ? [2] : []);
      expect(afterMarker.partitions.every((p) => p.highWatermark === 2 && p.values.length === 0)).toBe(true);
      const drained = await sessionFetch(connection, topic, { id, epoch: 7 }, new Map());
      expect(drained.partitions).toEqual([]);

      // A log start offset move alone (DeleteRecords) is news.
      await produce(1, topic, 0, ['x', 'y']);
      const twoRecords = await sessionFetch(connection, topic, { id, epoch: 8 }, new Map());
      expect(twoRecords.partitions.map((p) => [p.partition, p.values])).toEqual([[0, ['x', 'y']]]);
      await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.deleteTopicRecords({ topic, partitions: [{ partition: 0, offset: '1' }] });
      const startMoved = await sessionFetch(connection, topic, { id, epoch: 9 }, new Map([[0, 2]]));
      expect(startMoved.partitions).toEqual([{ partition: 0, errorCode: ErrorCode.NONE, highWatermark: 2, lastStableOffset: 2, logStartOffset: 1, values: [] }]);

      // A forgotten partition leaves the session: its records no longer come.
      const forgot = await sessionFetch(connection, topic, { id, epoch: 10 }, new Map(), { forget: [1] });
      expect(forgot.partitions).toEqual([]);
      await produce(1, topic, 1, ['not for this session']);
      await produce(1, topic, 0, ['z']);
      const afterForget = await sessionFetch(connection, topic, { id, epoch: 11 }, new Map());
      expect(afterForget.partitions.map((p) => [p.partition, p.values])).toEqual([[0, ['z']]]);

      // An epoch out of order, and a session the broker does not know, are refused.
      const wrongEpoch = await sessionFetch(connection, topic, { id, epoch: 99 }, new Map());
      expect(wrongEpoch.errorCode).toBe(ErrorCode.INVALID_FETCH_SESSION_EPOCH);
      expect(wrongEpoch.partitions).toEqual([]);
      const unknownId = id === 0x7ffffffe ? 1 : id + 1;
      const unknown = await sessionFetch(connection, topic, { id: unknownId, epoch: 1 }, new Map());
      expect(unknown.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
      // The refused epoch did not spend the session's next one.
      const stillOpen = await sessionFetch(connection, topic, { id, epoch: 12 }, new Map([[0, 3]]));
      expect(stillOpen.errorCode).toBe(ErrorCode.NONE);
      expect(stillOpen.partitions).toEqual([]);

      // Epoch -1 closes the session and answers in full, without a session.
      const closed = await sessionFetch(connection, topic, { id, epoch: -1 }, new Map([[0, 3], [2, 2]]));
      expect(closed.errorCode).toBe(ErrorCode.NONE);
      expect(closed.sessionId).toBe(0);
      expect(indexes(closed)).toEqual([0, 2]);
      const gone = await sessionFetch(connection, topic, { id, epoch: 13 }, new Map());
      expect(gone.errorCode).toBe(ErrorCode.FETCH_SESSION_ID_NOT_FOUND);
    } finally {
      await connection.close();
    }
  }, 90_000);
});

describe('followers fetching in sessions', () => {
  it(`keep an idle partition's followers in the ISR for many lag windows (${LAG_MS} ms) while another partition is busy, and replicate it when written`, async () => {
    const topic = 'sessions-idle-beside-busy';
    await admin.createTopics({
      waitForLeaders: true,
      topics: [{ topic, replicaAssignment: [0, 1].map((partition) => ({ partition, replicas: [1, 2, 3] })) }],
    });
    for (const partition of [0, 1]) await clusterAdmin.waitForIsr(topic, [1, 2, 3], 15_000, partition);
    await produce(1, topic, 1, ['first']);
    // Partition 0 gets records for several lag windows. The followers' requests name it (its
    // fetch offset moves) and leave partition 1 out, whose fetch offset no longer changes: its
    // fetch offset from the session must keep them caught up.
    const until = Date.now() + LAG_MS * 4;
    let written = 0;
    while (Date.now() < until) {
      await produce(1, topic, 0, [`busy-${written++}`]);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await clusterAdmin.partition(topic, 1)).isr.sort()).toEqual([1, 2, 3]);
    expect((await clusterAdmin.partition(topic, 0)).isr.sort()).toEqual([1, 2, 3]);
    // The idle partition still replicates: an acks=all append completes with the ISR still
    // whole, so both followers have it.
    await produce(1, topic, 1, ['second']);
    expect((await clusterAdmin.partition(topic, 1)).isr.sort()).toEqual([1, 2, 3]);
    // The followers fetched from broker 1 in sessions, which never had to start over.
    const logs = current().stderr();
    for (const follower of [2, 3]) {
      expect(logs, `broker ${follower}'s fetch session with broker 1`).toMatch(new RegExp(`broker-${follower}:replicas:fetcher-1\\] fetch session \\d+ opened with broker 1`));
    }
    expect(logs).not.toMatch(/fetch session with broker \d+ ended/);
  }, 90_000);

  it('stop asking for a deleted topic, so the partitions they copy beside it are not held back', async () => {
    const gone = 'sessions-deleted';
    const kept = 'sessions-beside-deleted';
    await admin.createTopics({
      waitForLeaders: true,
      topics: [gone, kept].map((topic) => ({ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }] })),
    });
    for (const topic of [gone, kept]) await clusterAdmin.waitForIsr(topic, [1, 2, 3], 15_000);
    await produce(1, gone, 0, ['before the deletion']);
    await admin.deleteTopics({ topics: [gone], timeout: 15_000 });
    // Every acks=all write to the topic beside it needs fetches from each follower; a follower
    // still naming the deleted partition gets UNKNOWN_TOPIC_OR_PARTITION for it in each of
    // those fetches (at least one per write) and backs off. Only fetches sent before the
    // follower learnt of the deletion may get it.
    const writes = 20;
    for (let i = 0; i < writes; i++) await produce(1, kept, 0, [`after-${i}`]);
    expect((await clusterAdmin.partition(kept, 0)).isr.sort()).toEqual([1, 2, 3]);
    expect(await clusterAdmin.highWatermark(1, kept, 0)).toBe(writes);
    const logs = current().stderr();
    for (const follower of [2, 3]) {
      const backOffs = logs.split('\n').filter((line) => line.includes(`broker-${follower}:`) && line.includes(`${gone}-0: leader 1 answered UNKNOWN_TOPIC_OR_PARTITION`));
      expect(backOffs.length, `broker ${follower}'s fetches of the deleted partition`).toBeLessThan(writes / 4);
    }
  }, 90_000);
});
