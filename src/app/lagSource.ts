import { describeGroup, listGroupIds } from '../admin/groups';
import type { AdminSessionPool } from './adminSessions';
import type { LagSource } from './lagSampler';
import type { SharedGroupLag } from './sharedGroupLag';

/**
 * The lag sampler's reads, through the same admin sessions the pages use. Total lag goes
 * through the shared readings: a figure the Groups page read within the last few seconds is
 * the sample, rather than a second read of the same offsets.
 */
export function sessionLagSource(sessions: AdminSessionPool, groupLag: SharedGroupLag): LagSource {
  return {
    groupIds: (ref) => sessions.use(ref, (session) => listGroupIds(session)),
    totalLag: async (ref, groups) => (await groupLag.totalLag(ref, groups)).lag,
    partitionLag: (ref, group) =>
      sessions.use(ref, async (session) => (await describeGroup(session, group)).offsets.map((row) => ({ topic: row.topic, partition: row.partition, lag: row.lag }))),
  };
}
