import { ByteReader } from '../../src/protocol/primitives/byteReader';
import { ByteWriter } from '../../src/protocol/primitives/byteWriter';
import { decodeDescribeConfigsResponse, encodeDescribeConfigsResponse, type DescribeConfigsResponse } from '../../src/protocol/generated/describeConfigsResponse';
import { decodeListOffsetsRequest, encodeListOffsetsRequest, type ListOffsetsRequest } from '../../src/protocol/generated/listOffsetsRequest';
import { decodeListOffsetsResponse, encodeListOffsetsResponse, type ListOffsetsResponse } from '../../src/protocol/generated/listOffsetsResponse';
import { decodeMetadataResponse, encodeMetadataResponse, type MetadataResponse } from '../../src/protocol/generated/metadataResponse';
import { summarize } from './stats';

/**
 * `npx tsx test/bench/codecMicro.ts [rounds]`: the generated codecs alone, on the messages
 * an admin view of a large cluster is made of (the admin_scale scenario at a tenth of its
 * size: 1,000 topics of 10 partitions, 30 configs each). For each message, encoding and
 * decoding time (median over rounds, with the spread) next to a baseline from the same run:
 * V8's own JSON.stringify / JSON.parse of the same data, native code on text that needs no
 * validation of lengths. To compare two builds, run it in both working copies in turn.
 */
const rounds = Number(process.argv[2] ?? '15');
const TOPICS = 1_000;
const PARTITIONS = 10;
const CONFIG_NAMES = [
  'cleanup.policy', 'compression.type', 'delete.retention.ms', 'file.delete.delay.ms', 'flush.messages', 'flush.ms',
  'follower.replication.throttled.replicas', 'index.interval.bytes', 'leader.replication.throttled.replicas',
  'local.retention.bytes', 'local.retention.ms', 'max.compaction.lag.ms', 'max.message.bytes',
  'message.downconversion.enable', 'message.format.version', 'message.timestamp.after.max.ms',
  'message.timestamp.before.max.ms', 'message.timestamp.difference.max.ms', 'message.timestamp.type',
  'min.cleanable.dirty.ratio', 'min.compaction.lag.ms', 'min.insync.replicas', 'preallocate', 'remote.storage.enable',
  'retention.bytes', 'retention.ms', 'segment.bytes', 'segment.index.bytes', 'segment.jitter.ms', 'segment.ms',
];
const topicName = (index: number) => `scale-topic-${String(index).padStart(5, '0')}`;

const describeConfigs: DescribeConfigsResponse = {
  throttleTimeMs: 0,
  results: Array.from({ length: TOPICS }, (_, topic) => ({
    errorCode: 0,
    errorMessage: null,
    resourceType: 2,
    resourceName: topicName(topic),
    configs: CONFIG_NAMES.map((name, index) => ({
      name,
      value: index % 3 === 0 ? 'delete' : String(604_800_000 + index),
      readOnly: false,
      isDefault: false,
      configSource: 5,
      isSensitive: false,
      synonyms: [],
      configType: 5,
      documentation: null,
    })),
  })),
};

const listOffsetsResponse: ListOffsetsResponse = {
  throttleTimeMs: 0,
  topics: Array.from({ length: TOPICS }, (_, topic) => ({
    name: topicName(topic),
    partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
      partitionIndex: partition,
      errorCode: 0,
      oldStyleOffsets: [],
      timestamp: -1n,
      offset: BigInt(topic * 4 + partition),
      leaderEpoch: 3,
    })),
  })),
};

const listOffsetsRequest: ListOffsetsRequest = {
  replicaId: -1,
  isolationLevel: 0,
  timeoutMs: 0,
  topics: Array.from({ length: TOPICS }, (_, topic) => ({
    name: topicName(topic),
    partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -2n, maxNumOffsets: 1 })),
  })),
};

const metadata: MetadataResponse = {
  throttleTimeMs: 0,
  brokers: [1, 2, 3].map((nodeId) => ({ nodeId, host: '127.0.0.1', port: 9091 + nodeId, rack: null })),
  clusterId: 'samsa-bench-cluster',
  controllerId: 1,
  clusterAuthorizedOperations: -2147483648,
  topics: Array.from({ length: TOPICS }, (_, topic) => ({
    errorCode: 0,
    name: topicName(topic),
    topicId: Buffer.alloc(16, topic % 256).toString('base64url'),
    isInternal: false,
    topicAuthorizedOperations: -2147483648,
    partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({
      errorCode: 0,
      partitionIndex: partition,
      leaderId: (partition % 3) + 1,
      leaderEpoch: 0,
      replicaNodes: [(partition % 3) + 1],
      isrNodes: [(partition % 3) + 1],
      offlineReplicas: [],
    })),
  })),
};

interface Case<T> {
  name: string;
  message: T;
  version: number;
  encode: (writer: ByteWriter, message: T, version: number) => void;
  decode: (reader: ByteReader, version: number) => T;
}

const cases: Case<never>[] = [
  { name: 'DescribeConfigs response v4 (1,000 topics x 30 configs)', message: describeConfigs, version: 4, encode: encodeDescribeConfigsResponse, decode: decodeDescribeConfigsResponse },
  { name: 'ListOffsets response v8 (10,000 partitions)', message: listOffsetsResponse, version: 8, encode: encodeListOffsetsResponse, decode: decodeListOffsetsResponse },
  { name: 'ListOffsets request v8 (10,000 partitions)', message: listOffsetsRequest, version: 8, encode: encodeListOffsetsRequest, decode: decodeListOffsetsRequest },
  { name: 'Metadata response v12 (10,000 partitions)', message: metadata, version: 12, encode: encodeMetadataResponse, decode: decodeMetadataResponse },
] as unknown as Case<never>[];

const json = (value: unknown) => JSON.stringify(value, (_, field: unknown) => (typeof field === 'bigint' ? Number(field) : field));

function time(operation: () => unknown): number {
  const started = process.hrtime.bigint();
  operation();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const format = (ms: number[]) => {
  const summary = summarize(ms);
  return `${summary.median.toFixed(2)} ms (spread ${Math.round(summary.spread * 100)}%)`;
};

for (const entry of cases) {
  const encoded = (() => {
    const writer = new ByteWriter();
    entry.encode(writer, entry.message, entry.version);
    return writer.toBuffer();
  })();
  const text = json(entry.message);
  const samples = { encode: [] as number[], decode: [] as number[], stringify: [] as number[], parse: [] as number[] };
  for (let round = 0; round < rounds + 3; round++) {
    const encode = time(() => entry.encode(new ByteWriter(), entry.message, entry.version));
    const decode = time(() => entry.decode(new ByteReader(encoded), entry.version));
    const stringify = time(() => json(entry.message));
    const parse = time(() => JSON.parse(text));
    if (round < 3) continue; // warm-up: the JIT's first compilations
    samples.encode.push(encode);
    samples.decode.push(decode);
    samples.stringify.push(stringify);
    samples.parse.push(parse);
  }
  const ratio = (value: number[], baseline: number[]) => (summarize(value).median / summarize(baseline).median).toFixed(2);
  process.stdout.write(
    `${entry.name}, ${encoded.length} bytes\n` +
      `  decode ${format(samples.decode)}  JSON.parse ${format(samples.parse)}  ratio ${ratio(samples.decode, samples.parse)}\n` +
      `  encode ${format(samples.encode)}  JSON.stringify ${format(samples.stringify)}  ratio ${ratio(samples.encode, samples.stringify)}\n`,
  );
}
