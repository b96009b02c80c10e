// OffsetFetch (API 9): committed offsets of a group, for given partitions or (v2+, topics
// null) all of them; -1 where nothing is committed. Served from v1 (v0 read ZooKeeper).
// v2 added the top-level error, v5 leader epochs (KIP-320), v6 flexible encoding, v7
// RequireStable (KIP-447: UNSTABLE_OFFSET_COMMIT while a transaction's offset commit is
// pending, so a new consumer does not start from a position that may still change), v8
// several groups per request (KIP-709).
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { OffsetFetchRequest } from '../../../protocol/generated/offsetFetchRequest';
import { defaultOffsetFetchResponse, type OffsetFetchResponse } from '../../../protocol/generated/offsetFetchResponse';
import type { FetchedOffset, GroupCoordinator } from '../../coordinator/groupCoordinator';
import type { TopicPartition } from '../../coordinator/offsetStore';
import { defineHandler, type RequestContext } from '../apiHandler';
import { groupByTopic } from './offsetCommit';

type ResponsePartition = OffsetFetchResponse['topics'][number]['partitions'][number];
type ResponseTopic = { name: string; partitions: ResponsePartition[] };

function wantedPartitions(topics: readonly { name: string; partitionIndexes: number[] }[] | null): TopicPartition[] | null {
  return topics === null ? null : topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
}

function byTopic(offsets: readonly FetchedOffset[]): ResponseTopic[] {
  return groupByTopic(offsets, (o): ResponsePartition => ({
    partitionIndex: o.partition,
    committedOffset: o.offset,
    committedLeaderEpoch: o.leaderEpoch,
    metadata: o.metadata,
    errorCode: o.errorCode,
  }));
}

/** Every requested partition with the same error (v0-1 have no top-level error field). */
function failed(wanted: readonly TopicPartition[] | null, errorCode: number): ResponseTopic[] {
  return byTopic((wanted ?? []).map(({ topic, partition }) => ({ topic, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode })));
}

export function offsetFetchHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.OffsetFetch,
    minVersion: 1,
    maxVersion: 8,
    handle(request: OffsetFetchRequest, context: RequestContext) {
      const version = context.apiVersion;
      const requireStable = version >= 7 && request.requireStable;
      if (version >= 8) {
        return {
          ...defaultOffsetFetchResponse(),
          groups: request.groups.map((group) => {
            const result = coordinator.fetchOffsets(group.groupId, wantedPartitions(group.topics), requireStable);
            return { groupId: group.groupId, errorCode: result.errorCode, topics: byTopic(result.offsets) };
          }),
        };
      }
      const wanted = wantedPartitions(request.topics);
      const result = coordinator.fetchOffsets(request.groupId, wanted, requireStable);
      if (result.errorCode !== ErrorCode.NONE) return { ...defaultOffsetFetchResponse(), errorCode: result.errorCode, topics: failed(wanted, result.errorCode) };
      return { ...defaultOffsetFetchResponse(), topics: byTopic(result.offsets) };
    },
    errorResponse(request: OffsetFetchRequest, errorCode: number, context: RequestContext) {
      if (context.apiVersion >= 8) {
        return { ...defaultOffsetFetchResponse(), groups: request.groups.map((g) => ({ groupId: g.groupId, errorCode, topics: [] })) };
      }
      return { ...defaultOffsetFetchResponse(), errorCode, topics: failed(wantedPartitions(request.topics), errorCode) };
    },
  });
}
