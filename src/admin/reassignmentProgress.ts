import type { AdminSession } from './adminSession';
import { logRanges, type ByTopicPartition, type LogRange } from './logOffsets';
import { replicaLag } from './replicaLag';
import { listReassignments, type OngoingReassignment } from './reassignments';
import { byTopic, findTopic, partitionKey } from './topicMetadata';

/**
 * How far each running reassignment has got: for every replica being added, how many offsets
 * its log end trails the leader's (replicaLag.ts), and the share of the leader's retained log
 * it already holds. Kafka's own tool reports only "still in progress"; this is what an admin
 * watches to know whether a move is crawling or nearly done.
 */
export interface AddingReplicaProgress {
  broker: number;
  lag: number | null;
  /** 0..1, null when the lag is unknown. */
  caughtUp: number | null;
}

export interface ReassignmentProgress extends OngoingReassignment {
  leader: number | null;
  progress: AddingReplicaProgress[];
}

export async function reassignmentProgress(session: AdminSession): Promise<{ partitions: ReassignmentProgress[]; progressUnavailable: string | null }> {
  return session.run('read reassignment progress', async () => {
    const ongoing = await listReassignments(session);
    if (ongoing.length === 0) return { partitions: [], progressUnavailable: null };
    const grouped = byTopic(ongoing);
    const metadata = await session.router.refreshMetadata([...grouped.keys()]);
    const problems: string[] = [];
    const leaders = new Map<string, number | null>();
    for (const [topic, entries] of grouped) {
      const partitions = findTopic(metadata, topic).partitions;
      for (const entry of entries) {
        const leaderId = partitions.find((partition) => partition.partitionIndex === entry.partition)?.leaderId ?? -1;
        leaders.set(partitionKey(topic, entry.partition), leaderId >= 0 ? leaderId : null);
      }
    }
    const withLeader = ongoing.filter((entry) => leaders.get(partitionKey(entry.topic, entry.partition)) !== null);
    const [ranges, lags] = await Promise.all([
      logRanges(session, withLeader).catch((error: unknown) => {
        problems.push(`log offsets unavailable: ${error instanceof Error ? error.message : String(error)}`);
        return new Map() as ByTopicPartition<LogRange>;
      }),
      replicaLag(
        session,
        ongoing.map((entry) => ({ topic: entry.topic, partition: entry.partition, leader: leaders.get(partitionKey(entry.topic, entry.partition)) ?? null, replicas: entry.replicas })),
      ).then((lag) => {
        if (lag.unknownBecause) problems.push(lag.unknownBecause);
        return lag.byPartition;
      }),
    ]);
    const partitions = ongoing.map((entry): ReassignmentProgress => {
      const key = partitionKey(entry.topic, entry.partition);
      const range = ranges.get(entry.topic)?.get(entry.partition);
      const lagOf = lags.get(entry.topic)?.get(entry.partition) ?? {};
      return {
        ...entry,
        leader: leaders.get(key) ?? null,
        progress: entry.addingReplicas.map((broker) => {
          const lag = lagOf[broker] ?? null;
          return { broker, lag, caughtUp: lag === null ? null : caughtUpShare(lag, range) };
        }),
      };
    });
    return { partitions, progressUnavailable: problems.length > 0 ? [...new Set(problems)].join('; ') : null };
  });
}

/** The share of the leader's retained log (log start to high watermark) a replica `lag` offsets behind holds. */
export function caughtUpShare(lag: number, range: { logStartOffset: number; highWatermark: number } | undefined): number | null {
  if (range === undefined) return null;
  const span = range.highWatermark - range.logStartOffset;
  if (span <= 0) return lag === 0 ? 1 : 0;
  return Math.min(1, Math.max(0, 1 - lag / span));
}
