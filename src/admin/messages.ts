import { ApiKey } from '../protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../protocol/generated/fetchRequest';
import { ErrorCode, isLeadershipChange } from '../protocol/errors';
import { isControl } from '../protocol/records/batchHeader';
import { BatchAttribute } from '../protocol/records/batchHeader';
import { decodeRecordBatches, recordOffset, recordTimestamp } from '../protocol/records/recordBatch';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { listOffsets, logRanges, type ByTopicPartition, type LogRange } from './logOffsets';
import { decodePayload, type DecodedPayload, type PayloadFormat } from './payloadFormat';
import { groupByLeader, partitionKey, selectPartitions, topicMetadata } from './topicMetadata';

/**
 * Browsing messages with our own Fetch requests to each partition's leader: a bounded read
 * from an offset, the log start or end, the newest N, or a time, that stops at the high
 * watermark (or after an idle wait, for tailing). It joins no group and commits nothing.
 * Record batches are decoded by our codecs, so every compression codec and headers come out
 * as stored. Producing goes through kafkajs's producer.
 */
export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: number }
  | { kind: 'timestamp'; timestamp: number }
  /** The last `count` messages of each partition read (fewer where the log holds fewer). */
  | { kind: 'newest'; count: number }
  /** Where an earlier read stopped, per partition: the next page of it. */
  | { kind: 'positions'; offsets: Record<number, number> };

export interface ReadOptions {
  topic: string;
  /** All partitions when absent. */
  partitions?: number[];
  start: StartPosition;
  maxMessages: number;
  /** How long to wait for new messages once every partition is at its end (0: stop at once). */
  idleWaitMs: number;
  /**
   * End the read as soon as it is at the end with some messages, rather than restarting the
   * idle wait with each arrival as the console consumer does: a live tail's long poll, which
   * a steady trickle of messages must not keep open.
   */
  stopWaitingOnceRead?: boolean;
}

export interface BrowseOptions extends ReadOptions {
  format: PayloadFormat;
}

interface MessageMeta {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  timestampType: 'CreateTime' | 'LogAppendTime';
}

export interface BrowsedMessage extends MessageMeta {
  key: DecodedPayload | null;
  value: DecodedPayload | null;
  headers: { key: string; value: DecodedPayload | null }[];
}

/** A message as stored, for callers that decode it themselves (the UI decodes in the renderer). */
export interface RawMessage extends MessageMeta {
  key: Buffer | null;
  value: Buffer | null;
  headers: { key: string; value: Buffer | null }[];
  /** Bytes of key, value and headers (names and values), as Kafka UIs count a record's size. */
  size: number;
}

export interface MessagePage {
  messages: RawMessage[];
  /** Per partition read, the offset to continue from: the next page starts exactly after this one. */
  nextOffsets: Record<number, number>;
}

const FETCH_MAX_BYTES = 4 * 1024 * 1024;
const PARTITION_MAX_BYTES = 1024 * 1024;
const LEADER_MOVED_BACKOFF_MS = 100;

export async function browseMessages(session: AdminSession, options: BrowseOptions): Promise<BrowsedMessage[]> {
  const page = await readMessages(session, options);
  return page.messages.map(({ topic, partition, offset, timestamp, timestampType, key, value, headers }) => ({
    topic,
    partition,
    offset,
    timestamp,
    timestampType,
    key: decodePayload(key, options.format),
    value: decodePayload(value, options.format),
    headers: headers.map((entry) => ({ key: entry.key, value: decodePayload(entry.value, options.format) })),
  }));
}

export async function readMessages(session: AdminSession, options: ReadOptions): Promise<MessagePage> {
  if (!Number.isInteger(options.maxMessages) || options.maxMessages < 1) throw new AdminError('invalid-input', '--max-messages must be at least 1');
  return session.run(`read messages of ${options.topic}`, async () => {
    const topic = await topicMetadata(session, options.topic);
    const partitions = selectPartitions(topic, options.partitions);
    const refs = partitions.map((partition) => ({ topic: options.topic, partition }));
    const positions = await startOffsets(session, refs, options.start);
    const messages: RawMessage[] = [];
    const highWatermark = (ranges: ByTopicPartition<LogRange>, partition: number) => ranges.get(options.topic)!.get(partition)!.highWatermark;
    let ends = await logRanges(session, refs);
    // Like kafka-console-consumer's --timeout-ms: the idle wait restarts whenever messages arrive.
    let idleDeadline = Date.now() + Math.max(0, options.idleWaitMs);
    let stalledFetches = 0;

    while (messages.length < options.maxMessages) {
      const pending = partitions.filter((partition) => positions.get(partition)! < highWatermark(ends, partition));
      const waitMs = idleDeadline - Date.now();
      if (pending.length === 0 && (waitMs <= 0 || (options.stopWaitingOnceRead && messages.length > 0))) break;
      const before = new Map(positions);
      const { messages: fetched, leaderMoved } = await fetchOnce(session, topic.topicId, options.topic, pending.length > 0 ? pending : partitions, positions, pending.length > 0 ? 0 : waitMs);
      const kept = fetched.slice(0, options.maxMessages - messages.length);
      messages.push(...kept);
      if (kept.length < fetched.length) rewindToKept(positions, before, kept);
      if (fetched.length > 0) idleDeadline = Date.now() + Math.max(0, options.idleWaitMs);
      const progressed = partitions.some((partition) => positions.get(partition) !== before.get(partition));
      if (pending.length === 0 || !progressed) ends = await logRanges(session, refs);
      // Below the high watermark yet nothing comes back: the log changed under us (deleted records, truncation).
      stalledFetches = pending.length > 0 && !progressed && !leaderMoved ? stalledFetches + 1 : 0;
      if (stalledFetches >= 3) break;
    }
    return { messages, nextOffsets: Object.fromEntries(positions) };
  });
}

/**
 * A fetch can bring more than the page has room for; partitions whose messages were cut
 * continue right after the last one kept (or where they were), so the next page loses none.
 */
function rewindToKept(positions: Map<number, number>, before: Map<number, number>, kept: RawMessage[]): void {
  for (const partition of positions.keys()) {
    const last = kept.findLast((message) => message.partition === partition);
    positions.set(partition, last === undefined ? before.get(partition)! : last.offset + 1);
  }
}

async function startOffsets(session: AdminSession, refs: { topic: string; partition: number }[], start: StartPosition): Promise<Map<number, number>> {
  const positions = new Map<number, number>();
  if (start.kind === 'offset' || start.kind === 'positions' || start.kind === 'newest') {
    const ranges = await logRanges(session, refs);
    for (const ref of refs) {
      const range = ranges.get(ref.topic)!.get(ref.partition)!;
      if (start.kind === 'newest') {
        positions.set(ref.partition, Math.max(range.logStartOffset, range.highWatermark - start.count));
        continue;
      }
      const offset = start.kind === 'offset' ? start.offset : start.offsets[ref.partition];
      // A partition added since the last page, or records deleted or expired meanwhile: read from the log start.
      if (offset === undefined || (start.kind === 'positions' && offset < range.logStartOffset)) {
        positions.set(ref.partition, range.logStartOffset);
        continue;
      }
      if (offset < range.logStartOffset || offset > range.highWatermark) {
        throw new AdminError(
          'invalid-input',
          `offset ${offset} is out of range for ${ref.topic}-${ref.partition} (log start ${range.logStartOffset}, high watermark ${range.highWatermark})`,
          'OFFSET_OUT_OF_RANGE',
        );
      }
      positions.set(ref.partition, offset);
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
  topicName: string,
  partitions: number[],
  positions: Map<number, number>,
  maxWaitMs: number,
): Promise<{ messages: RawMessage[]; leaderMoved: boolean }> {
  let leaderMoved = false;
  const leaders = groupByLeader(
    await session.router.refreshMetadata([topicName]),
    partitions.map((partition) => ({ topic: topicName, partition })),
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
            topic: topicName,
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
      const messages: RawMessage[] = [];
      for (const topic of response.responses) {
        for (const partition of topic.partitions) {
          if (isLeadershipChange(partition.errorCode)) {
            // Kept where it was; the next fetch asks the new leader (fetchOnce reads fresh metadata).
            leaderMoved = true;
            continue;
          }
          if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `fetch ${topicName}-${partition.partitionIndex}`);
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
              const headers = record.headers.map((entry) => ({ key: entry.key, value: entry.value }));
              messages.push({
                topic: topicName,
                partition: partition.partitionIndex,
                offset,
                timestamp: Number(recordTimestamp(header, record)),
                timestampType: (header.attributes & BatchAttribute.LogAppendTime) !== 0 ? 'LogAppendTime' : 'CreateTime',
                key: record.key,
                value: record.value,
                headers,
                size: (record.key?.length ?? 0) + (record.value?.length ?? 0) + headers.reduce((sum, entry) => sum + Buffer.byteLength(entry.key) + (entry.value?.length ?? 0), 0),
              });
            }
          }
          if (decoded.batches.length === 0 && decoded.partialTailBytes > 0) {
            throw new AdminError('kafka', `a record batch in ${topicName}-${partition.partitionIndex} at offset ${from} is larger than ${PARTITION_MAX_BYTES} bytes`);
          }
          positions.set(partition.partitionIndex, next);
        }
      }
      return messages;
    }),
  );
  // The metadata may not show the new leader yet: wait a moment (Kafka's retry.backoff.ms) rather than ask the old one again at once.
  if (leaderMoved) await new Promise((resolve) => setTimeout(resolve, LEADER_MOVED_BACKOFF_MS));
  return { messages: results.flat().sort((a, b) => a.partition - b.partition || a.offset - b.offset), leaderMoved };
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
