import { ErrorCode } from '../../../protocol/errors';

/**
 * KIP-588 added PRODUCER_FENCED; requests older than the version that introduced it get
 * INVALID_PRODUCER_EPOCH instead, which those clients handle the same way (InitProducerId
 * v4, AddPartitionsToTxn v2, AddOffsetsToTxn v2, EndTxn v2).
 */
export function fencedErrorFor(errorCode: number, apiVersion: number, firstVersionWithProducerFenced: number): number {
  return errorCode === ErrorCode.PRODUCER_FENCED && apiVersion < firstVersionWithProducerFenced ? ErrorCode.INVALID_PRODUCER_EPOCH : errorCode;
}
