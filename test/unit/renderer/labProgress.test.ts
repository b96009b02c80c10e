import { describe, expect, it } from 'vitest';
import type { LabRunStatus } from '../../../src/api/schemas/lab';
import { scenarioFromPreset } from '../../../src/lab/presets';
import { applyLabUpdate } from '../../../renderer/app/labProgress';

const status: LabRunStatus = {
  runId: 'abc',
  state: 'running',
  settings: { preset: 'at-least-once', fault: 'none' },
  scenario: scenarioFromPreset('at-least-once', 'none'),
  command: 'samsa lab run --preset at-least-once --fault none --records 600 --json',
  phase: 'producing',
  startedAt: 1000,
  finishedAt: null,
  counts: { acknowledged: 20, failed: 0, consumed: 10, at: 2000 },
  timeline: [{ at: 2000, acknowledged: 20, consumed: 10 }],
  steps: [],
  report: null,
  error: null,
};

describe('applyLabUpdate: pushed lab progress into the cached run', () => {
  it('moves the phase and appends a new counts sample', () => {
    const phased = applyLabUpdate(status, { runId: 'abc', kind: 'progress', event: { type: 'phase', phase: 'recovering', at: 2500 } });
    expect(phased?.phase).toBe('recovering');
    const counted = applyLabUpdate(status, { runId: 'abc', kind: 'progress', event: { type: 'counts', acknowledged: 40, failed: 1, consumed: 30, at: 2250 } });
    expect(counted?.counts).toEqual({ acknowledged: 40, failed: 1, consumed: 30, at: 2250 });
    expect(counted?.timeline).toEqual([
      { at: 2000, acknowledged: 20, consumed: 10 },
      { at: 2250, acknowledged: 40, consumed: 30 },
    ]);
  });

  it('keeps one copy of a sample or fault step that came both with the fetched status and as an event', () => {
    const again = applyLabUpdate(status, { runId: 'abc', kind: 'progress', event: { type: 'counts', acknowledged: 20, failed: 0, consumed: 10, at: 2000 } });
    expect(again?.timeline).toHaveLength(1);
    const step = { action: 'kill (SIGKILL) broker 1', brokerId: 1, at: 3000 };
    const once = applyLabUpdate(status, { runId: 'abc', kind: 'progress', event: { type: 'fault', step } })!;
    expect(applyLabUpdate(once, { runId: 'abc', kind: 'progress', event: { type: 'fault', step } })?.steps).toEqual([step]);
  });

  it('asks for a refetch when the run changes state (the report is not pushed) or another run progresses', () => {
    expect(applyLabUpdate(status, { runId: 'other', kind: 'progress', event: { type: 'phase', phase: 'producing', at: 5000 } })).toBeNull();
    expect(applyLabUpdate(status, { runId: 'abc', kind: 'state', state: 'done' })).toBeNull();
  });
});
