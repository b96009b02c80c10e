import { join } from 'node:path';
import type { CoordinatorLog, CoordinatorLogEntry, CoordinatorRecord, TransactionalWriter } from '../../src/engine/coordinator/coordinatorLog';
import { readCoordinatorEntries } from '../../src/engine/coordinator/internalTopicLog';
import { PartitionLog } from '../../src/engine/log/partitionLog';
import { encodeControlBatch } from '../../src/protocol/records/controlRecord';
import { encodeRecordBatch } from '../../src/protocol/records/recordBatch';

/**
 * A CoordinatorLog over real on-disk partition logs that, unlike partitionCoordinatorLog,
 * honours transactional appends (TxnOffsetCommit writes a transactional batch of the
 * producer) and can write the transaction markers WriteTxnMarkers would, so loader tests see
 * exactly what a broker's `__consumer_offsets` partition holds. Reads go through the broker's
 * own reader (readCoordinatorEntries). Appends are serialised per partition.
 */
export interface TransactionalCoordinatorLog extends CoordinatorLog {
  /** Appends a COMMIT or ABORT control batch for the producer, as the partition leader would. */
  writeMarker(partition: number, producerId: bigint, producerEpoch: number, commit: boolean): Promise<void>;
  /** The log's open transactions (producer id -> first offset), which hold its LSO back. */
  openTransactions(partition: number): ReadonlyMap<bigint, number>;
  close(): void;
}

export function transactionalCoordinatorLog(dir: string, topic = '__consumer_offsets'): TransactionalCoordinatorLog {
  const logs = new Map<number, PartitionLog>();
  const tails = new Map<number, Promise<void>>();
  const sequences = new Map<bigint, number>();

  const logFor = (partition: number): PartitionLog => {
    let log = logs.get(partition);
    if (log === undefined) {
      log = PartitionLog.open({ dir: join(dir, `${topic}-${partition}`) });
      logs.set(partition, log);
    }
    return log;
  };

  const serialised = (partition: number, step: (log: PartitionLog) => Promise<Buffer>): Promise<void> => {
    const next = (tails.get(partition) ?? Promise.resolve()).then(async () => {
      const log = logFor(partition);
      log.append([await step(log)]);
    });
    tails.set(
      partition,
      next.catch(() => undefined),
    );
    return next;
  };

  return {
    append(partition: number, records: readonly CoordinatorRecord[], transaction?: TransactionalWriter): Promise<void> {
      return serialised(partition, (log) => {
        const producer =
          transaction === undefined
            ? {}
            : { transactional: true, producerId: transaction.producerId, producerEpoch: transaction.producerEpoch, baseSequence: sequences.get(transaction.producerId) ?? 0 };
        if (transaction !== undefined) sequences.set(transaction.producerId, (sequences.get(transaction.producerId) ?? 0) + records.length);
        return encodeRecordBatch({ baseOffset: BigInt(log.logEndOffset), partitionLeaderEpoch: 0, records: records.map(({ key, value }) => ({ key, value })), ...producer });
      });
    },
    writeMarker(partition, producerId, producerEpoch, commit) {
      return serialised(partition, (log) =>
        encodeControlBatch({ type: commit ? 'commit' : 'abort', coordinatorEpoch: 0, producerId, producerEpoch, timestamp: BigInt(Date.now()), baseOffset: BigInt(log.logEndOffset), partitionLeaderEpoch: 0 }),
      );
    },
    readAll(partition: number): Promise<CoordinatorLogEntry[]> {
      return readCoordinatorEntries(logFor(partition));
    },
    openTransactions: (partition) => logFor(partition).openTransactions,
    close() {
      for (const log of logs.values()) log.close();
      logs.clear();
    },
  };
}
