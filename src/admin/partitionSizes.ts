import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode } from '../protocol/errors';
import { AdminError } from './adminError';
import type { AdminSession } from './adminSession';
import { partitionKey } from './topicMetadata';

/**
 * The size on disk of each partition, from DescribeLogDirs (API 35) asked of every broker:
 * what a reassignment has to copy to each broker that gains a replica. A partition's size is
 * its largest replica's (the leader's, unless a follower has not truncated yet), so a plan
 * never under-states the data to move.
 */
export interface PartitionSizes {
  /** Bytes by partitionKey; a partition no broker reported is absent. */
  bytes: Map<string, number>;
  /** Why some sizes are unknown (a broker down, an old cluster), or null. */
  unknownBecause: string | null;
}

export async function partitionSizes(session: AdminSession, brokerIds: number[], topics: { topic: string; partitions: number[] }[]): Promise<PartitionSizes> {
  const bytes = new Map<string, number>();
  if (brokerIds.length === 0 || topics.length === 0) return { bytes, unknownBecause: null };
  const version = await session.router.versionOn({ broker: brokerIds[0]! }, ApiKey.DescribeLogDirs).catch(() => null);
  if (version === null) return { bytes, unknownBecause: 'the cluster does not serve DescribeLogDirs (API 35), which reports partition sizes' };
  const request = { topics: topics.map((entry) => ({ topic: entry.topic, partitions: entry.partitions })) };
  const responses = await session.router.sendToBrokers(brokerIds, ApiKey.DescribeLogDirs, () => request);
  const problems: string[] = [];
  for (const [brokerId, response] of responses) {
    if (response instanceof AdminError) {
      problems.push(`broker ${brokerId} did not answer (${response.message})`);
      continue;
    }
    if (response.errorCode !== ErrorCode.NONE) {
      problems.push(`broker ${brokerId} answered error ${response.errorCode}`);
      continue;
    }
    for (const dir of response.results) {
      for (const topic of dir.topics) {
        for (const partition of topic.partitions) {
          if (partition.isFutureKey) continue;
          const key = partitionKey(topic.name, partition.partitionIndex);
          bytes.set(key, Math.max(bytes.get(key) ?? 0, Number(partition.partitionSize)));
        }
      }
    }
  }
  return { bytes, unknownBecause: problems.length > 0 ? problems.join('; ') : null };
}
