import { describe, expect, it } from 'vitest';
import { ProducerStateManager, type BatchSummary } from '../../../../src/engine/partition/producerState';
import { ErrorCode } from '../../../../src/protocol/errors';

const batch = (overrides: Partial<BatchSummary>): BatchSummary => ({
  producerId: 7,
  producerEpoch: 0,
  baseSequence: 0,
  lastOffsetDelta: 2,
  firstOffset: 0,
  maxTimestamp: 1,
  isTransactional: false,
  isControl: false,
  ...overrides,
});

/** Checks then applies, as the leader's append path does; returns the check. */
function produce(state: ProducerStateManager, summary: BatchSummary) {
  const result = state.check(summary);
  if (result.kind === 'append') state.apply(summary);
  return result;
}

describe('producer state (idempotence)', () => {
  it('answers a retried batch with its original offsets instead of appending it again', () => {
    const state = new ProducerStateManager();
    expect(produce(state, batch({ baseSequence: 0, firstOffset: 10 })).kind).toBe('append');
    expect(produce(state, batch({ baseSequence: 3, firstOffset: 13 })).kind).toBe('append');
    expect(state.check(batch({ baseSequence: 0 }))).toEqual({ kind: 'duplicate', firstOffset: 10, lastOffset: 12 });
    expect(state.check(batch({ baseSequence: 3 }))).toEqual({ kind: 'duplicate', firstOffset: 13, lastOffset: 15 });
  });

  it('keeps only the last five batches for de-duplication', () => {
    const state = new ProducerStateManager();
    for (let i = 0; i < 6; i++) produce(state, batch({ baseSequence: i * 3, firstOffset: i * 3 }));
    const oldest = state.check(batch({ baseSequence: 0 }));
    expect(oldest.kind).toBe('error');
    expect(state.check(batch({ baseSequence: 3 })).kind).toBe('duplicate');
  });

  it('rejects gaps and old epochs, and requires a new epoch to start at sequence 0', () => {
    const state = new ProducerStateManager();
    produce(state, batch({ producerEpoch: 1, baseSequence: 0 }));
    expect(state.check(batch({ producerEpoch: 1, baseSequence: 5 }))).toMatchObject({ kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(state.check(batch({ producerEpoch: 0, baseSequence: 3 }))).toMatchObject({ kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(state.check(batch({ producerEpoch: 2, baseSequence: 3 }))).toMatchObject({ kind: 'error', errorCode: ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER });
    expect(state.check(batch({ producerEpoch: 2, baseSequence: 0 })).kind).toBe('append');
  });

  it('accepts any sequence from a producer it has never seen, and from non-idempotent producers', () => {
    const state = new ProducerStateManager();
    expect(state.check(batch({ producerId: 99, baseSequence: 1234 })).kind).toBe('append');
    expect(state.check(batch({ producerId: -1, baseSequence: -1 })).kind).toBe('append');
  });

  it('continues the sequence across the Int.MAX wrap-around', () => {
    const state = new ProducerStateManager();
    produce(state, batch({ baseSequence: 0x7fffffff - 1, lastOffsetDelta: 1 }));
    expect(state.check(batch({ baseSequence: 0, lastOffsetDelta: 0 })).kind).toBe('append');
  });

  it('lets a transaction marker move the epoch without taking part in sequences', () => {
    const state = new ProducerStateManager();
    produce(state, batch({ baseSequence: 0, isTransactional: true }));
    state.apply(batch({ producerEpoch: 1, baseSequence: -1, lastOffsetDelta: 0, firstOffset: 3, isTransactional: true, isControl: true }));
    expect(state.check(batch({ producerEpoch: 0, baseSequence: 3 }))).toMatchObject({ kind: 'error', errorCode: ErrorCode.INVALID_PRODUCER_EPOCH });
    expect(state.check(batch({ producerEpoch: 1, baseSequence: 0 })).kind).toBe('append');
  });
});

describe('producer state (transaction markers)', () => {
  const marker = (coordinatorEpoch: number, producerEpoch = 0) => batch({ isControl: true, isTransactional: true, producerEpoch, baseSequence: -1, lastOffsetDelta: 0, coordinatorEpoch });

  it("fences a marker from an older coordinator epoch than the last marker's, and keeps the epoch across a producer epoch bump", () => {
    const state = new ProducerStateManager();
    expect(produce(state, batch({ isTransactional: true })).kind).toBe('append');
    expect(produce(state, marker(3)).kind).toBe('append');
    expect(state.producersView()[0]!.coordinatorEpoch).toBe(3);
    const zombie = state.check(marker(2));
    expect(zombie).toMatchObject({ kind: 'error', errorCode: ErrorCode.TRANSACTION_COORDINATOR_FENCED });
    // The same coordinator again, and a newer one, may write.
    expect(produce(state, marker(3)).kind).toBe('append');
    expect(produce(state, marker(4, 1)).kind).toBe('append');
    expect(state.producersView()[0]).toMatchObject({ producerEpoch: 1, coordinatorEpoch: 4 });
    expect(state.check(marker(3, 1))).toMatchObject({ kind: 'error', errorCode: ErrorCode.TRANSACTION_COORDINATOR_FENCED });
  });

  it('reports -1 for a producer no marker was written for yet', () => {
    const state = new ProducerStateManager();
    produce(state, batch({}));
    expect(state.producersView()[0]!.coordinatorEpoch).toBe(-1);
  });
});
