/**
 * The exactly-once preset (idempotent transactional producer that aborts every 4th
 * transaction on purpose, read_committed consume-transform-produce) through `samsa lab
 * run`: under every fault, no loss, no duplicates, no aborted data seen. The same workload
 * read with read_uncommitted must show the aborted records, or the check proves nothing.
 */
import { describe, expect, it } from 'vitest';
import { LAB_RUN_TIMEOUT_MS, runLab, story } from '../../helpers/labRuns';

describe('samsa lab run --preset exactly-once', () => {
  it.each(['none', 'kill-consumer', 'kill-leader', 'restart-leader', 'isolate-follower', 'kill-coordinator'])(
    '%s: no loss, no duplicates, no aborted data seen',
    async (fault) => {
      const report = await runLab(['--preset', 'exactly-once', '--fault', fault, '--records', '300']);
      if (fault !== 'none') expect(report.fault.injected, story(report)).toBe(true);
      expect(report.transactions?.abortedOnPurpose, story(report)).toBeGreaterThan(0);
      expect(report.acknowledged, story(report)).toBe(300);
      expect(report.lost, story(report)).toEqual([]);
      expect(report.duplicates, story(report)).toEqual([]);
      expect(report.abortedSeen, story(report)).toEqual([]);
      expect(report.guarantee).toBe('exactly-once');
    },
    LAB_RUN_TIMEOUT_MS,
  );

  it(
    'a read_uncommitted consumer of the same transactional workload sees the aborted records',
    async () => {
      const report = await runLab(['--preset', 'exactly-once', '--commit', 'after-processing', '--isolation', 'read_uncommitted', '--records', '300']);
      expect(report.abortedSeen.length, story(report)).toBeGreaterThan(0);
      expect(report.lost).toEqual([]);
      expect(report.guarantee).toBe('at-least-once');
      expect(report.explanation).toMatch(/^read_uncommitted \+ transactions: \d+ records from aborted or unfinished transactions were delivered/);
    },
    LAB_RUN_TIMEOUT_MS,
  );
});
