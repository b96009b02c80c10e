import { z } from 'zod';
import type { EmbeddedState } from './clusterRef';

/**
 * The embedded cluster the app starts, stops and breaks on purpose (product guide, target 5).
 * Timing settings are exposed so a user (and the tests) can make the cluster react faster
 * than Kafka's production defaults.
 */
export const MAX_EMBEDDED_BROKERS = 9;

export const EmbeddedStartSchema = z.strictObject({
  brokers: z.number().int().min(1, { error: 'Start at least 1 broker' }).max(MAX_EMBEDDED_BROKERS, { error: `At most ${MAX_EMBEDDED_BROKERS} brokers` }).default(3),
  /** Defaults to <app data dir>/embedded. */
  dataDir: z.string().trim().min(1).max(4096).optional(),
  /** Port of broker 1; broker i listens on port + i - 1. 0 picks free ports. Default: 9092 when free. */
  port: z.number().int().min(0).max(65535).optional(),
  /** replica.lag.time.max.ms: how long a follower may lag before it leaves the ISR. */
  replicaLagTimeMaxMs: z.number().int().min(100).max(600_000).optional(),
  /** broker.session.timeout.ms: how long an isolated broker keeps its leaderships. */
  brokerSessionTimeoutMs: z.number().int().min(100).max(600_000).optional(),
  /** group.initial.rebalance.delay.ms */
  groupInitialRebalanceDelayMs: z.number().int().min(0).max(300_000).optional(),
});
export type EmbeddedStartInput = z.input<typeof EmbeddedStartSchema>;
export type EmbeddedStartSettings = z.output<typeof EmbeddedStartSchema>;

export const BrokerActionSchema = z.enum(['stop', 'kill', 'start', 'isolate', 'heal']);
export type BrokerAction = z.infer<typeof BrokerActionSchema>;

export const EmbeddedBrokerInputSchema = z.strictObject({
  id: z.number().int().min(1),
  action: BrokerActionSchema,
});

export type BrokerProcessState = 'starting' | 'running' | 'stopping' | 'stopped' | 'killed' | 'crashed';

export interface EmbeddedBrokerStatus {
  readonly brokerId: number;
  readonly host: string;
  readonly port: number;
  readonly state: BrokerProcessState;
  readonly pid: number | null;
  readonly isolated: boolean;
}

export interface EmbeddedStatus {
  readonly state: EmbeddedState;
  /** Why the last start failed, when state is 'failed'. */
  readonly error: string | null;
  readonly dataDir: string;
  readonly bootstrapServers: readonly string[];
  readonly brokers: readonly EmbeddedBrokerStatus[];
  /** The settings it runs with (or last ran with). */
  readonly settings: EmbeddedStartSettings | null;
  readonly startedAt: number | null;
}

/** What happened in the embedded cluster, in order; `seq` orders and de-duplicates. */
export type ClusterEventBody =
  | { readonly type: 'broker-state'; readonly brokerId: number; readonly state: BrokerProcessState; readonly previous: BrokerProcessState }
  | { readonly type: 'broker-fault'; readonly brokerId: number; readonly isolated: boolean; readonly fetchDelayMs: number }
  | { readonly type: 'unclean-election'; readonly topic: string; readonly partition: number; readonly leader: number; readonly previousIsr: readonly number[]; readonly leaderEpoch: number }
  | { readonly type: 'leader-change'; readonly topic: string; readonly partition: number; readonly leader: number; readonly previousLeader: number; readonly leaderEpoch: number }
  | { readonly type: 'isr-change'; readonly topic: string; readonly partition: number; readonly isr: readonly number[]; readonly previousIsr: readonly number[] };

export type TimelineEvent = ClusterEventBody & { readonly seq: number; readonly at: number };

export interface ClusterEvents {
  /** False for clusters whose events Samsa cannot observe (it only watches the embedded one). */
  readonly recorded: boolean;
  readonly events: readonly TimelineEvent[];
}
