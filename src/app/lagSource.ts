import { totalLagOfGroups } from '../admin/groupLag';
import { describeGroup } from '../admin/groups';
import type { AdminSessionPool } from './adminSessions';
import type { LagSource } from './lagSampler';

/** The lag sampler's reads, through the same admin sessions the pages use. */
export function sessionLagSource(sessions: AdminSessionPool): LagSource {
  return {
    groupIds: (ref) =>
      sessions.use(ref, (session) =>
        session.run('list groups', async () => {
          const { groups } = await (await session.admin()).listGroups();
          return groups.map((group) => group.groupId);
        }),
      ),
    totalLag: (ref, groups) => sessions.use(ref, (session) => totalLagOfGroups(session, [...groups])),
    partitionLag: (ref, group) =>
      sessions.use(ref, async (session) => (await describeGroup(session, group)).offsets.map((row) => ({ topic: row.topic, partition: row.partition, lag: row.lag }))),
  };
}
