// ListOffsets (API 2), v1+. Special timestamps: -1 latest (the HW, or the LSO for
// read_committed), -2 earliest (log start), -3 max timestamp (KIP-734, v7+), -4 earliest
// local (v8+; no tiered storage here, so the log start). A real timestamp finds the first
// record at or after it, looking inside the batch the log's time index points at.
// Replica ids other than -1 (Kafka's debugging consumer -2, or a broker) may ask any replica,
// not only the leader, and "latest" then means that replica's log end offset: this is how
// per-replica lag (leader LEO minus replica LEO) can be read over the protocol.
import { ErrorCode, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { ListOffsetsRequest } from '../../../protocol/generated/listOffsetsRequest';
import {
  defaultListOffsetsResponse,
  defaultListOffsetsResponseListOffsetsPartitionResponse,
  type ListOffsetsResponse,
} from '../../../protocol/generated/listOffsetsResponse';
import { decodeRecordBatch, recordOffset, recordTimestamp } from '../../../protocol/records/recordBatch';
import type { Partition } from '../../partition/partition';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

type PartitionResponse = ListOffsetsResponse['topics'][number]['partitions'][number];

const LATEST = -1n;
const EARLIEST = -2n;
const MAX_TIMESTAMP = -3n;
const EARLIEST_LOCAL = -4n;

interface Found {
  offset: number;
  timestamp: number;
}

/** The first record of `batch` with timestamp >= `target` (or with exactly `target` for max). */
async function recordAt(batch: Buffer, matches: (timestamp: bigint) => boolean): Promise<Found | null> {
  const decoded = await decodeRecordBatch(batch, { verifyCrc: false });
  for (const record of decoded.records) {
    const timestamp = recordTimestamp(decoded.header, record);
    if (matches(timestamp)) return { offset: Number(recordOffset(decoded.header, record)), timestamp: Number(timestamp) };
  }
  return null;
}

const CONSUMER_REPLICA_ID = -1;

async function lookup(partition: Partition, timestamp: bigint, readCommitted: boolean, consumer: boolean): Promise<Found | null> {
  const bound = !consumer ? partition.logEndOffset : readCommitted ? partition.lastStableOffset : partition.highWatermark;
  switch (timestamp) {
    case LATEST:
      return { offset: bound, timestamp: -1 };
    case EARLIEST:
    case EARLIEST_LOCAL:
      return { offset: partition.log.logStartOffset, timestamp: -1 };
    case MAX_TIMESTAMP: {
      const batch = partition.log.maxTimestampBatch();
      if (batch === null || batch.baseOffset >= bound) return null;
      const max = BigInt(batch.maxTimestamp);
      return recordAt(batch.batch, (t) => t === max);
    }
    default: {
      if (timestamp < 0n) return null;
      const batch = partition.log.offsetForTimestamp(Number(timestamp));
      if (batch === null) return null;
      const found = await recordAt(batch.batch, (t) => t >= timestamp);
      return found !== null && found.offset < bound ? found : null;
    }
  }
}

export function listOffsetsHandler(services: BrokerServices) {
  const { replicas } = services;

  async function answer(topic: string, wanted: ListOffsetsRequest['topics'][number]['partitions'][number], readCommitted: boolean, version: number, replicaId: number): Promise<PartitionResponse> {
    const base = { ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: wanted.partitionIndex };
    const consumer = replicaId === CONSUMER_REPLICA_ID;
    try {
      const partition = consumer ? replicas.leader(topic, wanted.partitionIndex) : replicas.replica(topic, wanted.partitionIndex);
      if (partition === undefined) return { ...base, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
      if (wanted.currentLeaderEpoch >= 0 && wanted.currentLeaderEpoch !== partition.leaderEpoch) {
        const errorCode = wanted.currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
        return { ...base, errorCode };
      }
      const found = await lookup(partition, wanted.timestamp, readCommitted, consumer);
      return {
        ...base,
        offset: BigInt(found?.offset ?? -1),
        timestamp: BigInt(found?.timestamp ?? -1),
        leaderEpoch: version >= 4 ? partition.leaderEpoch : -1,
      };
    } catch (error) {
      if (isKafkaError(error)) return { ...base, errorCode: error.code };
      throw error;
    }
  }

  return defineHandler({
    apiKey: ApiKey.ListOffsets,
    minVersion: 1,
    maxVersion: 8,
    async handle(request: ListOffsetsRequest, context) {
      const readCommitted = request.isolationLevel === 1;
      const topics = await Promise.all(
        request.topics.map(async (topic) => ({
          name: topic.name,
          partitions: await Promise.all(topic.partitions.map((p) => answer(topic.name, p, readCommitted, context.apiVersion, request.replicaId))),
        })),
      );
      return { ...defaultListOffsetsResponse(), topics };
    },
    errorResponse(request: ListOffsetsRequest, errorCode: number) {
      return {
        ...defaultListOffsetsResponse(),
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitions.map((p) => ({ ...defaultListOffsetsResponseListOffsetsPartitionResponse(), partitionIndex: p.partitionIndex, errorCode })),
        })),
      };
    },
  });
}
