/**
 * `samsa lab run --control URL` on a running `samsa cluster`: the lab drives the cluster
 * through its control API (faults, event stream), leaves every broker running and healthy,
 * and deletes its topics afterwards.
 */
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { LAB_RUN_TIMEOUT_MS, runLab, story } from '../../helpers/labRuns';

let cluster: EmbeddedCluster;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({
    brokers: 3,
    extraArgs: ['--replica-lag-time-max-ms', '3000', '--broker-session-timeout-ms', '3000', '--group-initial-rebalance-delay-ms', '0'],
  });
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await cluster?.stop();
});

describe('samsa lab run --control', () => {
  it(
    'restart-leader on a running cluster: no loss, the broker is back, the lab topics are gone',
    async () => {
      const report = await runLab(['--preset', 'at-least-once', '--fault', 'restart-leader', '--records', '200', '--control', cluster.controlUrl]);
      expect(report.fault.steps.map((step) => step.action), story(report)).toEqual([expect.stringMatching(/^stop broker \d/), expect.stringMatching(/^start broker \d again$/)]);
      expect(report.events.some((event) => event.type === 'leader-change' && event.topic === report.topics.input)).toBe(true);
      expect(report.lost, story(report)).toEqual([]);
      expect((await cluster.brokers()).map((broker) => broker.state)).toEqual(['running', 'running', 'running']);
      const kafka = new Kafka({ clientId: 'samsa-it-lab', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      try {
        expect((await admin.listTopics()).filter((topic) => topic.startsWith('samsa-lab-'))).toEqual([]);
      } finally {
        await admin.disconnect();
      }
    },
    LAB_RUN_TIMEOUT_MS,
  );
});
