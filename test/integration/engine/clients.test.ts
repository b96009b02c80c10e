/**
 * Real Kafka clients (kcat/librdkafka, kafkajs, kafka-python, confluent-kafka) against the
 * embedded cluster, each writing what another reads: a feature is done when every client
 * that supports it works. Consumers use partition assignment, not groups.
 */
import { readFileSync } from 'node:fs';
import { ConfigResourceTypes, Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compressionOf, readBatchHeader, splitBatches, type CompressionCodec } from '../../../src/protocol/records/batchHeader';
import { ErrorCode } from '../../../src/protocol/errors';
import { printClusterLogsOnFailure, segmentFiles, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatLeaderOf, kcatProduce, runPython } from '../../helpers/externalClients';

let cluster: EmbeddedCluster;
let kafka: Kafka;
let admin: Admin;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 2 });
  kafka = new Kafka({ clientId: 'samsa-it-clients', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
  admin = kafka.admin();
  await admin.connect();
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function createTopic(topic: string, numPartitions: number, configEntries: { name: string; value: string }[] = []): Promise<void> {
  const created = await admin.createTopics({ topics: [{ topic, numPartitions, configEntries }], waitForLeaders: true });
  expect(created, `topic ${topic} was created`).toBe(true);
}

/** A value that every codec shrinks, so librdkafka keeps the compressed batch. */
const compressible = (label: string) => `${label}-${'abcdefgh'.repeat(40)}`;

describe('kcat (librdkafka) with every compression codec', () => {
  const CODECS: CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];
  const PER_CODEC = 4;

  it('reads back keyed records produced with acks=all in every codec, and the log stores each batch compressed with its producer codec', async () => {
    const topic = 'kcat-codecs';
    await createTopic(topic, 1);
    const produced = CODECS.flatMap((codec) =>
      Array.from({ length: PER_CODEC }, (_, i) => ({ codec, key: `key-${codec}-${i}`, value: compressible(`${codec}-${i}`) })),
    );
    for (const codec of CODECS) {
      await kcatProduce(
        cluster.bootstrap,
        topic,
        produced.filter((record) => record.codec === codec),
        ['-z', codec, '-X', 'acks=all'],
      );
    }

    const consumed = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(consumed.map(({ key, value }) => ({ key, value }))).toEqual(produced.map(({ key, value }) => ({ key, value })));
    expect(consumed.map((line) => line.offset)).toEqual(produced.map((_, index) => index));
    expect(consumed.every((line) => line.partition === 0)).toBe(true);

    // Records of codec i sit at offsets [i * PER_CODEC, (i + 1) * PER_CODEC): every stored
    // batch must lie in one such range and carry that codec in its attributes.
    const leader = await kcatLeaderOf(cluster.bootstrap, topic, 0);
    const stored: { firstOffset: number; lastOffset: number; codec: CompressionCodec }[] = [];
    for (const file of segmentFiles(cluster.partitionDir(leader, topic, 0))) {
      const { batches, partialTailBytes } = splitBatches(readFileSync(file));
      expect(partialTailBytes, `${file} ends with a partial batch`).toBe(0);
      for (const batch of batches) {
        const header = readBatchHeader(batch);
        stored.push({
          firstOffset: Number(header.baseOffset),
          lastOffset: Number(header.baseOffset) + header.lastOffsetDelta,
          codec: compressionOf(header.attributes),
        });
      }
    }
    expect(stored.reduce((sum, batch) => sum + batch.lastOffset - batch.firstOffset + 1, 0)).toBe(produced.length);
    // librdkafka silently sends a codec uncompressed when it decides the broker lacks it, so
    // a mismatch here usually means an ApiVersions range that disabled the codec's feature.
    const expected = stored.map((batch) => ({ ...batch, codec: CODECS[Math.floor(batch.firstOffset / PER_CODEC)] }));
    expect(stored, 'codec of each stored batch (offset range -> codec)').toEqual(expected);
    expect(stored.every((batch) => Math.floor(batch.lastOffset / PER_CODEC) === Math.floor(batch.firstOffset / PER_CODEC))).toBe(true);
    expect(new Set(stored.map((batch) => batch.codec))).toEqual(new Set(CODECS));
  });
});

const KAFKA_PYTHON_READ_ALL = `
import json, sys, time
from kafka import KafkaConsumer, TopicPartition
params = json.load(sys.stdin)
consumer = KafkaConsumer(bootstrap_servers=params['bootstrap'].split(','), group_id=None,
                         enable_auto_commit=False, request_timeout_ms=15000)
partitions = [TopicPartition(params['topic'], p) for p in range(params['partitions'])]
consumer.assign(partitions)
consumer.seek_to_beginning(*partitions)
end = consumer.end_offsets(partitions)
records = []
deadline = time.time() + 20
while time.time() < deadline and any(consumer.position(tp) < end[tp] for tp in partitions):
    for tp, messages in consumer.poll(timeout_ms=500).items():
        for m in messages:
            records.append({'partition': m.partition, 'offset': m.offset, 'timestamp': m.timestamp,
                            'key': None if m.key is None else m.key.decode(),
                            'value': None if m.value is None else m.value.decode(),
                            'headers': [[k, v.decode()] for k, v in (m.headers or [])]})
consumer.close()
print(json.dumps(records))
`;

const CONFLUENT_READ_ALL = `
import json, sys, time
from confluent_kafka import Consumer, TopicPartition, OFFSET_BEGINNING
params = json.load(sys.stdin)
# group.id is mandatory for this client; with assign() and no commits no group is joined.
consumer = Consumer({'bootstrap.servers': params['bootstrap'], 'group.id': 'samsa-it-unused',
                     'enable.auto.commit': False, 'enable.partition.eof': True})
consumer.assign([TopicPartition(params['topic'], p, OFFSET_BEGINNING) for p in range(params['partitions'])])
records, at_end = [], set()
deadline = time.time() + 20
while time.time() < deadline and len(at_end) < params['partitions']:
    m = consumer.poll(0.5)
    if m is None:
        continue
    if m.error():
        if m.error().code() == -191:  # _PARTITION_EOF
            at_end.add(m.partition())
            continue
        raise SystemExit('consumer error: %s' % m.error())
    records.append({'partition': m.partition(), 'offset': m.offset(), 'key': m.key().decode(), 'value': m.value().decode()})
consumer.close()
print(json.dumps(records))
`;

interface PythonRecord {
  partition: number;
  offset: number;
  timestamp?: number;
  key: string | null;
  value: string | null;
  headers?: [string, string][];
}

describe('kafkajs producer, kafka-python consumer', () => {
  it('delivers keys, values, headers and explicit timestamps per partition in order with an idempotent acks=-1 producer', async () => {
    const topic = 'kafkajs-to-kafka-python';
    await createTopic(topic, 3);
    const baseTimestamp = Date.now() - 60_000;
    const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false });
    await producer.connect();
    const expected: PythonRecord[] = [];
    try {
      for (let partition = 0; partition < 3; partition++) {
        const messages = Array.from({ length: 8 }, (_, i) => ({
          partition,
          key: `key-${partition}-${i}`,
          value: `value-${partition}-${i}`,
          headers: { trace: `trace-${partition}-${i}`, seq: String(i) },
          timestamp: String(baseTimestamp + partition * 1_000 + i),
        }));
        // Two sends per partition, so sequences continue across requests.
        await producer.send({ topic, acks: -1, messages: messages.slice(0, 5) });
        await producer.send({ topic, acks: -1, messages: messages.slice(5) });
        messages.forEach((message, offset) =>
          expected.push({
            partition,
            offset,
            timestamp: Number(message.timestamp),
            key: message.key,
            value: message.value,
            headers: [
              ['trace', message.headers.trace],
              ['seq', message.headers.seq],
            ],
          }),
        );
      }
    } finally {
      await producer.disconnect();
    }

    const records = await runPython<PythonRecord[]>('kafka-python read-all', KAFKA_PYTHON_READ_ALL, {
      bootstrap: cluster.bootstrap,
      topic,
      partitions: 3,
    });
    const byPartitionAndOffset = (a: PythonRecord, b: PythonRecord) => a.partition - b.partition || a.offset - b.offset;
    expect([...records].sort(byPartitionAndOffset)).toEqual(expected);
    for (let partition = 0; partition < 3; partition++) {
      const offsets = records.filter((record) => record.partition === partition).map((record) => record.offset);
      expect(offsets, `partition ${partition} arrives in offset order`).toEqual([...offsets].sort((a, b) => a - b));
    }
  });
});

describe('confluent-kafka idempotent producer', () => {
  it('writes exactly N records with enable.idempotence and acks=all, and kcat reads each once', async () => {
    const topic = 'confluent-idempotent';
    await createTopic(topic, 2);
    const count = 300;
    const delivered = await runPython<{ delivered: number; errors: string[] }>(
      'confluent-kafka idempotent produce',
      `
import json, sys
from confluent_kafka import Producer
params = json.load(sys.stdin)
producer = Producer({'bootstrap.servers': params['bootstrap'], 'enable.idempotence': True, 'acks': 'all',
                     'linger.ms': 5})
result = {'delivered': 0, 'errors': []}
def on_delivery(error, message):
    if error is None:
        result['delivered'] += 1
    else:
        result['errors'].append(str(error))
for i in range(params['count']):
    producer.produce(params['topic'], key=('key-%d' % i).encode(), value=('value-%d' % i).encode(),
                     partition=i % 2, on_delivery=on_delivery)
    producer.poll(0)
remaining = producer.flush(20)
if remaining:
    result['errors'].append('%d messages not delivered' % remaining)
print(json.dumps(result))
`,
      { bootstrap: cluster.bootstrap, topic, count },
    );
    expect(delivered).toEqual({ delivered: count, errors: [] });

    const consumed = await kcatConsumeAll(cluster.bootstrap, topic);
    expect(consumed).toHaveLength(count);
    expect(new Set(consumed.map((line) => line.value)).size).toBe(count);
    expect(new Set(consumed.map((line) => line.value))).toEqual(new Set(Array.from({ length: count }, (_, i) => `value-${i}`)));
    for (const partition of [0, 1]) {
      const lines = consumed.filter((line) => line.partition === partition);
      expect(lines.map((line) => line.offset)).toEqual(lines.map((_, index) => index));
      // One producer, one partition: the log keeps the producer's order.
      const sent = lines.map((line) => Number(line.value.slice('value-'.length)));
      expect(sent).toEqual([...sent].sort((a, b) => a - b));
    }
  });
});

describe('kafka-python producer, confluent-kafka consumer', () => {
  it("reads back gzip-compressed records sent with acks='all'", async () => {
    const topic = 'kafka-python-gzip';
    await createTopic(topic, 1);
    const count = 50;
    const sent = await runPython<{ offsets: number[] }>(
      'kafka-python gzip produce',
      `
import json, sys
from kafka import KafkaProducer
params = json.load(sys.stdin)
producer = KafkaProducer(bootstrap_servers=params['bootstrap'].split(','), acks='all',
                         compression_type='gzip', linger_ms=20, request_timeout_ms=15000)
futures = [producer.send(params['topic'], key=('key-%d' % i).encode(), value=(params['prefix'] + str(i)).encode(),
                         partition=0) for i in range(params['count'])]
offsets = [f.get(timeout=20).offset for f in futures]
producer.close(10)
print(json.dumps({'offsets': offsets}))
`,
      { bootstrap: cluster.bootstrap, topic, count, prefix: compressible('gz') },
    );
    expect(sent.offsets).toEqual(Array.from({ length: count }, (_, i) => i));

    const records = await runPython<PythonRecord[]>('confluent-kafka read-all', CONFLUENT_READ_ALL, {
      bootstrap: cluster.bootstrap,
      topic,
      partitions: 1,
    });
    expect(records).toEqual(
      Array.from({ length: count }, (_, i) => ({ partition: 0, offset: i, key: `key-${i}`, value: `${compressible('gz')}${i}` })),
    );
    // kafka-python batches by linger: at least one stored batch must really be gzip.
    const leader = await kcatLeaderOf(cluster.bootstrap, topic, 0);
    const codecs = segmentFiles(cluster.partitionDir(leader, topic, 0)).flatMap((file) =>
      splitBatches(readFileSync(file)).batches.map((batch) => compressionOf(readBatchHeader(batch).attributes)),
    );
    expect(new Set(codecs)).toEqual(new Set(['gzip']));
  });
});

describe('seek by timestamp', () => {
  it('finds the first offset whose timestamp is at or after the target, in kafkajs and confluent-kafka alike', async () => {
    const topic = 'timestamps';
    await createTopic(topic, 1);
    const base = Date.now() - 3_600_000;
    const producer = kafka.producer({ allowAutoTopicCreation: false });
    await producer.connect();
    try {
      // One record per request, so each target falls between batches as well as inside them.
      for (let i = 0; i < 10; i++) {
        await producer.send({ topic, acks: -1, messages: [{ partition: 0, value: `at-${i}`, timestamp: String(base + i * 1_000) }] });
      }
    } finally {
      await producer.disconnect();
    }

    const targets = [
      { timestamp: base - 1, offset: 0 },
      { timestamp: base + 3_000, offset: 3 },
      { timestamp: base + 3_500, offset: 4 },
      { timestamp: base + 9_000, offset: 9 },
    ];
    for (const target of targets) {
      const offsets = await admin.fetchTopicOffsetsByTimestamp(topic, target.timestamp);
      expect(offsets, `kafkajs at ${target.timestamp - base}`).toEqual([{ partition: 0, offset: String(target.offset) }]);
    }
    const confluent = await runPython<number[]>(
      'confluent-kafka offsets_for_times',
      `
import json, sys
from confluent_kafka import Consumer, TopicPartition
params = json.load(sys.stdin)
consumer = Consumer({'bootstrap.servers': params['bootstrap'], 'group.id': 'samsa-it-unused'})
found = [consumer.offsets_for_times([TopicPartition(params['topic'], 0, t)], 15)[0].offset for t in params['timestamps']]
consumer.close()
print(json.dumps(found))
`,
      { bootstrap: cluster.bootstrap, topic, timestamps: [...targets.map((target) => target.timestamp), base + 60_000] },
    );
    // After the last record there is no such offset: Kafka answers -1 (librdkafka's OFFSET_END).
    expect(confluent).toEqual([...targets.map((target) => target.offset), -1]);
  });
});

describe('topic administration through kafkajs', () => {
  const configOf = async (topic: string, name: string) => {
    const described = await admin.describeConfigs({
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configNames: [name] }],
      includeSynonyms: false,
    });
    return described.resources[0]?.configEntries.find((entry) => entry.configName === name);
  };

  it('describes several topics in one request, each with its own overrides and the keys asked for it', async () => {
    await createTopic('configs-plain-a', 1, []);
    await createTopic('configs-plain-b', 1, []);
    await createTopic('configs-plain-c', 1, []);
    await createTopic('configs-override', 1, [{ name: 'retention.ms', value: '3600000' }]);
    const described = await admin.describeConfigs({
      resources: [
        { type: ConfigResourceTypes.TOPIC, name: 'configs-plain-a' },
        { type: ConfigResourceTypes.TOPIC, name: 'configs-override' },
        { type: ConfigResourceTypes.TOPIC, name: 'configs-plain-b', configNames: ['retention.ms', 'cleanup.policy'] },
        { type: ConfigResourceTypes.TOPIC, name: 'configs-plain-c' },
      ],
      includeSynonyms: false,
    });
    const entries = (name: string) => {
      const resource = described.resources.find((entry) => entry.resourceName === name)!;
      expect(resource.errorCode).toBe(0);
      return new Map(resource.configEntries.map((entry) => [entry.configName, entry]));
    };
    const plainA = entries('configs-plain-a');
    const override = entries('configs-override');
    expect(plainA.get('retention.ms')).toMatchObject({ configValue: '604800000', configSource: 5, isDefault: true });
    expect(override.get('retention.ms')).toMatchObject({ configValue: '3600000', configSource: 1, isDefault: false });
    expect(override.get('cleanup.policy')).toMatchObject({ configValue: 'delete', configSource: 5 });
    expect([...entries('configs-plain-b').keys()].sort()).toEqual(['cleanup.policy', 'retention.ms']);
    expect([...entries('configs-plain-c').keys()].sort()).toEqual([...plainA.keys()].sort());
    expect(override.size).toBe(plainA.size);
  });

  it('creates a topic with a config override, describes, alters, grows and deletes it', async () => {
    const topic = 'admin-lifecycle';
    await createTopic(topic, 1, [{ name: 'retention.ms', value: '3600000' }]);

    // DescribeConfigs v1+ source 1 is TOPIC_CONFIG: the value is this topic's own override.
    expect(await configOf(topic, 'retention.ms')).toMatchObject({ configValue: '3600000', configSource: 1, isDefault: false });
    expect(await configOf(topic, 'cleanup.policy')).toMatchObject({ configValue: 'delete', isDefault: true });

    await admin.alterConfigs({
      validateOnly: false,
      resources: [{ type: ConfigResourceTypes.TOPIC, name: topic, configEntries: [{ name: 'retention.ms', value: '7200000' }] }],
    });
    expect(await configOf(topic, 'retention.ms')).toMatchObject({ configValue: '7200000', configSource: 1 });

    await admin.createPartitions({ topicPartitions: [{ topic, count: 3 }] });
    const grown = await waitFor('three partitions with leaders', async () => {
      const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
      const partitions = metadata.topics[0]?.partitions ?? [];
      return partitions.length === 3 && partitions.every((partition) => partition.leader >= 0) ? partitions : undefined;
    });
    expect(grown.map((partition) => partition.partitionId).sort()).toEqual([0, 1, 2]);

    await admin.deleteTopics({ topics: [topic], timeout: 10_000 });
    await waitFor('the topic to disappear', async () => ((await admin.listTopics()).includes(topic) ? undefined : true));
  });

  it('refuses a topic with an invalid config value with INVALID_CONFIG and creates nothing', async () => {
    const topic = 'admin-bad-config';
    const error = await admin
      .createTopics({ topics: [{ topic, numPartitions: 1, configEntries: [{ name: 'retention.ms', value: 'abc' }] }] })
      .then(
        () => undefined,
        (rejection: unknown) => rejection as { name: string; errors?: { type: string; code: number; message: string }[] },
      );
    expect(error, 'createTopics must fail').toBeDefined();
    const failures = error!.errors ?? [];
    // kafkajs shows its own text for the code, not the broker's message (badInput checks that).
    expect(failures.map((failure) => [failure.code, failure.type])).toEqual([[ErrorCode.INVALID_CONFIG, 'INVALID_CONFIG']]);
    expect(await admin.listTopics()).not.toContain(topic);
  });
});
