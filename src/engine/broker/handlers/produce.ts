// Produce (API 0). v3+ carries exactly one magic-2 batch per partition. Like Kafka 4 we
// advertise from v0, because librdkafka only enables compression when Produce's minimum is
// 0, and answer v0-2 with UNSUPPORTED_VERSION. acks=0 gets no response at all; acks=1 is
// answered after the leader's append; acks=-1 after the high watermark passes the batch,
// refusing up front (NOT_ENOUGH_REPLICAS) when the ISR is below min.insync.replicas. An
// acks=0 request that fails closes the connection, Kafka's only way to tell such a producer.
// A topic whose compression.type is not `producer` gets its batches recompressed to that
// codec: the one case where, as in Kafka, the write path decompresses.
import { ErrorCode, KafkaError, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { ProduceRequest } from '../../../protocol/generated/produceRequest';
import {
  defaultProduceResponse,
  defaultProduceResponsePartitionProduceResponse,
  type ProduceResponse,
} from '../../../protocol/generated/produceResponse';
import { compressionOf, readBatchHeader, splitBatches, type CompressionCodec } from '../../../protocol/records/batchHeader';
import { decodeRecordBatch, encodeRecordBatch, recordOffset, recordTimestamp } from '../../../protocol/records/recordBatch';
import type { Partition } from '../../partition/partition';
import { CLOSE_CONNECTION, NO_RESPONSE, defineHandler } from '../apiHandler';
import { INTERNAL_TOPICS, type BrokerServices } from '../brokerServices';

type PartitionResponse = ProduceResponse['responses'][number]['partitionResponses'][number];

interface Appended {
  partition: Partition;
  response: PartitionResponse;
  /** The HW must reach this for acks=-1. */
  requiredOffset: number;
  minInsyncReplicas: number;
}

const errorEntry = (index: number, errorCode: number, message: string | null): PartitionResponse => ({
  ...defaultProduceResponsePartitionProduceResponse(),
  index,
  errorCode,
  baseOffset: -1n,
  errorMessage: message,
});

const TOPIC_CODECS: Record<string, CompressionCodec> = { uncompressed: 'none', gzip: 'gzip', snappy: 'snappy', lz4: 'lz4', zstd: 'zstd' };

/**
 * Re-encodes a batch with the topic's codec, keeping everything a consumer or the producer
 * state relies on: producer id, epoch and sequence, transactional flag, timestamps, keys,
 * values and headers. Offsets are relative and reassigned by the leader anyway.
 */
async function recompress(batch: Buffer, codec: CompressionCodec): Promise<Buffer> {
  const decoded = await decodeRecordBatch(batch);
  const { header } = decoded;
  return encodeRecordBatch({
    records: decoded.records.map((record) => ({
      offset: recordOffset(header, record) - header.baseOffset,
      timestamp: recordTimestamp(header, record),
      key: record.key,
      value: record.value,
      headers: record.headers,
    })),
    compression: codec,
    baseTimestamp: header.baseTimestamp,
    transactional: (header.attributes & 0x10) !== 0,
    producerId: header.producerId,
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
  });
}

export function produceHandler(services: BrokerServices) {
  const { replicas, metadata } = services;

  /** The batch as the topic wants it stored: recompressed when compression.type says so. */
  async function storedForm(topic: string, records: Buffer | null): Promise<Buffer | null> {
    const topicInfo = metadata.topicsByName.get(topic);
    if (topicInfo === undefined || records === null || records.length < 61) return records;
    const target = TOPIC_CODECS[replicas.topicConfig(topicInfo).compressionType];
    if (target === undefined) return records;
    const { batches, partialTailBytes } = splitBatches(records);
    if (batches.length !== 1 || partialTailBytes !== 0) return records;
    if (compressionOf(readBatchHeader(batches[0]!).attributes) === target) return records;
    return recompress(batches[0]!, target);
  }

  function appendOne(topic: string, index: number, records: Buffer | null, acks: number, now: number): PartitionResponse | Appended {
    try {
      if (INTERNAL_TOPICS.has(topic)) {
        throw new KafkaError(ErrorCode.INVALID_TOPIC_EXCEPTION, `Clients may not write to the internal topic ${topic}`);
      }
      const partition = replicas.leader(topic, index);
      const topicInfo = metadata.topicsByName.get(topic)!;
      const config = replicas.topicConfig(topicInfo);
      const { batches, partialTailBytes } = splitBatches(records ?? Buffer.alloc(0));
      if (batches.length !== 1 || partialTailBytes !== 0) {
        throw new KafkaError(ErrorCode.INVALID_RECORD, `A produce request must carry exactly one whole record batch per partition, got ${batches.length}${partialTailBytes > 0 ? ' and a partial one' : ''}`);
      }
      if (acks === -1 && partition.state.isr.length < config.minInsyncReplicas) {
        throw new KafkaError(
          ErrorCode.NOT_ENOUGH_REPLICAS,
          `${topic}-${index} has ${partition.state.isr.length} in-sync replicas, below min.insync.replicas=${config.minInsyncReplicas}`,
        );
      }
      const result = partition.appendAsLeader(batches[0]!, config, now);
      return {
        partition,
        requiredOffset: result.lastOffset + 1,
        minInsyncReplicas: config.minInsyncReplicas,
        response: {
          ...defaultProduceResponsePartitionProduceResponse(),
          index,
          baseOffset: BigInt(result.baseOffset),
          logAppendTimeMs: BigInt(result.logAppendTimeMs),
          logStartOffset: BigInt(partition.log.logStartOffset),
        },
      };
    } catch (error) {
      if (isKafkaError(error)) return errorEntry(index, error.code, error.message);
      // A malformed batch header surfaces as a decode error: the client sent a corrupt batch.
      if (error instanceof Error && error.name === 'DecodeError') return errorEntry(index, ErrorCode.CORRUPT_MESSAGE, error.message);
      throw error;
    }
  }

  /** acks=-1: wait for the HW, bounded by the request's timeout. */
  async function awaitReplication(appended: Appended, deadline: number): Promise<void> {
    const { partition, requiredOffset } = appended;
    const outcome = await partition.waitForHighWatermark(requiredOffset, deadline - Date.now());
    const response = appended.response;
    if (outcome === 'timeout') {
      Object.assign(response, { errorCode: ErrorCode.REQUEST_TIMED_OUT, errorMessage: `Replication to the ISR did not finish within the request timeout` });
    } else if (outcome === 'not-leader') {
      Object.assign(response, { errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER, errorMessage: 'Leadership moved before the records were replicated' });
    } else if (partition.state.isr.length < appended.minInsyncReplicas) {
      Object.assign(response, {
        errorCode: ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND,
        errorMessage: `Written, but the ISR shrank to ${partition.state.isr.length}, below min.insync.replicas=${appended.minInsyncReplicas}`,
      });
    }
  }

  return defineHandler({
    apiKey: ApiKey.Produce,
    minVersion: 0,
    maxVersion: 9,
    rejectedVersions: { min: 0, max: 2 },
    async handle(request: ProduceRequest, context) {
      const acks = request.acks;
      const waits: Promise<void>[] = [];
      const deadline = Date.now() + Math.max(0, request.timeoutMs);
      const responses = [];
      for (const topic of request.topicData) {
        const partitionResponses = [];
        for (const data of topic.partitionData) {
          if (acks !== 0 && acks !== 1 && acks !== -1) {
            partitionResponses.push(errorEntry(data.index, ErrorCode.INVALID_REQUIRED_ACKS, `acks must be -1, 0 or 1, got ${acks}`));
            continue;
          }
          let records: Buffer | null;
          try {
            records = await storedForm(topic.name, data.records);
          } catch (error) {
            const message = error instanceof Error ? error.message : String(error);
            partitionResponses.push(errorEntry(data.index, ErrorCode.CORRUPT_MESSAGE, `The batch could not be recompressed for the topic: ${message}`));
            continue;
          }
          const outcome = appendOne(topic.name, data.index, records, acks, Date.now());
          if (!('partition' in outcome)) {
            partitionResponses.push(outcome);
            continue;
          }
          if (acks === -1) waits.push(awaitReplication(outcome, deadline));
          partitionResponses.push(outcome.response);
        }
        responses.push({ name: topic.name, partitionResponses });
      }
      if (acks === 0) {
        const failed = responses.some((t) => t.partitionResponses.some((p) => p.errorCode !== ErrorCode.NONE));
        return failed ? CLOSE_CONNECTION : NO_RESPONSE;
      }
      if (waits.length > 0) {
        // Everything this request changes is in the logs, in request order; what is left is
        // waiting for the followers, which the connection's next produce need not wait for:
        // a producer with several requests in flight then has them all replicating at once.
        context.onlyWaiting?.();
        await Promise.all(waits);
      }
      return { ...defaultProduceResponse(), responses };
    },
    errorResponse(request: ProduceRequest, errorCode: number) {
      return {
        ...defaultProduceResponse(),
        responses: request.topicData.map((topic) => ({
          name: topic.name,
          partitionResponses: topic.partitionData.map((data) => errorEntry(data.index, errorCode, null)),
        })),
      };
    },
  });
}
