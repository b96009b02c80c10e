import { ApiKey } from '../../src/protocol/generated/apis';
import type { FetchRequest } from '../../src/protocol/generated/fetchRequest';
import { defaultFetchResponse, defaultFetchResponsePartitionData } from '../../src/protocol/generated/fetchResponse';
import type { ListOffsetsRequest } from '../../src/protocol/generated/listOffsetsRequest';
import { defaultListOffsetsResponse, defaultListOffsetsResponseListOffsetsPartitionResponse } from '../../src/protocol/generated/listOffsetsResponse';
import { BATCH_HEADER_SIZE, BATCH_LENGTH_OVERHEAD } from '../../src/protocol/records/batchHeader';
import { defineHandler, type AnyApiHandler } from '../../src/engine/broker/apiHandler';
import { apiVersionsHandler } from '../../src/engine/broker/handlers/apiVersions';
import { RequestPipeline } from '../../src/engine/broker/requestPipeline';
import { SocketServer } from '../../src/engine/broker/socketServer';
import { createLogger } from '../../src/logging/logger';
import { benchMetadataHandler, nullProduceHandler } from './nullBroker';

interface StoredBatch {
  baseOffset: number;
  /** One past the batch's last offset. */
  nextOffset: number;
  position: number;
  size: number;
}

/** Batch boundaries of a partition's log bytes (segment files concatenated), from the batch headers. */
function indexBatches(log: Buffer): StoredBatch[] {
  const batches: StoredBatch[] = [];
  for (let position = 0; position + BATCH_HEADER_SIZE <= log.length; ) {
    const size = log.readInt32BE(position + 8) + BATCH_LENGTH_OVERHEAD;
    const baseOffset = Number(log.readBigInt64BE(position));
    batches.push({ baseOffset, nextOffset: baseOffset + log.readInt32BE(position + 23) + 1, position, size });
    position += size;
  }
  return batches;
}

/**
 * The consume baseline for the client: a broker built from the same protocol and network
 * layers as the engine that serves one partition's batches from memory (no log, no files,
 * no partition state), answering Fetch as the engine does (whole batches up to the
 * partition's max bytes, at least one, long poll at the end). kcat's rate against it is what
 * the client manages when the broker costs next to nothing; the engine's rate divided by it
 * is the engine's share of a consume.
 */
export async function startMemoryBroker(topic: string, log: Buffer): Promise<{ port: number; close: () => Promise<void> }> {
  const batches = indexBatches(log);
  const endOffset = batches.at(-1)?.nextOffset ?? 0;
  const timers = new Set<NodeJS.Timeout>();
  /** Index of the batch holding `offset` (binary search), or batches.length at the end. */
  const batchIndexFor = (offset: number): number => {
    let low = 0;
    let high = batches.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (batches[middle]!.nextOffset <= offset) low = middle + 1;
      else high = middle;
    }
    return low;
  };
  const read = (offset: number, maxBytes: number): Buffer => {
    const first = batchIndexFor(offset);
    if (first >= batches.length) return Buffer.alloc(0);
    const start = batches[first]!.position;
    let end = start + batches[first]!.size;
    for (let i = first + 1; i < batches.length && batches[i]!.position + batches[i]!.size - start <= maxBytes; i++) end = batches[i]!.position + batches[i]!.size;
    return log.subarray(start, end);
  };
  let port = 0;
  const handlers: AnyApiHandler[] = [
    apiVersionsHandler(() => pipeline.supportedApis()),
    benchMetadataHandler('memory-broker', 1, () => port),
    // Never used here, but librdkafka takes the v2 record format only from a broker that also serves Produce v3+.
    nullProduceHandler(),
    defineHandler({
      apiKey: ApiKey.ListOffsets,
      minVersion: 1,
      maxVersion: 8,
      handle: (request: ListOffsetsRequest) => ({
        ...defaultListOffsetsResponse(),
        topics: request.topics.map((wanted) => ({
          name: wanted.name,
          partitions: wanted.partitions.map((partition) => ({
            ...defaultListOffsetsResponseListOffsetsPartitionResponse(),
            partitionIndex: partition.partitionIndex,
            // -2 is the earliest offset; anything else gets the end.
            offset: BigInt(partition.timestamp === -2n ? 0 : endOffset),
          })),
        })),
      }),
      errorResponse: () => defaultListOffsetsResponse(),
    }),
    defineHandler({
      apiKey: ApiKey.Fetch,
      minVersion: 4,
      maxVersion: 12,
      handle: async (request: FetchRequest) => {
        const atEnd = request.topics.every((t) => t.topic !== topic || t.partitions.every((p) => Number(p.fetchOffset) >= endOffset));
        if (atEnd && request.maxWaitMs > 0) {
          // Nothing is ever appended: a long poll at the end just waits out max.wait.ms, as the engine's does.
          await new Promise<void>((resolve) => {
            const timer = setTimeout(() => {
              timers.delete(timer);
              resolve();
            }, request.maxWaitMs);
            timers.add(timer);
          });
        }
        return {
          ...defaultFetchResponse(),
          responses: request.topics.map((wanted) => ({
            topic: wanted.topic,
            topicId: wanted.topicId,
            partitions: wanted.partitions.map((partition) => ({
              ...defaultFetchResponsePartitionData(),
              partitionIndex: partition.partition,
              highWatermark: BigInt(endOffset),
              lastStableOffset: BigInt(endOffset),
              logStartOffset: 0n,
              records: wanted.topic === topic && partition.partition === 0 ? read(Number(partition.fetchOffset), partition.partitionMaxBytes) : Buffer.alloc(0),
            })),
          })),
        };
      },
      errorResponse: (_request: FetchRequest, errorCode: number) => ({ ...defaultFetchResponse(), errorCode }),
    }),
  ];
  const pipeline = new RequestPipeline(handlers, createLogger('memory-broker'));
  const server = new SocketServer({ host: '127.0.0.1', port: 0, maxFrameBytes: 104_857_600 }, pipeline, createLogger('memory-broker'));
  port = await server.listen();
  return {
    port,
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      await server.close();
    },
  };
}
