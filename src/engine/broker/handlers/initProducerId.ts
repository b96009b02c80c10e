// InitProducerId (API 22), 0-4. Without a transactional id (idempotent producers) the
// broker hands out a fresh producer id with epoch 0 from a block the controller allocated,
// so ids never repeat across brokers or restarts (Kafka's AllocateProducerIds, KIP-730).
// A transactional id needs the transaction coordinator, which this cluster does not run
// yet: such requests get a non-retriable error that says so, instead of an endless retry.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { InitProducerIdRequest } from '../../../protocol/generated/initProducerIdRequest';
import { defaultInitProducerIdResponse } from '../../../protocol/generated/initProducerIdResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

const BLOCK_SIZE = 1000;

export function initProducerIdHandler(services: BrokerServices) {
  let next = 0;
  let end = 0;

  async function nextProducerId(): Promise<number> {
    if (next >= end) {
      const block = await services.controller.call('allocateProducerIds', BLOCK_SIZE);
      next = block.firstProducerId;
      end = block.firstProducerId + block.count;
    }
    return next++;
  }

  return defineHandler({
    apiKey: ApiKey.InitProducerId,
    minVersion: 0,
    maxVersion: 4,
    async handle(request: InitProducerIdRequest) {
      if (request.transactionalId !== null) {
        services.log.warn(`refused InitProducerId for transactional id "${request.transactionalId}": transactions are not available on this cluster yet`);
        return { ...defaultInitProducerIdResponse(), errorCode: ErrorCode.INVALID_REQUEST };
      }
      return { ...defaultInitProducerIdResponse(), producerId: BigInt(await nextProducerId()), producerEpoch: 0 };
    },
    errorResponse(_request: InitProducerIdRequest, errorCode: number) {
      return { ...defaultInitProducerIdResponse(), errorCode };
    },
  });
}
