import type { MetadataImage } from './metadataImage';
import type { MetadataRecord } from './records';

/**
 * The records that rebuild `image` from nothing, one per thing that exists: KRaft's metadata
 * snapshot. The log they replace also holds every state each partition ever went through
 * (each ISR change, each election); a broker replaying that history at every start did work,
 * and the controller kept memory, in proportion to the cluster's age instead of its size.
 */
export function imageRecords(image: MetadataImage): MetadataRecord[] {
  const records: MetadataRecord[] = [];
  for (const broker of [...image.brokers.values()].sort((a, b) => a.brokerId - b.brokerId)) {
    const { fenced, ...registration } = broker;
    records.push({ type: 'broker-registered', ...registration });
    if (fenced) records.push({ type: 'broker-fenced', brokerId: broker.brokerId });
  }
  for (const [name, value] of image.brokerConfigs) records.push({ type: 'broker-config', brokerId: null, name, value });
  for (const [brokerId, configs] of image.perBrokerConfigs) {
    for (const [name, value] of configs) records.push({ type: 'broker-config', brokerId, name, value });
  }
  for (const topic of image.topicsById.values()) {
    records.push({ type: 'topic-created', topicId: topic.topicId, name: topic.name, configs: { ...topic.configs } });
    for (const state of topic.partitions) {
      if (state !== undefined) records.push({ type: 'partition', ...state });
    }
  }
  records.push({ type: 'producer-ids', nextProducerId: image.nextProducerId });
  return records;
}
