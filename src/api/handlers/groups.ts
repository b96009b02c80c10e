import { totalLagOfGroups } from '../../admin/groupLag';
import { describeGroup, listGroups } from '../../admin/groups';
import { defineHandlers } from './types';

/**
 * Lag is read in bulk (one OffsetFetch per coordinator, one ListOffsets per leader: see
 * groupLag.ts), yet the cost still grows with the groups' partitions, so the list computes it
 * for a bounded number of groups (the first by name) and says so; the detail page always has
 * the full figure. 2,000 groups cover the clusters issue 8 measures.
 */
export const GROUP_LIST_LAG_LIMIT = 2_000;

export const groupHandlers = defineHandlers({
  'groups.list': ({ clusterId }, { sessions, lagSampler }) => {
    lagSampler.watch(clusterId);
    return sessions.use(clusterId, async (session) => {
      const groups = await listGroups(session);
      const checked = groups.slice(0, GROUP_LIST_LAG_LIMIT).map((group) => group.group);
      let lag = new Map<string, number>();
      let lagUnavailable: string | null = null;
      try {
        lag = await totalLagOfGroups(session, checked);
      } catch (error) {
        lagUnavailable = error instanceof Error ? error.message : String(error);
      }
      return {
        groups: groups.map((group) => ({ group: group.group, state: group.state, protocolType: group.protocolType, members: group.members, totalLag: lag.get(group.group) ?? null })),
        lagChecked: lagUnavailable === null ? checked.length : 0,
        lagUnavailable,
      };
    });
  },

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
