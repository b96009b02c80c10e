import { ApiKey } from '../protocol/generated/apis';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../protocol/generated/listOffsetsRequest';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { byTopic, groupByLeader, partitionKey } from './topicMetadata';

/**
 * ListOffsets through our own connections, sent to each partition's leader: log start
 * (earliest), high watermark (latest), or the first offset at or after a time. kafkajs has
 * this per whole topic only and hides per-partition errors, which an admin view must show.
 */
export type OffsetQuery = 'earliest' | 'latest' | { timestamp: number };

/** Kafka's special ListOffsets timestamps. */
const LATEST_TIMESTAMP = -1n;
const EARLIEST_TIMESTAMP = -2n;
/** Consumers (not replicas) send replica id -1. */
const CONSUMER_REPLICA_ID = -1;

export interface PartitionRef {
  topic: string;
  partition: number;
}

/**
 * Offsets by `partitionKey(topic, partition)`. For a time query, null means no message is at
 * or after that time. One retry after refreshing metadata covers a leader that just moved.
 */
export async function listOffsets(session: AdminSession, partitions: PartitionRef[], query: OffsetQuery): Promise<Map<string, number | null>> {
  if (partitions.length === 0) return new Map();
  try {
    return await listOffsetsOnce(session, partitions, query);
  } catch (error) {
    const retriable = error instanceof AdminError && (error.kafkaError === 'NOT_LEADER_OR_FOLLOWER' || error.kafkaError === 'LEADER_NOT_AVAILABLE' || error.kafkaError === 'FENCED_LEADER_EPOCH');
    if (!retriable) throw error;
    return listOffsetsOnce(session, partitions, query);
  }
}

async function listOffsetsOnce(session: AdminSession, partitions: PartitionRef[], query: OffsetQuery): Promise<Map<string, number | null>> {
  const topics = [...new Set(partitions.map((entry) => entry.topic))];
  const byLeader = groupByLeader(await session.router.refreshMetadata(topics), partitions);
  const timestamp = query === 'earliest' ? EARLIEST_TIMESTAMP : query === 'latest' ? LATEST_TIMESTAMP : BigInt(query.timestamp);
  const result = new Map<string, number | null>();
  await Promise.all(
    [...byLeader].map(async ([leader, refs]) => {
      const response = await session.router.send({ broker: leader }, ApiKey.ListOffsets, {
        ...defaultListOffsetsRequest(),
        replicaId: CONSUMER_REPLICA_ID,
        topics: [...byTopic(refs)].map(([name, entries]) => ({
          name,
          partitions: entries.map((entry) => ({ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex: entry.partition, timestamp })),
        })),
      });
      for (const topic of response.topics) {
        for (const partition of topic.partitions) {
          if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `list offsets of ${topic.name}-${partition.partitionIndex}`);
          // v0 answers in oldStyleOffsets; every later version in offset.
          const offset = partition.oldStyleOffsets.length > 0 ? partition.oldStyleOffsets[0]! : partition.offset;
          result.set(partitionKey(topic.name, partition.partitionIndex), offset < 0n ? null : Number(offset));
        }
      }
    }),
  );
  for (const ref of partitions) {
    if (!result.has(partitionKey(ref.topic, ref.partition))) {
      throw new AdminError('kafka', `the leader of ${ref.topic}-${ref.partition} did not answer for it in ListOffsets`);
    }
  }
  return result;
}

export interface LogRange {
  logStartOffset: number;
  highWatermark: number;
}

/** Log start and high watermark of each partition, by partitionKey. */
export async function logRanges(session: AdminSession, partitions: PartitionRef[]): Promise<Map<string, LogRange>> {
  const [earliest, latest] = await Promise.all([listOffsets(session, partitions, 'earliest'), listOffsets(session, partitions, 'latest')]);
  const ranges = new Map<string, LogRange>();
  for (const ref of partitions) {
    const key = partitionKey(ref.topic, ref.partition);
    ranges.set(key, { logStartOffset: earliest.get(key) ?? 0, highWatermark: latest.get(key) ?? 0 });
  }
  return ranges;
}
