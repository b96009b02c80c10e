import { ErrorCode } from '../protocol/errors';
import { ApiKey } from '../protocol/generated/apis';
import { defaultDescribeConfigsRequest } from '../protocol/generated/describeConfigsRequest';
import type { DescribeConfigsResponse } from '../protocol/generated/describeConfigsResponse';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { incrementalAlterConfigs } from './configChanges';

/**
 * Topic configs with where each value comes from, and changes to them. Reading sends
 * DescribeConfigs on our own connections (describeTopicResources); changing goes through
 * IncrementalAlterConfigs (configChanges.ts).
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
/** DescribeConfigs' resource type for topics. */
const TOPIC_RESOURCE = 2;

type DescribedResource = DescribeConfigsResponse['results'][number];

/** One DescribeConfigs entry as the admin service shows it: sensitive values hidden, the source named. */
export function configEntryOf(entry: DescribedResource['configs'][number]): ConfigEntry {
  return {
    name: entry.name,
    value: entry.isSensitive ? null : entry.value,
    source: CONFIG_SOURCES[entry.configSource] ?? (entry.isDefault ? 'DEFAULT_CONFIG' : 'UNKNOWN'),
    readOnly: entry.readOnly,
    sensitive: entry.isSensitive,
  };
}

/**
 * DescribeConfigs of topics (`configurationKeys` null: every config), answered per topic, in
 * requests of TOPICS_PER_DESCRIBE_CONFIGS topics sent together. They go to the controller, as
 * config changes do (alterTopicConfigs), so a read right after a change sees it. Sent on our
 * own connection: kafkajs's describeConfigs re-reads the metadata of every topic in the
 * cluster before each request, which on a cluster of 10,000 topics cost seconds per batch.
 */
export async function describeTopicResources(session: AdminSession, topics: string[], configurationKeys: string[] | null): Promise<DescribedResource[]> {
  const chunks: string[][] = [];
  for (let start = 0; start < topics.length; start += TOPICS_PER_DESCRIBE_CONFIGS) chunks.push(topics.slice(start, start + TOPICS_PER_DESCRIBE_CONFIGS));
  const responses = await Promise.all(
    chunks.map((chunk) =>
      session.router.send('controller', ApiKey.DescribeConfigs, {
        ...defaultDescribeConfigsRequest(),
        resources: chunk.map((name) => ({ resourceType: TOPIC_RESOURCE, resourceName: name, configurationKeys })),
        includeSynonyms: false,
      }),
    ),
  );
  return responses.flatMap((response) => response.results);
}

export async function describeTopicConfigs(session: AdminSession, topic: string): Promise<ConfigEntry[]> {
  return (await describeConfigsOfTopics(session, [topic])).get(topic)!;
}

/** Every config of each topic, by topic name; any topic the cluster cannot describe is an error. */
export async function describeConfigsOfTopics(session: AdminSession, topics: string[]): Promise<Map<string, ConfigEntry[]>> {
  const result = new Map<string, ConfigEntry[]>();
  const ranks = new Map<string, number>();
  for (const resource of await describeTopicResources(session, topics, null)) {
    if (resource.errorCode !== ErrorCode.NONE) throw kafkaCodeError(resource.errorCode, `describe configs of topic ${resource.resourceName}`, resource.errorMessage);
    result.set(resource.resourceName, sortedByName(resource.configs.map(configEntryOf), ranks));
  }
  for (const topic of topics) {
    if (!result.has(topic)) throw new AdminError('kafka', `describe configs of topic ${topic}: the cluster sent no answer for it`);
  }
  return result;
}

/**
 * Entries in the order localeCompare gives their names. Every topic has the same few dozen
 * config names, so each distinct name is ranked once and thousands of topics sort by rank.
 */
const collator = new Intl.Collator();
function sortedByName(entries: ConfigEntry[], ranks: Map<string, number>): ConfigEntry[] {
  if (entries.some((entry) => !ranks.has(entry.name))) {
    const names = [...new Set([...ranks.keys(), ...entries.map((entry) => entry.name)])].sort(collator.compare);
    ranks.clear();
    names.forEach((name, rank) => ranks.set(name, rank));
  }
  return entries.sort((a, b) => ranks.get(a.name)! - ranks.get(b.name)!);
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
