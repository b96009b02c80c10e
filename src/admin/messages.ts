import { ApiKey } from '../protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../protocol/generated/fetchRequest';
import { ErrorCode } from '../protocol/errors';
import { isControl } from '../protocol/records/batchHeader';
import { BatchAttribute } from '../protocol/records/batchHeader';
import { decodeRecordBatches, recordOffset, recordTimestamp } from '../protocol/records/recordBatch';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { listOffsets, logRanges } from './logOffsets';
import { decodePayload, type DecodedPayload, type PayloadFormat } from './payloadFormat';
import { groupByLeader, partitionKey, selectPartitions, topicMetadata } from './topicMetadata';

/**
 * Browsing messages with our own Fetch requests to each partition's leader: a bounded read
 * from an offset, the log start or end, or a time, that stops at the high watermark (or after
 * an idle wait, for tailing). Record batches are decoded by our codecs, so every compression
 * codec and headers come out as stored. Producing goes through kafkajs's producer.
 */
export type StartPosition = { kind: 'earliest' } | { kind: 'latest' } | { kind: 'offset'; offset: number } | { kind: 'timestamp'; timestamp: number };

export interface BrowseOptions {
  topic: string;
  /** All partitions when absent. */
  partitions?: number[];
  start: StartPosition;
  maxMessages: number;
  format: PayloadFormat;
  /** How long to wait for new messages once every partition is at its end (0: stop at once). */
  idleWaitMs: number;
}

export interface BrowsedMessage {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
  key: DecodedPayload | null;
  value: DecodedPayload | null;
  headers: { key: string; value: DecodedPayload | null }[];
}

const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const PARTITION_MAX_BYTES = 1024 * 1024;

export async function browseMessages(session: AdminSession, options: BrowseOptions): Promise<BrowsedMessage[]> {
  if (!Number.isInteger(options.maxMessages) || options.maxMessages < 1) throw new AdminError('invalid-input', '--max-messages must be at least 1');
  return session.run(`read messages of ${options.topic}`, async () => {
    const topic = await topicMetadata(session, options.topic);
    const partitions = selectPartitions(topic, options.partitions);
    const refs = partitions.map((partition) => ({ topic: options.topic, partition }));
    const positions = await startOffsets(session, refs, options.start);
    const messages: BrowsedMessage[] = [];
    const highWatermark = (ranges: Map<string, { highWatermark: number }>, partition: number) => ranges.get(partitionKey(options.topic, partition))!.highWatermark;
    let ends = await logRanges(session, refs);
    // Like kafka-console-consumer's --timeout-ms: the idle wait restarts whenever messages arrive.
    let idleDeadline = Date.now() + Math.max(0, options.idleWaitMs);
    let stalledFetches = 0;

    while (messages.length < options.maxMessages) {
      const pending = partitions.filter((partition) => positions.get(partition)! < highWatermark(ends, partition));
      const waitMs = idleDeadline - Date.now();
      if (pending.length === 0 && waitMs <= 0) break;
      const before = [...positions.values()].join(',');
      const fetched = await fetchOnce(session, topic.topicId, options, pending.length > 0 ? pending : partitions, positions, pending.length > 0 ? 0 : waitMs);
      messages.push(...fetched.slice(0, options.maxMessages - messages.length));
      if (fetched.length > 0) idleDeadline = Date.now() + Math.max(0, options.idleWaitMs);
      const progressed = [...positions.values()].join(',') !== before;
      if (pending.length === 0 || !progressed) ends = await logRanges(session, refs);
      // Below the high watermark yet nothing comes back: the log changed under us (deleted records, truncation).
      stalledFetches = pending.length > 0 && !progressed ? stalledFetches + 1 : 0;
      if (stalledFetches >= 3) break;
    }
    return messages;
  });
}

async function startOffsets(session: AdminSession, refs: { topic: string; partition: number }[], start: StartPosition): Promise<Map<number, number>> {
  const positions = new Map<number, number>();
  if (start.kind === 'offset') {
    const ranges = await logRanges(session, refs);
    for (const ref of refs) {
      const range = ranges.get(partitionKey(ref.topic, ref.partition))!;
      if (start.offset < range.logStartOffset || start.offset > range.highWatermark) {
        throw new AdminError(
          'invalid-input',
          `offset ${start.offset} is out of range for ${ref.topic}-${ref.partition} (log start ${range.logStartOffset}, high watermark ${range.highWatermark})`,
          'OFFSET_OUT_OF_RANGE',
        );
      }
      positions.set(ref.partition, start.offset);
    }
    return positions;
  }
  const query = start.kind === 'timestamp' ? { timestamp: start.timestamp } : start.kind;
  const offsets = await listOffsets(session, refs, query);
  const latest = start.kind === 'timestamp' ? await listOffsets(session, refs, 'latest') : offsets;
  for (const ref of refs) {
    const key = partitionKey(ref.topic, ref.partition);
    // No message at or after the time: start at the end, like a consumer seeking by time.
    positions.set(ref.partition, offsets.get(key) ?? latest.get(key) ?? 0);
  }
  return positions;
}

async function fetchOnce(
  session: AdminSession,
  topicId: string,
  options: BrowseOptions,
  partitions: number[],
  positions: Map<number, number>,
  maxWaitMs: number,
): Promise<BrowsedMessage[]> {
  const leaders = groupByLeader(
    await session.router.refreshMetadata([options.topic]),
    partitions.map((partition) => ({ topic: options.topic, partition })),
  );
  const results = await Promise.all(
    [...leaders].map(async ([leader, refs]) => {
      const response = await session.router.send({ broker: leader }, ApiKey.Fetch, {
        ...defaultFetchRequest(),
        maxWaitMs: Math.min(maxWaitMs, session.settings.requestTimeoutMs / 2),
        minBytes: maxWaitMs > 0 ? 1 : 0,
        maxBytes: FETCH_MAX_BYTES,
        topics: [
          {
            // Fetch v13+ names topics by id, earlier versions by name; the codec writes the one its version has.
            topic: options.topic,
            topicId,
            partitions: refs.map(({ partition }) => ({
              ...defaultFetchRequestFetchPartition(),
              partition,
              fetchOffset: BigInt(positions.get(partition)!),
              partitionMaxBytes: PARTITION_MAX_BYTES,
            })),
          },
        ],
      });
      if (response.errorCode !== ErrorCode.NONE) throw kafkaCodeError(response.errorCode, `fetch from broker ${leader}`);
      const messages: BrowsedMessage[] = [];
      for (const topic of response.responses) {
        for (const partition of topic.partitions) {
          if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `fetch ${options.topic}-${partition.partitionIndex}`);
          const from = positions.get(partition.partitionIndex)!;
          const decoded = await decodeRecordBatches(partition.records ?? Buffer.alloc(0));
          let next = from;
          for (const { header, records } of decoded.batches) {
            const batchEnd = Number(header.baseOffset) + header.lastOffsetDelta + 1;
            next = Math.max(next, batchEnd);
            // Transaction markers are bookkeeping, not messages.
            if (isControl(header.attributes)) continue;
            for (const record of records) {
              const offset = Number(recordOffset(header, record));
              // A fetch returns whole batches, so the first may start before the asked offset.
              if (offset < from) continue;
              messages.push({
                topic: options.topic,
                partition: partition.partitionIndex,
                offset,
                timestamp: Number(recordTimestamp(header, record)),
                timestampType: (header.attributes & BatchAttribute.LogAppendTime) !== 0 ? 'LogAppendTime' : 'CreateTime',
                key: decodePayload(record.key, options.format),
                value: decodePayload(record.value, options.format),
                headers: record.headers.map((entry) => ({ key: entry.key, value: decodePayload(entry.value, options.format) })),
              });
            }
          }
          if (decoded.batches.length === 0 && decoded.partialTailBytes > 0) {
            throw new AdminError('kafka', `a record batch in ${options.topic}-${partition.partitionIndex} at offset ${from} is larger than ${PARTITION_MAX_BYTES} bytes`);
          }
          positions.set(partition.partitionIndex, next);
        }
      }
      return messages;
    }),
  );
  return results.flat().sort((a, b) => a.partition - b.partition || a.offset - b.offset);
}

export interface ProduceInput {
  topic: string;
  partition?: number;
  key: string | null;
  value: string | null;
  headers: Record<string, string>;
}

export async function produceMessage(session: AdminSession, input: ProduceInput) {
  return session.run(`produce to ${input.topic}`, async () => {
    const topic = await topicMetadata(session, input.topic);
    if (input.partition !== undefined) selectPartitions(topic, [input.partition]);
    let written: { partition: number; offset: number } | null = null;
    return session.change(
      { kind: 'produce', ...input },
      {
        before: async () => null,
        apply: async () => {
          const producer = await session.producer();
          const [result] = await producer.send({
            topic: input.topic,
            acks: -1,
            timeout: session.settings.requestTimeoutMs,
            messages: [{ key: input.key, value: input.value, headers: input.headers, ...(input.partition === undefined ? {} : { partition: input.partition }) }],
          });
          if (!result) throw new AdminError('kafka', `the cluster acknowledged no write to ${input.topic}`);
          written = { partition: result.partition, offset: Number(result.baseOffset ?? result.offset) };
        },
        after: async () => written,
      },
    );
  });
}
