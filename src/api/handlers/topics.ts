import { createTopic, deleteTopic, describeTopic } from '../../admin/topics';
import { clusterTopicHealth } from '../../admin/topicHealth';
import { defineHandlers } from './types';

export const topicHandlers = defineHandlers({
  'topics.list': ({ clusterId }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const health = await clusterTopicHealth(session);
      return { topics: health.topics, minIsrUnavailable: health.minIsrUnavailable };
    }),

  'topics.describe': ({ clusterId, topic }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const detail = await describeTopic(session, topic);
      return { ...detail, replicaLagUnavailable: detail.replicaLagUnavailable ?? null };
    }),

  'topics.create': async ({ clusterId, name, partitions, replicationFactor, configs }, { sessions, dataChanges }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => createTopic(session, { topic: name, partitions, replicationFactor, configs }));
    dataChanges.mark(clusterId, ['topics', 'overview', 'brokers']);
    return { topic: name, kafkaCommand };
  },

  'topics.delete': async ({ clusterId, topic }, { sessions, dataChanges }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => deleteTopic(session, topic));
    dataChanges.mark(clusterId, ['topics', 'overview', 'brokers', 'groups']);
    return { topic, kafkaCommand };
  },
});
