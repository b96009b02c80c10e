import { describe, expect, it } from 'vitest';
import { WORKLOAD_PRODUCER } from '../../../src/lab/labRecord';
import { countOutOfOrder, verify, type Delivery, type LogEntry, type RecordFate } from '../../../src/lab/verifier';

/** A log of ids written in order to one partition, each at the next offset. */
function log(partition: number, ids: number[], fate: RecordFate = 'plain', txn: number | null = null, firstOffset = 0): LogEntry[] {
  return ids.map((id, i) => ({ partition, offset: firstOffset + i, value: { id, producer: WORKLOAD_PRODUCER, seq: id, txn }, fate }));
}

const delivered = (ids: number[], sourceTxn: number | null = null): Delivery[] => ids.map((id) => ({ id, sourceTxn }));
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('verify', () => {
  it('a clean run: everything acknowledged is in the log and delivered once', () => {
    const result = verify({ acknowledged: range(0, 10), inputLog: [...log(0, [0, 2, 4, 6, 8]), ...log(1, [1, 3, 5, 7, 9])], deliveries: delivered(range(0, 10)) });
    expect(result).toMatchObject({ acknowledged: 10, consumed: 10, deliveries: 10, lost: [], duplicates: [], outOfOrder: 0, abortedSeen: [] });
  });

  it('acknowledged ids missing from the log are lost from the log, even if a consumer read them before they vanished', () => {
    const result = verify({ acknowledged: range(0, 6), inputLog: log(0, [0, 1, 2, 5]), deliveries: delivered(range(0, 6)) });
    expect(result.lost).toEqual([3, 4]);
    expect(result.lostFromLog).toEqual([3, 4]);
    expect(result.lostByConsumer).toEqual([]);
  });

  it('ids in the log that were never delivered are lost by the consumer', () => {
    const result = verify({ acknowledged: range(0, 6), inputLog: log(0, range(0, 6)), deliveries: delivered([0, 1, 4, 5]) });
    expect(result.lost).toEqual([2, 3]);
    expect(result.lostByConsumer).toEqual([2, 3]);
    expect(result.consumed).toBe(4);
  });

  it('records whose send failed are not lost, and are reported when they were written anyway', () => {
    const result = verify({ acknowledged: [0, 1], inputLog: log(0, [0, 1, 2]), deliveries: delivered([0, 1, 2]) });
    expect(result.lost).toEqual([]);
    expect(result.unacknowledgedWritten).toEqual([2]);
  });

  it('an id at two offsets is a produced duplicate; an id delivered twice is a processed duplicate', () => {
    const result = verify({ acknowledged: range(0, 5), inputLog: log(0, [0, 1, 2, 2, 3, 4]), deliveries: delivered([0, 1, 2, 2, 3, 4, 4]) });
    expect(result.producedDuplicates).toEqual([2]);
    expect(result.processedDuplicates).toEqual([2, 4]);
    expect(result.duplicates).toEqual([2, 4]);
    expect(result.deliveries).toBe(7);
  });

  it('aborted copies of re-sent records are neither duplicates nor out of order, but delivering them is aborted data seen', () => {
    const aborted = log(0, [0, 1], 'aborted', 1);
    const committed = log(0, [0, 1], 'committed', 2, 2);
    const clean = verify({ acknowledged: [0, 1], inputLog: [...aborted, ...committed], deliveries: delivered([0, 1], 2) });
    expect(clean).toMatchObject({ lost: [], duplicates: [], outOfOrder: 0, abortedSeen: [] });

    const dirty = verify({ acknowledged: [0, 1], inputLog: [...aborted, ...committed], deliveries: [...delivered([0, 1], 1), ...delivered([0, 1], 2)] });
    expect(dirty.abortedSeen).toEqual([0, 1]);
    expect(dirty.processedDuplicates).toEqual([0, 1]);
  });

  it('records of a transaction still open count as aborted data when delivered', () => {
    const result = verify({ acknowledged: [], inputLog: log(0, [7], 'open', 3), deliveries: delivered([7], 3) });
    expect(result.abortedSeen).toEqual([7]);
  });
});

describe('countOutOfOrder', () => {
  it('counts records that arrive after a higher sequence of the same writer in the same partition', () => {
    const entries = [...log(0, [0, 3, 1, 2, 4]), ...log(1, [5, 6, 7])];
    expect(countOutOfOrder(entries)).toEqual({ 0: 2, 1: 0 });
  });

  it('does not count a repeated id twice (it is a duplicate) and ignores aborted records', () => {
    const entries = [...log(0, [0, 1, 2, 1]), ...log(0, [0], 'aborted', 9, 4), ...log(0, [3], 'plain', null, 5)];
    expect(countOutOfOrder(entries)).toEqual({ 0: 0 });
  });

  it('keeps writers apart: another producer with lower sequences is not out of order', () => {
    const entries: LogEntry[] = [
      { partition: 0, offset: 0, value: { id: 10, producer: 'a', seq: 10, txn: null }, fate: 'plain' },
      { partition: 0, offset: 1, value: { id: 1, producer: 'b', seq: 1, txn: null }, fate: 'plain' },
    ];
    expect(countOutOfOrder(entries)).toEqual({ 0: 0 });
  });
});
