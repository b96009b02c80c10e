import { decodeTransactionLogKey, encodeTransactionLogKey } from '../../protocol/generated/transactionLogKey';
import { decodeTransactionLogValue, encodeTransactionLogValue } from '../../protocol/generated/transactionLogValue';
import { ByteReader } from '../../protocol/primitives/byteReader';
import { ByteWriter } from '../../protocol/primitives/byteWriter';
import type { CoordinatorRecord } from './coordinatorLog';
import {
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  transactionStateOfCode,
  transactionStatusCode,
  withPartitions,
  type TransactionMetadata,
} from './transactionMetadata';

/**
 * The records of `__transaction_state`, in Kafka's format (TransactionLogKey/Value, each
 * prefixed with its int16 schema version): key = transactional id, value = the whole state
 * after a transition. A null value is a tombstone (an expired transactional id). Value v0 is
 * what Kafka 3.x writes; v1 (flexible, KIP-890) is used only when there is a previous
 * producer id to keep, which v0 cannot hold.
 */
const KEY_VERSION = 0;

export function transactionKey(transactionalId: string): Buffer {
  const writer = new ByteWriter().int16(KEY_VERSION);
  encodeTransactionLogKey(writer, { transactionalId }, KEY_VERSION);
  return writer.toBuffer();
}

export function transactionRecord(metadata: TransactionMetadata): CoordinatorRecord {
  const version = metadata.previousProducerId === NO_PRODUCER_ID ? 0 : 1;
  const writer = new ByteWriter().int16(version);
  encodeTransactionLogValue(
    writer,
    {
      producerId: metadata.producerId,
      previousProducerId: version >= 1 ? metadata.previousProducerId : NO_PRODUCER_ID,
      nextProducerId: NO_PRODUCER_ID,
      producerEpoch: metadata.producerEpoch,
      transactionTimeoutMs: metadata.timeoutMs,
      transactionStatus: transactionStatusCode(metadata.state),
      transactionPartitions: [...metadata.partitions].map(([topic, partitions]) => ({ topic, partitionIds: [...partitions].sort((a, b) => a - b) })),
      transactionLastUpdateTimestampMs: BigInt(metadata.lastUpdateTimestamp),
      transactionStartTimestampMs: BigInt(metadata.startTimestamp),
      clientTransactionVersion: 0,
    },
    version,
  );
  return { key: transactionKey(metadata.transactionalId), value: writer.toBuffer() };
}

export type DecodedTransactionRecord = { transactionalId: string; metadata: TransactionMetadata | null };

/** Reads one record back; a tombstone gives null metadata. Throws on an unknown key version or status. */
export function decodeTransactionRecord(record: CoordinatorRecord): DecodedTransactionRecord {
  const keyReader = new ByteReader(record.key);
  const { transactionalId } = decodeTransactionLogKey(keyReader, keyReader.int16());
  if (record.value === null) return { transactionalId, metadata: null };
  const reader = new ByteReader(record.value);
  const value = decodeTransactionLogValue(reader, reader.int16());
  const state = transactionStateOfCode(value.transactionStatus);
  if (state === undefined) throw new Error(`transaction ${transactionalId} has unknown status ${value.transactionStatus}`);
  const partitions = (value.transactionPartitions ?? []).flatMap(({ topic, partitionIds }) => partitionIds.map((partition) => ({ topic, partition })));
  return {
    transactionalId,
    metadata: {
      transactionalId,
      producerId: value.producerId,
      previousProducerId: value.previousProducerId,
      producerEpoch: value.producerEpoch,
      lastProducerEpoch: NO_PRODUCER_EPOCH,
      timeoutMs: value.transactionTimeoutMs,
      state,
      partitions: withPartitions(new Map(), partitions),
      startTimestamp: Number(value.transactionStartTimestampMs),
      lastUpdateTimestamp: Number(value.transactionLastUpdateTimestampMs),
    },
  };
}

/**
 * Replays a `__transaction_state` partition: the last record per transactional id wins and a
 * tombstone forgets it, which is what compaction leaves behind.
 */
export function replayTransactionRecords(records: readonly CoordinatorRecord[]): Map<string, TransactionMetadata> {
  const transactions = new Map<string, TransactionMetadata>();
  for (const record of records) {
    const { transactionalId, metadata } = decodeTransactionRecord(record);
    if (metadata === null) transactions.delete(transactionalId);
    else transactions.set(transactionalId, metadata);
  }
  return transactions;
}
