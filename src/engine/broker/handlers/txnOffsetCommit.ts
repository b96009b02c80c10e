// TxnOffsetCommit (API 28), 0-3: a transactional producer commits a consumer group's
// offsets inside its transaction (sendOffsetsToTransaction). The client sends it to the
// group coordinator, so it is served by this broker's group coordinator: the offsets are
// written to the group's partition as a transactional batch and stay pending (invisible to
// OffsetFetch, UNSTABLE_OFFSET_COMMIT for requireStable) until the transaction's marker.
// v2 adds the leader epoch (KIP-320); v3 the consumer's generation, member id and instance
// id, checked like a member's commit so zombies are fenced (KIP-447).
import { ApiKey } from '../../../protocol/generated/apis';
import type { TxnOffsetCommitRequest } from '../../../protocol/generated/txnOffsetCommitRequest';
import { defaultTxnOffsetCommitResponse } from '../../../protocol/generated/txnOffsetCommitResponse';
import type { GroupCoordinator, PartitionResult } from '../../coordinator/groupCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';
import { inRequestOrder, offsetsToCommit, resultsByTopic, type PartitionExists } from './offsetCommit';

const allWith = (request: TxnOffsetCommitRequest, errorCode: number): PartitionResult[] =>
  request.topics.flatMap((topic) => topic.partitions.map((p) => ({ topic: topic.name, partition: p.partitionIndex, errorCode })));

export function txnOffsetCommitHandler(groups: GroupCoordinator, partitionExists: PartitionExists) {
  return defineHandler({
    apiKey: ApiKey.TxnOffsetCommit,
    minVersion: 0,
    maxVersion: 3,
    async handle(request: TxnOffsetCommitRequest, context: RequestContext) {
      const version = context.apiVersion;
      const { offsets, unknown } = offsetsToCommit(request.topics, partitionExists, version >= 2);
      const committed =
        offsets.length === 0
          ? []
          : await groups.commitTransactionalOffsets({
              groupId: request.groupId,
              producerId: request.producerId,
              producerEpoch: request.producerEpoch,
              generationId: version >= 3 ? request.generationId : -1,
              memberId: version >= 3 ? request.memberId : '',
              groupInstanceId: version >= 3 ? request.groupInstanceId : null,
              offsets,
            });
      return { ...defaultTxnOffsetCommitResponse(), topics: resultsByTopic(inRequestOrder(request.topics, [...committed, ...unknown])) };
    },
    errorResponse(request: TxnOffsetCommitRequest, errorCode: number) {
      return { ...defaultTxnOffsetCommitResponse(), topics: resultsByTopic(allWith(request, errorCode)) };
    },
  });
}
