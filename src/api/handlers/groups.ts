import { describeGroup, listGroupIds, listGroups } from '../../admin/groups';
import { GROUP_LAG_ALL_LIMIT } from '../schemas/groups';
import { defineHandlers } from './types';

export const groupHandlers = defineHandlers({
  // No offsets here: the groups table shows its rows from this, and lag (groups.lag, seconds
  // at 2,000 groups) fills in after.
  'groups.list': ({ clusterId }, { sessions, lagSampler }) => {
    lagSampler.watch(clusterId);
    return sessions.use(clusterId, async (session) => ({
      groups: (await listGroups(session)).map((group) => ({ group: group.group, state: group.state, protocolType: group.protocolType, members: group.members })),
    }));
  },

  // Named groups (the rows in view) are read as named: no listing, and an unknown group is
  // simply one without committed offsets (null). Without names, only the ids are listed (no
  // DescribeGroups). Either way figures read within the last LAG_READING_REUSE_MS (by the lag
  // sampler, the overview or another call) are reused: see sharedGroupLag.ts.
  'groups.lag': async ({ clusterId, groups }, { sessions, groupLag }) => {
    const checked = groups ?? (await sessions.use(clusterId, (session) => listGroupIds(session))).slice(0, GROUP_LAG_ALL_LIMIT);
    const named = [...new Set(checked)];
    const { lag, readAt } = await groupLag.totalLag(clusterId, named);
    return { groups: named.map((group) => ({ group, totalLag: lag.get(group) ?? null })), limit: GROUP_LAG_ALL_LIMIT, readAt };
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
