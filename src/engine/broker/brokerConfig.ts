import type { InterBrokerCredentials } from './interBrokerConnection';
import type { SaslSettings } from './sasl/saslAuthenticator';

/**
 * A broker's static configuration. Field names map to Kafka's broker configs (in comments)
 * so users can reason about them with Kafka's documentation; values default to Kafka's,
 * except where a desktop cluster wants faster reactions (noted).
 */
export interface BrokerConfig {
  /** node.id */
  brokerId: number;
  /** listeners host; 127.0.0.1 unless the user opens it up on purpose. */
  host: string;
  port: number;
  /** advertised.listeners: what clients are told to connect to. */
  advertisedHost: string;
  /** broker.rack */
  rack: string | null;
  /** log.dirs (one directory per broker). */
  dataDir: string;
  /** cluster.id, shared by every broker of a cluster. */
  clusterId: string;
  /** socket.request.max.bytes */
  socketRequestMaxBytes: number;
  /** auto.create.topics.enable */
  autoCreateTopicsEnable: boolean;
  /** num.partitions */
  numPartitions: number;
  /** default.replication.factor */
  defaultReplicationFactor: number;
  /** offsets.topic.num.partitions */
  offsetsTopicNumPartitions: number;
  /** offsets.topic.replication.factor (capped at the number of live brokers on creation) */
  offsetsTopicReplicationFactor: number;
  /** transaction.state.log.num.partitions */
  transactionStateLogNumPartitions: number;
  /** transaction.state.log.replication.factor */
  transactionStateLogReplicationFactor: number;
  /** group.initial.rebalance.delay.ms (Kafka: 3000; tests set it low). */
  groupInitialRebalanceDelayMs: number;
  /** group.min.session.timeout.ms / group.max.session.timeout.ms */
  groupMinSessionTimeoutMs: number;
  groupMaxSessionTimeoutMs: number;
  /** offsets.retention.minutes: how long a group's offsets outlive its last member (Kafka: 7 days). */
  offsetsRetentionMinutes: number;
  /** offsets.retention.check.interval.ms: how often expired offsets are looked for. */
  offsetsRetentionCheckIntervalMs: number;
  /** transaction.max.timeout.ms */
  transactionMaxTimeoutMs: number;
  /** replica.lag.time.max.ms (Kafka: 30000). */
  replicaLagTimeMaxMs: number;
  /** Broker-level defaults for topic configs, keyed by their broker names (log.retention.ms...). */
  topicDefaults: Record<string, string>;
  /** SASL on the client listener (SASL_PLAINTEXT), or null for PLAINTEXT. */
  sasl: SaslSettings | null;
  /** The internal user brokers authenticate with when `sasl` is on. */
  interBrokerCredentials: InterBrokerCredentials | null;
}

export function brokerConfig(overrides: Partial<BrokerConfig> & Pick<BrokerConfig, 'brokerId' | 'port' | 'dataDir' | 'clusterId'>): BrokerConfig {
  return {
    host: '127.0.0.1',
    advertisedHost: overrides.host ?? '127.0.0.1',
    rack: null,
    socketRequestMaxBytes: 104_857_600,
    autoCreateTopicsEnable: true,
    numPartitions: 1,
    defaultReplicationFactor: 1,
    offsetsTopicNumPartitions: 50,
    offsetsTopicReplicationFactor: 3,
    transactionStateLogNumPartitions: 50,
    transactionStateLogReplicationFactor: 3,
    groupInitialRebalanceDelayMs: 3000,
    groupMinSessionTimeoutMs: 6000,
    groupMaxSessionTimeoutMs: 1_800_000,
    offsetsRetentionMinutes: 10_080,
    offsetsRetentionCheckIntervalMs: 600_000,
    transactionMaxTimeoutMs: 900_000,
    replicaLagTimeMaxMs: 30_000,
    topicDefaults: {},
    sasl: null,
    interBrokerCredentials: null,
    ...overrides,
  };
}
