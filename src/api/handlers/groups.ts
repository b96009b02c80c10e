import { totalLagOfGroups } from '../../admin/groupLag';
import { describeGroup, listGroups } from '../../admin/groups';
import { defineHandlers } from './types';

/**
 * Lag is read in bulk (one OffsetFetch per coordinator, one ListOffsets per leader: see
 * groupLag.ts), yet the cost still grows with the groups' partitions, so groups.lag computes
 * it for a bounded number of groups (the first by name) and says so; the detail page always
 * has the full figure. 2,000 groups cover the clusters issue 8 measures.
 */
export const GROUP_LIST_LAG_LIMIT = 2_000;

export const groupHandlers = defineHandlers({
  // No offsets here: the groups table shows its rows from this, and lag (groups.lag, seconds
  // at 2,000 groups) fills in after.
  'groups.list': ({ clusterId }, { sessions, lagSampler }) => {
    lagSampler.watch(clusterId);
    return sessions.use(clusterId, async (session) => ({
      groups: (await listGroups(session)).map((group) => ({ group: group.group, state: group.state, protocolType: group.protocolType, members: group.members })),
    }));
  },

  'groups.lag': ({ clusterId }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const checked = (await listGroups(session)).slice(0, GROUP_LIST_LAG_LIMIT).map((group) => group.group);
      const lag = await totalLagOfGroups(session, checked);
      return { groups: checked.map((group) => ({ group, totalLag: lag.get(group) ?? null })), limit: GROUP_LIST_LAG_LIMIT };
    }),

  'groups.describe': ({ clusterId, group }, { sessions }) =>
    sessions.use(clusterId, async (session) => {
      const detail = await describeGroup(session, group);
      return {
        group: detail.group,
        state: detail.state,
        protocolType: detail.protocolType,
        protocol: detail.protocol,
        members: detail.members,
        partitions: detail.offsets.map((row) => ({
          topic: row.topic,
          partition: row.partition,
          committedOffset: row.currentOffset,
          endOffset: row.logEndOffset,
          lag: row.lag,
          memberId: row.consumerId,
          clientId: row.clientId,
          host: row.host,
        })),
        totalLag: detail.totalLag,
      };
    }),

  'groups.lagTrends': ({ clusterId }, { lagSampler }) => {
    lagSampler.watch(clusterId);
    return lagSampler.trends(clusterId);
  },

  'groups.lagHistory': ({ clusterId, group }, { lagSampler }) => {
    lagSampler.view(clusterId, group);
    return lagSampler.history(clusterId, group);
  },
});
