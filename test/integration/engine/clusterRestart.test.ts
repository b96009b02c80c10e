import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll } from '../../helpers/externalClients';

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
});
