import { describe, expect, it } from 'vitest';
import type { PartitionRow } from '../../../src/api/schemas/topics';
import { describeExpectation, describeOutcome, electionSummary, expectedElection, movableNow, offPreferredLeader } from '../../../renderer/app/preferredElectionPlan';

function partition(index: number, leader: number | null, replicas: number[], isr: number[], offlineReplicas: number[] = []): PartitionRow {
  return { partition: index, leader, leaderEpoch: 3, replicas, isr, offlineReplicas, logStartOffset: 0, highWatermark: 10, replicaLag: null, underReplicated: isr.length < replicas.length, minIsr: 'above' };
}

const home = partition(0, 1, [1, 2, 3], [1, 2, 3]);
const failedOver = partition(1, 3, [2, 3, 1], [3, 1, 2]);
const preferredOutOfSync = partition(2, 1, [3, 1, 2], [1, 2]);
const preferredOffline = partition(3, 2, [3, 2, 1], [2, 1, 3], [3]);
const leaderless = partition(4, null, [2, 1], [2]);

describe('a preferred leader election preview', () => {
  it('moves a partition whose preferred replica is in sync, and leaves one already home', () => {
    expect(expectedElection(failedOver)).toEqual({ kind: 'moves', from: 3, to: 2 });
    expect(describeExpectation(expectedElection(failedOver))).toBe('moves from broker 3 to broker 2');
    expect(expectedElection(home)).toEqual({ kind: 'already-preferred', leader: 1 });
    expect(describeExpectation(expectedElection(home))).toBe('stays on broker 1, its preferred leader');
  });

  it('expects no move where the preferred replica is out of the ISR or offline, as the controller answers PREFERRED_LEADER_NOT_AVAILABLE', () => {
    expect(expectedElection(preferredOutOfSync)).toEqual({ kind: 'preferred-unavailable', preferred: 3, leader: 1 });
    expect(describeExpectation(expectedElection(preferredOutOfSync))).toBe('stays on broker 1: preferred broker 3 is not in sync');
    expect(expectedElection(preferredOffline)).toMatchObject({ kind: 'preferred-unavailable', preferred: 3 });
  });

  it('gives a leaderless partition its preferred leader when that replica is in sync', () => {
    expect(describeExpectation(expectedElection(leaderless))).toBe('gets broker 2 as leader');
    expect(expectedElection(partition(5, null, [], []))).toBeNull();
  });

  it('counts as off their preferred leader only led partitions, and offers by default only those an election moves now', () => {
    const all = [home, failedOver, preferredOutOfSync, preferredOffline, leaderless];
    expect(offPreferredLeader(all).map((row) => row.partition)).toEqual([1, 2, 3]);
    expect(movableNow(all).map((row) => row.partition)).toEqual([1]);
  });
});

describe('a preferred leader election result', () => {
  const results = [
    { topic: 'ledger', partition: 0, outcome: 'not-needed', error: null },
    { topic: 'ledger', partition: 1, outcome: 'elected', error: null },
    { topic: 'ledger', partition: 2, outcome: 'failed', error: 'PREFERRED_LEADER_NOT_AVAILABLE: broker 3 is not in the ISR' },
  ] as const;

  it('says per partition what happened, with the cluster error as given', () => {
    expect(describeOutcome(results[0], home)).toBe('already on its preferred leader, broker 1');
    expect(describeOutcome(results[1], failedOver)).toBe('elected: broker 2 leads');
    expect(describeOutcome(results[2], preferredOutOfSync)).toBe('failed: PREFERRED_LEADER_NOT_AVAILABLE: broker 3 is not in the ISR');
    expect(describeOutcome({ ...results[2], error: null }, undefined)).toBe('failed: the cluster gave no reason');
  });

  it('sums up the outcomes', () => {
    expect(electionSummary(results)).toBe('preferred leader election over 3 partitions: 1 elected, 1 already on their preferred leader, 1 failed');
    expect(electionSummary(results.slice(1, 2))).toBe('preferred leader election over 1 partition: 1 elected');
  });
});
