import { ApiKey } from '../protocol/generated/apis';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../protocol/generated/listOffsetsRequest';
import { ErrorCode } from '../protocol/errors';
import type { AdminSession } from './adminSession';

/**
 * Per-replica lag: how many offsets each replica's log end trails the leader's. Read with
 * ListOffsets "latest" sent to every replica's broker as Kafka's debugging client
 * (replica id -2), for which a broker answers from any replica it holds and "latest" means
 * that replica's log end offset rather than the high watermark.
 *
 * DescribeLogDirs' offsetLag is not used for this: Kafka defines it against the high watermark
 * the replica itself last heard of, so a slow follower still in the ISR (which holds the high
 * watermark back) always reports 0.
 */
const DEBUGGING_REPLICA_ID = -2;
const LATEST_TIMESTAMP = -1n;

export interface ReplicaPlacement {
  partition: number;
  leader: number | null;
  replicas: number[];
}

export interface ReplicaLag {
  /** Partition -> broker id -> offsets behind the leader (null when unknown). */
  byPartition: Map<number, Record<string, number | null>>;
  /** Why some lags are unknown: the brokers that are down or did not answer. */
  unknownBecause: string | null;
}

export async function replicaLag(session: AdminSession, topic: string, placements: ReplicaPlacement[]): Promise<ReplicaLag> {
  const brokers = [...new Set(placements.flatMap((placement) => placement.replicas))].sort((a, b) => a - b);
  const live = new Set(session.router.metadata.brokers.map((broker) => broker.nodeId));
  const logEnds = new Map<string, number>();
  const problems: string[] = brokers.filter((broker) => !live.has(broker)).map((broker) => `broker ${broker} is not in the cluster's metadata (down?)`);
  await Promise.all(
    brokers
      .filter((broker) => live.has(broker))
      .map(async (broker) => {
        const partitions = placements.filter((placement) => placement.replicas.includes(broker)).map((placement) => placement.partition);
        try {
          const response = await session.router.send({ broker }, ApiKey.ListOffsets, {
            ...defaultListOffsetsRequest(),
            replicaId: DEBUGGING_REPLICA_ID,
            topics: [{ name: topic, partitions: partitions.map((partitionIndex) => ({ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex, timestamp: LATEST_TIMESTAMP })) }],
          });
          for (const entry of response.topics.flatMap((answer) => answer.partitions)) {
            if (entry.errorCode === ErrorCode.NONE && entry.offset >= 0n) logEnds.set(`${entry.partitionIndex}:${broker}`, Number(entry.offset));
          }
        } catch (error) {
          // An unreachable or fenced broker leaves its replicas' lag unknown (null), not an error for the whole view.
          problems.push(`broker ${broker} did not answer: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
  );
  const byPartition = new Map(
    placements.map((placement) => {
      const leaderEnd = placement.leader === null ? undefined : logEnds.get(`${placement.partition}:${placement.leader}`);
      const lag: Record<string, number | null> = {};
      for (const replica of placement.replicas) {
        const end = logEnds.get(`${placement.partition}:${replica}`);
        lag[String(replica)] = leaderEnd === undefined || end === undefined ? null : Math.max(0, leaderEnd - end);
      }
      return [placement.partition, lag];
    }),
  );
  return { byPartition, unknownBecause: problems.length > 0 ? problems.join('; ') : null };
}
