import { listGroups } from '../../admin/groups';
import { brokerPresence } from '../../app/brokerPresence';
import { topicRowsOf } from '../../app/topicRows';
import { partitionsUnderMinIsr } from '../schemas/topics';
import { isEmbedded } from '../schemas/clusterRef';
import { defineHandlers } from './types';

/**
 * Lag is read for at most this many groups per overview: it costs an OffsetFetch per group,
 * and the overview refreshes every few seconds. The tile says when the count is partial.
 */
export const OVERVIEW_LAG_GROUPS = 50;

export const overviewHandlers = defineHandlers({
  'cluster.overview': ({ clusterId }, context) => {
    // The overview is the landing page: lag history starts with the cluster the user looks at.
    context.lagSampler.watch(clusterId);
    return context.sessions.use(clusterId, async (session) => {
      // Metadata every poll (ISR and leaders move); min.insync.replicas from the shared cache,
      // so a cluster of 10,000 topics is not asked for every topic's configs every 5 s.
      const [metadata, groups] = await Promise.all([session.run('read cluster metadata', () => session.metadata()), listGroups(session)]);
      const topics = topicRowsOf(metadata);
      const required = await context.minIsr.get(
        clusterId,
        topics.map((topic) => topic.name),
      ).catch(() => new Map<string, number>());
      const { live, down } = brokerPresence(context, clusterId, metadata);
      const checked = groups.slice(0, OVERVIEW_LAG_GROUPS).map((group) => group.group);
      // Shared with groups.lag and the sampler: the first groups' lag is read once between them.
      const { lag } = await context.groupLag.totalLag(clusterId, checked);
      const user = topics.filter((topic) => !topic.internal);
      const sum = (pick: (topic: (typeof topics)[number]) => number) => topics.reduce((total, topic) => total + pick(topic), 0);
      return {
        clusterId: metadata.clusterId,
        controllerId: metadata.controllerId >= 0 ? metadata.controllerId : null,
        brokersUp: live.length,
        brokersDown: down.map((broker) => broker.id),
        topics: user.length,
        internalTopics: topics.length - user.length,
        partitions: sum((topic) => topic.partitions),
        underReplicatedPartitions: sum((topic) => topic.underReplicatedPartitions),
        offlinePartitions: sum((topic) => topic.offlinePartitions),
        underMinIsrPartitions: sum((topic) => {
          const minInsyncReplicas = required.get(topic.name);
          return minInsyncReplicas === undefined ? 0 : partitionsUnderMinIsr(topic.isrSizes, minInsyncReplicas);
        }),
        groups: groups.length,
        groupsWithLag: [...lag.values()].filter((value) => value > 0).length,
        groupsLagChecked: checked.length,
      };
    });
  },

  'cluster.events': ({ clusterId }, { embedded }) =>
    isEmbedded(clusterId) ? { recorded: true, events: embedded.events() } : { recorded: false, events: [] },
});
