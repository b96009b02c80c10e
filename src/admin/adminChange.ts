import type { ResetMode } from './offsetResetPlan';
import type { PartitionReplicas } from './reassignmentPlan';

/**
 * Every change the admin service can make, as data: what the audit log records, what the
 * equivalent Kafka CLI command is rendered from, and (for the UI) what a confirmation dialog
 * describes.
 */
export interface TopicPartitions {
  topic: string;
  /** All partitions of the topic when absent. */
  partitions?: number[];
}

export type ResetScope = { kind: 'all-topics' } | { kind: 'topics'; topics: TopicPartitions[] };

export type AdminChange =
  | { kind: 'create-topic'; topic: string; partitions: number; replicationFactor: number; configs: Record<string, string> }
  | { kind: 'delete-topic'; topic: string }
  | { kind: 'add-partitions'; topic: string; totalPartitions: number }
  | { kind: 'alter-topic-configs'; topic: string; set: Record<string, string>; remove: string[] }
  /** `broker` null: the cluster-wide default (kafka-configs.sh --entity-default). */
  | { kind: 'alter-broker-configs'; broker: number | null; set: Record<string, string>; remove: string[] }
  /** Records below each offset are deleted (Kafka's DeleteRecords). */
  | { kind: 'delete-records'; topic: string; offsets: { partition: number; offset: number }[] }
  | { kind: 'produce'; topic: string; partition?: number; key: string | null; value: string | null; headers: Record<string, string> }
  | { kind: 'delete-group'; group: string }
  | { kind: 'delete-group-offsets'; group: string; topic: string; partitions?: number[] }
  | { kind: 'reset-offsets'; group: string; mode: ResetMode; scope: ResetScope; execute: boolean }
  /** With a throttle: the bytes/s rate set on the brokers taking part (kafka-reassign-partitions.sh --throttle). */
  | { kind: 'reassign-partitions'; partitions: PartitionReplicas[]; throttleBytesPerSec?: number }
  /** The throttle of a completed reassignment is removed (what --verify does once it is complete). */
  | { kind: 'remove-reassignment-throttle'; partitions: PartitionReplicas[] }
  /** Cancels the reassignments of these partitions (their target replicas, as in the file given to --cancel). */
  | { kind: 'cancel-reassignment'; partitions: PartitionReplicas[] }
  /** `partitions` null: every partition whose leader is not the one the election would choose. */
  | { kind: 'elect-leaders'; electionType: ElectionType; partitions: { topic: string; partition: number }[] | null };

export type ElectionType = 'preferred' | 'unclean';

export type AdminChangeKind = AdminChange['kind'];
