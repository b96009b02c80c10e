// OffsetCommit (API 8): a consumer stores its positions in the group's __consumer_offsets
// partition; the answer comes once the commit is replicated. Served from v2 (v0 stored in
// ZooKeeper, v1 carried per-partition timestamps). v2-4 carry a retention time, which Kafka 2.1+
// ignores in favour of offsets.retention.minutes (KIP-211), as we do; v6 adds the leader epoch
// (KIP-320), v7 group.instance.id (KIP-345), v8 flexible encoding.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { OffsetCommitRequest } from '../../../protocol/generated/offsetCommitRequest';
import { defaultOffsetCommitResponse, type OffsetCommitResponse } from '../../../protocol/generated/offsetCommitResponse';
import type { GroupCoordinator, OffsetCommitEntry, PartitionResult } from '../../coordinator/groupCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';

/** Whether the cluster has this partition; commits and deletions for others are refused. */
export type PartitionExists = (topic: string, partition: number) => boolean;

/** Regroups per-partition entries under their topics, keeping first-seen topic order. */
export function groupByTopic<T extends { topic: string }, P>(items: readonly T[], toPartition: (item: T) => P): { name: string; partitions: P[] }[] {
  const topics = new Map<string, P[]>();
  for (const item of items) {
    let partitions = topics.get(item.topic);
    if (partitions === undefined) {
      partitions = [];
      topics.set(item.topic, partitions);
    }
    partitions.push(toPartition(item));
  }
  return [...topics].map(([name, partitions]) => ({ name, partitions }));
}

/** Per-partition error codes in the response shape of OffsetCommit and OffsetDelete. */
export const resultsByTopic = (results: readonly PartitionResult[]) =>
  groupByTopic(results, ({ partition, errorCode }) => ({ partitionIndex: partition, errorCode }));

interface RequestedTopic {
  name: string;
  partitions: readonly { partitionIndex: number; committedOffset: bigint; committedLeaderEpoch: number; committedMetadata: string | null }[];
}

/**
 * The commits of an OffsetCommit or TxnOffsetCommit request: entries for partitions the
 * cluster has, and UNKNOWN_TOPIC_OR_PARTITION for the others (as Kafka answers). The leader
 * epoch only counts from the versions that carry it.
 */
export function offsetsToCommit(topics: readonly RequestedTopic[], partitionExists: PartitionExists, withLeaderEpoch: boolean): { offsets: OffsetCommitEntry[]; unknown: PartitionResult[] } {
  const unknown: PartitionResult[] = [];
  const offsets: OffsetCommitEntry[] = [];
  for (const topic of topics) {
    for (const p of topic.partitions) {
      if (!partitionExists(topic.name, p.partitionIndex)) {
        unknown.push({ topic: topic.name, partition: p.partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        continue;
      }
      offsets.push({
        topic: topic.name,
        partition: p.partitionIndex,
        offset: p.committedOffset,
        leaderEpoch: withLeaderEpoch ? p.committedLeaderEpoch : -1,
        metadata: p.committedMetadata,
      });
    }
  }
  return { offsets, unknown };
}

/** Results in the request's partition order, NONE where no result says otherwise. */
export function inRequestOrder(topics: readonly RequestedTopic[], results: readonly PartitionResult[]): PartitionResult[] {
  const errors = new Map(results.map((r) => [`${r.partition}:${r.topic}`, r.errorCode] as const));
  return topics.flatMap((topic) =>
    topic.partitions.map((p) => ({ topic: topic.name, partition: p.partitionIndex, errorCode: errors.get(`${p.partitionIndex}:${topic.name}`) ?? ErrorCode.NONE })),
  );
}

function allWith(request: OffsetCommitRequest, errorCode: number): OffsetCommitResponse {
  return {
    ...defaultOffsetCommitResponse(),
    topics: request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitions.map((p) => ({ partitionIndex: p.partitionIndex, errorCode })) })),
  };
}

export function offsetCommitHandler(coordinator: GroupCoordinator, partitionExists: PartitionExists = () => true) {
  return defineHandler({
    apiKey: ApiKey.OffsetCommit,
    minVersion: 2,
    maxVersion: 8,
    async handle(request: OffsetCommitRequest, context: RequestContext) {
      const { offsets, unknown } = offsetsToCommit(request.topics, partitionExists, context.apiVersion >= 6);
      const committed =
        offsets.length === 0
          ? []
          : await coordinator.commitOffsets({
              groupId: request.groupId,
              generationId: request.generationIdOrMemberEpoch,
              memberId: request.memberId,
              groupInstanceId: context.apiVersion >= 7 ? request.groupInstanceId : null,
              offsets,
            });
      return { ...defaultOffsetCommitResponse(), topics: resultsByTopic(inRequestOrder(request.topics, [...committed, ...unknown])) };
    },
    errorResponse(request: OffsetCommitRequest, errorCode: number) {
      return allWith(request, errorCode);
    },
  });
}
