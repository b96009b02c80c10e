import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import type { AdminSession } from './adminSession';
import { minInsyncReplicasByTopic } from './minInsyncReplicas';
import { summarizeTopic, type TopicSummary } from './topics';

/**
 * Replica health of every topic from one Metadata read (product guide, target 3): partitions
 * under-replicated (ISR smaller than the replica set), offline (no leader) and under their
 * topic's min.insync.replicas. The min ISR counts need topic configs; if those cannot be read
 * the other counts still stand and the reason is given.
 */
export interface TopicHealth extends TopicSummary {
  underMinIsrPartitions: number | null;
}

export interface ClusterTopicHealth {
  metadata: MetadataResponse;
  topics: TopicHealth[];
  minIsrUnavailable: string | null;
}

export async function clusterTopicHealth(session: AdminSession): Promise<ClusterTopicHealth> {
  const metadata = await session.run('read cluster metadata', () => session.metadata());
  const named = metadata.topics.filter((topic): topic is typeof topic & { name: string } => topic.name !== null);
  let minIsr: Map<string, number> | null = null;
  let minIsrUnavailable: string | null = null;
  try {
    minIsr = await minInsyncReplicasByTopic(
      session,
      named.map((topic) => topic.name),
    );
  } catch (error) {
    minIsrUnavailable = error instanceof Error ? error.message : String(error);
  }
  const topics = named
    .map((topic) => {
      const required = minIsr?.get(topic.name);
      return {
        ...summarizeTopic(topic),
        underMinIsrPartitions: required === undefined ? null : topic.partitions.filter((partition) => partition.isrNodes.length < required).length,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  return { metadata, topics, minIsrUnavailable };
}
