import type { AdminSession } from './adminSession';
import { describeLogDirs, type LogDirInfo } from './logDirs';
import { replicaLag } from './replicaLag';
import { partitionKey } from './topicMetadata';

/**
 * Every replica one broker holds: which partitions it leads and which it follows, whether its
 * replica is in the ISR, how far it trails the leader and how many bytes it takes on disk.
 * Kafka's tools spread this over kafka-topics --describe and kafka-log-dirs; here it is one
 * view per broker.
 */
export interface BrokerReplica {
  topic: string;
  partition: number;
  role: 'leader' | 'follower';
  leader: number | null;
  replicas: number[];
  isr: number[];
  inIsr: boolean;
  /** Offsets this replica's log end trails the leader's; 0 for the leader; null when unknown. */
  lag: number | null;
  /** Bytes of this replica on the broker's disks (DescribeLogDirs); null when unknown. */
  sizeBytes: number | null;
}

export interface BrokerReplicas {
  brokerId: number;
  replicas: BrokerReplica[];
  logDirs: LogDirInfo[] | null;
  logDirsUnavailable: string | null;
  lagUnknownBecause: string | null;
}

export async function brokerReplicas(session: AdminSession, brokerId: number): Promise<BrokerReplicas> {
  return session.run(`describe the replicas of broker ${brokerId}`, async () => {
    const metadata = await session.metadata();
    const placements = metadata.topics.flatMap(({ name, partitions }) =>
      name === null
        ? []
        : partitions
        .filter((partition) => partition.replicaNodes.includes(brokerId))
        .map((partition) => ({
          topic: name,
          partition: partition.partitionIndex,
          leader: partition.leaderId >= 0 ? partition.leaderId : null,
          replicas: [...partition.replicaNodes],
          isr: [...partition.isrNodes],
        })),
    );
    const live = metadata.brokers.some((broker) => broker.nodeId === brokerId);
    const [logDirs, lag] = await Promise.all([
      live ? describeLogDirs(session, [brokerId], null) : Promise.resolve({ available: false as const, reason: `broker ${brokerId} is down` }),
      replicaLag(session, placements),
    ]);
    let dirs: LogDirInfo[] | null = null;
    let sizes: Map<string, number> | null = null;
    let logDirsUnavailable: string | null = null;
    if (!logDirs.available) {
      logDirsUnavailable = logDirs.reason;
    } else {
      const result = logDirs.brokers.get(brokerId);
      if (result === undefined || result instanceof Error) logDirsUnavailable = result?.message ?? 'no answer';
      else {
        dirs = result.dirs;
        sizes = result.partitionSizes;
      }
    }
    const replicas = placements
      .map((placement): BrokerReplica => {
        const key = partitionKey(placement.topic, placement.partition);
        return {
          ...placement,
          role: placement.leader === brokerId ? 'leader' : 'follower',
          inIsr: placement.isr.includes(brokerId),
          lag: lag.byPartition.get(placement.topic)?.get(placement.partition)?.[brokerId] ?? null,
          sizeBytes: sizes?.get(key) ?? null,
        };
      })
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return { brokerId, replicas, logDirs: dirs, logDirsUnavailable, lagUnknownBecause: lag.unknownBecause };
  });
}
