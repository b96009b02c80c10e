import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll } from '../../helpers/externalClients';
import { samsaCli } from '../../helpers/samsaCli';

let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);
const dataDir = mkdtempSync(join(tmpdir(), 'samsa-restart-'));

describe('restarting the whole cluster on the same data dir', () => {
  afterAll(async () => {
    await cluster?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('recovers topics, configs, records and committed group offsets after SIGTERM', async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 3, dataDir, extraArgs: ['--group-initial-rebalance-delay-ms', '0'] });
    const connect = () => new Kafka({ brokers: cluster!.bootstrap.split(','), clientId: 'restart-test', logLevel: logLevel.NOTHING });
    let kafka = connect();
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'durable', numPartitions: 3, replicationFactor: 3, configEntries: [{ name: 'retention.ms', value: '123456789' }] }] });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'durable', acks: -1, messages: Array.from({ length: 30 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })) });
    await producer.disconnect();
    await admin.setOffsets({ groupId: 'durable-group', topic: 'durable', partitions: [{ partition: 0, offset: '4' }] });
    await admin.disconnect();

    await cluster.stop();
    cluster = await startEmbeddedCluster({ brokers: 3, dataDir });
    kafka = connect();
    const after = kafka.admin();
    await after.connect();
    const metadata = (await after.fetchTopicMetadata({ topics: ['durable'] })).topics[0]!;
    expect(metadata.partitions).toHaveLength(3);
    for (const partition of metadata.partitions) expect(partition.replicas).toHaveLength(3);
    const configs = await after.describeConfigs({ resources: [{ type: 2, name: 'durable', configNames: ['retention.ms'] }], includeSynonyms: false });
    expect(configs.resources[0]!.configEntries[0]!.configValue).toBe('123456789');
    const offsets = await after.fetchOffsets({ groupId: 'durable-group', topics: ['durable'] });
    expect(offsets[0]!.partitions.find((p) => p.partition === 0)!.offset).toBe('4');
    await after.disconnect();
    const records = await kcatConsumeAll(cluster.bootstrap, 'durable');
    expect(records.map((r) => r.value).sort()).toEqual(Array.from({ length: 30 }, (_, i) => `v${i}`).sort());
  });

  it('stops cleanly: no log is opened again while the brokers stop, and the next start re-validates none', async () => {
    requireDistBuild();
    const stopDir = mkdtempSync(join(tmpdir(), 'samsa-clean-stop-'));
    const level = process.env.SAMSA_LOG_LEVEL;
    // The cluster the test before restarted: only the current one is stopped after the tests.
    await cluster?.stop();
    // Debug logs name every log opened without its clean-shutdown marker.
    process.env.SAMSA_LOG_LEVEL = 'debug';
    try {
      cluster = await startEmbeddedCluster({ brokers: 3, dataDir: stopDir });
      const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'clean-stop-test', logLevel: logLevel.NOTHING });
      const admin = kafka.admin();
      await admin.connect();
      await admin.createTopics({ waitForLeaders: true, topics: [{ topic: 'clean-stop', numPartitions: 6, replicationFactor: 3 }] });
      await admin.disconnect();
      const producer = kafka.producer();
      await producer.connect();
      for (let partition = 0; partition < 6; partition++) await producer.send({ topic: 'clean-stop', acks: -1, messages: [{ partition, value: `p${partition}` }] });
      await producer.disconnect();
      // Each broker's stop moves leaders and ISRs; the others must not reopen their closed logs.
      await cluster.stop();
      expect(cluster.stderr()).toContain('broker 3 stopped');
      expect(cluster.stderr()).not.toMatch(/opened clean-stop-\d without a clean-shutdown marker/);
      cluster = await startEmbeddedCluster({ brokers: 3, dataDir: stopDir });
      const records = await kcatConsumeAll(cluster.bootstrap, 'clean-stop');
      expect(records.map((r) => r.value).sort()).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5']);
      expect(cluster.stderr()).not.toMatch(/without a clean-shutdown marker/);
    } finally {
      if (level === undefined) delete process.env.SAMSA_LOG_LEVEL;
      else process.env.SAMSA_LOG_LEVEL = level;
      await cluster?.stop();
      cluster = undefined;
      rmSync(stopDir, { recursive: true, force: true });
    }
  }, 90_000);

  it('starts from a compacted metadata log, and a broker that was down while a topic was deleted removes its stray replicas', async () => {
    requireDistBuild();
    await cluster?.stop();
    const historyDir = mkdtempSync(join(tmpdir(), 'samsa-restart-history-'));
    try {
      cluster = await startEmbeddedCluster({ brokers: 3, dataDir: historyDir });
      const connect = () => new Kafka({ brokers: cluster!.bootstrap.split(','), clientId: 'compaction-test', logLevel: logLevel.NOTHING });
      const admin = connect().admin();
      await admin.connect();
      // Enough partition records that the log is mostly history once 'gone' is deleted.
      await admin.createTopics({ topics: [{ topic: 'kept', numPartitions: 2, replicationFactor: 3 }], waitForLeaders: true });
      const producer = connect().producer();
      await producer.connect();
      await producer.send({ topic: 'kept', acks: -1, messages: Array.from({ length: 10 }, (_, i) => ({ value: `kept-${i}` })) });
      await producer.disconnect();
      await admin.createTopics({ topics: [{ topic: 'gone', numPartitions: 1200, replicationFactor: 1 }], waitForLeaders: false });
      const brokerDir = (id: number) => dirname(cluster!.partitionDir(id, 'kept', 0));
      const goneDirs = (id: number) => readdirSync(brokerDir(id)).filter((name) => /^gone-\d+$/.test(name));
      await waitFor('broker 3 to create its replicas of the new topic', () => (goneDirs(3).length === 400 ? true : undefined), 60_000, 200);
      await admin.disconnect();
      await cluster.brokerAction(3, 'stop');
      // Deleted with samsa while a third of it is offline (its only replica is down), which
      // kafkajs's own deleteTopics refuses: it reads all metadata first and stops at the error.
      const cli = samsaCli();
      try {
        const deleted = await cli.run(['topics', 'delete', '--bootstrap-server', cluster.bootstrap, '--topic', 'gone']);
        expect(deleted, deleted.stderr).toMatchObject({ exitCode: 0 });
      } finally {
        cli.cleanUp();
      }
      expect(goneDirs(1)).toEqual([]);
      expect(goneDirs(3).length).toBeGreaterThan(300); // down: it could not hear about the deletion
      await cluster.stop();
      const recordsBefore = readFileSync(join(historyDir, 'controller', 'metadata.log'), 'utf8').trim().split('\n').length;

      cluster = await startEmbeddedCluster({ brokers: 3, dataDir: historyDir });
      expect(cluster.stderr()).toMatch(new RegExp(`metadata log compacted: ${recordsBefore} records replaced by a snapshot of \\d+`));
      const recordsAfter = readFileSync(join(historyDir, 'controller', 'metadata.log'), 'utf8').trim().split('\n').length;
      expect(recordsAfter).toBeLessThan(recordsBefore / 10);
      await waitFor('broker 3 to remove its replicas of the deleted topic', () => (goneDirs(3).length === 0 ? true : undefined), 60_000, 200);
      expect(cluster.stderr()).toMatch(/removed stray replica directory gone-\d+/);
      const kept = await kcatConsumeAll(cluster.bootstrap, 'kept');
      expect(kept.map((r) => r.value).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `kept-${i}`).sort());
      const after = connect().admin();
      await after.connect();
      expect((await after.listTopics()).filter((name) => !name.startsWith('__'))).toEqual(['kept']);
      await after.disconnect();
    } finally {
      await cluster?.stop();
      cluster = undefined;
      rmSync(historyDir, { recursive: true, force: true });
    }
  }, 180_000);
});
