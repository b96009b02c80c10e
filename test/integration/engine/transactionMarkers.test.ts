/**
 * Transaction markers from a replaced coordinator (KIP-98's zombie coordinator). Every
 * marker carries its coordinator's epoch (the leader epoch of its __transaction_state
 * partition), and a partition keeps, per producer, the epoch of the last marker written for
 * it: a marker from an older epoch is refused with TRANSACTION_COORDINATOR_FENCED, also
 * after the partition's broker restarts and rebuilds that state from the log, and
 * DescribeProducers (kafka-transactions.sh describe-producers) shows the epoch.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { ClusterAdmin } from '../../helpers/clusterControl';
import { printClusterLogsOnFailure, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';

const TOPIC = 'markers-fenced';
let cluster: EmbeddedCluster | undefined;
let kafka: Kafka;

printClusterLogsOnFailure(() => cluster);

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 1 });
  kafka = new Kafka({ clientId: 'samsa-it-markers', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
}, 60_000);

afterAll(async () => {
  await cluster?.stop();
});

/** The one active producer of the topic's partition, as DescribeProducers answers. */
async function describeProducer(admin: ClusterAdmin) {
  const response = await admin.send(1, ApiKey.DescribeProducers, { topics: [{ name: TOPIC, partitionIndexes: [0] }] });
  const partition = response.topics[0]!.partitions[0]!;
  expect(partition.errorCode).toBe(ErrorCode.NONE);
  expect(partition.activeProducers).toHaveLength(1);
  return partition.activeProducers[0]!;
}

/** Asks the partition's leader to write a COMMIT marker for the producer, as a coordinator of `coordinatorEpoch` would. */
async function writeMarker(admin: ClusterAdmin, producerId: bigint, producerEpoch: number, coordinatorEpoch: number): Promise<number> {
  const response = await admin.send(1, ApiKey.WriteTxnMarkers, {
    markers: [{ producerId, producerEpoch, transactionResult: true, coordinatorEpoch, topics: [{ name: TOPIC, partitionIndexes: [0] }] }],
  });
  return response.markers[0]!.topics[0]!.partitions[0]!.errorCode;
}

describe('a transaction marker from an older coordinator epoch', () => {
  it('is refused with TRANSACTION_COORDINATOR_FENCED, also after the broker restarts, and DescribeProducers shows the epoch', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ waitForLeaders: true, topics: [{ topic: TOPIC, numPartitions: 1 }] });
    await admin.disconnect();
    const producer = kafka.producer({ transactionalId: 'markers-fenced-txn', idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    const transaction = await producer.transaction();
    await transaction.send({ topic: TOPIC, messages: [{ value: 'committed' }] });
    await transaction.commit();
    await producer.disconnect();

    let clusterAdmin = new ClusterAdmin(cluster!);
    // The coordinator writes the marker after answering the producer: wait until it is there.
    const described = await waitFor(
      'the commit marker',
      async () => {
        const producer = await describeProducer(clusterAdmin);
        return producer.coordinatorEpoch >= 0 ? producer : undefined;
      },
      15_000,
    );
    const { producerId, producerEpoch, coordinatorEpoch } = described;
    expect(coordinatorEpoch).toBeGreaterThanOrEqual(0);

    expect(await writeMarker(clusterAdmin, producerId, producerEpoch, coordinatorEpoch - 1)).toBe(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
    await clusterAdmin.close();

    // kill -9 and start again: the state comes back from the log's markers alone.
    expect((await cluster!.brokerAction(1, 'kill')).state).toBe('killed');
    expect((await cluster!.brokerAction(1, 'start')).state).toBe('running');
    clusterAdmin = new ClusterAdmin(cluster!);
    try {
      await waitFor('the partition to have its leader again', async () => ((await clusterAdmin.partition(TOPIC, 0, 1)).leader === 1 ? true : undefined), 30_000);
      expect(await describeProducer(clusterAdmin)).toMatchObject({ producerId, producerEpoch, coordinatorEpoch });
      expect(await writeMarker(clusterAdmin, producerId, producerEpoch, coordinatorEpoch - 1)).toBe(ErrorCode.TRANSACTION_COORDINATOR_FENCED);
      // The coordinator of the current epoch still may write (here a second, empty commit marker).
      expect(await writeMarker(clusterAdmin, producerId, producerEpoch, coordinatorEpoch)).toBe(ErrorCode.NONE);
    } finally {
      await clusterAdmin.close();
    }
  }, 90_000);
});
