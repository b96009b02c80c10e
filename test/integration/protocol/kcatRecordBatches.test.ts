import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { COMPRESSION_CODECS, compressionOf, splitBatches, type CompressionCodec } from '../../../src/protocol/records/batchHeader';
import { decodeRecordBatch, encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { printClusterLogsOnFailure, requireDistBuild, segmentFiles, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatProduce } from '../../helpers/externalClients';

// Record batches across implementations: what librdkafka (kcat) writes with every codec is
// decoded by our codec with verified CRCs, and what our codec writes is read back by kcat.
let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);

const KCAT_CODEC_FLAG: Record<CompressionCodec, string> = { none: 'none', gzip: 'gzip', snappy: 'snappy', lz4: 'lz4', zstd: 'zstd' };

describe('record batches between kcat and our codec', () => {
  beforeAll(async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 1 });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(COMPRESSION_CODECS)('decodes and CRC-checks the batches kcat writes with %s', async (codec) => {
    const topic = `from-kcat-${codec}`;
    // Long, repetitive values: librdkafka sends a batch uncompressed when compressing would not
    // shrink it, which a lone short record (the first batch, sometimes) would trigger.
    const records = Array.from({ length: 50 }, (_, i) => ({ key: `key-${i}`, value: `${codec}-value-${i}-${'z'.repeat(200 + i * 7)}` }));
    await kcatProduce(cluster!.bootstrap, topic, records, ['-z', KCAT_CODEC_FLAG[codec]]);
    const decoded = [];
    for (const file of segmentFiles(cluster!.partitionDir(1, topic, 0))) {
      for (const batch of splitBatches(fs.readFileSync(file)).batches) {
        const result = await decodeRecordBatch(batch, { verifyCrc: true });
        expect(compressionOf(result.header.attributes)).toBe(codec);
        decoded.push(...result.records.map((r) => ({ key: r.key?.toString(), value: r.value?.toString() })));
      }
    }
    expect(decoded).toEqual(records);
  });

  it.each(COMPRESSION_CODECS)('writes %s batches that kcat reads back', async (codec) => {
    const topic = `to-kcat-${codec}`;
    const [host, port] = cluster!.brokerAddresses[0]!.split(':');
    const connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'batch-interop', requestTimeoutMs: 5000 });
    await connection.connect();
    await connection.negotiate();
    try {
      const values = Array.from({ length: 40 }, (_, i) => `ours-${codec}-${i}`);
      const records = await encodeRecordBatch({
        compression: codec,
        records: values.map((value, i) => ({ key: Buffer.from(`k${i}`), value: Buffer.from(value), headers: [{ key: 'origin', value: Buffer.from('samsa') }] })),
      });
      // Like a client: Metadata auto-creates the topic, then the produce goes to its leader.
      await connection.send(ApiKey.Metadata, { topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: topic }], allowAutoTopicCreation: true, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false });
      const response = await connection.send(ApiKey.Produce, { ...defaultProduceRequest(), acks: -1, timeoutMs: 5000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] });
      expect(response.responses[0]?.partitionResponses[0]?.errorCode).toBe(0);
      const consumed = await kcatConsumeAll(cluster!.bootstrap, topic);
      expect(consumed.map((line) => line.value)).toEqual(values);
      expect(consumed.map((line) => line.key)).toEqual(values.map((_, i) => `k${i}`));
    } finally {
      await connection.close();
    }
  });
});
