import type { ElectionRow } from '../../src/api/schemas/reassignments';
import type { PartitionRow } from '../../src/api/schemas/topics';
import { plural } from './format';

/**
 * What a preferred leader election (KIP-460's ElectLeaders, as kafka-leader-election.sh
 * --election-type PREFERRED) would do to one partition, read from its metadata: the controller
 * moves leadership to the first assigned replica only while that replica is alive and in the
 * ISR; otherwise it answers PREFERRED_LEADER_NOT_AVAILABLE and the leader stays.
 */
export type ElectionExpectation =
  | { readonly kind: 'moves'; readonly from: number | null; readonly to: number }
  | { readonly kind: 'already-preferred'; readonly leader: number }
  | { readonly kind: 'preferred-unavailable'; readonly preferred: number; readonly leader: number | null };

export function preferredReplica(partition: PartitionRow): number | null {
  return partition.replicas[0] ?? null;
}

export function expectedElection(partition: PartitionRow): ElectionExpectation | null {
  const preferred = preferredReplica(partition);
  if (preferred === null) return null;
  if (partition.leader === preferred) return { kind: 'already-preferred', leader: preferred };
  const available = partition.isr.includes(preferred) && !partition.offlineReplicas.includes(preferred);
  return available ? { kind: 'moves', from: partition.leader, to: preferred } : { kind: 'preferred-unavailable', preferred, leader: partition.leader };
}

/** Partitions led by a replica other than their preferred one (leaderless ones are offline, not misplaced). */
export function offPreferredLeader(partitions: readonly PartitionRow[]): PartitionRow[] {
  return partitions.filter((partition) => partition.leader !== null && partition.leader !== preferredReplica(partition));
}

/** Off-preferred partitions an election would move now: the default choice of the election form. */
export function movableNow(partitions: readonly PartitionRow[]): PartitionRow[] {
  return offPreferredLeader(partitions).filter((partition) => expectedElection(partition)?.kind === 'moves');
}

export function describeExpectation(expectation: ElectionExpectation | null): string {
  if (expectation === null) return 'no replicas: nothing to elect';
  switch (expectation.kind) {
    case 'moves':
      return expectation.from === null ? `gets broker ${expectation.to} as leader` : `moves from broker ${expectation.from} to broker ${expectation.to}`;
    case 'already-preferred':
      return `stays on broker ${expectation.leader}, its preferred leader`;
    case 'preferred-unavailable':
      return `stays ${expectation.leader === null ? 'without a leader' : `on broker ${expectation.leader}`}: preferred broker ${expectation.preferred} is not in sync`;
  }
}

/** One partition's answer, in the words of the result table. */
export function describeOutcome(row: ElectionRow, partition: PartitionRow | undefined): string {
  const preferred = partition === undefined ? null : preferredReplica(partition);
  switch (row.outcome) {
    case 'elected':
      return preferred === null ? 'elected its preferred leader' : `elected: broker ${preferred} leads`;
    case 'not-needed':
      return preferred === null ? 'already on its preferred leader' : `already on its preferred leader, broker ${preferred}`;
    case 'failed':
      return `failed: ${row.error ?? 'the cluster gave no reason'}`;
  }
}

export function electionSummary(results: readonly ElectionRow[]): string {
  const count = (outcome: ElectionRow['outcome']) => results.filter((row) => row.outcome === outcome).length;
  const parts = [`${count('elected')} elected`];
  if (count('not-needed') > 0) parts.push(`${count('not-needed')} already on their preferred leader`);
  if (count('failed') > 0) parts.push(`${count('failed')} failed`);
  return `preferred leader election over ${plural(results.length, 'partition')}: ${parts.join(', ')}`;
}
