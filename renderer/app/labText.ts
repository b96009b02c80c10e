import type { FaultKind, LabPhase, LabRunState } from '../../src/api/schemas/lab';

/** Words for the lab's vocabulary, shared by the setup form, the progress and the result. */
export const FAULT_LABELS: Record<FaultKind, string> = {
  none: 'No fault',
  'kill-leader': 'Kill the partition leader (SIGKILL)',
  'restart-leader': 'Restart the partition leader (clean shutdown)',
  'isolate-follower': 'Isolate a follower',
  'kill-consumer': 'Kill the consumer mid-batch (SIGKILL)',
  'kill-coordinator': 'Kill the group coordinator (SIGKILL)',
  'unclean-election': 'Unclean leader election',
};

export const PHASES: readonly { phase: LabPhase; label: string }[] = [
  { phase: 'preparing', label: 'Create topics' },
  { phase: 'starting-consumer', label: 'Start consumer' },
  { phase: 'producing', label: 'Produce under the fault' },
  { phase: 'recovering', label: 'Heal the cluster' },
  { phase: 'draining', label: 'Drain the consumer' },
  { phase: 'verifying', label: 'Verify' },
  { phase: 'done', label: 'Done' },
];

export const STATE_LABELS: Record<LabRunState, string> = {
  running: 'Running',
  cancelling: 'Cancelling',
  done: 'Finished',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function acksLabel(acks: number): string {
  return acks === -1 ? 'all' : String(acks);
}

/** Seconds since the run started, as the chart's axis and the fault steps show them. */
export function secondsSince(start: number, at: number): string {
  return `+${((at - start) / 1000).toFixed(1)} s`;
}
