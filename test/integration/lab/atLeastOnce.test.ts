/**
 * The at-least-once preset (acks=all with retries, min.insync.replicas=2, offsets committed
 * after processing) through `samsa lab run`: whatever the fault, no acknowledged record may
 * be lost; killing the consumer mid-batch must repeat the part it had processed.
 */
import { describe, expect, it } from 'vitest';
import { LAB_RUN_TIMEOUT_MS, runLab, story } from '../../helpers/labRuns';

describe('samsa lab run --preset at-least-once', () => {
  it(
    'kill-consumer: nothing lost, the processed part of the killed batch is processed again',
    async () => {
      const report = await runLab(['--preset', 'at-least-once', '--fault', 'kill-consumer', '--records', '300']);
      expect(report.fault.injected, story(report)).toBe(true);
      expect(report.lost, story(report)).toEqual([]);
      expect(report.processedDuplicates.length, story(report)).toBeGreaterThan(0);
      expect(report.guarantee).toBe('at-least-once');
      expect(report.explanation).toMatch(/^commit after processing \+ kill-consumer: \d+ records? processed twice/);
    },
    LAB_RUN_TIMEOUT_MS,
  );

  // restart-leader runs in controlApi.test.ts, on a cluster the lab did not start.
  it.each(['kill-leader', 'isolate-follower', 'kill-coordinator'])(
    '%s: no acknowledged record is lost',
    async (fault) => {
      const report = await runLab(['--preset', 'at-least-once', '--fault', fault, '--records', '300']);
      expect(report.fault.injected, story(report)).toBe(true);
      expect(report.acknowledged, story(report)).toBe(300);
      expect(report.lost, story(report)).toEqual([]);
      expect(['at-least-once', 'exactly-once']).toContain(report.guarantee);
    },
    LAB_RUN_TIMEOUT_MS,
  );
});
