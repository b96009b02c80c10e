import { describe, expect, it } from 'vitest';
import type { TimelineEvent } from '../../../src/api/schemas/embedded';
import { appendEvents, describeEvent, visibleEvents } from '../../../renderer/app/timeline';

const isr = (seq: number, topic: string, isr: number[], previousIsr: number[]): TimelineEvent => ({ type: 'isr-change', topic, partition: 0, isr, previousIsr, seq, at: seq * 1000 });

describe('describeEvent', () => {
  it('flags an unclean election as possible data loss', () => {
    const described = describeEvent({ type: 'unclean-election', topic: 'orders', partition: 2, leader: 3, previousIsr: [1], leaderEpoch: 7, seq: 1, at: 0 });
    expect(described.severity).toBe('danger');
    expect(described.detail).toContain('possible data loss');
    expect(described.title).toBe('orders-2: unclean election of broker 3');
  });

  it('tells an ISR shrink (a warning) from an expansion', () => {
    expect(describeEvent(isr(1, 'orders', [2, 3], [1, 2, 3]))).toMatchObject({ title: 'orders-0: ISR shrank to [2, 3]', severity: 'warning' });
    expect(describeEvent(isr(2, 'orders', [1, 2, 3], [2, 3]))).toMatchObject({ title: 'orders-0: ISR expanded to [1, 2, 3]', severity: 'info' });
  });

  it('marks a partition left without a leader as danger', () => {
    expect(describeEvent({ type: 'leader-change', topic: 't', partition: 0, leader: -1, previousLeader: 2, leaderEpoch: 3, seq: 1, at: 0 })).toMatchObject({
      title: 't-0: leader none (offline)',
      severity: 'danger',
    });
  });

  it('marks a killed broker as danger and a stopped one as a warning', () => {
    expect(describeEvent({ type: 'broker-state', brokerId: 1, state: 'killed', previous: 'running', seq: 1, at: 0 }).severity).toBe('danger');
    expect(describeEvent({ type: 'broker-state', brokerId: 1, state: 'stopped', previous: 'stopping', seq: 1, at: 0 }).severity).toBe('warning');
  });
});

describe('visibleEvents', () => {
  it('hides internal topics unless asked, and keeps broker events', () => {
    const events: TimelineEvent[] = [isr(1, '__consumer_offsets', [2], [1, 2]), isr(2, 'orders', [2], [1, 2]), { type: 'broker-fault', brokerId: 2, isolated: true, fetchDelayMs: 0, seq: 3, at: 0 }];
    expect(visibleEvents(events, false).map((event) => event.seq)).toEqual([2, 3]);
    expect(visibleEvents(events, true)).toHaveLength(3);
  });
});

describe('appendEvents', () => {
  it('adds only events newer than the last one held, so a push and a refetch never duplicate', () => {
    const held = [isr(1, 'a', [1], [1, 2]), isr(2, 'a', [1, 2], [1])];
    expect(appendEvents(held, [isr(2, 'a', [1, 2], [1]), isr(3, 'a', [1], [1, 2])]).map((event) => event.seq)).toEqual([1, 2, 3]);
  });

  it('keeps only the newest events beyond the bound', () => {
    const held = [isr(1, 'a', [1], [1]), isr(2, 'a', [1], [1])];
    expect(appendEvents(held, [isr(3, 'a', [1], [1])], 2).map((event) => event.seq)).toEqual([2, 3]);
  });
});
