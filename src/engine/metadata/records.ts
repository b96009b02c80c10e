/**
 * The cluster metadata log's records, in the spirit of KRaft's __cluster_metadata: the
 * controller is the only writer, appends them in order and persists them, and every broker
 * applies them in that order to its MetadataImage. Partition records carry the whole
 * partition state (not a delta), so applying one is idempotent and easy to reason about.
 */
export type BrokerId = number;
export type TopicId = string; // base64url of 16 random bytes, as Kafka prints Uuids

/** No leader: the partition is offline until an eligible replica returns. */
export const NO_LEADER = -1;

export interface BrokerRegistration {
  brokerId: BrokerId;
  host: string;
  port: number;
  rack: string | null;
  /** Changes on every broker process start, so a restart is told apart from a re-register. */
  incarnationId: string;
}

export interface PartitionState {
  topicId: TopicId;
  partition: number;
  /** Ordered: the first replica is the preferred leader. */
  replicas: BrokerId[];
  isr: BrokerId[];
  leader: BrokerId;
  /** Bumped on every leader change (KIP-101). */
  leaderEpoch: number;
  /** Bumped on every change of ISR, leader or replicas (KIP-497's AlterPartition fencing). */
  partitionEpoch: number;
  /** KIP-455: replicas being added / removed by an in-progress reassignment. */
  addingReplicas: BrokerId[];
  removingReplicas: BrokerId[];
}

export type MetadataRecord =
  | ({ type: 'broker-registered' } & BrokerRegistration)
  | { type: 'broker-fenced'; brokerId: BrokerId }
  | { type: 'broker-unfenced'; brokerId: BrokerId }
  | { type: 'broker-unregistered'; brokerId: BrokerId }
  | { type: 'topic-created'; topicId: TopicId; name: string; configs: Record<string, string> }
  | { type: 'topic-removed'; topicId: TopicId }
  | ({ type: 'partition' } & PartitionState)
  | { type: 'topic-config'; topicId: TopicId; name: string; value: string | null }
  /**
   * A dynamic broker config (KIP-226): `brokerId` null is the cluster-wide default (Kafka's
   * `--entity-default`), a broker id that broker's own value. `value` null removes it.
   */
  | { type: 'broker-config'; brokerId: BrokerId | null; name: string; value: string | null }
  | { type: 'producer-ids'; nextProducerId: number };

/** A record with its position in the metadata log. */
export interface MetadataLogEntry {
  offset: number;
  timestamp: number;
  record: MetadataRecord;
}
