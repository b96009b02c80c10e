// AddPartitionsToTxn (API 24), 0-3: a transactional producer registers the partitions it is
// about to write before its first Produce to each, so the coordinator knows where to send
// the transaction's markers. v2 may answer PRODUCER_FENCED (KIP-588), v3 is flexible. v4+
// is the broker-to-broker verification of KIP-890 and is not advertised. A partition the
// cluster does not have fails the whole request: it gets UNKNOWN_TOPIC_OR_PARTITION and the
// others OPERATION_NOT_ATTEMPTED, as in Kafka.
import { ErrorCode } from '../../../protocol/errors';
import type { AddPartitionsToTxnRequest } from '../../../protocol/generated/addPartitionsToTxnRequest';
import { defaultAddPartitionsToTxnResponse, type AddPartitionsToTxnResponse } from '../../../protocol/generated/addPartitionsToTxnResponse';
import { ApiKey } from '../../../protocol/generated/apis';
import type { TopicPartition } from '../../coordinator/offsetStore';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';
import { groupByTopic, type PartitionExists } from './offsetCommit';
import { fencedErrorFor } from './producerFenced';

function response(partitions: readonly (TopicPartition & { errorCode: number })[]): AddPartitionsToTxnResponse {
  return {
    ...defaultAddPartitionsToTxnResponse(),
    resultsByTopicV3AndBelow: groupByTopic(partitions, ({ partition, errorCode }) => ({ partitionIndex: partition, partitionErrorCode: errorCode })).map(
      ({ name, partitions: resultsByPartition }) => ({ name, resultsByPartition }),
    ),
  };
}

const requested = (request: AddPartitionsToTxnRequest): TopicPartition[] =>
  request.v3AndBelowTopics.flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name, partition })));

export function addPartitionsToTxnHandler(transactions: TransactionCoordinator, partitionExists: PartitionExists) {
  return defineHandler({
    apiKey: ApiKey.AddPartitionsToTxn,
    minVersion: 0,
    maxVersion: 3,
    async handle(request: AddPartitionsToTxnRequest, context: RequestContext) {
      const partitions = requested(request);
      if (partitions.some(({ topic, partition }) => !partitionExists(topic, partition))) {
        return response(
          partitions.map((tp) => ({ ...tp, errorCode: partitionExists(tp.topic, tp.partition) ? ErrorCode.OPERATION_NOT_ATTEMPTED : ErrorCode.UNKNOWN_TOPIC_OR_PARTITION })),
        );
      }
      const errorCode = await transactions.addPartitions(
        { transactionalId: request.v3AndBelowTransactionalId, producerId: request.v3AndBelowProducerId, producerEpoch: request.v3AndBelowProducerEpoch },
        partitions,
      );
      const mapped = fencedErrorFor(errorCode, context.apiVersion, 2);
      return response(partitions.map((tp) => ({ ...tp, errorCode: mapped })));
    },
    errorResponse(request: AddPartitionsToTxnRequest, errorCode: number) {
      return response(requested(request).map((tp) => ({ ...tp, errorCode })));
    },
  });
}
