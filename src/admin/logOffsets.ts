import { ApiKey } from '../protocol/generated/apis';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../protocol/generated/listOffsetsRequest';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
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
 * or after that time. `metadata`, when the caller has just read it for these topics, saves
 * reading it again; one retry after refreshing metadata covers a leader that just moved.
 */
export async function listOffsets(session: AdminSession, partitions: PartitionRef[], query: OffsetQuery, metadata?: MetadataResponse): Promise<Map<string, number | null>> {
  const offsets = (await offsetsOnLeaders(session, partitions, [query], metadata))[0]!;
  const result = new Map<string, number | null>();
  for (const [topic, byPartition] of offsets) {
    for (const [partition, offset] of byPartition) result.set(partitionKey(topic, partition), offset);
  }
  return result;
}

/** Topic -> partition -> offset: cheaper than a partitionKey per answer when there are 100,000. */
type OffsetsByTopic = Map<string, Map<number, number | null>>;

/** Each query's offsets of the same partitions, from one metadata read. */
async function offsetsOnLeaders(session: AdminSession, partitions: PartitionRef[], queries: OffsetQuery[], metadata?: MetadataResponse): Promise<OffsetsByTopic[]> {
  if (partitions.length === 0) return queries.map(() => new Map());
  const freshMetadata = () => session.router.refreshMetadata([...new Set(partitions.map((entry) => entry.topic))]);
  const attempt = async (current: MetadataResponse) => {
    const byLeader = groupByLeader(current, partitions);
    return Promise.all(queries.map((query) => listOffsetsOnce(session, byLeader, partitions, query)));
  };
  try {
    return await attempt(metadata ?? (await freshMetadata()));
  } catch (error) {
    const retriable = error instanceof AdminError && (error.kafkaError === 'NOT_LEADER_OR_FOLLOWER' || error.kafkaError === 'LEADER_NOT_AVAILABLE' || error.kafkaError === 'FENCED_LEADER_EPOCH');
    if (!retriable) throw error;
    return attempt(await freshMetadata());
  }
}

async function listOffsetsOnce(session: AdminSession, byLeader: Map<number, PartitionRef[]>, partitions: PartitionRef[], query: OffsetQuery): Promise<OffsetsByTopic> {
  const timestamp = query === 'earliest' ? EARLIEST_TIMESTAMP : query === 'latest' ? LATEST_TIMESTAMP : BigInt(query.timestamp);
  const result: OffsetsByTopic = new Map();
  const asked = { ...defaultListOffsetsRequestListOffsetsPartition(), timestamp };
  await Promise.all(
    [...byLeader].map(async ([leader, refs]) => {
      const response = await session.router.send({ broker: leader }, ApiKey.ListOffsets, {
        ...defaultListOffsetsRequest(),
        replicaId: CONSUMER_REPLICA_ID,
        topics: [...byTopic(refs)].map(([name, entries]) => ({
          name,
          partitions: entries.map((entry) => ({ ...asked, partitionIndex: entry.partition })),
        })),
      });
      for (const topic of response.topics) {
        let offsets = result.get(topic.name);
        if (offsets === undefined) result.set(topic.name, (offsets = new Map()));
        for (const partition of topic.partitions) {
          if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `list offsets of ${topic.name}-${partition.partitionIndex}`);
          // v0 answers in oldStyleOffsets; every later version in offset.
          const offset = partition.oldStyleOffsets.length > 0 ? partition.oldStyleOffsets[0]! : partition.offset;
          offsets.set(partition.partitionIndex, offset < 0n ? null : Number(offset));
        }
      }
    }),
  );
  for (const ref of partitions) {
    if (!result.get(ref.topic)?.has(ref.partition)) {
      throw new AdminError('kafka', `the leader of ${ref.topic}-${ref.partition} did not answer for it in ListOffsets`);
    }
  }
  return result;
}

export interface LogRange {
  logStartOffset: number;
  highWatermark: number;
}

/** Topic -> partition -> value: a whole-cluster view holds 100,000 partitions, and a string key per partition cost more than the lookups. */
export type ByTopicPartition<T> = Map<string, Map<number, T>>;

/** Log start and high watermark of each partition (`metadata` as in listOffsets). */
export async function logRanges(session: AdminSession, partitions: PartitionRef[], metadata?: MetadataResponse): Promise<ByTopicPartition<LogRange>> {
  const [earliest, latest] = await offsetsOnLeaders(session, partitions, ['earliest', 'latest'], metadata);
  const ranges: ByTopicPartition<LogRange> = new Map();
  for (const ref of partitions) {
    let ofTopic = ranges.get(ref.topic);
    if (ofTopic === undefined) ranges.set(ref.topic, (ofTopic = new Map()));
    ofTopic.set(ref.partition, {
      logStartOffset: earliest!.get(ref.topic)?.get(ref.partition) ?? 0,
      highWatermark: latest!.get(ref.topic)?.get(ref.partition) ?? 0,
    });
  }
  return ranges;
}
