import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

/**
 * Consumer lag over time, sampled by the app while it runs (product guide, "History without
 * Prometheus"). A point is [time in ms since the epoch, lag in messages].
 */
export type LagPoint = readonly [at: number, lag: number];

/** Where a group's lag is heading over its last few samples. */
export type LagTrend = 'rising' | 'falling' | 'steady' | 'unknown';

export interface GroupLagTrend {
  readonly group: string;
  readonly trend: LagTrend;
  /** The most recent samples, oldest first, for a sparkline. */
  readonly points: readonly LagPoint[];
}

export interface SamplerState {
  /** How often the sampler wakes up; each group is sampled every `cycleMs` or so. */
  readonly intervalMs: number;
  /** About how long one pass over every group of the cluster takes (groups per tick bounds it). */
  readonly cycleMs: number;
  readonly groupsPerTick: number;
  /** Why the last sample failed, if it did. */
  readonly lastError: string | null;
}

export interface LagTrends extends SamplerState {
  readonly groups: readonly GroupLagTrend[];
}

export interface PartitionLagHistory {
  readonly topic: string;
  readonly partition: number;
  readonly points: readonly LagPoint[];
}

export interface GroupLagHistory extends SamplerState {
  readonly group: string;
  readonly trend: LagTrend;
  readonly total: readonly LagPoint[];
  /** Per-partition lag, sampled every tick while the group's page is open. */
  readonly partitions: readonly PartitionLagHistory[];
}

export const LagHistoryInputSchema = z.strictObject({ clusterId: ClusterRefSchema, group: z.string().min(1).max(1024) });
