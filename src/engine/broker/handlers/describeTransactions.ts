// DescribeTransactions (API 65), 0 (KIP-664): state, producer id/epoch, timeout, start time
// and partitions of transactional ids this broker coordinates; others get NOT_COORDINATOR
// (admin clients route each id to its coordinator), unknown ids TRANSACTIONAL_ID_NOT_FOUND.
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeTransactionsRequest } from '../../../protocol/generated/describeTransactionsRequest';
import { defaultDescribeTransactionsResponse, defaultDescribeTransactionsResponseTransactionState } from '../../../protocol/generated/describeTransactionsResponse';
import { groupByTopic } from './offsetCommit';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { defineHandler } from '../apiHandler';

export function describeTransactionsHandler(transactions: TransactionCoordinator) {
  return defineHandler({
    apiKey: ApiKey.DescribeTransactions,
    minVersion: 0,
    maxVersion: 0,
    handle(request: DescribeTransactionsRequest) {
      return {
        ...defaultDescribeTransactionsResponse(),
        transactionStates: request.transactionalIds.map((transactionalId) => {
          const described = transactions.describe(transactionalId);
          return {
            errorCode: described.errorCode,
            transactionalId,
            transactionState: described.state,
            transactionTimeoutMs: described.timeoutMs,
            transactionStartTimeMs: BigInt(described.startTimestamp),
            producerId: described.producerId,
            producerEpoch: described.producerEpoch,
            topics: groupByTopic(described.partitions, ({ partition }) => partition).map(({ name, partitions }) => ({ topic: name, partitions })),
          };
        }),
      };
    },
    errorResponse(request: DescribeTransactionsRequest, errorCode: number) {
      return {
        ...defaultDescribeTransactionsResponse(),
        transactionStates: request.transactionalIds.map((transactionalId) => ({ ...defaultDescribeTransactionsResponseTransactionState(), transactionalId, errorCode })),
      };
    },
  });
}
