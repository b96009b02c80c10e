import { minInsyncReplicasByTopic } from '../../admin/minInsyncReplicas';
import { createTopic, deleteTopic, describeTopic, listTopics, summarizeTopic } from '../../admin/topics';
import type { MetadataResponse } from '../../protocol/generated/metadataResponse';
import type { TopicRow } from '../schemas/topics';
import { defineHandlers } from './types';

type TopicMetadata = MetadataResponse['topics'][number] & { name: string };

/** [ISR size, partitions] pairs, smallest ISR first: usually one pair, all partitions fully in sync. */
function isrSizes(topic: TopicMetadata): TopicRow['isrSizes'] {
  const counts = new Map<number, number>();
  for (const partition of topic.partitions) counts.set(partition.isrNodes.length, (counts.get(partition.isrNodes.length) ?? 0) + 1);
  return [...counts].sort((a, b) => a[0] - b[0]);
}

export const topicHandlers = defineHandlers({
  // Metadata alone: the table's rows come from this, and min ISR (a config read, many times
  // slower at 10,000 topics) arrives through topics.minInsyncReplicas, refreshed less often.
  'topics.list': ({ clusterId }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const metadata = await session.run('read cluster metadata', () => session.metadata());
      const topics = metadata.topics
        .filter((topic): topic is TopicMetadata => topic.name !== null)
        .map((topic) => ({ ...summarizeTopic(topic), isrSizes: isrSizes(topic) }))
        .sort((a, b) => a.name.localeCompare(b.name));
      return { topics };
    }),

  'topics.minInsyncReplicas': ({ clusterId }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const names = (await listTopics(session, { includeInternal: true })).map((topic) => topic.name);
      const byTopic = await minInsyncReplicasByTopic(session, names);
      return { topics: [...byTopic].map(([topic, minInsyncReplicas]) => ({ topic, minInsyncReplicas })) };
    }),

  'topics.describe': ({ clusterId, topic }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const detail = await describeTopic(session, topic);
      return { ...detail, replicaLagUnavailable: detail.replicaLagUnavailable ?? null };
    }),

  'topics.create': async ({ clusterId, name, partitions, replicationFactor, configs }, { sessions, dataChanges }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => createTopic(session, { topic: name, partitions, replicationFactor, configs }));
    dataChanges.mark(clusterId, ['topics', 'topicConfigs', 'overview', 'brokers']);
    return { topic: name, kafkaCommand };
  },

  'topics.delete': async ({ clusterId, topic }, { sessions, dataChanges }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => deleteTopic(session, topic));
    dataChanges.mark(clusterId, ['topics', 'overview', 'brokers', 'groups']);
    return { topic, kafkaCommand };
  },
});
