import { describe, expect, it } from 'vitest';
import { parseIsoDuration, parseResetDatetime, planOffsetReset, targetTimestamp, type PartitionOffsets } from '../../../src/admin/offsetResetPlan';

// Partition 0 holds offsets 10..99 and the group is at 50; partition 1 holds 0..19 and the group never committed.
const partitions: PartitionOffsets[] = [
  { topic: 'orders', partition: 0, committed: 50, logStartOffset: 10, logEndOffset: 100 },
  { topic: 'orders', partition: 1, committed: null, logStartOffset: 0, logEndOffset: 20 },
];
const newOffsets = (rows: { newOffset: number }[]) => rows.map((row) => row.newOffset);

describe('offset reset plan', () => {
  it('--to-earliest and --to-latest go to the log start and end, counting re-read and skipped messages', () => {
    const earliest = planOffsetReset(partitions, { mode: 'to-earliest' });
    expect(newOffsets(earliest)).toEqual([10, 0]);
    expect(earliest[0]).toMatchObject({ currentOffset: 50, messagesReread: 40, messagesSkipped: 0, clampedTo: null });
    expect(earliest[1]).toMatchObject({ currentOffset: null, messagesReread: null, messagesSkipped: null });
    const latest = planOffsetReset(partitions, { mode: 'to-latest' });
    expect(newOffsets(latest)).toEqual([100, 20]);
    expect(latest[0]).toMatchObject({ messagesReread: 0, messagesSkipped: 50 });
  });

  it('--to-current keeps committed offsets and sends partitions without one to the log end, as Kafka does', () => {
    expect(newOffsets(planOffsetReset(partitions, { mode: 'to-current' }))).toEqual([50, 20]);
  });

  it('--to-offset clamps to the log start and end, and says so', () => {
    const low = planOffsetReset(partitions, { mode: 'to-offset', offset: 5 });
    expect(newOffsets(low)).toEqual([10, 5]);
    expect(low.map((row) => row.clampedTo)).toEqual(['log-start', null]);
    const high = planOffsetReset(partitions, { mode: 'to-offset', offset: 1000 });
    expect(newOffsets(high)).toEqual([100, 20]);
    expect(high[0]).toMatchObject({ requestedOffset: 1000, clampedTo: 'log-end' });
  });

  it('--shift-by moves from the committed offset, clamped, and refuses partitions without one', () => {
    const committedOnly = [partitions[0]!];
    expect(newOffsets(planOffsetReset(committedOnly, { mode: 'shift-by', shift: -15 }))).toEqual([35]);
    expect(newOffsets(planOffsetReset(committedOnly, { mode: 'shift-by', shift: -100 }))).toEqual([10]);
    expect(newOffsets(planOffsetReset(committedOnly, { mode: 'shift-by', shift: 70 }))).toEqual([100]);
    expect(() => planOffsetReset(partitions, { mode: 'shift-by', shift: 1 })).toThrow(/cannot shift orders-1: the group has no committed offset there/);
  });

  it('time modes use the offset for the time, and the log end when no message is that recent', () => {
    const withTimes = [
      { ...partitions[0]!, offsetForTime: 70 },
      { ...partitions[1]!, offsetForTime: null },
    ];
    expect(newOffsets(planOffsetReset(withTimes, { mode: 'to-datetime', datetime: '2024-01-01T00:00:00Z', timestamp: 1_704_067_200_000 }))).toEqual([70, 20]);
    expect(newOffsets(planOffsetReset(withTimes, { mode: 'by-duration', duration: 'PT1H', durationMs: 3_600_000 }))).toEqual([70, 20]);
  });

  it('--from-file takes the file\'s offsets, clamped to the log', () => {
    const plan = planOffsetReset(partitions, {
      mode: 'from-file',
      path: 'plan.csv',
      offsets: [
        { topic: 'orders', partition: 0, offset: 5 },
        { topic: 'orders', partition: 1, offset: 7 },
      ],
    });
    expect(newOffsets(plan)).toEqual([10, 7]);
  });

  it('computes the target time of time modes only', () => {
    expect(targetTimestamp({ mode: 'by-duration', duration: 'PT1M', durationMs: 60_000 }, 1_000_000)).toBe(940_000);
    expect(targetTimestamp({ mode: 'to-datetime', datetime: 'x', timestamp: 42 }, 1_000_000)).toBe(42);
    expect(targetTimestamp({ mode: 'to-latest' }, 1_000_000)).toBeNull();
  });
});

describe('--to-datetime and --by-duration parsing', () => {
  it('reads Kafka\'s date-time format with Z, offsets, and without seconds or millis', () => {
    expect(parseResetDatetime('2024-05-01T09:30:00.000Z')).toBe(Date.UTC(2024, 4, 1, 9, 30));
    expect(parseResetDatetime('2024-05-01T09:30:00.5Z')).toBe(Date.UTC(2024, 4, 1, 9, 30, 0, 500));
    expect(parseResetDatetime('2024-05-01T11:30:00+02:00')).toBe(Date.UTC(2024, 4, 1, 9, 30));
    expect(parseResetDatetime('2024-05-01T04:30-0500')).toBe(Date.UTC(2024, 4, 1, 9, 30));
    expect(parseResetDatetime('2024-05-01T09:30:00')).toBe(new Date(2024, 4, 1, 9, 30).getTime());
  });

  it.each(['2024-05-01', 'yesterday', '2024-02-30T00:00:00Z', '2024-05-01T25:00:00Z', '2024-05-01 09:30:00'])('rejects %j', (text) => {
    expect(() => parseResetDatetime(text)).toThrow(/--to-datetime/);
  });

  it('reads ISO-8601 durations as java.time.Duration does, always pointing back', () => {
    expect(parseIsoDuration('PT30M')).toBe(1_800_000);
    expect(parseIsoDuration('P1DT12H')).toBe(36 * 3_600_000);
    expect(parseIsoDuration('PT1.5S')).toBe(1_500);
    expect(parseIsoDuration('-PT1H')).toBe(3_600_000);
  });

  it.each(['PT', 'P', '1h', 'PT1X', 'P1W'])('rejects the duration %j', (text) => {
    expect(() => parseIsoDuration(text)).toThrow(/--by-duration/);
  });
});
