/**
 * KafkaConnection against a small broker stand-in on 127.0.0.1, built from the same frame
 * layer the engine uses (FrameSplitter, decodeRequestFrame, encodeResponseFrame).
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { KafkaConnection, type KafkaConnectionOptions } from '../../../src/protocol/client/kafkaConnection';
import { isKafkaConnectionError, type ConnectionErrorKind } from '../../../src/protocol/client/connectionError';
import { ErrorCode } from '../../../src/protocol/errors';
import { FrameSplitter } from '../../../src/protocol/frameSplitter';
import { ApiKey, type ApiKeyValue, type ResponseByKey } from '../../../src/protocol/generated/apis';
import { defaultApiVersionsResponse } from '../../../src/protocol/generated/apiVersionsResponse';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultMetadataResponse } from '../../../src/protocol/generated/metadataResponse';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { decodeRequestFrame, encodeResponseFrame, type DecodedRequest } from '../../../src/protocol/requestFrame';

interface Exchange {
  request: DecodedRequest;
  socket: net.Socket;
  reply<K extends ApiKeyValue>(body: ResponseByKey[K], version?: number): void;
}

type Handler = (exchange: Exchange) => void;

interface TestServer {
  port: number;
  received: DecodedRequest[];
  close(): Promise<void>;
}

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startServer(handle: Handler): Promise<TestServer> {
  const received: DecodedRequest[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const splitter = new FrameSplitter();
    socket.on('data', (chunk) => {
      const { frames, error } = splitter.push(chunk);
      // As a broker does: a stream that is not Kafka framing gets its connection closed.
      if (error) socket.destroy();
      for (const frame of frames) {
        const result = decodeRequestFrame(frame);
        if (!result.ok) throw new Error(`test server could not decode: ${JSON.stringify(result.error)}`);
        const request = result.request;
        received.push(request);
        handle({
          request,
          socket,
          reply: (body, version = request.apiVersion) => {
            if (socket.destroyed) return;
            const chunks = encodeResponseFrame(request.apiKey, version, request.correlationId, body as never);
            socket.cork();
            for (const piece of chunks) socket.write(piece);
            socket.uncork();
          },
        });
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const close = async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  };
  cleanups.push(close);
  return { port, received, close };
}

async function connect(port: number, options: Partial<KafkaConnectionOptions> = {}): Promise<KafkaConnection> {
  const connection = new KafkaConnection({ host: '127.0.0.1', port, clientId: 'samsa-test', ...options });
  cleanups.push(() => connection.close());
  await connection.connect();
  return connection;
}

function metadataResponseNaming(topic: string): ResponseByKey[typeof ApiKey.Metadata] {
  return {
    ...defaultMetadataResponse(),
    topics: [
      {
        errorCode: 0,
        name: topic,
        topicId: Buffer.alloc(16).toString('base64url'),
        isInternal: false,
        partitions: [],
        topicAuthorizedOperations: -2147483648,
      },
    ],
  };
}

function metadataRequestFor(topic: string) {
  return { ...defaultMetadataRequest(), topics: [{ topicId: Buffer.alloc(16).toString('base64url'), name: topic }] };
}

/** Answers Metadata requests with a response naming the first requested topic. */
const echoMetadata: Handler = ({ request, reply }) => {
  if (request.apiKey === ApiKey.Metadata) reply(metadataResponseNaming(request.body.topics?.[0]?.name ?? ''));
};

async function expectConnectionError(promise: Promise<unknown>, kind: ConnectionErrorKind): Promise<void> {
  const error = await promise.then(
    () => new Error('expected a rejection'),
    (rejection: unknown) => rejection,
  );
  expect(isKafkaConnectionError(error) ? error.kind : error).toBe(kind);
}

describe('KafkaConnection', () => {
  it('pipelines requests and matches the in-order answers to them', async () => {
    const pending: Array<() => void> = [];
    // Hold every answer until all 20 requests have arrived: they were truly in flight together.
    const server = await startServer((exchange) => {
      pending.push(() => echoMetadata(exchange));
      if (pending.length === 20) for (const answer of pending.splice(0)) answer();
    });
    const connection = await connect(server.port);
    const topics = Array.from({ length: 20 }, (_, i) => `topic-${i}`);
    const responses = await Promise.all(
      topics.map((topic) => connection.send(ApiKey.Metadata, metadataRequestFor(topic), { version: 12 })),
    );
    expect(responses.map((response) => response.topics[0]?.name)).toEqual(topics);
    const ids = server.received.map((request) => request.correlationId);
    expect(ids).toEqual(ids.map((_, i) => ids[0]! + i)); // increasing correlation ids
    expect(server.received[0]?.clientId).toBe('samsa-test');
  });

  it('negotiates the highest common version per API and refuses APIs without one', async () => {
    const server = await startServer(({ request, reply }) => {
      if (request.apiKey !== ApiKey.ApiVersions) return;
      reply({
        ...defaultApiVersionsResponse(),
        apiKeys: [
          { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 },
          { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 7 },
          { apiKey: ApiKey.Produce, minVersion: 3, maxVersion: 40 },
          { apiKey: ApiKey.Fetch, minVersion: 50, maxVersion: 60 },
          { apiKey: 999, minVersion: 0, maxVersion: 1 },
        ],
      });
    });
    const connection = await connect(server.port, { softwareName: 'samsa-admin', softwareVersion: '1.2.3' });
    const versions = await connection.negotiate();
    expect(Object.fromEntries(versions)).toEqual({
      [ApiKey.ApiVersions]: 3,
      [ApiKey.Metadata]: 7,
      [ApiKey.Produce]: 11,
    });
    expect(connection.versionFor(ApiKey.Metadata)).toBe(7);
    expect(() => connection.versionFor(ApiKey.Fetch)).toThrow(expect.objectContaining({ kind: 'no-common-version' }));
    // We asked with our newest ApiVersions, which identifies the client software (KIP-511).
    const asked = server.received[0]!;
    if (asked.apiKey !== ApiKey.ApiVersions) throw new Error('expected ApiVersions first');
    expect(asked.apiVersion).toBe(4);
    expect(asked.body).toEqual({ clientSoftwareName: 'samsa-admin', clientSoftwareVersion: '1.2.3' });
  });

  it('retries ApiVersions within the range an older broker reports in its v0 answer (KIP-511)', async () => {
    const server = await startServer(({ request, reply }) => {
      if (request.apiKey !== ApiKey.ApiVersions) return;
      const apiKeys = [
        { apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 2 },
        { apiKey: ApiKey.Metadata, minVersion: 0, maxVersion: 5 },
      ];
      // An older broker: v3+ is unknown to it, so it answers in v0 layout with error 35.
      if (request.apiVersion > 2) reply({ ...defaultApiVersionsResponse(), errorCode: ErrorCode.UNSUPPORTED_VERSION, apiKeys }, 0);
      else reply({ ...defaultApiVersionsResponse(), apiKeys });
    });
    const connection = await connect(server.port);
    const versions = await connection.negotiate();
    expect(server.received.map((request) => request.apiVersion)).toEqual([4, 2]);
    expect(versions.get(ApiKey.Metadata)).toBe(5);
    // Later requests use the negotiated version by default.
    await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('x'), { timeoutMs: 100 }), 'timeout');
    expect(server.received.at(-1)).toMatchObject({ apiKey: ApiKey.Metadata, apiVersion: 5 });
  });

  it('times out a request the broker does not answer', async () => {
    const server = await startServer(() => undefined);
    const connection = await connect(server.port, { requestTimeoutMs: 150 });
    await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('t'), { version: 9 }), 'timeout');
  });

  it('consumes a late answer after a timeout so the requests behind it still match', async () => {
    // The first answer is slow; like a real broker, later answers wait their turn behind it.
    let answered = Promise.resolve();
    let first = true;
    const server = await startServer((exchange) => {
      const delay = first ? 300 : 0;
      first = false;
      answered = answered
        .then(() => new Promise((resolve) => setTimeout(resolve, delay)))
        .then(() => echoMetadata(exchange));
    });
    const connection = await connect(server.port);
    const slow = connection.send(ApiKey.Metadata, metadataRequestFor('slow'), { version: 9, timeoutMs: 100 });
    await expectConnectionError(slow, 'timeout');
    const next = await connection.send(ApiKey.Metadata, metadataRequestFor('next'), { version: 9 });
    expect(next.topics[0]?.name).toBe('next');
    expect(connection.isReady).toBe(true);
  });

  it('fails requests in flight when the broker closes mid-request, and refuses new ones', async () => {
    const server = await startServer(({ socket }) => socket.destroy());
    const connection = await connect(server.port);
    await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('t'), { version: 9 }), 'connection-closed');
    await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('t'), { version: 9 }), 'not-connected');
  });

  it('fails requests in flight when the client closes, and close() resolves', async () => {
    const server = await startServer(() => undefined);
    const connection = await connect(server.port);
    const pending = expectConnectionError(
      connection.send(ApiKey.Metadata, metadataRequestFor('t'), { version: 9 }),
      'connection-closed',
    );
    await connection.close();
    await pending;
    expect(connection.isReady).toBe(false);
  });

  it('treats an absurd response size as a protocol error', async () => {
    const server = await startServer(({ socket }) => socket.write(Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n')));
    const connection = await connect(server.port);
    await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('t'), { version: 9 }), 'protocol-error');
  });

  it('sends acks=0 produce without waiting for an answer that never comes', async () => {
    const server = await startServer(echoMetadata);
    const connection = await connect(server.port);
    await connection.sendWithoutResponse(ApiKey.Produce, { ...defaultProduceRequest(), acks: 0, topicData: [] }, { version: 7 });
    const response = await connection.send(ApiKey.Metadata, metadataRequestFor('after'), { version: 9 });
    expect(response.topics[0]?.name).toBe('after');
    expect(server.received.map((request) => request.apiKey)).toEqual([ApiKey.Produce, ApiKey.Metadata]);
  });

  it('runs the authenticate hook before connect() resolves, and only it may send meanwhile', async () => {
    const server = await startServer(echoMetadata);
    const connection = new KafkaConnection({
      host: '127.0.0.1',
      port: server.port,
      authenticate: async (channel) => {
        await expectConnectionError(connection.send(ApiKey.Metadata, metadataRequestFor('early'), { version: 9 }), 'not-connected');
        const answer = await channel.send(ApiKey.Metadata, metadataRequestFor('from-hook'), { version: 9 });
        expect(answer.topics[0]?.name).toBe('from-hook');
      },
    });
    cleanups.push(() => connection.close());
    await connection.connect();
    await connection.send(ApiKey.Metadata, metadataRequestFor('after'), { version: 9 });
    expect(server.received.map((r) => (r.apiKey === ApiKey.Metadata ? r.body.topics?.[0]?.name : null))).toEqual([
      'from-hook',
      'after',
    ]);
  });

  it('rejects connect() and closes when the authenticate hook fails', async () => {
    const server = await startServer(echoMetadata);
    const connection = new KafkaConnection({
      host: '127.0.0.1',
      port: server.port,
      authenticate: async () => {
        throw new Error('bad credentials');
      },
    });
    await expect(connection.connect()).rejects.toThrow('bad credentials');
    expect(connection.isReady).toBe(false);
    await connection.close();
  });

  it('reports connect-failed when nothing listens on the port', async () => {
    const server = await startServer(() => undefined);
    await server.close();
    const connection = new KafkaConnection({ host: '127.0.0.1', port: server.port });
    await expectConnectionError(connection.connect(), 'connect-failed');
  });

  it('reports connect-failed when the TLS handshake does not finish within the connect timeout', async () => {
    // A plain TCP listener that never answers the ClientHello.
    const silent = net.createServer((socket) => socket.on('error', () => undefined));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => new Promise((resolve) => silent.close(() => resolve())));
    silent.on('connection', (socket) => cleanups.push(async () => void socket.destroy()));
    const server = { port: (silent.address() as net.AddressInfo).port };
    const connection = new KafkaConnection({
      host: '127.0.0.1',
      port: server.port,
      tls: { rejectUnauthorized: false },
      connectTimeoutMs: 200,
    });
    await expectConnectionError(connection.connect(), 'connect-failed');
  });
});
