/**
 * Hostile and wrong requests against a running broker, over raw sockets and our own
 * KafkaConnection: each gets the answer Kafka gives (an error code in the right place) or,
 * where no answer is possible, its own connection closed; never a crash. After every case a
 * well-behaved client still works and the broker process is the same, still alive.
 */
import net from 'node:net';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client/kafkaConnection';
import { decodeResponseFrame, encodeRequestFrame } from '../../../src/protocol/client/frames';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey, type ResponseByKey } from '../../../src/protocol/generated/apis';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../../src/protocol/generated/createTopicsRequest';
import { defaultFetchRequest } from '../../../src/protocol/generated/fetchRequest';
import { defaultInitProducerIdRequest } from '../../../src/protocol/generated/initProducerIdRequest';
import { defaultListOffsetsRequest } from '../../../src/protocol/generated/listOffsetsRequest';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { isProcessAlive, printClusterLogsOnFailure, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat } from '../../helpers/externalClients';

const TOPIC = 'bad-input';
/** ListOffsets timestamp -1: the log end offset. */
const LATEST = -1n;

let cluster: EmbeddedCluster;
let brokerPid: number;
let host: string;
let port: number;
let admin: Admin;
const connections: KafkaConnection[] = [];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 1 });
  const [address] = cluster.brokerAddresses;
  [host, port] = [address!.split(':')[0]!, Number(address!.split(':')[1])];
  brokerPid = (await cluster.brokers())[0]!.pid!;
  admin = new Kafka({ clientId: 'samsa-it-bad-input', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING }).admin();
  await admin.connect();
  expect(await admin.createTopics({ topics: [{ topic: TOPIC, numPartitions: 1 }], waitForLeaders: true })).toBe(true);
});

afterEach(async () => {
  for (const connection of connections.splice(0)) await connection.close();
  // The bad client must not have hurt anyone else.
  const [broker] = await cluster.brokers();
  expect(broker).toMatchObject({ state: 'running', pid: brokerPid });
  expect(isProcessAlive(brokerPid)).toBe(true);
  expect(await admin.listTopics()).toContain(TOPIC);
  const metadata = expectSuccess('kcat -L', await kcat(cluster.bootstrap, ['-L', '-J', '-t', TOPIC]));
  expect(JSON.parse(metadata.stdout).topics[0].partitions).toHaveLength(1);
});

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await admin?.disconnect().catch(() => undefined);
  await cluster?.stop();
});

async function connect(): Promise<KafkaConnection> {
  const connection = new KafkaConnection({ host, port, clientId: 'samsa-it-raw', requestTimeoutMs: 10_000 });
  connections.push(connection);
  await connection.connect();
  await connection.negotiate();
  return connection;
}

interface RawOutcome {
  /** The broker closed the connection (FIN or reset) within the wait. */
  closed: boolean;
  received: Buffer;
  bytesWritten: number;
}

/**
 * Opens a raw TCP connection, writes `bytes` (then keeps writing `thenStream` chunks while
 * the connection stays open, up to a bound), and reports whether the broker closed it
 * within `waitMs` (or before `untilFrames` response frames arrived).
 */
function rawExchange(
  bytes: Buffer,
  options: { waitMs?: number; halfClose?: boolean; untilFrames?: number; thenStream?: { chunk: Buffer; maxChunks: number } } = {},
): Promise<RawOutcome> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    const received: Buffer[] = [];
    let bytesWritten = 0;
    let settled = false;
    const finish = (closed: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve({ closed, received: Buffer.concat(received), bytesWritten });
    };
    const timer = setTimeout(() => finish(false), options.waitMs ?? 3_000);
    socket.on('data', (chunk: Buffer) => {
      received.push(chunk);
      if (options.untilFrames !== undefined && responseFrames(Buffer.concat(received)).length >= options.untilFrames) finish(false);
    });
    socket.on('end', () => finish(true));
    socket.on('close', () => finish(true));
    // A reset after the broker closes is the expected outcome, not a failure.
    socket.on('error', (error: NodeJS.ErrnoException) => (error.code === 'ECONNREFUSED' ? reject(error) : finish(true)));
    socket.once('connect', () => {
      socket.write(bytes, () => {
        bytesWritten += bytes.length;
      });
      if (options.halfClose) socket.end();
      const stream = options.thenStream;
      if (!stream) return;
      let sent = 0;
      const writeMore = () => {
        while (sent < stream.maxChunks && !settled && !socket.destroyed) {
          sent++;
          bytesWritten += stream.chunk.length;
          if (!socket.write(stream.chunk)) {
            socket.once('drain', writeMore);
            return;
          }
        }
      };
      writeMore();
    });
  });
}

/** Reads whole response frames (size-prefixed) from a buffer. */
function responseFrames(buffer: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let offset = 0;
  while (offset + 4 <= buffer.length) {
    const size = buffer.readInt32BE(offset);
    if (offset + 4 + size > buffer.length) break;
    frames.push(buffer.subarray(offset + 4, offset + 4 + size));
    offset += 4 + size;
  }
  return frames;
}

function frameOf(payload: Buffer): Buffer {
  const size = Buffer.alloc(4);
  size.writeInt32BE(payload.length);
  return Buffer.concat([size, payload]);
}

const recordBatch = (values: string[], idempotence?: { producerId: bigint; producerEpoch: number; baseSequence: number }) =>
  encodeRecordBatch({ records: values.map((value) => ({ key: null, value: Buffer.from(value) })), ...idempotence });

function produceRequest(records: Buffer, options: { partition?: number; acks?: number } = {}) {
  return {
    ...defaultProduceRequest(),
    acks: options.acks ?? -1,
    timeoutMs: 5_000,
    topicData: [{ name: TOPIC, partitionData: [{ index: options.partition ?? 0, records }] }],
  };
}

function partitionResponse(response: ResponseByKey[typeof ApiKey.Produce]) {
  const partition = response.responses[0]?.partitionResponses[0];
  if (!partition) throw new Error(`no partition in ${JSON.stringify(response, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`);
  return partition;
}

async function logEndOffset(connection: KafkaConnection): Promise<bigint> {
  const response = await connection.send(ApiKey.ListOffsets, {
    ...defaultListOffsetsRequest(),
    replicaId: -1,
    topics: [{ name: TOPIC, partitions: [{ partitionIndex: 0, currentLeaderEpoch: -1, timestamp: LATEST, maxNumOffsets: 1 }] }],
  });
  const partition = response.topics[0]!.partitions[0]!;
  expect(partition.errorCode).toBe(ErrorCode.NONE);
  return partition.offset;
}

describe('bytes that are not Kafka requests', () => {
  it('closes a connection that sends HTTP instead of Kafka framing', async () => {
    const outcome = await rawExchange(Buffer.from('GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toHaveLength(0);
  });

  it('closes a connection whose frame holds random bytes (no such API)', async () => {
    const outcome = await rawExchange(frameOf(Buffer.alloc(32, 0xff)));
    expect(outcome).toMatchObject({ closed: true });
    expect(outcome.received).toHaveLength(0);
  });

  it('answers the requests sent before a frame with no such API, in order, then closes the connection', async () => {
    // All three in one write, so the answers and the close happen in one turn of the broker's loop.
    const answered = encodeRequestFrame(ApiKey.ApiVersions, 0, 41, 'pipeline', { clientSoftwareName: '', clientSoftwareVersion: '' });
    const metadata = encodeRequestFrame(ApiKey.Metadata, 1, 42, 'pipeline', { ...defaultMetadataRequest(), topics: null });
    const outcome = await rawExchange(Buffer.concat([...answered, ...metadata, frameOf(Buffer.alloc(32, 0xff))]));
    expect(outcome.closed).toBe(true);
    const frames = responseFrames(outcome.received);
    expect(frames.map((frame) => frame.readInt32BE(0))).toEqual([41, 42]);
    const versions = decodeResponseFrame(ApiKey.ApiVersions, 0, frames[0]!);
    expect(versions.ok && versions.body.errorCode).toBe(ErrorCode.NONE);
  });

  it('answers the request sent before a negative frame size, then closes the connection', async () => {
    const answered = encodeRequestFrame(ApiKey.ApiVersions, 0, 43, 'pipeline', { clientSoftwareName: '', clientSoftwareVersion: '' });
    const outcome = await rawExchange(Buffer.concat([...answered, Buffer.from([0xff, 0xff, 0xff, 0xfe])]));
    expect(outcome.closed).toBe(true);
    expect(responseFrames(outcome.received).map((frame) => frame.readInt32BE(0))).toEqual([43]);
  });

  it('closes a connection whose frame ends inside the request header', async () => {
    // apiKey Metadata, version 1, then two bytes of a four-byte correlation id.
    const outcome = await rawExchange(frameOf(Buffer.from([0, 3, 0, 1, 0, 0])));
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toHaveLength(0);
  });

  it('closes a connection that hangs up in the middle of a frame', async () => {
    const partial = Buffer.alloc(24);
    partial.writeInt32BE(100, 0);
    const outcome = await rawExchange(partial, { halfClose: true });
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toHaveLength(0);
  });

  it('closes a connection announcing a 200 MB frame at once, without reading the rest', async () => {
    const size = Buffer.alloc(4);
    size.writeInt32BE(200 * 1024 * 1024);
    // Keep streaming the announced body in 1 MB chunks: the broker must hang up long before
    // 200 MB arrive instead of buffering them (socket.request.max.bytes is 100 MB).
    const outcome = await rawExchange(size, { waitMs: 10_000, thenStream: { chunk: Buffer.alloc(1024 * 1024, 1), maxChunks: 200 } });
    expect(outcome.closed).toBe(true);
    expect(outcome.bytesWritten).toBeLessThan(100 * 1024 * 1024);
  });
});

describe('versions the broker does not serve', () => {
  it('answers ApiVersions v99 in v0 format with UNSUPPORTED_VERSION and its own ApiVersions range (KIP-511)', async () => {
    // What a client newer than the broker sends: request header v2 (client id, empty tagged
    // fields), then a body the broker cannot know; it must read only the header.
    const clientId = Buffer.from('future-client');
    const header = Buffer.alloc(2 + 2 + 4 + 2);
    header.writeInt16BE(ApiKey.ApiVersions, 0);
    header.writeInt16BE(99, 2);
    header.writeInt32BE(4242, 4);
    header.writeInt16BE(clientId.length, 8);
    const body = Buffer.from([0, 2, 0x78, 3, 0x31, 0x2e, 0, 0]);
    const outcome = await rawExchange(frameOf(Buffer.concat([header, clientId, Buffer.from([0]), body])), { untilFrames: 1 });
    expect(outcome.closed, 'the broker kept the connection open for the retry').toBe(false);
    const [frame] = responseFrames(outcome.received);
    expect(frame, 'a response frame').toBeDefined();
    const decoded = decodeResponseFrame(ApiKey.ApiVersions, 0, frame!);
    if (!decoded.ok) throw new Error(`undecodable v0 ApiVersions response: ${JSON.stringify(decoded.error)}`);
    expect(decoded.correlationId).toBe(4242);
    expect(decoded.body.errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(decoded.body.apiKeys).toContainEqual({ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 });
  });

  it('answers Produce v2 with UNSUPPORTED_VERSION for every partition, as Kafka 4 does', async () => {
    const connection = await connect();
    const before = await logEndOffset(connection);
    const response = await connection.send(ApiKey.Produce, produceRequest(await recordBatch(['old-client'])), { version: 2 });
    expect(partitionResponse(response).errorCode).toBe(ErrorCode.UNSUPPORTED_VERSION);
    expect(await logEndOffset(connection)).toBe(before);
  });
});

describe('produce requests the broker must refuse', () => {
  it('answers UNKNOWN_TOPIC_OR_PARTITION for a partition index the topic does not have', async () => {
    const connection = await connect();
    const response = await connection.send(ApiKey.Produce, produceRequest(await recordBatch(['nowhere']), { partition: 7 }));
    expect(response.responses[0]?.partitionResponses[0]).toMatchObject({ index: 7, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION });
  });

  it('answers INVALID_REQUIRED_ACKS for acks=5 and appends nothing', async () => {
    const connection = await connect();
    const before = await logEndOffset(connection);
    const response = await connection.send(ApiKey.Produce, produceRequest(await recordBatch(['acks-5']), { acks: 5 }));
    expect(partitionResponse(response).errorCode).toBe(ErrorCode.INVALID_REQUIRED_ACKS);
    expect(await logEndOffset(connection)).toBe(before);
  });

  it('answers CORRUPT_MESSAGE for a batch whose CRC does not match and appends nothing', async () => {
    const connection = await connect();
    const before = await logEndOffset(connection);
    const batch = await recordBatch(['flipped']);
    batch[batch.length - 1]! ^= 0xff;
    const response = await connection.send(ApiKey.Produce, produceRequest(batch));
    expect(partitionResponse(response).errorCode).toBe(ErrorCode.CORRUPT_MESSAGE);
    expect(await logEndOffset(connection)).toBe(before);
    // The connection stays usable: a good batch right after is appended at the same offset.
    const good = await connection.send(ApiKey.Produce, produceRequest(await recordBatch(['fine'])));
    expect(partitionResponse(good)).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: before });
  });
});

describe('idempotent producer rules (KIP-98)', () => {
  it('de-duplicates a retried batch, and refuses a sequence gap and an older epoch', async () => {
    const connection = await connect();
    const init = await connection.send(ApiKey.InitProducerId, { ...defaultInitProducerIdRequest(), transactionalId: null, transactionTimeoutMs: -1, producerId: -1n, producerEpoch: -1 });
    expect(init.errorCode).toBe(ErrorCode.NONE);
    expect(init.producerEpoch).toBe(0);
    const producerId = init.producerId;
    const send = async (producerEpoch: number, baseSequence: number, values: string[]) =>
      partitionResponse(await connection.send(ApiKey.Produce, produceRequest(await recordBatch(values, { producerId, producerEpoch, baseSequence }))));

    const first = await send(0, 0, ['a', 'b', 'c']);
    expect(first.errorCode).toBe(ErrorCode.NONE);
    const endAfterFirst = await logEndOffset(connection);
    expect(endAfterFirst).toBe(first.baseOffset + 3n);

    // The same batch again (a retry after a lost response): success, same offset, no append.
    const retry = await send(0, 0, ['a', 'b', 'c']);
    expect(retry).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: first.baseOffset });
    expect(await logEndOffset(connection)).toBe(endAfterFirst);

    // Sequence 5 while 3 is expected.
    expect((await send(0, 5, ['gap'])).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    expect(await logEndOffset(connection)).toBe(endAfterFirst);

    // A higher epoch starts over at sequence 0 (a bumped epoch with another sequence is refused).
    expect((await send(1, 3, ['bumped-wrong'])).errorCode).toBe(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER);
    const bumped = await send(1, 0, ['bumped']);
    expect(bumped).toMatchObject({ errorCode: ErrorCode.NONE, baseOffset: endAfterFirst });

    // The fenced epoch may not write any more.
    expect((await send(0, 3, ['zombie'])).errorCode).toBe(ErrorCode.INVALID_PRODUCER_EPOCH);
    expect(await logEndOffset(connection)).toBe(endAfterFirst + 1n);
  });
});

describe('CreateTopics refusals', () => {
  it('answers each bad topic with its own error code and a message, and creates none of them', async () => {
    const connection = await connect();
    const topic = (name: string, replicationFactor: number, configs: { name: string; value: string }[] = []) => ({
      ...defaultCreateTopicsRequestCreatableTopic(),
      name,
      numPartitions: 1,
      replicationFactor,
      configs,
    });
    const response = await connection.send(ApiKey.CreateTopics, {
      ...defaultCreateTopicsRequest(),
      timeoutMs: 5_000,
      topics: [
        topic('bad/name', 1),
        topic('too-many-replicas', 3),
        topic('bad-config', 1, [{ name: 'retention.ms', value: 'abc' }]),
      ],
    });
    const results = Object.fromEntries(response.topics.map((result) => [result.name, result]));
    expect(results['bad/name']?.errorCode).toBe(ErrorCode.INVALID_TOPIC_EXCEPTION);
    expect(results['bad/name']?.errorMessage).toMatch(/bad\/name/);
    expect(results['too-many-replicas']?.errorCode).toBe(ErrorCode.INVALID_REPLICATION_FACTOR);
    expect(results['too-many-replicas']?.errorMessage).toMatch(/replication factor/i);
    expect(results['bad-config']?.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(results['bad-config']?.errorMessage).toMatch(/retention\.ms/);

    const metadata = await connection.send(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: null, allowAutoTopicCreation: false });
    const names = metadata.topics.map((entry) => entry.name);
    expect(names).toContain(TOPIC);
    expect(names.filter((name) => name !== TOPIC)).toEqual([]);
  });
});

describe('pipelining', () => {
  it('answers many requests sent back to back on one connection in the order they were sent', async () => {
    const connection = await connect();
    const versions = connection.versions!;
    const batch = await recordBatch(['pipelined']);
    const requests = Array.from({ length: 60 }, (_, i) => {
      const correlationId = 1_000 + i;
      switch (i % 4) {
        case 0:
          // A fetch at the log end that waits up to 300 ms for data: the fast requests
          // behind it must still be answered after it.
          return encodeRequestFrame(ApiKey.Fetch, versions.get(ApiKey.Fetch)!, correlationId, 'pipeline', {
            ...defaultFetchRequest(),
            replicaId: -1,
            maxWaitMs: i === 0 ? 300 : 0,
            minBytes: 1024 * 1024,
            maxBytes: 1024 * 1024,
            topics: [{ topic: TOPIC, topicId: 'AAAAAAAAAAAAAAAAAAAAAA', partitions: [{ partition: 0, currentLeaderEpoch: -1, fetchOffset: 1_000_000n, lastFetchedEpoch: -1, logStartOffset: -1n, partitionMaxBytes: 1024 * 1024, replicaDirectoryId: 'AAAAAAAAAAAAAAAAAAAAAA' }] }],
          });
        case 1:
          return encodeRequestFrame(ApiKey.ApiVersions, 0, correlationId, 'pipeline', { clientSoftwareName: '', clientSoftwareVersion: '' });
        case 2:
          return encodeRequestFrame(ApiKey.Metadata, versions.get(ApiKey.Metadata)!, correlationId, 'pipeline', { ...defaultMetadataRequest(), topics: null });
        default:
          return encodeRequestFrame(ApiKey.Produce, versions.get(ApiKey.Produce)!, correlationId, 'pipeline', produceRequest(batch, { acks: 1 }));
      }
    });
    const expectedIds = requests.map((_, i) => 1_000 + i);
    const wire = Buffer.concat(requests.flat());

    const received = await new Promise<Buffer[]>((resolve, reject) => {
      const socket = net.connect({ host, port });
      const chunks: Buffer[] = [];
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`only ${responseFrames(Buffer.concat(chunks)).length} of ${requests.length} answers within 10 s`));
      }, 10_000);
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        const frames = responseFrames(Buffer.concat(chunks));
        if (frames.length >= requests.length) {
          clearTimeout(timer);
          socket.destroy();
          resolve(frames);
        }
      });
      socket.on('error', reject);
      socket.once('connect', () => socket.write(wire));
    });
    // Every response header starts with the correlation id.
    expect(received.map((frame) => frame.readInt32BE(0))).toEqual(expectedIds);
  });
});
