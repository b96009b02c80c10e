import { describe, expect, it } from 'vitest';
import { achievedGuarantee, explain, type FaultFacts } from '../../../src/lab/explanation';
import { scenarioFromPreset } from '../../../src/lab/presets';
import type { FaultKind } from '../../../src/lab/scenario';
import { verify, type Verification } from '../../../src/lab/verifier';
import { WORKLOAD_PRODUCER } from '../../../src/lab/labRecord';

const facts = (kind: FaultKind, extra: Partial<FaultFacts> = {}): FaultFacts => ({ kind, injected: true, brokerId: 2, slowedFollowers: [], uncleanElections: [], ...extra });
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

/** A verification where `inLog` ids are in partition 0 and `delivered` ids were processed. */
function verification(acknowledged: number[], inLog: number[], delivered: number[]): Verification {
  return verify({
    acknowledged,
    inputLog: inLog.map((id, offset) => ({ partition: 0, offset, value: { id, producer: WORKLOAD_PRODUCER, seq: id, txn: null }, fate: 'plain' as const })),
    deliveries: delivered.map((id) => ({ id, sourceTxn: null })),
  });
}

describe('achievedGuarantee', () => {
  it.each([
    [[], [], [], 'exactly-once'],
    [[1], [], [], 'at-most-once'],
    [[], [1], [], 'at-least-once'],
    [[], [], [1], 'at-least-once'],
    [[1], [2], [], 'none'],
  ] as const)('lost %j, duplicates %j, aborted seen %j -> %s', (lost, duplicates, abortedSeen, expected) => {
    expect(achievedGuarantee({ lost: [...lost], duplicates: [...duplicates], abortedSeen: [...abortedSeen] })).toBe(expected);
  });
});

describe('explain', () => {
  it('acks=1 + kill-leader names the lost count and the old leader', () => {
    const scenario = scenarioFromPreset('at-most-once', 'kill-leader');
    const result = explain(scenario, facts('kill-leader', { slowedFollowers: [1, 3] }), verification(range(0, 100), range(0, 63), range(0, 63)), 0);
    expect(result.guarantee).toBe('at-most-once');
    expect(result.explanation).toMatch(/^acks=1 \+ kill-leader: 37 acknowledged records lost: they were only on the old leader \(broker 2\)/);
    expect(result.explanation).toContain('its followers (brokers 1,3) had been slowed');
  });

  it('an unclean election is named with the new leader, the ISR it was outside and min.insync.replicas', () => {
    const scenario = scenarioFromPreset('at-least-once', 'unclean-election', { minInsyncReplicas: 1 });
    const election = { partition: 0, leader: 3, previousIsr: [2] };
    const result = explain(scenario, facts('unclean-election', { uncleanElections: [election] }), verification(range(0, 10), range(0, 8), range(0, 8)), 0);
    expect(result.explanation).toMatch(/^unclean election \+ min\.insync\.replicas=1: 2 acknowledged records lost: broker 3, outside the ISR \[2\]/);
    expect(result.explanation).toContain('min.insync.replicas=1 let acks=all succeed with the leader alone');
  });

  it('commit before processing + a killed consumer: records in the log never processed', () => {
    const scenario = scenarioFromPreset('at-most-once', 'kill-consumer');
    const result = explain(scenario, facts('kill-consumer', { brokerId: null }), verification(range(0, 10), range(0, 10), [0, 1, 2, 6, 7, 8, 9]), 0);
    expect(result.explanation).toMatch(/^commit before processing \+ kill-consumer: 3 acknowledged records lost: they are in the log but were never processed/);
  });

  it('commit after processing + a killed consumer: repeats, no loss', () => {
    const scenario = scenarioFromPreset('at-least-once', 'kill-consumer');
    const result = explain(scenario, facts('kill-consumer', { brokerId: null }), verification(range(0, 5), range(0, 5), [0, 1, 2, 1, 2, 3, 4]), 0);
    expect(result.guarantee).toBe('at-least-once');
    expect(result.explanation).toMatch(/^commit after processing \+ kill-consumer: 2 records processed twice/);
  });

  it('retries without idempotence: records written twice', () => {
    const scenario = scenarioFromPreset('at-least-once', 'kill-leader');
    const result = explain(scenario, facts('kill-leader'), verification([0, 1, 2], [0, 1, 1, 2], [0, 1, 1, 2]), 0);
    expect(result.causes[0]).toMatch(/^retries without idempotence \+ kill-leader: 1 record written twice/);
  });

  it('a clean exactly-once run says so, with the aborted transactions it hid', () => {
    const scenario = scenarioFromPreset('exactly-once', 'kill-leader');
    const result = explain(scenario, facts('kill-leader'), verification(range(0, 50), range(0, 50), range(0, 50)), 4);
    expect(result.guarantee).toBe('exactly-once');
    expect(result.explanation).toBe(
      'exactly-once + kill-leader: all 50 acknowledged records delivered exactly once despite the kill-leader; the records of 4 aborted transactions were never seen (read_committed). Achieved: exactly-once, as the preset promises.',
    );
  });

  it('a weaker preset that happened to deliver once is not credited with more than it promises', () => {
    const scenario = scenarioFromPreset('at-least-once', 'none');
    const result = explain(scenario, facts('none', { injected: false, brokerId: null }), verification(range(0, 5), range(0, 5), range(0, 5)), 0);
    expect(result.guarantee).toBe('exactly-once');
    expect(result.explanation).toContain('at-least-once settings do not promise that');
    expect(result.explanation).toContain('kill-consumer');
    expect(result.explanation).toContain('Achieved: exactly-once; the at-least-once preset promises at-least-once.');
  });

  it('says when the fault never struck', () => {
    const scenario = scenarioFromPreset('at-most-once', 'kill-consumer');
    const result = explain(scenario, facts('kill-consumer', { injected: false, missedBecause: 'no batch had records left' }), verification(range(0, 5), range(0, 5), range(0, 5)), 0);
    expect(result.explanation).toContain('The kill-consumer fault never struck (no batch had records left)');
  });
});
