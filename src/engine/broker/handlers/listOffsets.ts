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

/**
 * Latest and earliest are answered from the partition's state at once; only a time lookup
 * reads the log. Kept synchronous where it can be: an admin view asks about every partition
 * of the cluster (100,000 in one request), and a promise per partition was most of the cost.
 */
function lookup(partition: Partition, timestamp: bigint, readCommitted: boolean, consumer: boolean): Found | null | Promise<Found | null> {
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
      return recordAt(batch.batch, (t) => t >= timestamp).then((found) => (found !== null && found.offset < bound ? found : null));
    }
  }
}

/** The answer for one partition, as one literal of the response's shape. */
function partitionAnswer(partitionIndex: number, errorCode: number, found: Found | null, leaderEpoch: number): PartitionResponse {
  return {
    partitionIndex,
    errorCode,
    oldStyleOffsets: [],
    timestamp: found === null ? -1n : BigInt(found.timestamp),
    offset: found === null ? -1n : BigInt(found.offset),
    leaderEpoch,
  };
}

export function listOffsetsHandler(services: BrokerServices) {
  const { replicas } = services;

  /** A Kafka error becomes this partition's error code; anything else is the broker's bug and propagates. */
  function failed(partitionIndex: number, error: unknown): PartitionResponse {
    if (isKafkaError(error)) return partitionAnswer(partitionIndex, error.code, null, -1);
    throw error;
  }

  function answer(
    topic: string,
    wanted: ListOffsetsRequest['topics'][number]['partitions'][number],
    readCommitted: boolean,
    version: number,
    consumer: boolean,
  ): PartitionResponse | Promise<PartitionResponse> {
    const index = wanted.partitionIndex;
    try {
      const partition = consumer ? replicas.leader(topic, index) : replicas.replica(topic, index);
      if (partition === undefined) return partitionAnswer(index, ErrorCode.NOT_LEADER_OR_FOLLOWER, null, -1);
      if (wanted.currentLeaderEpoch >= 0 && wanted.currentLeaderEpoch !== partition.leaderEpoch) {
        const errorCode = wanted.currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
        return partitionAnswer(index, errorCode, null, -1);
      }
      const leaderEpoch = version >= 4 ? partition.leaderEpoch : -1;
      const found = lookup(partition, wanted.timestamp, readCommitted, consumer);
      if (!(found instanceof Promise)) return partitionAnswer(index, ErrorCode.NONE, found, leaderEpoch);
      return found.then(
        (resolved) => partitionAnswer(index, ErrorCode.NONE, resolved, leaderEpoch),
        (error: unknown) => failed(index, error),
      );
    } catch (error) {
      return failed(index, error);
    }
  }

  return defineHandler({
    apiKey: ApiKey.ListOffsets,
    minVersion: 1,
    maxVersion: 8,
    async handle(request: ListOffsetsRequest, context) {
      const readCommitted = request.isolationLevel === 1;
      const consumer = request.replicaId === CONSUMER_REPLICA_ID;
      const pending: Promise<unknown>[] = [];
      const topics = request.topics.map((topic) => {
        const partitions: PartitionResponse[] = [];
        for (const wanted of topic.partitions) {
          const entry = answer(topic.name, wanted, readCommitted, context.apiVersion, consumer);
          if (entry instanceof Promise) {
            // Time lookups read the log; their answers are filled in when they arrive, in request order.
            const at = partitions.length;
            partitions.push(partitionAnswer(wanted.partitionIndex, ErrorCode.NONE, null, -1));
            pending.push(entry.then((resolved) => (partitions[at] = resolved)));
          } else {
            partitions.push(entry);
          }
        }
        return { name: topic.name, partitions };
      });
      await Promise.all(pending);
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
