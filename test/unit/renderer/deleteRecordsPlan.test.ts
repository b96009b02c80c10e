import { describe, expect, it } from 'vitest';
import { planRecordDeletion, type DeleteTarget } from '../../../renderer/app/deleteRecordsPlan';

const ranges = [
  { partition: 0, logStartOffset: 10, highWatermark: 50 },
  { partition: 1, logStartOffset: 0, highWatermark: 0 },
  { partition: 2, logStartOffset: -1, highWatermark: -1 },
];

describe('planRecordDeletion', () => {
  it('counts everything below the high watermark for "all" and sends -1, as kafka-delete-records.sh takes it', () => {
    const plan = planRecordDeletion(ranges, new Map<number, DeleteTarget>([[0, { kind: 'all' }], [1, { kind: 'all' }]]));
    expect(plan).toEqual([
      { partition: 0, logStartOffset: 10, highWatermark: 50, newLogStart: 50, deleted: 40, error: null, requestOffset: -1 },
      { partition: 1, logStartOffset: 0, highWatermark: 0, newLogStart: 0, deleted: 0, error: null, requestOffset: -1 },
    ]);
  });

  it('counts records below an offset within the log and refuses offsets outside it', () => {
    const plan = planRecordDeletion(ranges.slice(0, 1), new Map<number, DeleteTarget>([[0, { kind: 'offset', text: ' 25 ' }]]));
    expect(plan[0]).toMatchObject({ newLogStart: 25, deleted: 15, error: null, requestOffset: 25 });
    expect(planRecordDeletion(ranges, new Map<number, DeleteTarget>([[0, { kind: 'offset', text: '5' }]]))[0]).toMatchObject({ newLogStart: null, error: 'between 10 and 50' });
    expect(planRecordDeletion(ranges, new Map<number, DeleteTarget>([[0, { kind: 'offset', text: '51' }]]))[0]).toMatchObject({ error: 'between 10 and 50' });
    expect(planRecordDeletion(ranges, new Map<number, DeleteTarget>([[0, { kind: 'offset', text: '1e3' }]]))[0]).toMatchObject({ error: 'enter a whole offset' });
  });

  it('refuses an offline partition and leaves out partitions not chosen', () => {
    const plan = planRecordDeletion(ranges, new Map<number, DeleteTarget>([[2, { kind: 'all' }]]));
    expect(plan).toHaveLength(1);
    expect(plan[0]).toMatchObject({ partition: 2, error: 'the partition is offline' });
  });
});
