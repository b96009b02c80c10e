import { join } from 'node:path';
import type { CoordinatorLog, CoordinatorRecord } from '../../src/engine/coordinator/coordinatorLog';
import { PartitionLog } from '../../src/engine/log/partitionLog';
import { isControl } from '../../src/protocol/records/batchHeader';
import { decodeRecordBatch, encodeRecordBatch } from '../../src/protocol/records/recordBatch';

/**
 * A CoordinatorLog over real on-disk partition logs (one PartitionLog per internal-topic
 * partition under `dir`), standing in for the broker's replicated partitions in coordinator
 * tests: records go through the real batch encoder, segment files and recovery, so a test
 * that closes everything and reopens the directory exercises what a broker restart does.
 * Appends are serialised per partition, as a leader's appends are.
 */
export interface PartitionCoordinatorLog extends CoordinatorLog {
  /** Records appended so far, per partition (what the coordinator wrote, in order). */
  appended(partition: number): number;
  /** Makes every following append fail with `error` (null: succeed again). */
  failAppends(error: Error | null): void;
  close(): void;
}

const READ_CHUNK_BYTES = 1 << 20;

export function partitionCoordinatorLog(dir: string, options: { topic?: string; leaderEpoch?: number } = {}): PartitionCoordinatorLog {
  const topic = options.topic ?? '__consumer_offsets';
  const leaderEpoch = options.leaderEpoch ?? 0;
  const logs = new Map<number, PartitionLog>();
  const tails = new Map<number, Promise<void>>();
  const counts = new Map<number, number>();
  let failure: Error | null = null;

  const logFor = (partition: number): PartitionLog => {
    let log = logs.get(partition);
    if (log === undefined) {
      log = PartitionLog.open({ dir: join(dir, `${topic}-${partition}`) });
      logs.set(partition, log);
    }
    return log;
  };

  return {
    append(partition: number, records: readonly CoordinatorRecord[]): Promise<void> {
      const previous = tails.get(partition) ?? Promise.resolve();
      const next = previous.then(async () => {
        if (failure !== null) throw failure;
        const log = logFor(partition);
        const batch = await encodeRecordBatch({
          baseOffset: BigInt(log.logEndOffset),
          partitionLeaderEpoch: leaderEpoch,
          records: records.map((record) => ({ key: record.key, value: record.value })),
        });
        log.append([batch]);
        counts.set(partition, (counts.get(partition) ?? 0) + records.length);
      });
      tails.set(partition, next.catch(() => undefined));
      return next;
    },
    async readAll(partition: number): Promise<CoordinatorRecord[]> {
      const log = logFor(partition);
      const records: CoordinatorRecord[] = [];
      let offset = log.logStartOffset;
      while (offset < log.logEndOffset) {
        const read = log.read(offset, READ_CHUNK_BYTES);
        if (!read.ok || read.batches.length === 0) throw new Error(`cannot read ${topic}-${partition} at offset ${offset}`);
        for (const batch of read.batches) {
          const decoded = await decodeRecordBatch(batch);
          if (isControl(decoded.header.attributes)) continue;
          for (const record of decoded.records) {
            if (record.key === null) throw new Error(`${topic}-${partition} holds a record without key`);
            records.push({ key: Buffer.from(record.key), value: record.value === null ? null : Buffer.from(record.value) });
          }
        }
        offset = read.nextOffset;
      }
      return records;
    },
    appended: (partition) => counts.get(partition) ?? 0,
    failAppends(error) {
      failure = error;
    },
    close() {
      for (const log of logs.values()) log.close();
      logs.clear();
    },
  };
}
