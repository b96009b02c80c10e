import { ApiKey } from '../../src/protocol/generated/apis';
import type { MetadataRequest } from '../../src/protocol/generated/metadataRequest';
import { defaultMetadataResponse } from '../../src/protocol/generated/metadataResponse';
import { defaultFetchResponse } from '../../src/protocol/generated/fetchResponse';
import type { ProduceRequest } from '../../src/protocol/generated/produceRequest';
import { defaultProduceResponse, defaultProduceResponsePartitionProduceResponse } from '../../src/protocol/generated/produceResponse';
import { readBatchHeader } from '../../src/protocol/records/batchHeader';
import { NO_RESPONSE, defineHandler, type AnyApiHandler } from '../../src/engine/broker/apiHandler';
import { apiVersionsHandler } from '../../src/engine/broker/handlers/apiVersions';
import { RequestPipeline } from '../../src/engine/broker/requestPipeline';
import { SocketServer } from '../../src/engine/broker/socketServer';
import { createLogger } from '../../src/logging/logger';

/**
 * The benchmark baseline: a broker built from the same protocol and network layers as the
 * engine that acknowledges every Produce without validating or storing anything. The engine's
 * produce throughput divided by this one's is the cost of the engine itself (validation,
 * producer state, the log), with the client and the wire protocol factored out.
 */
export async function startNullBroker(partitions: number): Promise<{ port: number; close: () => Promise<void> }> {
  let port = 0;
  const handlers: AnyApiHandler[] = [
    // Called per request, after `pipeline` below exists.
    apiVersionsHandler(() => pipeline.supportedApis()),
    benchMetadataHandler('null-broker', partitions, () => port),
    nullProduceHandler(),
    // librdkafka picks the record format from the advertised versions: without Fetch v4+ it
    // assumes an old broker and falls back to magic-0 message sets. Fetches get nothing.
    defineHandler({
      apiKey: ApiKey.Fetch,
      minVersion: 4,
      maxVersion: 12,
      handle: () => defaultFetchResponse(),
      errorResponse: () => defaultFetchResponse(),
    }),
  ];
  const pipeline = new RequestPipeline(handlers, createLogger('null-broker'));
  const server = new SocketServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 104_857_600 }, pipeline, createLogger('null-broker'));
  port = await server.listen();
  return { port, close: () => server.close() };
}

/** Metadata for bench brokers that are not a cluster: every topic asked for exists, led by node 1, with `partitions` partitions. */
export function benchMetadataHandler(clusterId: string, partitions: number, port: () => number): AnyApiHandler {
return defineHandler({
    apiKey: ApiKey.Metadata,
    minVersion: 0,
    maxVersion: 12,
    handle: (request: MetadataRequest) => ({
      ...defaultMetadataResponse(),
      brokers: [{ nodeId: 1, host: '127.0.0.1', port: port(), rack: null }],
      clusterId,
      controllerId: 1,
      topics: (request.topics ?? []).map((topic) => ({
        errorCode: 0,
        name: topic.name,
        topicId: 'AAAAAAAAAAAAAAAAAAAAAA',
        isInternal: false,
        topicAuthorizedOperations: -2147483648,
        partitions: Array.from({ length: partitions }, (_, i) => ({
          errorCode: 0,
          partitionIndex: i,
          leaderId: 1,
          leaderEpoch: 0,
          replicaNodes: [1],
          isrNodes: [1],
          offlineReplicas: [],
        })),
      })),
    }),
    errorResponse: () => defaultMetadataResponse(),
  });
}

/** Acknowledges every Produce with consecutive offsets per partition, storing nothing. */
export function nullProduceHandler(): AnyApiHandler {
  const offsets = new Map<string, bigint>();
return defineHandler({
    apiKey: ApiKey.Produce,
    // Same advertised range as the engine, so librdkafka negotiates identically.
    minVersion: 0,
    maxVersion: 9,
    rejectedVersions: { min: 0, max: 2 },
    handle: (request: ProduceRequest) => {
      const responses = request.topicData.map((topic) => ({
        name: topic.name,
        partitionResponses: topic.partitionData.map((data) => {
          const key = `${topic.name}-${data.index}`;
          const base = offsets.get(key) ?? 0n;
          const count = data.records === null ? 0 : readBatchHeader(data.records).recordCount;
          offsets.set(key, base + BigInt(count));
          return { ...defaultProduceResponsePartitionProduceResponse(), index: data.index, baseOffset: base };
        }),
      }));
      return request.acks === 0 ? NO_RESPONSE : { ...defaultProduceResponse(), responses };
    },
    errorResponse: () => defaultProduceResponse(),
  });
}
