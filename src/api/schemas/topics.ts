import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

/**
 * Topic rows, partition tables and the create/delete inputs. Topic names follow Kafka's rule
 * (kafka.common.Topic: [a-zA-Z0-9._-], at most 249 characters, not "." or "..").
 */
export const TopicNameSchema = z
  .string()
  .min(1, { error: 'Enter a topic name' })
  .max(249, { error: 'Kafka topic names are at most 249 characters' })
  .regex(/^[a-zA-Z0-9._-]+$/, { error: 'Use only letters, digits, ".", "_" and "-"' })
  .refine((name) => name !== '.' && name !== '..', { error: '"." and ".." are not valid topic names' });

const ConfigNameSchema = z.string().regex(/^[a-z0-9.]+$/, { error: 'Config names are lowercase words joined by dots' });

export const CreateTopicSchema = z.strictObject({
  clusterId: ClusterRefSchema,
  name: TopicNameSchema,
  partitions: z.number().int().min(1, { error: 'At least 1 partition' }).max(10_000, { error: 'At most 10000 partitions' }),
  replicationFactor: z.number().int().min(1, { error: 'At least 1 replica' }).max(32, { error: 'At most 32 replicas' }),
  configs: z.record(ConfigNameSchema, z.string().max(1024)).default({}),
});
export type CreateTopicInput = z.input<typeof CreateTopicSchema>;

export const DeleteTopicSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    topic: TopicNameSchema,
    /** The topic name typed again by the user: deleting is irreversible. */
    confirmation: z.string(),
  })
  .refine((input) => input.confirmation === input.topic, {
    error: 'Type the topic name exactly to confirm the deletion',
    path: ['confirmation'],
  });

export const TopicScopeSchema = z.strictObject({ clusterId: ClusterRefSchema, topic: TopicNameSchema });

export interface TopicRow {
  readonly name: string;
  readonly internal: boolean;
  readonly partitions: number;
  readonly replicationFactor: number;
  readonly underReplicatedPartitions: number;
  readonly offlinePartitions: number;
  /**
   * How many partitions have each ISR size, as [ISR size, partitions] pairs, smallest first.
   * With the topic's min.insync.replicas (topics.minInsyncReplicas) this tells how many
   * partitions are under it, so the list itself needs no config read.
   */
  readonly isrSizes: readonly (readonly [isrSize: number, partitions: number])[];
}

/** Every topic from one Metadata read: what the topics table shows first. */
export interface TopicList {
  readonly topics: readonly TopicRow[];
  /** Brokers in the same Metadata answer, which lists only live ones: the create form's default replication factor. */
  readonly liveBrokers: number;
}

export interface TopicMinInsyncReplicas {
  readonly topic: string;
  readonly minInsyncReplicas: number;
}

/** min.insync.replicas of every topic; a topic created after the read is missing until the next one. */
export interface TopicMinIsrList {
  readonly topics: readonly TopicMinInsyncReplicas[];
}

/** Partitions whose ISR is smaller than min.insync.replicas: acks=all producers get NOT_ENOUGH_REPLICAS there. */
export function partitionsUnderMinIsr(isrSizes: TopicRow['isrSizes'], minInsyncReplicas: number): number {
  let under = 0;
  for (const [isrSize, partitions] of isrSizes) if (isrSize < minInsyncReplicas) under += partitions;
  return under;
}

export interface PartitionRow {
  readonly partition: number;
  readonly leader: number | null;
  readonly leaderEpoch: number;
  /** In assignment order: the first is the preferred leader. */
  readonly replicas: readonly number[];
  readonly isr: readonly number[];
  readonly offlineReplicas: readonly number[];
  readonly logStartOffset: number;
  readonly highWatermark: number;
  /** Broker id -> offsets behind the high watermark; null when unknown. */
  readonly replicaLag: Readonly<Record<string, number | null>> | null;
  readonly underReplicated: boolean;
  readonly minIsr: 'under' | 'at' | 'above';
}

export interface TopicConfigRow {
  readonly name: string;
  readonly value: string | null;
  readonly source: string;
  readonly readOnly: boolean;
  readonly sensitive: boolean;
}

export interface TopicDetail {
  readonly name: string;
  readonly topicId: string;
  readonly internal: boolean;
  readonly minInsyncReplicas: number;
  readonly partitions: readonly PartitionRow[];
  readonly configs: readonly TopicConfigRow[];
  readonly replicaLagUnavailable: string | null;
}

export interface TopicChangeResult {
  readonly topic: string;
  /** The equivalent kafka-topics.sh command, for the user's records. */
  readonly kafkaCommand: string;
}
