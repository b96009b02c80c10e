import { describe, expect, it } from 'vitest';
import { caughtUpShare } from '../../../src/admin/reassignmentProgress';

describe('reassignment progress of a new replica', () => {
  it('is the share of the leader\'s retained log the replica already holds', () => {
    expect(caughtUpShare(250, { logStartOffset: 0, highWatermark: 1000 })).toBe(0.75);
    expect(caughtUpShare(0, { logStartOffset: 500, highWatermark: 1000 })).toBe(1);
    expect(caughtUpShare(500, { logStartOffset: 500, highWatermark: 1000 })).toBe(0);
  });

  it('counts from the log start, so a truncated log is not under-reported', () => {
    expect(caughtUpShare(100, { logStartOffset: 800, highWatermark: 1000 })).toBe(0.5);
  });

  it('treats an empty log as done once the replica trails by nothing, and unknown without offsets', () => {
    expect(caughtUpShare(0, { logStartOffset: 0, highWatermark: 0 })).toBe(1);
    expect(caughtUpShare(3, { logStartOffset: 0, highWatermark: 0 })).toBe(0);
    expect(caughtUpShare(3, undefined)).toBeNull();
  });
});
