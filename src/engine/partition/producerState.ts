import { ErrorCode } from '../../protocol/errors';

/**
 * Per-partition sequence state of idempotent and transactional producers (KIP-98, KIP-360).
 *
 * For each producer id we keep its epoch and the last five batches' sequence ranges with
 * the offsets they were written at (a producer has at most five requests in flight, so a
 * retry is always one of them). Open transactions are tracked by the log itself, which
 * needs them for the last stable offset and its aborted-transaction index. The state is
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
  /** Transaction markers carry the producer's epoch but no sequence. */
  isControl: boolean;
  /** A transaction marker's coordinator epoch (its transaction coordinator's leader epoch). */
  coordinatorEpoch?: number;
}

interface RetainedBatch {
  firstSequence: number;
  lastSequence: number;
  firstOffset: number;
  lastOffset: number;
}

interface ProducerEntry {
  producerEpoch: number;
  /** Of the last transaction marker written for this producer; -1 before any. */
  coordinatorEpoch: number;
  batches: RetainedBatch[];
  lastTimestamp: number;
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
    if (batch.isControl) {
      // A marker from a coordinator older than the one that wrote the last marker comes from
      // a coordinator that has since lost its partition (a zombie): fence it, as Kafka does.
      if (batch.coordinatorEpoch !== undefined && batch.coordinatorEpoch < entry.coordinatorEpoch) {
        return {
          kind: 'error',
          errorCode: ErrorCode.TRANSACTION_COORDINATOR_FENCED,
          message: `Producer ${batch.producerId}'s marker comes from coordinator epoch ${batch.coordinatorEpoch}, older than ${entry.coordinatorEpoch}`,
        };
      }
      return { kind: 'append' };
    }
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

  /** Records a batch written to the log (by the leader after `check`, replicated, or replayed). */
  apply(batch: BatchSummary): void {
    if (batch.producerId === NO_PRODUCER_ID) return;
    let entry = this.producers.get(batch.producerId);
    if (entry === undefined || batch.producerEpoch > entry.producerEpoch) {
      entry = { producerEpoch: batch.producerEpoch, coordinatorEpoch: entry?.coordinatorEpoch ?? -1, batches: [], lastTimestamp: batch.maxTimestamp };
      this.producers.set(batch.producerId, entry);
    }
    entry.lastTimestamp = Math.max(entry.lastTimestamp, batch.maxTimestamp);
    if (batch.isControl) {
      if (batch.coordinatorEpoch !== undefined) entry.coordinatorEpoch = batch.coordinatorEpoch;
      return;
    }
    entry.batches.push({
      firstSequence: batch.baseSequence,
      lastSequence: lastSequenceOf(batch.baseSequence, batch.lastOffsetDelta),
      firstOffset: batch.firstOffset,
      lastOffset: batch.firstOffset + batch.lastOffsetDelta,
    });
    if (entry.batches.length > RETAINED_BATCHES) entry.batches.shift();
  }

  /** Active producers, for DescribeProducers. */
  producersView(): { producerId: number; producerEpoch: number; coordinatorEpoch: number; lastSequence: number; lastTimestamp: number }[] {
    return [...this.producers.entries()].map(([producerId, entry]) => ({
      producerId,
      producerEpoch: entry.producerEpoch,
      coordinatorEpoch: entry.coordinatorEpoch,
      lastSequence: entry.batches.at(-1)?.lastSequence ?? -1,
      lastTimestamp: entry.lastTimestamp,
    }));
  }

  /** Forgets everything: the log was truncated and the state will be rebuilt from it. */
  clear(): void {
    this.producers.clear();
  }
}
