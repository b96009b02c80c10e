import { describeGroup, listGroupIds, listGroups } from '../../admin/groups';
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

  // Only the ids are needed (no DescribeGroups), and figures the lag sampler read within the
  // last LAG_READING_REUSE_MS are reused (and it reuses ours): see sharedGroupLag.ts.
  'groups.lag': async ({ clusterId }, { sessions, groupLag }) => {
    const checked = (await sessions.use(clusterId, (session) => listGroupIds(session))).slice(0, GROUP_LIST_LAG_LIMIT);
    const { lag, readAt } = await groupLag.totalLag(clusterId, checked);
    return { groups: checked.map((group) => ({ group, totalLag: lag.get(group) ?? null })), limit: GROUP_LIST_LAG_LIMIT, readAt };
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
