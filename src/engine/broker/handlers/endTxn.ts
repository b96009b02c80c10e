// EndTxn (API 26), 0-3: commit or abort. The coordinator writes PrepareCommit/PrepareAbort
// and answers; markers and Complete* follow in the background. A retry in the same
// direction succeeds (CONCURRENT_TRANSACTIONS while markers are still being written), the
// other direction is INVALID_TXN_STATE, an old epoch PRODUCER_FENCED (v2+, KIP-588) or
// INVALID_PRODUCER_EPOCH (v0-1). v3 is flexible; v4+ (KIP-890 part 2) is not served.
import { ApiKey } from '../../../protocol/generated/apis';
import type { EndTxnRequest } from '../../../protocol/generated/endTxnRequest';
import { defaultEndTxnResponse } from '../../../protocol/generated/endTxnResponse';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';
import { fencedErrorFor } from './producerFenced';

export function endTxnHandler(transactions: TransactionCoordinator) {
  return defineHandler({
    apiKey: ApiKey.EndTxn,
    minVersion: 0,
    maxVersion: 3,
    async handle(request: EndTxnRequest, context: RequestContext) {
      const errorCode = await transactions.endTransaction(
        { transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch },
        request.committed,
      );
      return { ...defaultEndTxnResponse(), errorCode: fencedErrorFor(errorCode, context.apiVersion, 2) };
    },
    errorResponse(_request: EndTxnRequest, errorCode: number) {
      return { ...defaultEndTxnResponse(), errorCode };
    },
  });
}
