import { existsSync } from 'node:fs';
import { isControl, isTransactional } from '../../protocol/records/batchHeader';
import { checkpointFile, offsetField, type CheckpointFile } from './checkpointFile';
import { controlMarkerOf } from './controlMarker';
import type { AbortedTransaction } from './transactionIndex';
import type { FsyncBatch } from './fsyncBatch';

/** What the tracker needs from each appended batch. */
export interface TransactionalBatch {
  baseOffset: number;
  producerId: bigint;
  transactional: boolean;
  /** For control batches, the marker kind; null for data batches. */
  marker: 'abort' | 'commit' | 'other' | null;
}

/**
 * The tracker's view of a batch from its leading bytes (at least CONTROL_MARKER_PEEK_BYTES, or
 * the whole batch). Throws a DecodeError when a control batch's record cannot be read.
 */
export function transactionalBatchOf(bytes: Buffer): TransactionalBatch {
  const attributes = bytes.readInt16BE(21);
  return {
    baseOffset: Number(bytes.readBigInt64BE(0)),
    producerId: bytes.readBigInt64BE(43),
    transactional: isTransactional(attributes),
    marker: isControl(attributes) ? controlMarkerOf(bytes) : null,
  };
}

export interface TransactionSnapshot {
  logEndOffset: number;
  lastMarkerOffset: number;
  open: ReadonlyMap<bigint, number>;
}

/**
 * The open transactions of one log (producer id -> offset of its first data batch), fed with
 * every batch the log appends, leader or follower alike. It is the log's own, narrow view of
 * producer state: enough to write the aborted-transaction index when an ABORT marker lands and
 * to compute the first unstable offset (the LSO before the HW bound, KIP-98). Idempotence
 * state (sequences, epochs) belongs to the partition layer.
 */
export class TransactionTracker {
  private readonly open = new Map<bigint, number>();
  /** Offset of the newest COMMIT/ABORT marker seen: truncating below it reopens transactions. */
  private lastMarker = -1;

  /** Records a batch; returns the aborted transaction it completes, if any. */
  onBatch(batch: TransactionalBatch): AbortedTransaction | null {
    if (!batch.transactional) return null;
    if (batch.marker === null) {
      if (!this.open.has(batch.producerId)) this.open.set(batch.producerId, batch.baseOffset);
      return null;
    }
    if (batch.marker === 'other') return null;
    // A marker for a producer with no data here still completes a (empty) transaction; Kafka
    // then uses the marker itself as the first offset.
    const firstOffset = this.open.get(batch.producerId) ?? batch.baseOffset;
    this.open.delete(batch.producerId);
    this.lastMarker = batch.baseOffset;
    if (batch.marker === 'commit') return null;
    return {
      producerId: batch.producerId,
      firstOffset,
      lastOffset: batch.baseOffset,
      lastStableOffset: this.firstUnstableOffset ?? batch.baseOffset + 1,
    };
  }

  /** First offset of the earliest open transaction, or null when none is open. */
  get firstUnstableOffset(): number | null {
    if (this.open.size === 0) return null;
    let first: number | null = null;
    for (const offset of this.open.values()) if (first === null || offset < first) first = offset;
    return first;
  }

  get openTransactions(): ReadonlyMap<bigint, number> {
    return this.open;
  }

  /**
   * Forgets everything at or after `offset`. Returns false when a marker was cut off: the
   * transactions it closed are open again and only a rescan of the log can tell which.
   */
  truncateTo(offset: number): boolean {
    if (this.lastMarker >= offset) return false;
    for (const [producerId, firstOffset] of this.open) if (firstOffset >= offset) this.open.delete(producerId);
    return true;
  }

  clear(): void {
    this.open.clear();
    this.lastMarker = -1;
  }

  snapshot(logEndOffset: number): TransactionSnapshot {
    return { logEndOffset, lastMarkerOffset: this.lastMarker, open: new Map(this.open) };
  }

  restore(snapshot: TransactionSnapshot): void {
    this.clear();
    this.lastMarker = snapshot.lastMarkerOffset;
    for (const [producerId, firstOffset] of snapshot.open) this.open.set(producerId, firstOffset);
  }
}

type SnapshotLine = { kind: 'end'; logEndOffset: number; lastMarkerOffset: number } | { kind: 'open'; producerId: bigint; firstOffset: number };

/**
 * `transaction-checkpoint`: the tracker written at clean shutdown, so a clean restart knows the
 * open transactions without scanning the log (Kafka's producer-state snapshot plays this role).
 * Lines: `end <logEndOffset> <lastMarkerOffset>`, then `open <producerId> <firstOffset>` each.
 */
export function transactionCheckpoint(path: string): {
  read(): TransactionSnapshot | null;
  write(snapshot: TransactionSnapshot, options?: { durable: boolean }): void;
  sync(batch?: FsyncBatch): void;
  exists(): boolean;
} {
  const file: CheckpointFile<SnapshotLine> = checkpointFile<SnapshotLine>(path, {
    version: 0,
    format: (line) =>
      line.kind === 'end' ? `end ${line.logEndOffset} ${line.lastMarkerOffset}` : `open ${line.producerId} ${line.firstOffset}`,
    parse: ([kind, first, second]) => {
      if (kind === 'end') return { kind, logEndOffset: offsetField(first), lastMarkerOffset: Number(second ?? 'x') };
      if (kind === 'open' && first !== undefined && /^-?\d+$/.test(first)) {
        return { kind, producerId: BigInt(first), firstOffset: offsetField(second) };
      }
      throw new Error(`unknown line kind "${kind}"`);
    },
  });
  return {
    read() {
      const lines = file.read();
      const end = lines[0];
      if (end?.kind !== 'end' || !Number.isSafeInteger(end.lastMarkerOffset)) return null;
      const open = new Map<bigint, number>();
      for (const line of lines.slice(1)) if (line.kind === 'open') open.set(line.producerId, line.firstOffset);
      return { logEndOffset: end.logEndOffset, lastMarkerOffset: end.lastMarkerOffset, open };
    },
    write(snapshot, options) {
      file.write(
        [
          { kind: 'end', logEndOffset: snapshot.logEndOffset, lastMarkerOffset: snapshot.lastMarkerOffset },
          ...[...snapshot.open].map(([producerId, firstOffset]): SnapshotLine => ({ kind: 'open', producerId, firstOffset })),
        ],
        options,
      );
    },
    sync: (batch) => file.sync(batch),
    exists: () => existsSync(path),
  };
}
