import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSession } from '../../../src/admin/adminSession';
import { connectTestSession } from '../../helpers/adminSession';
import type { BrokerRouter } from '../../../src/admin/brokerRouter';
import { listOffsets } from '../../../src/admin/logOffsets';
import { partitionKey } from '../../../src/admin/topicMetadata';
import { createTopic } from '../../../src/admin/topics';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../../src/protocol/generated/fetchRequest';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatProduce } from '../../helpers/externalClients';

// The admin service's broker connections. Two lanes per broker: A broker answers one connection's
// requests in order, so a read it holds (here a Fetch long-polling an empty partition, which
// the broker parks until a record arrives) holds every later request on that connection. On
// the bulk lane it must not hold the interactive lane's Metadata, the pages' rows. And one
// full Metadata read at a time, shared by callers arriving while it is in flight, but never
// by a caller arriving after the session changed the cluster.

const TOPIC = 'parked';
/** Far longer than the test: the Fetch comes back because a record arrives, never because it expired. */
const FETCH_WAIT_MS = 60_000;

let cluster: EmbeddedCluster;
let session: AdminSession;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 1 });
  session = await connectTestSession(cluster.bootstrap, { requestTimeoutMs: FETCH_WAIT_MS * 2, operationTimeoutMs: FETCH_WAIT_MS * 2 });
  await createTopic(session, { topic: TOPIC, partitions: 1, replicationFactor: 1, configs: {} });
}, 120_000);

afterAll(async () => {
  await session?.close();
  await cluster?.stop();
});

interface Partition {
  leader: number;
  topicId: string;
  /** The log end offset, where a Fetch waits for the next record. */
  end: number;
}

async function partitionOf(router: BrokerRouter): Promise<Partition> {
  const topic = (await router.refreshMetadata([TOPIC])).topics.find((entry) => entry.name === TOPIC)!;
  const end = (await listOffsets(session, [{ topic: TOPIC, partition: 0 }], 'latest')).get(partitionKey(TOPIC, 0))!;
  return { leader: topic.partitions[0]!.leaderId, topicId: topic.topicId, end: end! };
}

/** A Fetch at the partition's end: the broker holds it until a record is produced there. Resolves with the high watermark. */
async function parkedFetch(router: BrokerRouter, { leader, topicId, end }: Partition): Promise<number> {
  const response = await router.send({ broker: leader }, ApiKey.Fetch, {
    ...defaultFetchRequest(),
    maxWaitMs: FETCH_WAIT_MS,
    minBytes: 1,
    maxBytes: 1024 * 1024,
    topics: [{ topic: TOPIC, topicId, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset: BigInt(end), partitionMaxBytes: 1024 * 1024 }] }],
  });
  return Number(response.responses[0]!.partitions[0]!.highWatermark);
}

describe('broker connection lanes', () => {
  it('answers a Metadata read on the interactive lane while the bulk lane has a read held at the same broker', async () => {
    const partition = await partitionOf(session.router);
    const order: string[] = [];
    // Sent first: on a shared connection the Metadata below would be answered after it.
    const held = parkedFetch(session.bulk.router, partition).then((highWatermark) => {
      order.push('held fetch');
      return highWatermark;
    });
    await session.router.refreshMetadata(null);
    order.push('metadata');
    expect(order).toEqual(['metadata']);
    // The held read was real: the record produced now is what it comes back with.
    await kcatProduce(cluster.bootstrap, TOPIC, [{ key: 'first', value: 'releases the held fetch' }]);
    expect(await held).toBe(partition.end + 1);
    expect(order).toEqual(['metadata', 'held fetch']);
  }, 120_000);

  it('on one lane, a Metadata read waits for the held read sent before it (why the lanes exist)', async () => {
    const partition = await partitionOf(session.router);
    const order: string[] = [];
    const held = parkedFetch(session.bulk.router, partition).then(() => order.push('held fetch'));
    const metadata = session.bulk.router.refreshMetadata(null).then(() => order.push('metadata'));
    await kcatProduce(cluster.bootstrap, TOPIC, [{ key: 'second', value: 'releases the held fetch' }]);
    await Promise.all([held, metadata]);
    expect(order).toEqual(['held fetch', 'metadata']);
  }, 120_000);
});

describe('shared full Metadata reads', () => {
  it('answers callers arriving during a full read with that read, and a caller after a change with a new read that shows it', async () => {
    const partition = await partitionOf(session.router);
    const order: string[] = [];
    // Held at the broker behind the parked Fetch on the same (bulk) connection.
    const held = parkedFetch(session.bulk.router, partition);
    const first = session.bulk.metadata().then((metadata) => (order.push('first'), metadata));
    const second = session.metadata().then((metadata) => (order.push('second'), metadata));

    await createTopic(session, { topic: 'created-meanwhile', partitions: 1, replicationFactor: 1, configs: {} });
    const afterChange = await session.metadata();
    order.push('after change');
    expect(afterChange.topics.map((topic) => topic.name)).toContain('created-meanwhile');

    await kcatProduce(cluster.bootstrap, TOPIC, [{ key: 'third', value: 'releases the held fetch' }]);
    await held;
    expect(await second).toBe(await first);
    expect(order).toEqual(['after change', 'first', 'second']);
  }, 120_000);
});
