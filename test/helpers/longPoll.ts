import { KafkaConnection } from '../../src/protocol/client';
import { ErrorCode } from '../../src/protocol/errors';
import { ApiKey } from '../../src/protocol/generated/apis';
import { defaultProduceRequest } from '../../src/protocol/generated/produceRequest';
import { encodeRecordBatch } from '../../src/protocol/records/recordBatch';
import type { ClusterAdmin } from './clusterControl';
import type { EmbeddedCluster } from './embeddedCluster';

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
