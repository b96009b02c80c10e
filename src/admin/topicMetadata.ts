import type { MetadataResponse, MetadataResponseTopic } from '../protocol/generated/metadataResponse';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { TopicPartitions } from './adminChange';
import type { AdminSession } from './adminSession';

/**
 * Topic lookups over a Metadata response, with the errors a user understands: a topic that
 * does not exist, a partition the topic does not have.
 */
export type TopicMetadata = MetadataResponseTopic & { name: string };

export async function topicMetadata(session: AdminSession, topic: string): Promise<TopicMetadata> {
  const response = await session.router.refreshMetadata([topic]);
  return findTopic(response, topic);
}

export function findTopic(response: MetadataResponse, topic: string): TopicMetadata {
  return checkedTopic(response.topics.find((candidate) => candidate.name === topic), topic);
}

/** findTopic for many names, with one pass over the response instead of one per name. */
export function findTopics(response: MetadataResponse, topics: string[]): TopicMetadata[] {
  const named = new Map<string, MetadataResponseTopic>();
  for (const entry of response.topics) if (entry.name !== null && !named.has(entry.name)) named.set(entry.name, entry);
  return topics.map((topic) => checkedTopic(named.get(topic), topic));
}

function checkedTopic(entry: MetadataResponseTopic | undefined, topic: string): TopicMetadata {
  if (!entry || entry.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION) {
    throw new AdminError('unknown-topic', `topic "${topic}" does not exist`, 'UNKNOWN_TOPIC_OR_PARTITION');
  }
  if (entry.errorCode !== ErrorCode.NONE) throw kafkaCodeError(entry.errorCode, `metadata of topic ${topic}`);
  return { ...entry, name: topic };
}

/** The partitions a selection names, checked against the topic; all of them when none are named. */
export function selectPartitions(topic: TopicMetadata, selection?: number[]): number[] {
  const existing = topic.partitions.map((entry) => entry.partitionIndex).sort((a, b) => a - b);
  if (!selection || selection.length === 0) return existing;
  const missing = selection.filter((partition) => !existing.includes(partition));
  if (missing.length > 0) {
    throw new AdminError(
      'unknown-partition',
      `topic "${topic.name}" has no partition ${missing.join(', ')} (it has ${existing.length} partition${existing.length === 1 ? '' : 's'}: 0..${existing.length - 1})`,
      'UNKNOWN_TOPIC_OR_PARTITION',
    );
  }
  return [...new Set(selection)].sort((a, b) => a - b);
}

/** Resolves topic[:partitions] selections into existing partitions, failing on the first unknown one. */
export async function resolveSelections(session: AdminSession, selections: TopicPartitions[]): Promise<{ topic: string; partition: number }[]> {
  const topics = [...new Set(selections.map((entry) => entry.topic))];
  const response = await session.router.refreshMetadata(topics);
  return selections.flatMap((selection) => {
    const topic = findTopic(response, selection.topic);
    return selectPartitions(topic, selection.partitions).map((partition) => ({ topic: selection.topic, partition }));
  });
}

export function partitionKey(topic: string, partition: number): string {
  return `${topic}:${partition}`;
}

/**
 * Partitions grouped by their current leader, for requests only the leader answers
 * (ListOffsets, Fetch, DeleteRecords). A partition without a leader is an error naming it.
 * Linear in topics plus partitions: a whole-cluster read asks about 100,000 partitions.
 */
export function groupByLeader<T extends { topic: string; partition: number }>(response: MetadataResponse, refs: T[]): Map<number, T[]> {
  const named = new Map<string, MetadataResponseTopic>();
  for (const entry of response.topics) if (entry.name !== null && !named.has(entry.name)) named.set(entry.name, entry);
  const partitionsOf = new Map<string, Map<number, MetadataResponseTopic['partitions'][number]>>();
  const byLeader = new Map<number, T[]>();
  for (const ref of refs) {
    let partitions = partitionsOf.get(ref.topic);
    if (partitions === undefined) {
      const entry = named.get(ref.topic);
      // findTopic throws the error a user understands for a missing or failed topic.
      const topic = entry !== undefined && entry.errorCode === ErrorCode.NONE ? entry : findTopic(response, ref.topic);
      partitionsOf.set(ref.topic, (partitions = new Map(topic.partitions.map((partition) => [partition.partitionIndex, partition]))));
    }
    const partition = partitions.get(ref.partition);
    if (!partition) throw new AdminError('unknown-partition', `topic "${ref.topic}" has no partition ${ref.partition}`, 'UNKNOWN_TOPIC_OR_PARTITION');
    if (partition.leaderId < 0) {
      throw new AdminError('kafka', `${ref.topic}-${ref.partition} has no leader right now (offline replicas: ${partition.offlineReplicas.join(',') || 'none'})`, 'LEADER_NOT_AVAILABLE');
    }
    let led = byLeader.get(partition.leaderId);
    if (led === undefined) byLeader.set(partition.leaderId, (led = []));
    led.push(ref);
  }
  return byLeader;
}

/** `{topic: [partitions]}` of a list of partitions, in first-seen order: the shape of most request bodies. */
export function byTopic<T extends { topic: string }>(refs: T[]): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const ref of refs) {
    let entries = grouped.get(ref.topic);
    if (entries === undefined) grouped.set(ref.topic, (entries = []));
    entries.push(ref);
  }
  return grouped;
}
