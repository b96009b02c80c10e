// OffsetDelete (API 47, KIP-496): removes a group's committed offsets for some partitions,
// typically for topics the group stopped consuming. Allowed for an Empty group; an active
// consumer group keeps the offsets of topics it is subscribed to (GROUP_SUBSCRIBED_TO_TOPIC)
// and a non-consumer group with members refuses altogether (NON_EMPTY_GROUP).
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { OffsetDeleteRequest } from '../../../protocol/generated/offsetDeleteRequest';
import { defaultOffsetDeleteResponse } from '../../../protocol/generated/offsetDeleteResponse';
import type { GroupCoordinator, PartitionResult } from '../../coordinator/groupCoordinator';
import type { TopicPartition } from '../../coordinator/offsetStore';
import { defineHandler } from '../apiHandler';
import { resultsByTopic, type PartitionExists } from './offsetCommit';

export function offsetDeleteHandler(coordinator: GroupCoordinator, partitionExists: PartitionExists = () => true) {
  return defineHandler({
    apiKey: ApiKey.OffsetDelete,
    minVersion: 0,
    maxVersion: 0,
    async handle(request: OffsetDeleteRequest) {
      const unknown: PartitionResult[] = [];
      const wanted: TopicPartition[] = [];
      for (const topic of request.topics) {
        for (const { partitionIndex } of topic.partitions) {
          if (partitionExists(topic.name, partitionIndex)) wanted.push({ topic: topic.name, partition: partitionIndex });
          else unknown.push({ topic: topic.name, partition: partitionIndex, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
        }
      }
      const result = await coordinator.deleteOffsets(request.groupId, wanted);
      // With a group-level error there are no partition results, as in Kafka.
      if (result.errorCode !== ErrorCode.NONE) return { ...defaultOffsetDeleteResponse(), errorCode: result.errorCode };
      return { ...defaultOffsetDeleteResponse(), topics: resultsByTopic([...result.partitions, ...unknown]) };
    },
    errorResponse(_request: OffsetDeleteRequest, errorCode: number) {
      return { ...defaultOffsetDeleteResponse(), errorCode };
    },
  });
}
