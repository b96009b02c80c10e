import { createTopic, deleteTopic, describeTopic } from '../../admin/topics';
import { topicRowsOf } from '../../app/topicRows';
import { defineHandlers } from './types';

export const topicHandlers = defineHandlers({
  // Metadata alone: the table's rows come from this, and min ISR (a config read, many times
  // slower at 10,000 topics) arrives through topics.minInsyncReplicas.
  // The live brokers come with it so the page needs no brokers.list (disk usage of every
  // partition, from every broker) for its create form's default replication factor.
  'topics.list': ({ clusterId }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const metadata = await session.run('read cluster metadata', () => session.metadata());
      return { topics: topicRowsOf(metadata), liveBrokers: metadata.brokers.length };
    }),

  'topics.minInsyncReplicas': ({ clusterId }, { sessions, minIsr }) =>
    sessions.use(clusterId, async (session) => {
      const metadata = await session.run('read cluster metadata', () => session.metadata());
      const names = metadata.topics.flatMap((topic) => (topic.name === null ? [] : [topic.name]));
      const byTopic = await minIsr.get(clusterId, names);
      return { topics: [...byTopic].map(([topic, minInsyncReplicas]) => ({ topic, minInsyncReplicas })) };
    }),

  'topics.describe': ({ clusterId, topic }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const detail = await describeTopic(session, topic);
      return { ...detail, replicaLagUnavailable: detail.replicaLagUnavailable ?? null };
    }),

  'topics.create': async ({ clusterId, name, partitions, replicationFactor, configs }, { sessions, dataChanges, minIsr }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => createTopic(session, { topic: name, partitions, replicationFactor, configs }));
    // A topic of this name deleted elsewhere may still be cached with its old configs.
    minIsr.forget(clusterId, name);
    dataChanges.mark(clusterId, ['topics', 'topicConfigs', 'overview', 'brokers']);
    return { topic: name, kafkaCommand };
  },

  'topics.delete': async ({ clusterId, topic }, { sessions, dataChanges, minIsr }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => deleteTopic(session, topic));
    minIsr.forget(clusterId, topic);
    dataChanges.mark(clusterId, ['topics', 'overview', 'brokers', 'groups']);
    return { topic, kafkaCommand };
  },
});
