import type { LabValue } from './labRecord';

/**
 * The verdict on a run, computed from three views: the ids the producer saw acknowledged,
 * the topic's log as it ends up after every fault healed (with each record's transaction
 * fate), and what the consumer delivered. Pure functions, so the verdict can be checked
 * against hand-made inputs.
 */

/**
 * A record's fate in the log: outside any transaction (`plain`), or in a transaction that
 * committed, aborted, or is still open (no marker yet; read_committed hides it).
 */
export type RecordFate = 'plain' | 'committed' | 'aborted' | 'open';

export interface LogEntry {
  partition: number;
  offset: number;
  value: LabValue;
  fate: RecordFate;
}

/** One delivery to the application: a processed record, or a committed transformed record. */
export interface Delivery {
  id: number;
  /** The transaction attempt of the input record that was delivered (null outside transactions). */
  sourceTxn: number | null;
}

export interface VerificationInput {
  acknowledged: readonly number[];
  inputLog: readonly LogEntry[];
  deliveries: readonly Delivery[];
}

export interface Verification {
  acknowledged: number;
  /** Distinct ids delivered. */
  consumed: number;
  /** Deliveries, repeats included. */
  deliveries: number;
  /** Acknowledged ids that a reader of the topic does not get: missing from the log, or never delivered. */
  lost: number[];
  /** Lost because the log no longer has them (the brokers lost them). */
  lostFromLog: number[];
  /** Lost although the log has them (the consumer skipped them). */
  lostByConsumer: number[];
  /** Ids written twice or delivered twice. */
  duplicates: number[];
  /** Ids at two offsets of the committed log (a retried send that had already succeeded). */
  producedDuplicates: number[];
  /** Ids delivered more than once. */
  processedDuplicates: number[];
  /** Records whose writer sequence is lower than one already seen in the same partition. */
  outOfOrder: number;
  outOfOrderByPartition: Record<number, number>;
  /** Ids delivered from an aborted or still-open transaction. */
  abortedSeen: number[];
  /** Ids in the committed log although their send was never acknowledged (failed, then written anyway). */
  unacknowledgedWritten: number[];
}

const visible = (entry: LogEntry) => entry.fate === 'plain' || entry.fate === 'committed';
const ascending = (ids: Iterable<number>) => [...ids].sort((a, b) => a - b);

function repeated(ids: Iterable<number>): number[] {
  const seen = new Set<number>();
  const twice = new Set<number>();
  for (const id of ids) (seen.has(id) ? twice : seen).add(id);
  return ascending(twice);
}

/**
 * Counts, per partition, records that arrive after a record with a higher sequence from the
 * same writer. Repeats of an id already seen are duplicates, counted there and not here, so
 * a retried batch that was also written the first time is not counted twice.
 */
export function countOutOfOrder(log: readonly LogEntry[]): Record<number, number> {
  const byPartition: Record<number, number> = {};
  const ordered = log.filter(visible).sort((a, b) => a.partition - b.partition || a.offset - b.offset);
  const highest = new Map<string, number>();
  const seen = new Set<string>();
  for (const { partition, value } of ordered) {
    byPartition[partition] ??= 0;
    const identity = `${partition}:${value.producer}:${value.id}`;
    if (seen.has(identity)) continue;
    seen.add(identity);
    const writer = `${partition}:${value.producer}`;
    const max = highest.get(writer);
    if (max !== undefined && value.seq < max) byPartition[partition]! += 1;
    highest.set(writer, Math.max(max ?? value.seq, value.seq));
  }
  return byPartition;
}

export function verify(input: VerificationInput): Verification {
  const committed = input.inputLog.filter(visible);
  const inLog = new Set(committed.map((entry) => entry.value.id));
  const delivered = new Set(input.deliveries.map((delivery) => delivery.id));
  const acknowledged = new Set(input.acknowledged);

  const lostFromLog = ascending([...acknowledged].filter((id) => !inLog.has(id)));
  const lostByConsumer = ascending([...acknowledged].filter((id) => inLog.has(id) && !delivered.has(id)));
  const producedDuplicates = repeated(committed.map((entry) => entry.value.id));
  const processedDuplicates = repeated(input.deliveries.map((delivery) => delivery.id));

  const fates = new Map(input.inputLog.map((entry) => [`${entry.value.id}:${entry.value.txn}`, entry.fate]));
  const abortedSeen = new Set<number>();
  for (const delivery of input.deliveries) {
    if (delivery.sourceTxn === null) continue;
    const fate = fates.get(`${delivery.id}:${delivery.sourceTxn}`);
    if (fate === 'aborted' || fate === 'open') abortedSeen.add(delivery.id);
  }

  const outOfOrderByPartition = countOutOfOrder(input.inputLog);
  return {
    acknowledged: acknowledged.size,
    consumed: delivered.size,
    deliveries: input.deliveries.length,
    lost: ascending(new Set([...lostFromLog, ...lostByConsumer])),
    lostFromLog,
    lostByConsumer,
    duplicates: ascending(new Set([...producedDuplicates, ...processedDuplicates])),
    producedDuplicates,
    processedDuplicates,
    outOfOrder: Object.values(outOfOrderByPartition).reduce((sum, count) => sum + count, 0),
    outOfOrderByPartition,
    abortedSeen: ascending(abortedSeen),
    unacknowledgedWritten: ascending([...inLog].filter((id) => !acknowledged.has(id))),
  };
}
