import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';
import { TopicNameSchema } from './topics';

/**
 * The reassignment studio's calls: list what is moving with its progress, propose a plan by
 * intent (move onto brokers, drain a broker, change the replication factor), preview a plan,
 * execute, cancel, verify, a preferred-leader election afterwards, and Kafka's JSON files.
 */
const BrokerIdSchema = z.number().int().min(0);

export const PartitionReplicasSchema = z.strictObject({
  topic: TopicNameSchema,
  partition: z.number().int().min(0),
  replicas: z
    .array(BrokerIdSchema)
    .min(1, { error: 'A partition needs at least one replica' })
    .refine((ids) => new Set(ids).size === ids.length, { error: 'A broker appears twice in the replicas' }),
});
export type PartitionReplicasInput = z.input<typeof PartitionReplicasSchema>;

const PlanPartitionsSchema = z
  .array(PartitionReplicasSchema)
  .min(1, { error: 'The plan has no partitions' })
  .max(100_000)
  .refine((entries) => new Set(entries.map((entry) => `${entry.topic}-${entry.partition}`)).size === entries.length, { error: 'A partition appears twice in the plan' });

export const ReassignmentStrategySchema = z.discriminatedUnion('kind', [
  /** Spread the chosen partitions (all of a topic's when none are named) over the target brokers, balanced. */
  z.strictObject({
    kind: z.literal('move'),
    topics: z.array(z.strictObject({ topic: TopicNameSchema, partitions: z.array(z.number().int().min(0)).min(1).optional() })).min(1, { error: 'Choose at least one topic' }),
    brokers: z.array(BrokerIdSchema).min(1, { error: 'Choose at least one target broker' }),
  }),
  /** Move every replica off one broker onto the others. */
  z.strictObject({ kind: z.literal('drain'), broker: BrokerIdSchema }),
  /** Add or remove replicas of every partition of the chosen topics. */
  z.strictObject({
    kind: z.literal('replication-factor'),
    topics: z.array(TopicNameSchema).min(1, { error: 'Choose at least one topic' }),
    replicationFactor: z.number().int().min(1, { error: 'At least 1 replica' }).max(32),
  }),
]);
export type ReassignmentStrategy = z.input<typeof ReassignmentStrategySchema>;

export const ProposeReassignmentSchema = z.strictObject({ clusterId: ClusterRefSchema, strategy: ReassignmentStrategySchema });
export const PlanScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, partitions: PlanPartitionsSchema });

/** The confirmation a user types to execute or cancel: the topic's name, or "N topics" for several. */
export function reassignmentConfirmation(partitions: readonly { topic: string }[]): string {
  const topics = new Set(partitions.map((entry) => entry.topic));
  return topics.size === 1 ? [...topics][0]! : `${topics.size} topics`;
}

const confirmed = (input: { partitions: readonly { topic: string }[]; confirmation: string }) => input.confirmation === reassignmentConfirmation(input.partitions);

export const ExecuteReassignmentSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    partitions: PlanPartitionsSchema,
    /** Replication throttle while data moves (Kafka's leader/follower.replication.throttled.rate). */
    throttleBytesPerSec: z.number().int().positive({ error: 'The throttle is a whole number of bytes per second above 0' }).optional(),
    confirmation: z.string(),
  })
  .refine(confirmed, { error: 'Type the confirmation text exactly to start the reassignment', path: ['confirmation'] });

export const CancelReassignmentSchema = z
  .strictObject({ clusterId: ClusterRefSchema, partitions: PlanPartitionsSchema, confirmation: z.string() })
  .refine(confirmed, { error: 'Type the confirmation text exactly to cancel the reassignment', path: ['confirmation'] });

export const ParseReassignmentSchema = z.strictObject({ json: z.string().max(20_000_000), source: z.string().min(1).max(255) });

export const ElectPreferredSchema = z.strictObject({
  clusterId: ClusterRefSchema,
  partitions: z.array(z.strictObject({ topic: TopicNameSchema, partition: z.number().int().min(0) })).min(1),
});

export interface PartitionReplicasRow {
  readonly topic: string;
  readonly partition: number;
  readonly replicas: readonly number[];
}

export interface AddingReplicaProgress {
  readonly broker: number;
  /** Offsets this replica's log end trails the leader's; null when unknown. */
  readonly lag: number | null;
  /** 0..1 of the leader's retained log this replica has, null when unknown. */
  readonly caughtUp: number | null;
}

export interface OngoingReassignmentRow extends PartitionReplicasRow {
  readonly addingReplicas: readonly number[];
  readonly removingReplicas: readonly number[];
  readonly leader: number | null;
  readonly progress: readonly AddingReplicaProgress[];
}

export interface OngoingReassignments {
  readonly partitions: readonly OngoingReassignmentRow[];
  readonly progressUnavailable: string | null;
}

export interface ProposedReassignment {
  readonly current: readonly PartitionReplicasRow[];
  readonly proposed: readonly PartitionReplicasRow[];
}

export interface PreviewRow {
  readonly topic: string;
  readonly partition: number;
  readonly current: readonly number[];
  readonly proposed: readonly number[];
  readonly added: readonly number[];
  readonly removed: readonly number[];
  /** Size of the partition; null when unknown. */
  readonly bytes: number | null;
}

export interface BrokerChange {
  readonly broker: number;
  readonly gains: number;
  readonly loses: number;
  /** Bytes this broker has to copy in; null when some sizes are unknown. */
  readonly bytesIn: number | null;
  /** Whether the broker is in the cluster's metadata now (a plan may name one that is down). */
  readonly known: boolean;
}

export interface ReassignmentPreview {
  readonly rows: readonly PreviewRow[];
  readonly brokers: readonly BrokerChange[];
  readonly replicasToMove: number;
  /** Bytes copied in total; null when some sizes are unknown. */
  readonly bytesToMove: number | null;
  readonly sizesUnavailable: string | null;
  /** The plan and the current assignment (the rollback) in kafka-reassign-partitions.sh's JSON. */
  readonly planJson: string;
  readonly rollbackJson: string;
  /** The kafka-reassign-partitions.sh --execute script for this plan. */
  readonly kafkaCommand: string;
  /** What the user types to execute it. */
  readonly confirmation: string;
}

export interface ReassignmentChangeResult {
  readonly kafkaCommand: string;
  /** The assignment before, as Kafka's tool prints it for a rollback. */
  readonly rollbackJson: string;
}

export interface VerifyRow extends PartitionReplicasRow {
  readonly currentReplicas: readonly number[];
  readonly status: 'complete' | 'in-progress' | 'not-started';
}

/** `--verify`: each partition's status and, once all are complete, the throttle it removed. */
export interface ReassignmentVerification {
  readonly partitions: readonly VerifyRow[];
  /** `ratesKept`: other reassignments still run, so the brokers keep their throttle rates. */
  readonly throttleRemoved: { readonly topics: readonly string[]; readonly brokers: readonly number[]; readonly ratesKept: boolean } | null;
}

export interface ElectionRow {
  readonly topic: string;
  readonly partition: number;
  readonly outcome: 'elected' | 'not-needed' | 'failed';
  readonly error: string | null;
}

export interface ElectionResult {
  readonly results: readonly ElectionRow[];
  readonly kafkaCommand: string;
}
