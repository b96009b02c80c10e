import type { ClusterEvent } from '../engine/cluster/clusterHost';

/**
 * What a run tells its listener while it goes (the CLI prints these to stderr, the Lab page
 * draws them): the phase, counts over time for the acknowledged-vs-consumed chart, each
 * fault step, and the cluster's reaction (leader, ISR and broker changes).
 */
export type LabPhase = 'preparing' | 'starting-consumer' | 'producing' | 'recovering' | 'draining' | 'verifying' | 'done';

export interface FaultStep {
  /** What was done, e.g. `kill broker 2 (leader of partitions 0)`. */
  action: string;
  brokerId: number | null;
  at: number;
}

export type LabProgressEvent =
  | { type: 'phase'; phase: LabPhase; at: number }
  | { type: 'counts'; acknowledged: number; failed: number; consumed: number; at: number }
  | { type: 'fault'; step: FaultStep }
  | { type: 'cluster'; event: ClusterEvent };

export type LabProgressListener = (event: LabProgressEvent) => void;
