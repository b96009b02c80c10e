/**
 * The at-most-once preset (acks=1 without retries, offsets committed before processing)
 * against the faults that make it lose records, through `samsa lab run`. Each run has its
 * own throwaway 3-broker cluster. Loss is made deterministic by the fault injector (see
 * src/lab/faultInjector.ts), so these tests assert that records *are* lost, and that the
 * report names exactly which acknowledged records.
 */
import { describe, expect, it } from 'vitest';
import { LAB_RUN_TIMEOUT_MS, runLab, story } from '../../helpers/labRuns';

describe('samsa lab run --preset at-most-once', () => {
  it(
    'acks=1 + kill-leader: records acknowledged only by the slowed-followers leader are lost, and the report lists them',
    async () => {
      const report = await runLab(['--preset', 'at-most-once', '--fault', 'kill-leader', '--records', '300']);
      expect(report.fault.steps.map((step) => step.action).join('\n'), story(report)).toMatch(/slow the follower fetches[\s\S]*kill \(SIGKILL\) broker 1, leader of partition 0/);
      expect(report.lostFromLog.length, story(report)).toBeGreaterThan(0);
      const acknowledged = new Set(report.acknowledgedIds);
      expect(report.lost.filter((id) => !acknowledged.has(id))).toEqual([]);
      // Only partition 0 (ids 0, 3, 6, ...) was led by the killed broker.
      expect(report.lostFromLog.filter((id) => id % 3 !== 0)).toEqual([]);
      // The consumer commits before processing: if the leader kill makes it restart, the batch
      // it had committed but not processed is lost too, which at-most-once allows.
      expect([...report.lostFromLog, ...report.lostByConsumer].sort((a, b) => a - b)).toEqual([...report.lost].sort((a, b) => a - b));
      expect(report.duplicates).toEqual([]);
      expect(report.guarantee).toBe('at-most-once');
      expect(report.explanation).toMatch(new RegExp(`^acks=1 \\+ kill-leader: ${report.lostFromLog.length} acknowledged records? lost: they were only on the old leader \\(broker 1\\)`));
    },
    LAB_RUN_TIMEOUT_MS,
  );

  it(
    'commit before processing + kill-consumer: the rest of the killed batch is never processed, nothing is processed twice',
    async () => {
      const report = await runLab(['--preset', 'at-most-once', '--fault', 'kill-consumer', '--records', '300']);
      expect(report.fault.injected, story(report)).toBe(true);
      expect(report.lostByConsumer.length, story(report)).toBeGreaterThan(0);
      expect(report.lostFromLog).toEqual([]);
      expect(report.duplicates).toEqual([]);
      expect(report.guarantee).toBe('at-most-once');
      expect(report.explanation).toMatch(/^commit before processing \+ kill-consumer: \d+ acknowledged records? lost/);
    },
    LAB_RUN_TIMEOUT_MS,
  );

  it(
    'unclean election with min.insync.replicas=1 (at-least-once settings otherwise): an out-of-sync replica leads and acknowledged records are lost',
    async () => {
      const report = await runLab(['--preset', 'at-least-once', '--fault', 'unclean-election', '--min-insync-replicas', '1', '--records', '300']);
      expect(report.fault.uncleanElections.length, story(report)).toBeGreaterThan(0);
      expect(report.events.some((event) => event.type === 'unclean-election' && event.topic === report.topics.input)).toBe(true);
      expect(report.lostFromLog.length, story(report)).toBeGreaterThan(0);
      const acknowledged = new Set(report.acknowledgedIds);
      expect(report.lost.filter((id) => !acknowledged.has(id))).toEqual([]);
      expect(['at-most-once', 'none']).toContain(report.guarantee);
      expect(report.explanation).toMatch(/^unclean election \+ min\.insync\.replicas=1: \d+ acknowledged records? lost: broker \d, outside the ISR/);
    },
    LAB_RUN_TIMEOUT_MS,
  );
});
