// InitProducerId (API 22), 0-4. Without a transactional id (idempotent producers) the
// broker hands out a fresh producer id with epoch 0 from a block the controller allocated,
// so ids never repeat across brokers or restarts (Kafka's AllocateProducerIds, KIP-730).
// With one, the transaction coordinator of that id answers: it bumps the epoch to fence
// older instances, aborts an open transaction first (CONCURRENT_TRANSACTIONS, the client
// retries), and from v3 lets a producer recover with its previous id and epoch (KIP-360).
// v4 may answer PRODUCER_FENCED (KIP-588); older versions get INVALID_PRODUCER_EPOCH.
import { ApiKey } from '../../../protocol/generated/apis';
import type { InitProducerIdRequest } from '../../../protocol/generated/initProducerIdRequest';
import { defaultInitProducerIdResponse } from '../../../protocol/generated/initProducerIdResponse';
import type { ProducerIdAllocator } from '../../coordinator/producerIdAllocator';
import type { TransactionCoordinator } from '../../coordinator/transactionCoordinator';
import { NO_PRODUCER_EPOCH, NO_PRODUCER_ID } from '../../coordinator/transactionMetadata';
import { defineHandler, type RequestContext } from '../apiHandler';
import { fencedErrorFor } from './producerFenced';

export function initProducerIdHandler(producerIds: ProducerIdAllocator, transactions: TransactionCoordinator) {
  return defineHandler({
    apiKey: ApiKey.InitProducerId,
    minVersion: 0,
    maxVersion: 4,
    async handle(request: InitProducerIdRequest, context: RequestContext) {
      if (request.transactionalId === null) {
        return { ...defaultInitProducerIdResponse(), producerId: await producerIds.nextProducerId(), producerEpoch: 0 };
      }
      const recovering = context.apiVersion >= 3;
      const answer = await transactions.initProducerId({
        transactionalId: request.transactionalId,
        transactionTimeoutMs: request.transactionTimeoutMs,
        producerId: recovering ? request.producerId : NO_PRODUCER_ID,
        producerEpoch: recovering ? request.producerEpoch : NO_PRODUCER_EPOCH,
      });
      return {
        ...defaultInitProducerIdResponse(),
        errorCode: fencedErrorFor(answer.errorCode, context.apiVersion, 4),
        producerId: answer.producerId,
        producerEpoch: answer.producerEpoch,
      };
    },
    errorResponse(_request: InitProducerIdRequest, errorCode: number) {
      return { ...defaultInitProducerIdResponse(), errorCode };
    },
  });
}
