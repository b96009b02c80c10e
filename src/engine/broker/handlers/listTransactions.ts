// ListTransactions (API 66), 0-1 (KIP-664): the transactional ids this broker coordinates,
// filtered by state names and producer ids; admin clients ask every broker and merge.
// Unknown state names are echoed back in UnknownStateFilters. v1 adds DurationFilter: only
// transactions running longer than that many milliseconds (KIP-994).
import { ApiKey } from '../../../protocol/generated/apis';
import type { ListTransactionsRequest } from '../../../protocol/generated/listTransactionsRequest';
import { defaultListTransactionsResponse } from '../../../protocol/generated/listTransactionsResponse';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';

export function listTransactionsHandler(transactions: TransactionCoordinator) {
  return defineHandler({
    apiKey: ApiKey.ListTransactions,
    minVersion: 0,
    maxVersion: 1,
    handle(request: ListTransactionsRequest, context: RequestContext) {
      const listed = transactions.list({
        states: request.stateFilters,
        producerIds: request.producerIdFilters,
        minDurationMs: context.apiVersion >= 1 ? Number(request.durationFilter) : -1,
      });
      return {
        ...defaultListTransactionsResponse(),
        errorCode: listed.errorCode,
        unknownStateFilters: listed.unknownStates,
        transactionStates: listed.transactions.map((t) => ({ transactionalId: t.transactionalId, producerId: t.producerId, transactionState: t.state })),
      };
    },
    errorResponse(_request: ListTransactionsRequest, errorCode: number) {
      return { ...defaultListTransactionsResponse(), errorCode };
    },
  });
}
