import { totalLagOfGroups } from '../../admin/groupLag';
import { listGroups } from '../../admin/groups';
import { clusterTopicHealth } from '../../admin/topicHealth';
import { brokerPresence } from '../../app/brokerPresence';
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
      const [health, groups] = await Promise.all([clusterTopicHealth(session), listGroups(session)]);
      const { live, down } = brokerPresence(context, clusterId, health.metadata);
      const checked = groups.slice(0, OVERVIEW_LAG_GROUPS).map((group) => group.group);
      const lag = await totalLagOfGroups(session, checked);
      const user = health.topics.filter((topic) => !topic.internal);
      const sum = (pick: (topic: (typeof health.topics)[number]) => number) => health.topics.reduce((total, topic) => total + pick(topic), 0);
      return {
        clusterId: health.metadata.clusterId,
        controllerId: health.metadata.controllerId >= 0 ? health.metadata.controllerId : null,
        brokersUp: live.length,
        brokersDown: down.map((broker) => broker.id),
        topics: user.length,
        internalTopics: health.topics.length - user.length,
        partitions: sum((topic) => topic.partitions),
        underReplicatedPartitions: sum((topic) => topic.underReplicatedPartitions),
        offlinePartitions: sum((topic) => topic.offlinePartitions),
        underMinIsrPartitions: sum((topic) => topic.underMinIsrPartitions ?? 0),
        groups: groups.length,
        groupsWithLag: [...lag.values()].filter((value) => value > 0).length,
        groupsLagChecked: checked.length,
      };
    });
  },

  'cluster.events': ({ clusterId }, { embedded }) =>
    isEmbedded(clusterId) ? { recorded: true, events: embedded.events() } : { recorded: false, events: [] },
});
