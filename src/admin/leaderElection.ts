import { ApiKey } from '../protocol/generated/apis';
import { defaultElectLeadersRequest } from '../protocol/generated/electLeadersRequest';
import { ErrorCode, errorInfo } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { ElectionType } from './adminChange';
import type { AdminSession } from './adminSession';
import { byTopic, resolveSelections } from './topicMetadata';

/**
 * ElectLeaders (KIP-460), as kafka-leader-election.sh: a preferred election moves leadership
 * back to each partition's first replica when it is in sync; an unclean one lets an out-of-sync
 * replica lead a partition that has no leader, at the cost of losing what it missed.
 */
export interface ElectionResult {
  topic: string;
  partition: number;
  outcome: 'elected' | 'not-needed' | 'failed';
  error: string | null;
}

/** ElectLeaders' ElectionType codes. */
const ELECTION_TYPES: Record<ElectionType, number> = { preferred: 0, unclean: 1 };

/** `partitions` null elects for every partition that needs it. */
export async function electLeaders(session: AdminSession, electionType: ElectionType, partitions: { topic: string; partition: number }[] | null) {
  return session.run(`${electionType} leader election`, async () => {
    if (partitions !== null) {
      await resolveSelections(session, [...byTopic(partitions)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })));
    }
    const version = await session.router.versionOn('controller', ApiKey.ElectLeaders);
    if (version === null) throw new AdminError('unsupported', 'the cluster does not serve ElectLeaders (Kafka 2.2+)');
    if (electionType === 'unclean' && version < 1) throw new AdminError('unsupported', 'the cluster\'s ElectLeaders has no unclean elections (needs v1, Kafka 2.4+)');
    let results: ElectionResult[] = [];
    await session.change(
      { kind: 'elect-leaders', electionType, partitions },
      {
        before: async () => leaders(session, partitions),
        apply: async () => {
          const response = await session.router.send('controller', ApiKey.ElectLeaders, {
            ...defaultElectLeadersRequest(),
            electionType: ELECTION_TYPES[electionType],
            topicPartitions: partitions === null ? null : [...byTopic(partitions)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })),
            timeoutMs: session.settings.requestTimeoutMs,
          });
          if (response.errorCode !== ErrorCode.NONE) throw kafkaCodeError(response.errorCode, `${electionType} leader election`);
          results = response.replicaElectionResults
            .flatMap((topic) =>
              topic.partitionResult.map((partition): ElectionResult => ({
                topic: topic.topic,
                partition: partition.partitionId,
                outcome: partition.errorCode === ErrorCode.NONE ? 'elected' : partition.errorCode === ErrorCode.ELECTION_NOT_NEEDED ? 'not-needed' : 'failed',
                error: partition.errorCode === ErrorCode.NONE || partition.errorCode === ErrorCode.ELECTION_NOT_NEEDED ? null : `${errorInfo(partition.errorCode).name}: ${partition.errorMessage ?? errorInfo(partition.errorCode).message}`,
              })),
            )
            .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
        },
        after: async () => leaders(session, partitions),
      },
    );
    return results;
  });
}

/** Leaders of the elected partitions (all partitions for an election over all of them), for the audit log. */
async function leaders(session: AdminSession, partitions: { topic: string; partition: number }[] | null): Promise<Record<string, number>> {
  const metadata = await session.metadata();
  const wanted = partitions === null ? null : new Set(partitions.map((entry) => `${entry.topic}-${entry.partition}`));
  return Object.fromEntries(
    metadata.topics
      .flatMap((topic) => topic.partitions.map((partition) => [`${topic.name}-${partition.partitionIndex}`, partition.leaderId] as const))
      .filter(([key]) => wanted === null || wanted.has(key)),
  );
}
