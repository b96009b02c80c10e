import { ErrorCode } from '../../protocol/errors';

/**
 * Per-partition state of idempotent and transactional producers (KIP-98, KIP-360).
 *
 * For each producer id we keep its epoch, the last five batches' sequence ranges with the
 * offsets they were written at (a producer has at most five requests in flight, so a retry
 * is always one of them), and the first offset of its open transaction if any. The state is
 * a pure function of the log: followers apply replicated batches without validation and a
 * new leader rebuilds it from the log, which is why a retry sent to a new leader after a
 * failover is still recognised as a duplicate.
 */
export const RETAINED_BATCHES = 5;
const NO_PRODUCER_ID = -1;
const MAX_SEQUENCE = 0x7fffffff;

export interface BatchSummary {
  producerId: number;
  producerEpoch: number;
  baseSequence: number;
  /** Records in the batch minus one (the batch header's lastOffsetDelta). */
  lastOffsetDelta: number;
  firstOffset: number;
  maxTimestamp: number;
  isTransactional: boolean;
  /** Transaction marker batches: which outcome they record. */
  control?: { commit: boolean; coordinatorEpoch: number };
}

interface RetainedBatch {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  producerEpoch: number;
  batches: RetainedBatch[];
  /** First offset of the open transaction, or null when none is open. */
  openTxnFirstOffset: number | null;
  coordinatorEpoch: number;
  lastTimestamp: number;
}

/** A transaction ended by a marker: aborted ones go to the aborted-transaction index. */
export interface CompletedTransaction {
  producerId: number;
  firstOffset: number;
  markerOffset: number;
  aborted: boolean;
}

export type SequenceCheck =
  | { kind: 'append' }
  | { kind: 'duplicate'; firstOffset: number; lastOffset: number }
  | { kind: 'error'; errorCode: number; message: string };

function lastSequenceOf(baseSequence: number, lastOffsetDelta: number): number {
  // Sequences wrap from Int.MAX back to 0 (Kafka's DefaultRecordBatch.incrementSequence).
  const last = baseSequence + lastOffsetDelta;
  return last > MAX_SEQUENCE ? last - MAX_SEQUENCE - 1 : last;
}

function nextSequence(sequence: number): number {
  return sequence === MAX_SEQUENCE ? 0 : sequence + 1;
}

export class ProducerStateManager {
  private readonly producers = new Map<number, ProducerEntry>();

  /**
   * Checks a batch a client sent to the leader, before anything is appended. Idempotence
   * rules (KIP-98 as amended by KIP-360): an older epoch is fenced; a newer epoch must start
   * at sequence 0; within an epoch a batch equal to a retained one is a duplicate and is
   * answered with its original offsets, and any other batch must continue the sequence.
   */
  check(batch: Omit<BatchSummary, 'firstOffset'>): SequenceCheck {
    if (batch.producerId === NO_PRODUCER_ID) return { kind: 'append' };
    const entry = this.producers.get(batch.producerId);
    if (entry === undefined) return { kind: 'append' };
    if (batch.producerEpoch < entry.producerEpoch) {
      return {
        kind: 'error',
        errorCode: ErrorCode.INVALID_PRODUCER_EPOCH,
        message: `Producer ${batch.producerId} epoch ${batch.producerEpoch} is older than the current epoch ${entry.producerEpoch}`,
      };
    }
    if (batch.control !== undefined) return { kind: 'append' };
    if (batch.producerEpoch > entry.producerEpoch) {
      if (batch.baseSequence !== 0) {
        return {
          kind: 'error',
          errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
          message: `Producer ${batch.producerId} started epoch ${batch.producerEpoch} at sequence ${batch.baseSequence}; a new epoch must start at 0`,
        };
      }
      return { kind: 'append' };
    }
    const lastSequence = lastSequenceOf(batch.baseSequence, batch.lastOffsetDelta);
    const duplicate = entry.batches.find((b) => b.firstSequence === batch.baseSequence && b.lastSequence === lastSequence);
    if (duplicate !== undefined) {
      return { kind: 'duplicate', firstOffset: duplicate.firstOffset, lastOffset: duplicate.lastOffset };
    }
    const latest = entry.batches.at(-1);
    if (latest !== undefined && batch.baseSequence !== nextSequence(latest.lastSequence)) {
      return {
        kind: 'error',
        errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER,
        message: `Producer ${batch.producerId} sent sequence ${batch.baseSequence}, expected ${nextSequence(latest.lastSequence)}`,
      };
    }
    return { kind: 'append' };
  }

  /**
   * Records a batch written to the log (by the leader after `check`, or replicated, or read
   * back during a rebuild). Returns the transaction it completes, for markers.
   */
  apply(batch: BatchSummary): CompletedTransaction | undefined {
    if (batch.producerId === NO_PRODUCER_ID) return undefined;
    let entry = this.producers.get(batch.producerId);
    if (entry === undefined || batch.producerEpoch > entry.producerEpoch) {
      entry = {
        producerEpoch: batch.producerEpoch,
        batches: [],
        openTxnFirstOffset: entry?.openTxnFirstOffset ?? null,
        coordinatorEpoch: entry?.coordinatorEpoch ?? -1,
        lastTimestamp: batch.maxTimestamp,
      };
      this.producers.set(batch.producerId, entry);
    }
    entry.lastTimestamp = Math.max(entry.lastTimestamp, batch.maxTimestamp);
    const lastOffset = batch.firstOffset + batch.lastOffsetDelta;
    if (batch.control !== undefined) {
      entry.coordinatorEpoch = batch.control.coordinatorEpoch;
      const firstOffset = entry.openTxnFirstOffset;
      entry.openTxnFirstOffset = null;
      if (firstOffset === null) return undefined;
      return { producerId: batch.producerId, firstOffset, markerOffset: lastOffset, aborted: !batch.control.commit };
    }
    entry.batches.push({
      firstSequence: batch.baseSequence,
      lastSequence: lastSequenceOf(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset: batch.firstOffset,
      lastOffset,
    });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
    if (batch.isTransactional && entry.openTxnFirstOffset === null) entry.openTxnFirstOffset = batch.firstOffset;
    return undefined;
  }

  /** First offset of the earliest open transaction: the last stable offset when one exists. */
  firstUnstableOffset(): number | undefined {
    let first: number | undefined;
    for (const entry of this.producers.values()) {
      if (entry.openTxnFirstOffset !== null && (first === undefined || entry.openTxnFirstOffset < first)) {
        first = entry.openTxnFirstOffset;
      }
    }
    return first;
  }

  /** Open transactions, for DescribeProducers / ListTransactions style views. */
  producersView(): { producerId: number; producerEpoch: number; lastSequence: number; lastTimestamp: number; coordinatorEpoch: number; currentTxnStartOffset: number }[] {
    return [...this.producers.entries()].map(([producerId, entry]) => ({
      producerId,
      producerEpoch: entry.producerEpoch,
      lastSequence: entry.batches.at(-1)?.lastSequence ?? -1,
      lastTimestamp: entry.lastTimestamp,
      coordinatorEpoch: entry.coordinatorEpoch,
      currentTxnStartOffset: entry.openTxnFirstOffset ?? -1,
    }));
  }

  /** Forgets everything: the log was truncated and the state will be rebuilt from it. */
  clear(): void {
    this.producers.clear();
  }
}
