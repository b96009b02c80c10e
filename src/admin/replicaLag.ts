import { ApiKey } from '../protocol/generated/apis';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../protocol/generated/listOffsetsRequest';
import { ErrorCode } from '../protocol/errors';
import type { AdminSession } from './adminSession';
import { partitionKey } from './topicMetadata';

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
  const lag = await replicaLagOfPartitions(
    session,
    placements.map((placement) => ({ ...placement, topic })),
  );
  return {
    byPartition: new Map(placements.map((placement) => [placement.partition, lag.byPartition.get(partitionKey(topic, placement.partition)) ?? {}])),
    unknownBecause: lag.unknownBecause,
  };
}

export interface TopicReplicaPlacement extends ReplicaPlacement {
  topic: string;
}

/** The same across topics, one ListOffsets per broker: `byPartition` is keyed by partitionKey(topic, partition). */
export async function replicaLagOfPartitions(
  session: AdminSession,
  placements: TopicReplicaPlacement[],
): Promise<{ byPartition: Map<string, Record<string, number | null>>; unknownBecause: string | null }> {
  const brokers = [...new Set(placements.flatMap((placement) => placement.replicas))].sort((a, b) => a - b);
  const live = new Set(session.router.metadata.brokers.map((broker) => broker.nodeId));
  const logEnds = new Map<string, number>();
  const endKey = (topic: string, partition: number, broker: number) => `${partitionKey(topic, partition)}@${broker}`;
  const problems: string[] = brokers.filter((broker) => !live.has(broker)).map((broker) => `broker ${broker} is not in the cluster's metadata (down?)`);
  await Promise.all(
    brokers
      .filter((broker) => live.has(broker))
      .map(async (broker) => {
        const byTopic = new Map<string, number[]>();
        for (const placement of placements) {
          if (!placement.replicas.includes(broker)) continue;
          byTopic.set(placement.topic, [...(byTopic.get(placement.topic) ?? []), placement.partition]);
        }
        try {
          const response = await session.router.send({ broker }, ApiKey.ListOffsets, {
            ...defaultListOffsetsRequest(),
            replicaId: DEBUGGING_REPLICA_ID,
            topics: [...byTopic].map(([name, partitions]) => ({
              name,
              partitions: partitions.map((partitionIndex) => ({ ...defaultListOffsetsRequestListOffsetsPartition(), partitionIndex, timestamp: LATEST_TIMESTAMP })),
            })),
          });
          for (const answer of response.topics) {
            for (const entry of answer.partitions) {
              if (entry.errorCode === ErrorCode.NONE && entry.offset >= 0n) logEnds.set(endKey(answer.name, entry.partitionIndex, broker), Number(entry.offset));
            }
          }
        } catch (error) {
          // An unreachable or fenced broker leaves its replicas' lag unknown (null), not an error for the whole view.
          problems.push(`broker ${broker} did not answer: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
  );
  const byPartition = new Map(
    placements.map((placement) => {
      const leaderEnd = placement.leader === null ? undefined : logEnds.get(endKey(placement.topic, placement.partition, placement.leader));
      const lag: Record<string, number | null> = {};
      for (const replica of placement.replicas) {
        const end = logEnds.get(endKey(placement.topic, placement.partition, replica));
        lag[String(replica)] = leaderEnd === undefined || end === undefined ? null : Math.max(0, leaderEnd - end);
      }
      return [partitionKey(placement.topic, placement.partition), lag];
    }),
  );
  return { byPartition, unknownBecause: problems.length > 0 ? problems.join('; ') : null };
}
