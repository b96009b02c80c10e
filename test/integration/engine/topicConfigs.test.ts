import fs from 'node:fs';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { compressionOf, readBatchHeader, splitBatches } from '../../../src/protocol/records/batchHeader';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { printClusterLogsOnFailure, requireDistBuild, segmentFiles, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatProduce } from '../../helpers/externalClients';

let cluster: EmbeddedCluster | undefined;
const current = () => cluster!;
printClusterLogsOnFailure(() => cluster);

function storedCodecs(topic: string): string[] {
  const dir = current().partitionDir(1, topic, 0);
  return segmentFiles(dir).flatMap((file) => splitBatches(fs.readFileSync(file)).batches.map((b) => compressionOf(readBatchHeader(b).attributes)));
}

async function connect(): Promise<KafkaConnection> {
  const [host, port] = current().brokerAddresses[0]!.split(':');
  const connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'topic-configs-test', requestTimeoutMs: 5000 });
  await connection.connect();
  await connection.negotiate();
  return connection;
}

describe('topic configs the broker acts on', () => {
  let kafka: Kafka;

  beforeAll(async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 1 });
    kafka = new Kafka({ brokers: current().bootstrap.split(','), clientId: 'topic-configs', logLevel: logLevel.NOTHING });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('recompresses batches to the topic compression.type and keeps them readable', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'zstd-topic', configEntries: [{ name: 'compression.type', value: 'zstd' }] }] });
    await admin.disconnect();
    // Long, repetitive values: librdkafka sends a batch uncompressed when compression would
    // not shrink it, which would make the producer-codec topic below store 'none'.
    const records = Array.from({ length: 20 }, (_, i) => ({ key: `k${i}`, value: `value-${i}-${'y'.repeat(300)}` }));
    await kcatProduce(current().bootstrap, 'zstd-topic', records, ['-z', 'gzip']);
    await kcatProduce(current().bootstrap, 'plain-topic', records, ['-z', 'gzip']);
    expect(new Set(storedCodecs('zstd-topic'))).toEqual(new Set(['zstd']));
    expect(new Set(storedCodecs('plain-topic'))).toEqual(new Set(['gzip']));
    const consumed = await kcatConsumeAll(current().bootstrap, 'zstd-topic');
    expect(consumed.map((line) => `${line.key}=${line.value}`)).toEqual(records.map((r) => `${r.key}=${r.value}`));
    expect(consumed.map((line) => line.offset)).toEqual(records.map((_, i) => i));
  });

  it('closes the connection when an acks=0 produce fails, and keeps it when it succeeds', async () => {
    const connection = await connect();
    const records = await encodeRecordBatch({ records: [{ value: Buffer.from('fire and forget') }] });
    await connection.sendWithoutResponse(ApiKey.Produce, { ...defaultProduceRequest(), acks: 0, timeoutMs: 1000, topicData: [{ name: 'plain-topic', partitionData: [{ index: 0, records }] }] });
    const metadata = await connection.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
    expect(metadata.topics.map((t) => t.name)).toContain('plain-topic');
    await waitFor('the acks=0 record to be appended', async () => ((await kcatConsumeAll(current().bootstrap, 'plain-topic')).length === 21 ? true : undefined));

    await connection.sendWithoutResponse(ApiKey.Produce, { ...defaultProduceRequest(), acks: 0, timeoutMs: 1000, topicData: [{ name: 'plain-topic', partitionData: [{ index: 7, records }] }] });
    await expect(
      connection.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }),
    ).rejects.toThrow(/closed/);
    await connection.close();
  });

  it('applies a segment.bytes change to the open log: later appends roll new segments', async () => {
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'rolling' }] });
    const producer = kafka.producer();
    await producer.connect();
    const batch = () => Array.from({ length: 10 }, () => ({ value: 'x'.repeat(1000) }));
    await producer.send({ topic: 'rolling', messages: batch() });
    expect(segmentFiles(current().partitionDir(1, 'rolling', 0))).toHaveLength(1);
    await admin.alterConfigs({ validateOnly: false, resources: [{ type: 2, name: 'rolling', configEntries: [{ name: 'segment.bytes', value: '4096' }] }] });
    for (let i = 0; i < 5; i++) await producer.send({ topic: 'rolling', messages: batch() });
    expect(segmentFiles(current().partitionDir(1, 'rolling', 0)).length).toBeGreaterThanOrEqual(5);
    const offsets = await admin.fetchTopicOffsets('rolling');
    expect(offsets[0]?.high).toBe('60');
    await producer.disconnect();
    await admin.disconnect();
  });
});
