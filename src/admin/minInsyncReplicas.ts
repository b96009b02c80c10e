import kafkajs from 'kafkajs';
import { ErrorCode } from '../protocol/errors';
import { kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { TOPICS_PER_DESCRIBE_CONFIGS } from './topicConfigs';

const { ConfigResourceTypes } = kafkajs;

const MIN_INSYNC_REPLICAS = 'min.insync.replicas';

/**
 * min.insync.replicas of many topics at once (only that key is asked for), to tell which
 * partitions are under or at their minimum ISR: with fewer in-sync replicas than this,
 * producers using acks=all get NOT_ENOUGH_REPLICAS (Kafka's documentation of the config).
 */
export async function minInsyncReplicasByTopic(session: AdminSession, topics: string[]): Promise<Map<string, number>> {
  return session.run('read min.insync.replicas of topics', async () => {
    const admin = await session.admin();
    const result = new Map<string, number>();
    for (let start = 0; start < topics.length; start += TOPICS_PER_DESCRIBE_CONFIGS) {
      const chunk = topics.slice(start, start + TOPICS_PER_DESCRIBE_CONFIGS);
      const response = await admin.describeConfigs({
        includeSynonyms: false,
        resources: chunk.map((name) => ({ type: ConfigResourceTypes.TOPIC, name, configNames: [MIN_INSYNC_REPLICAS] })),
      });
      for (const resource of response.resources) {
        // A topic deleted between the metadata read and this request is simply left out.
        if (resource.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) continue;
        if (resource.errorCode !== ErrorCode.NONE) throw kafkaCodeError(resource.errorCode, `describe configs of topic ${resource.resourceName}`, resource.errorMessage);
        const entry = resource.configEntries.find((config) => config.configName === MIN_INSYNC_REPLICAS);
        result.set(resource.resourceName, Number(entry?.configValue ?? '1'));
      }
    }
    return result;
  });
}
