import { ApiKey } from '../protocol/generated/apis';
import { defaultListOffsetsRequest, defaultListOffsetsRequestListOffsetsPartition } from '../protocol/generated/listOffsetsRequest';
import { ErrorCode } from '../protocol/errors';
import type { AdminSession } from './adminSession';
import type { ByTopicPartition } from './logOffsets';
import { byTopic } from './topicMetadata';

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
  topic: string;
  partition: number;
  leader: number | null;
  replicas: number[];
}

export interface ReplicaLag {
  /** Topic -> partition -> broker id -> offsets behind the leader (null when unknown). */
  byPartition: ByTopicPartition<Record<string, number | null>>;
  /** Why some lags are unknown: the brokers that are down or did not answer. */
  unknownBecause: string | null;
}

/** One ListOffsets per broker for all the placements given, of any number of topics. */
export async function replicaLag(session: AdminSession, placements: ReplicaPlacement[]): Promise<ReplicaLag> {
  const hosted = new Map<number, ReplicaPlacement[]>();
  for (const placement of placements) {
    for (const replica of placement.replicas) {
      let list = hosted.get(replica);
      if (list === undefined) hosted.set(replica, (list = []));
      list.push(placement);
    }
  }
  const brokers = [...hosted.keys()].sort((a, b) => a - b);
  const live = new Set(session.router.metadata.brokers.map((broker) => broker.nodeId));
  /** Broker id -> topic -> partition -> that replica's log end offset. */
  const logEnds = new Map<number, Map<string, Map<number, number>>>();
  const latest = { ...defaultListOffsetsRequestListOffsetsPartition(), timestamp: LATEST_TIMESTAMP };
  const problems: string[] = brokers.filter((broker) => !live.has(broker)).map((broker) => `broker ${broker} is not in the cluster's metadata (down?)`);
  await Promise.all(
    brokers
      .filter((broker) => live.has(broker))
      .map(async (broker) => {
        try {
          const response = await session.router.send({ broker }, ApiKey.ListOffsets, {
            ...defaultListOffsetsRequest(),
            replicaId: DEBUGGING_REPLICA_ID,
            topics: [...byTopic(hosted.get(broker)!)].map(([name, entries]) => ({
              name,
              partitions: entries.map((entry) => ({ ...latest, partitionIndex: entry.partition })),
            })),
          });
          const ends = new Map<string, Map<number, number>>();
          for (const topic of response.topics) {
            const byPartition = new Map<number, number>();
            for (const entry of topic.partitions) {
              if (entry.errorCode === ErrorCode.NONE && entry.offset >= 0n) byPartition.set(entry.partitionIndex, Number(entry.offset));
            }
            ends.set(topic.name, byPartition);
          }
          logEnds.set(broker, ends);
        } catch (error) {
          // An unreachable or fenced broker leaves its replicas' lag unknown (null), not an error for the whole view.
          problems.push(`broker ${broker} did not answer: ${error instanceof Error ? error.message : String(error)}`);
        }
      }),
  );
  const byPartition: ReplicaLag['byPartition'] = new Map();
  for (const placement of placements) {
    let ofTopic = byPartition.get(placement.topic);
    if (ofTopic === undefined) byPartition.set(placement.topic, (ofTopic = new Map()));
    const leaderEnd = placement.leader === null ? undefined : logEnds.get(placement.leader)?.get(placement.topic)?.get(placement.partition);
    const lag: Record<string, number | null> = {};
    for (const replica of placement.replicas) {
      const end = logEnds.get(replica)?.get(placement.topic)?.get(placement.partition);
      lag[replica] = leaderEnd === undefined || end === undefined ? null : Math.max(0, leaderEnd - end);
    }
    ofTopic.set(placement.partition, lag);
  }
  return { byPartition, unknownBecause: problems.length > 0 ? problems.join('; ') : null };
}
