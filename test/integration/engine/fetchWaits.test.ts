/**
 * A Fetch that finds nothing waits (Kafka's DelayedFetch) and must answer as soon as what it
 * would return changes: records on any of its partitions, on a three-broker cluster where an
 * acks=all append first wakes it with nothing visible yet (the high watermark moves only when
 * the followers have the records); and a change of the partition's leader, which answers at
 * once with the error instead of at the end of the wait; and a diverging epoch for a
 * follower. Every fetch here asks to wait far longer than the test may run, so a fetch left
 * waiting fails the test.
 */
import type { Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KafkaConnection } from '../../../src/protocol/client';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultFetchRequest } from '../../../src/protocol/generated/fetchRequest';
import { fetchPartitionsAt, longPollConnection, produceValues, recordValues, startLongPollCluster, type LongPollCluster } from '../../helpers/longPoll';
import type { ClusterAdmin } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure } from '../../helpers/embeddedCluster';

/** Far beyond every test's timeout: only a change can end these waits in time. */
const LONG_WAIT_MS = 300_000;

let setup: LongPollCluster | undefined;
let admin: Admin;
let clusterAdmin: ClusterAdmin;
const current = () => setup!.cluster;
printClusterLogsOnFailure(() => setup?.cluster);

beforeAll(async () => {
  setup = await startLongPollCluster('fetch-waits');
  ({ admin, clusterAdmin } = setup);
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

/** A connection of its own for one long poll, so its wait holds up nothing else. */
const connect = (brokerId: number) => longPollConnection(current(), brokerId, 'fetch-waits-test', LONG_WAIT_MS);
const produce = (brokerId: number, topic: string, partition: number, values: string[]) => produceValues(clusterAdmin, brokerId, topic, partition, values);

interface Answer {
  partition: number;
  errorCode: number;
  highWatermark: number;
  divergingEpoch: number;
  values: string[];
}

async function fetchWaiting(
  connection: KafkaConnection,
  topic: string,
  offsets: ReadonlyMap<number, number>,
  options: { replicaId?: number; lastFetchedEpoch?: number } = {},
): Promise<Answer[]> {
  const response = await connection.send(ApiKey.Fetch, {
    ...defaultFetchRequest(),
    replicaId: options.replicaId ?? -1,
    maxWaitMs: LONG_WAIT_MS,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [
      {
        topic,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        partitions: fetchPartitionsAt(offsets, options.lastFetchedEpoch),
      },
    ],
  });
  expect(response.errorCode).toBe(ErrorCode.NONE);
  const answers: Answer[] = [];
  for (const data of response.responses[0]?.partitions ?? []) {
    answers.push({ partition: data.partitionIndex, errorCode: data.errorCode, highWatermark: Number(data.highWatermark), divergingEpoch: data.divergingEpoch.epoch, values: await recordValues(data.records) });
  }
  return answers;
}

describe('a waiting fetch over many partitions', () => {
  it('answers with the records of whichever partition gets them, after acks=all replication, and loses no record that arrives while it is being answered', async () => {
    const topic = 'waits-many';
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, numPartitions: 12, replicationFactor: 3 }] });
    // The partitions broker 1 leads, each with a replica on every broker.
    const led: number[] = [];
    for (let partition = 0; partition < 12; partition++) {
      const view = await clusterAdmin.waitForPartition(topic, 'a full ISR', (v) => v.leader !== -1 && v.isr.length === 3, 15_000, partition);
      if (view.leader === 1) led.push(partition);
    }
    expect(led.length, 'broker 1 leads some partitions').toBeGreaterThanOrEqual(2);
    const connection = await connect(1);
    try {
      const offsets = new Map(led.map((partition) => [partition, 0]));
      const [first, second] = [led[0]!, led[1]!];

      const waiting = fetchWaiting(connection, topic, offsets);
      await produce(1, topic, second, ['one']);
      const answer = await waiting;
      // Every partition is in the answer; only the one produced to carries records, visible
      // because the high watermark moved past them.
      expect(answer.map((a) => a.partition).sort((a, b) => a - b)).toEqual([...led].sort((a, b) => a - b));
      for (const entry of answer) {
        expect(entry.errorCode).toBe(ErrorCode.NONE);
        expect(entry.values).toEqual(entry.partition === second ? ['one'] : []);
        expect(entry.highWatermark).toBe(entry.partition === second ? 1 : 0);
      }
      offsets.set(second, 1);

      // Two appends on two partitions in flight together: fetching on, each record arrives once.
      const seen: string[] = [];
      const produced = Promise.all([produce(1, topic, first, ['two']), produce(1, topic, second, ['three'])]);
      while (seen.length < 2) {
        for (const entry of await fetchWaiting(connection, topic, offsets)) {
          expect(entry.errorCode).toBe(ErrorCode.NONE);
          seen.push(...entry.values);
          offsets.set(entry.partition, offsets.get(entry.partition)! + entry.values.length);
        }
      }
      await produced;
      expect(seen.sort()).toEqual(['three', 'two']);
      expect(offsets.get(first)).toBe(1);
      expect(offsets.get(second)).toBe(2);
    } finally {
      await connection.close();
    }
  }, 60_000);
});

describe('a waiting fetch whose partition changes leader', () => {
  it('answers at once with NOT_LEADER_OR_FOLLOWER when leadership moves away, and a follower whose history diverges gets the diverging epoch at once', async () => {
    const topic = 'waits-leader-change';
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic, replicaAssignment: [{ partition: 0, replicas: [1, 2, 3] }] }] });
    const before = await clusterAdmin.waitForIsr(topic, [1, 2, 3]);
    expect(before.leader).toBe(1);
    await produce(1, topic, 0, ['a', 'b']);
    const connection = await connect(1);
    try {
      const waiting = fetchWaiting(connection, topic, new Map([[0, 2]]));
      // Make broker 2 the preferred leader and elect it; broker 1 stays up, as a follower.
      expect(await clusterAdmin.reassign(topic, [2, 1, 3])).toBe(ErrorCode.NONE);
      await clusterAdmin.waitForPartition(topic, 'replicas reordered', (v) => v.replicas[0] === 2 && v.isr.length === 3);
      expect(await clusterAdmin.electLeaders('preferred', topic)).toBe(ErrorCode.NONE);
      const after = await clusterAdmin.waitForPartition(topic, 'broker 2 leading', (v) => v.leader === 2);
      expect(after.leaderEpoch).toBeGreaterThan(before.leaderEpoch);
      const answer = await waiting;
      expect(answer).toHaveLength(1);
      expect(answer[0]!.errorCode).toBe(ErrorCode.NOT_LEADER_OR_FOLLOWER);

      // Broker 3 as a follower that claims records of the first epoch up to offset 3, where that
      // epoch ended at 2: the new leader answers with the divergence at once instead of waiting.
      await produce(2, topic, 0, ['c']);
      const follower = await connect(2);
      try {
        const diverging = await fetchWaiting(follower, topic, new Map([[0, 3]]), { replicaId: 3, lastFetchedEpoch: before.leaderEpoch });
        expect(diverging[0]!.errorCode).toBe(ErrorCode.NONE);
        expect(diverging[0]!.divergingEpoch).toBe(before.leaderEpoch);
      } finally {
        await follower.close();
      }
    } finally {
      await connection.close();
    }
  }, 60_000);
});
