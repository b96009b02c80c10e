import kafkajs from 'kafkajs';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { incrementalAlterConfigs } from './configChanges';

const { ConfigResourceTypes } = kafkajs;

/**
 * Topic configs with where each value comes from, and changes to them. Reading goes through
 * kafkajs's describeConfigs; changing goes through IncrementalAlterConfigs (configChanges.ts).
 */
export type ConfigSource =
  | 'DYNAMIC_TOPIC_CONFIG'
  | 'DYNAMIC_BROKER_LOGGER_CONFIG'
  | 'DYNAMIC_BROKER_CONFIG'
  | 'DYNAMIC_DEFAULT_BROKER_CONFIG'
  | 'STATIC_BROKER_CONFIG'
  | 'DEFAULT_CONFIG'
  | 'UNKNOWN';

/** DescribeConfigs' ConfigSource codes (KIP-226). */
export const CONFIG_SOURCES: Record<number, ConfigSource> = {
  1: 'DYNAMIC_TOPIC_CONFIG',
  2: 'DYNAMIC_BROKER_CONFIG',
  3: 'DYNAMIC_DEFAULT_BROKER_CONFIG',
  4: 'STATIC_BROKER_CONFIG',
  5: 'DEFAULT_CONFIG',
  6: 'DYNAMIC_BROKER_LOGGER_CONFIG',
};

export interface ConfigEntry {
  name: string;
  /** null for sensitive values, which brokers never reveal. */
  value: string | null;
  source: ConfigSource;
  readOnly: boolean;
  sensitive: boolean;
}


/** Topics per DescribeConfigs request: one request per topic would be thousands on a large cluster. */
export const TOPICS_PER_DESCRIBE_CONFIGS = 500;

export async function describeTopicConfigs(session: AdminSession, topic: string): Promise<ConfigEntry[]> {
  return (await describeConfigsOfTopics(session, [topic])).get(topic)!;
}

/** Every config of each topic, by topic name, in requests of TOPICS_PER_DESCRIBE_CONFIGS topics. */
export async function describeConfigsOfTopics(session: AdminSession, topics: string[]): Promise<Map<string, ConfigEntry[]>> {
  const admin = await session.admin();
  const result = new Map<string, ConfigEntry[]>();
  for (let start = 0; start < topics.length; start += TOPICS_PER_DESCRIBE_CONFIGS) {
    const chunk = topics.slice(start, start + TOPICS_PER_DESCRIBE_CONFIGS);
    const response = await admin.describeConfigs({ resources: chunk.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })), includeSynonyms: false });
    for (const resource of response.resources) {
      if (resource.errorCode !== ErrorCode.NONE) throw kafkaCodeError(resource.errorCode, `describe configs of topic ${resource.resourceName}`, resource.errorMessage);
      result.set(
        resource.resourceName,
        resource.configEntries
          .map((entry) => ({
            name: entry.configName,
            value: entry.isSensitive ? null : entry.configValue,
            source: CONFIG_SOURCES[entry.configSource as number] ?? (entry.isDefault ? 'DEFAULT_CONFIG' : 'UNKNOWN'),
            readOnly: entry.readOnly,
            sensitive: entry.isSensitive,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)),
      );
    }
  }
  for (const topic of topics) {
    if (!result.has(topic)) throw new AdminError('kafka', `describe configs of topic ${topic}: the cluster sent no answer for it`);
  }
  return result;
}

/** Only what the topic overrides: the state an audit entry needs to undo a change. */
export function topicOverrides(configs: ConfigEntry[]): Record<string, string | null> {
  return Object.fromEntries(configs.filter((entry) => entry.source === 'DYNAMIC_TOPIC_CONFIG').map((entry) => [entry.name, entry.value]));
}

/** With `validateOnly` the controller checks the change (KIP-339) and answers as it would, changing nothing. */
export async function alterTopicConfigs(session: AdminSession, topic: string, set: Record<string, string>, remove: string[], validateOnly = false): Promise<void> {
  const overlap = remove.filter((name) => Object.hasOwn(set, name));
  if (overlap.length > 0) throw new AdminError('invalid-input', `${overlap.join(', ')} cannot be both set and deleted`);
  if (Object.keys(set).length === 0 && remove.length === 0) throw new AdminError('invalid-input', 'no config to set or delete');
  await incrementalAlterConfigs(session, 'controller', [{ resource: 'topic', name: topic, set, remove }], { validateOnly });
}
