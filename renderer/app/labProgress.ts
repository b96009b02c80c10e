import type { LabRunStatus, LabRunUpdate } from '../../src/api/schemas/lab';

/**
 * Applies a pushed lab.run update to the cached status of the same run, so the page follows
 * the run without a round trip. Null means "refetch": on a state change, because the
 * finished status carries the report, which is not pushed; and for another run (started
 * from another window), which the cache does not know yet.
 */
export function applyLabUpdate(status: LabRunStatus, update: LabRunUpdate): LabRunStatus | null {
  if (status.runId !== update.runId || update.kind === 'state') return null;
  const { event } = update;
  switch (event.type) {
    case 'phase':
      return { ...status, phase: event.phase };
    case 'counts': {
      const { acknowledged, failed, consumed, at } = event;
      const last = status.timeline.at(-1);
      // A sample already fetched with the status arrives again as an event: keep one.
      const timeline = last !== undefined && last.at >= at ? status.timeline : [...status.timeline, { at, acknowledged, consumed }];
      return { ...status, counts: { acknowledged, failed, consumed, at }, timeline };
    }
    case 'fault':
      return status.steps.some((step) => step.at === event.step.at && step.action === event.step.action) ? status : { ...status, steps: [...status.steps, event.step] };
  }
}
