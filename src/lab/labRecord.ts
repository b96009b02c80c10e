/**
 * The value of every record the lab writes. Each carries its workload id (unique across the
 * run), the writer and the writer's sequence number (to detect reordering), and the
 * transaction attempt it was written in (to tell aborted copies from committed ones, since
 * an aborted transaction's records are written again in a later one).
 */
export interface LabValue {
  id: number;
  /** Who wrote it: the workload producer, or the consume-transform-produce stage. */
  producer: string;
  /** The writer's sequence: increasing in the order the writer sent its records. */
  seq: number;
  /** Transaction attempt number, null outside transactions. */
  txn: number | null;
  /** For transformed records: the transaction attempt of the input record they came from. */
  sourceTxn?: number | null;
}

export const WORKLOAD_PRODUCER = 'workload';
export const TRANSFORM_PRODUCER = 'transform';

export function encodeLabValue(value: LabValue): string {
  return JSON.stringify(value);
}

/** Null for anything the lab did not write (a topic shared with other producers). */
export function decodeLabValue(bytes: Buffer | string | null): LabValue | null {
  if (bytes === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(typeof bytes === 'string' ? bytes : bytes.toString('utf8'));
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null) return null;
  const { id, producer, seq, txn, sourceTxn } = parsed as Record<string, unknown>;
  if (!Number.isInteger(id) || typeof producer !== 'string' || !Number.isInteger(seq)) return null;
  if (txn !== null && !Number.isInteger(txn)) return null;
  return {
    id: id as number,
    producer,
    seq: seq as number,
    txn: txn as number | null,
    ...(sourceTxn === undefined ? {} : { sourceTxn: Number.isInteger(sourceTxn) ? (sourceTxn as number) : null }),
  };
}
