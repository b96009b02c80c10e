import { Kafka, logLevel, type Admin } from 'kafkajs';
import { KafkaConnection } from '../../src/protocol/client';
import { ErrorCode } from '../../src/protocol/errors';
import { ApiKey } from '../../src/protocol/generated/apis';
import { defaultFetchRequestFetchPartition, type FetchRequest } from '../../src/protocol/generated/fetchRequest';
import { defaultProduceRequest } from '../../src/protocol/generated/produceRequest';
import { splitBatches } from '../../src/protocol/records/batchHeader';
import { decodeRecordBatch, encodeRecordBatch } from '../../src/protocol/records/recordBatch';
import { ClusterAdmin } from './clusterControl';
import { requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from './embeddedCluster';

/** A three-broker cluster for raw Fetch tests, with kafkajs (topics, producers) and our own admin (produce, partition views). */
export interface LongPollCluster {
  cluster: EmbeddedCluster;
  kafka: Kafka;
  admin: Admin;
  clusterAdmin: ClusterAdmin;
  stop(): Promise<void>;
}

/** `debugLogs`: the brokers log at debug level (the fetch sessions' opening and resets show up in `cluster.stderr()`). */
export async function startLongPollCluster(clientId: string, options: { extraArgs?: string[]; debugLogs?: boolean } = {}): Promise<LongPollCluster> {
  requireDistBuild();
  const level = process.env.SAMSA_LOG_LEVEL;
  if (options.debugLogs === true) process.env.SAMSA_LOG_LEVEL = 'debug';
  let cluster: EmbeddedCluster;
  try {
    cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: options.extraArgs ?? [] });
  } finally {
    if (level === undefined) delete process.env.SAMSA_LOG_LEVEL;
    else process.env.SAMSA_LOG_LEVEL = level;
  }
  const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), clientId, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  const clusterAdmin = new ClusterAdmin(cluster);
  return {
    cluster,
    kafka,
    admin,
    clusterAdmin,
    async stop() {
      await clusterAdmin.close();
      await admin.disconnect().catch(() => undefined);
      await cluster.stop();
    },
  };
}

/** A Fetch request's partitions: each at its fetch offset, up to 1 MiB. */
export function fetchPartitionsAt(offsets: ReadonlyMap<number, number>, lastFetchedEpoch = -1): FetchRequest['topics'][number]['partitions'] {
  return [...offsets].map(([partition, fetchOffset]) => ({
    ...defaultFetchRequestFetchPartition(),
    partition,
    fetchOffset: BigInt(fetchOffset),
    lastFetchedEpoch,
    partitionMaxBytes: 1 << 20,
  }));
}

/** The values of every record in a Fetch answer's records. */
export async function recordValues(records: Buffer | null): Promise<string[]> {
  const values: string[] = [];
  for (const batch of splitBatches(records ?? Buffer.alloc(0)).batches) {
    for (const record of (await decodeRecordBatch(batch)).records) values.push(record.value!.toString());
  }
  return values;
}

/**
 * A connection of its own to one broker, for Fetch requests that wait up to `waitMs`: its
 * request timeout outlasts the wait, and a long poll on it holds up no other request.
 */
export async function longPollConnection(cluster: EmbeddedCluster, brokerId: number, clientId: string, waitMs: number): Promise<KafkaConnection> {
  const [host, port] = cluster.brokerAddresses[brokerId - 1]!.split(':');
  const connection = new KafkaConnection({ host: host!, port: Number(port), clientId, requestTimeoutMs: waitMs + 30_000 });
  await connection.connect();
  await connection.negotiate();
  return connection;
}

/** One acks=all batch of `values` to a partition, sent to `brokerId`; throws unless it was stored. */
export async function produceValues(admin: ClusterAdmin, brokerId: number, topic: string, partition: number, values: string[]): Promise<void> {
  const records = await encodeRecordBatch({ records: values.map((value) => ({ value: Buffer.from(value) })) });
  const response = await admin.send(brokerId, ApiKey.Produce, {
    ...defaultProduceRequest(),
    acks: -1,
    timeoutMs: 10_000,
    topicData: [{ name: topic, partitionData: [{ index: partition, records }] }],
  });
  const errorCode = response.responses[0]?.partitionResponses[0]?.errorCode;
  if (errorCode !== ErrorCode.NONE) throw new Error(`produce to ${topic}-${partition} on broker ${brokerId} failed with error ${errorCode}`);
}
