// AddOffsetsToTxn (API 25), 0-3: sendOffsetsToTransaction's first step. The coordinator adds
// the group's `__consumer_offsets` partition to the transaction, so the transaction's marker
// also settles the offsets the producer then commits with TxnOffsetCommit (KIP-98). v2 may
// answer PRODUCER_FENCED (KIP-588), v3 is flexible.
import { ApiKey } from '../../../protocol/generated/apis';
import type { AddOffsetsToTxnRequest } from '../../../protocol/generated/addOffsetsToTxnRequest';
import { defaultAddOffsetsToTxnResponse } from '../../../protocol/generated/addOffsetsToTxnResponse';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';
import { fencedErrorFor } from './producerFenced';

export function addOffsetsToTxnHandler(transactions: TransactionCoordinator) {
  return defineHandler({
    apiKey: ApiKey.AddOffsetsToTxn,
    minVersion: 0,
    maxVersion: 3,
    async handle(request: AddOffsetsToTxnRequest, context: RequestContext) {
      const errorCode = await transactions.addOffsets(
        { transactionalId: request.transactionalId, producerId: request.producerId, producerEpoch: request.producerEpoch },
        request.groupId,
      );
      return { ...defaultAddOffsetsToTxnResponse(), errorCode: fencedErrorFor(errorCode, context.apiVersion, 2) };
    },
    errorResponse(_request: AddOffsetsToTxnRequest, errorCode: number) {
      return { ...defaultAddOffsetsToTxnResponse(), errorCode };
    },
  });
}
