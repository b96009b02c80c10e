import {
  NO_LEADER,
  type BrokerId,
  type BrokerRegistration,
  type MetadataLogEntry,
  type MetadataRecord,
  type PartitionState,
  type TopicId,
} from './records';

export interface BrokerInfo extends BrokerRegistration {
  /** Fenced brokers are registered but not alive: not eligible as leaders, not in metadata. */
  fenced: boolean;
}

export interface TopicInfo {
  topicId: TopicId;
  name: string;
  configs: Record<string, string>;
  /** Indexed by partition number. */
  partitions: PartitionState[];
}

/**
 * The cluster metadata as of one metadata-log offset: the fold of every record up to it.
 * Owned by one event loop; readers get it by reference and must not mutate it.
 */
export class MetadataImage {
  readonly brokers = new Map<BrokerId, BrokerInfo>();
  readonly topicsById = new Map<TopicId, TopicInfo>();
  readonly topicsByName = new Map<string, TopicInfo>();
  /** Dynamic broker configs set for the whole cluster (resource name ""). */
  readonly brokerConfigs = new Map<string, string>();
  /** Dynamic broker configs set for one broker, which win over the cluster-wide ones. */
  readonly perBrokerConfigs = new Map<BrokerId, Map<string, string>>();
  nextProducerId = 1000;
  /** Offset of the last applied record, -1 when empty. */
  offset = -1;

  apply(entry: MetadataLogEntry): void {
    if (entry.offset <= this.offset) return;
    this.applyRecord(entry.record);
    this.offset = entry.offset;
  }

  private applyRecord(record: MetadataRecord): void {
    switch (record.type) {
      case 'broker-registered': {
        const { type: _type, ...registration } = record;
        this.brokers.set(record.brokerId, { ...registration, fenced: false });
        return;
      }
      case 'broker-fenced':
      case 'broker-unfenced': {
        const broker = this.brokers.get(record.brokerId);
        if (broker !== undefined) broker.fenced = record.type === 'broker-fenced';
        return;
      }
      case 'broker-unregistered':
        this.brokers.delete(record.brokerId);
        return;
      case 'topic-created': {
        const topic: TopicInfo = { topicId: record.topicId, name: record.name, configs: { ...record.configs }, partitions: [] };
        this.topicsById.set(topic.topicId, topic);
        this.topicsByName.set(topic.name, topic);
        return;
      }
      case 'topic-removed': {
        const topic = this.topicsById.get(record.topicId);
        if (topic === undefined) return;
        this.topicsById.delete(topic.topicId);
        this.topicsByName.delete(topic.name);
        return;
      }
      case 'partition': {
        const topic = this.topicsById.get(record.topicId);
        if (topic === undefined) return;
        const { type: _type, ...state } = record;
        topic.partitions[record.partition] = state;
        return;
      }
      case 'topic-config': {
        const topic = this.topicsById.get(record.topicId);
        if (topic === undefined) return;
        if (record.value === null) delete topic.configs[record.name];
        else topic.configs[record.name] = record.value;
        return;
      }
      case 'broker-config': {
        let configs = this.brokerConfigs;
        if (record.brokerId !== null && record.brokerId !== undefined) {
          configs = this.perBrokerConfigs.get(record.brokerId) ?? new Map<string, string>();
          this.perBrokerConfigs.set(record.brokerId, configs);
        }
        if (record.value === null) configs.delete(record.name);
        else configs.set(record.name, record.value);
        return;
      }
      case 'producer-ids':
        this.nextProducerId = record.nextProducerId;
        return;
      default: {
        const unknown: never = record;
        throw new Error(`unknown metadata record ${JSON.stringify(unknown)}`);
      }
    }
  }

  liveBrokers(): BrokerInfo[] {
    return [...this.brokers.values()].filter((broker) => !broker.fenced).sort((a, b) => a.brokerId - b.brokerId);
  }

  isLive(brokerId: BrokerId): boolean {
    const broker = this.brokers.get(brokerId);
    return broker !== undefined && !broker.fenced;
  }

  partition(topicName: string, partition: number): PartitionState | undefined {
    return this.topicsByName.get(topicName)?.partitions[partition];
  }

  /** Replicas that are assigned but not alive, as Metadata's OfflineReplicas reports them. */
  offlineReplicas(state: PartitionState): BrokerId[] {
    return state.replicas.filter((replica) => !this.isLive(replica));
  }

  isOffline(state: PartitionState): boolean {
    return state.leader === NO_LEADER;
  }
}
