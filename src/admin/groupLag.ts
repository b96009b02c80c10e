import type { AdminSession } from './adminSession';
import { committedOffsetsOfGroups } from './committedOffsets';
import { listOffsets } from './logOffsets';
import { partitionKey } from './topicMetadata';

/**
 * Total lag of several groups with one OffsetFetch per coordinator and one ListOffsets per
 * partition leader for all of them, instead of a round of each per group. Lag of a partition is its high watermark minus the
 * group's committed offset, as kafka-consumer-groups.sh computes it; partitions without a
 * commit do not count, and a group without any commit (or no group of that name) has no
 * figure at all: its lag is unknown ("-" in the CLI), not 0.
 */
export async function totalLagOfGroups(session: AdminSession, groups: string[]): Promise<Map<string, number>> {
  return session.run('compute lag of groups', async () => {
    const committed = await committedOffsetsOfGroups(session, groups);
    const partitions = new Map<string, { topic: string; partition: number }>();
    for (const [, offsets] of committed) {
      for (const entry of offsets.values()) partitions.set(partitionKey(entry.topic, entry.partition), { topic: entry.topic, partition: entry.partition });
    }
    const ends = await listOffsets(session, [...partitions.values()], 'latest');
    const result = new Map<string, number>();
    for (const [group, offsets] of committed) {
      if (offsets.size === 0) continue;
      let lag = 0;
      for (const [key, entry] of offsets) lag += Math.max(0, (ends.get(key) ?? entry.offset) - entry.offset);
      result.set(group, lag);
    }
    return result;
  });
}
