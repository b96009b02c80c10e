import { ErrorCode } from '../protocol/errors';
import { kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { describeTopicResources } from './topicConfigs';

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';

/**
 * min.insync.replicas of many topics at once (only that key is asked for), to tell which
 * partitions are under or at their minimum ISR: with fewer in-sync replicas than this,
 * producers using acks=all get NOT_ENOUGH_REPLICAS (Kafka's documentation of the config).
 */
export async function minInsyncReplicasByTopic(session: AdminSession, topics: string[]): Promise<Map<string, number>> {
  return session.run('read min.insync.replicas of topics', async () => {
    const result = new Map<string, number>();
    for (const resource of await describeTopicResources(session, topics, [MIN_INSYNC_REPLICAS])) {
      // A topic deleted between the metadata read and this request is simply left out.
      if (resource.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) continue;
      if (resource.errorCode !== ErrorCode.NONE) throw kafkaCodeError(resource.errorCode, `describe configs of topic ${resource.resourceName}`, resource.errorMessage);
      const entry = resource.configs.find((config) => config.name === MIN_INSYNC_REPLICAS);
      result.set(resource.resourceName, Number(entry?.value ?? '1'));
    }
    return result;
  });
}
