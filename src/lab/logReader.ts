import type { AdminSession } from '../admin/adminSession';
import { kafkaCodeError } from '../admin/adminError';
import { logRanges } from '../admin/logOffsets';
import { groupByLeader, topicMetadata } from '../admin/topicMetadata';
import { ErrorCode } from '../protocol/errors';
import { ApiKey } from '../protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../protocol/generated/fetchRequest';
import { BatchAttribute, isControl } from '../protocol/records/batchHeader';
import { parseControlRecord } from '../protocol/records/controlRecord';
import { decodeRecordBatches, recordOffset, type DecodedRecordBatch } from '../protocol/records/recordBatch';
import { decodeLabValue } from './labRecord';
import type { LogEntry, RecordFate } from './verifier';

/**
 * Reads a lab topic's whole log (log start to high watermark, read_uncommitted, so aborted
 * and open transactional records are included) and gives each record its transaction fate
 * from the end-transaction markers that follow it, as a read_committed consumer would
 * judge it. The verifier needs both: what is committed, and what a consumer must not see.
 */

const PARTITION_MAX_BYTES = 1024 * 1024;
/** How long a settled read waits for end-transaction markers still on their way. */
const SETTLE_TIMEOUT_MS = 30_000;
const SETTLE_POLL_MS = 250;
/** Each fetch moves forward or the read stops: bounds the read even if the log changes under it. */
const MAX_FETCHES_PER_PARTITION = 10_000;

/**
 * Fates of one partition's records. A transactional record stays open until its producer's
 * next end-transaction marker in the same partition says commit or abort (KIP-98).
 */
export function assignFates(partition: number, batches: readonly DecodedRecordBatch[]): LogEntry[] {
  const entries: LogEntry[] = [];
  const pending = new Map<bigint, LogEntry[]>();
  for (const { header, records } of batches) {
    if (isControl(header.attributes)) {
      const [record] = records;
      const marker = record === undefined ? undefined : parseControlRecord(record);
      if (marker?.kind !== 'end-txn') continue;
      const fate: RecordFate = marker.type === 'commit' ? 'committed' : 'aborted';
      for (const entry of pending.get(header.producerId) ?? []) entry.fate = fate;
      pending.delete(header.producerId);
      continue;
    }
    const transactional = (header.attributes & BatchAttribute.Transactional) !== 0;
    for (const record of records) {
      const value = decodeLabValue(record.value);
      if (value === null) continue;
      const entry: LogEntry = { partition, offset: Number(recordOffset(header, record)), value, fate: transactional ? 'open' : 'plain' };
      entries.push(entry);
      if (transactional) {
        const list = pending.get(header.producerId) ?? [];
        list.push(entry);
        pending.set(header.producerId, list);
      }
    }
  }
  return entries;
}

export async function readTopicLog(session: AdminSession, topic: string): Promise<LogEntry[]> {
  const metadata = await topicMetadata(session, topic);
  const refs = metadata.partitions.map((p) => ({ topic, partition: p.partitionIndex }));
  const ranges = await logRanges(session, refs);
  const entries: LogEntry[] = [];
  for (const ref of refs) {
    const range = ranges.get(topic)!.get(ref.partition)!;
    const batches = await readPartition(session, topic, metadata.topicId, ref.partition, range.logStartOffset, range.highWatermark);
    entries.push(...assignFates(ref.partition, batches));
  }
  return entries;
}

async function readPartition(session: AdminSession, topic: string, topicId: string, partition: number, from: number, to: number): Promise<DecodedRecordBatch[]> {
  const batches: DecodedRecordBatch[] = [];
  let position = from;
  for (let fetches = 0; position < to && fetches < MAX_FETCHES_PER_PARTITION; fetches++) {
    const [leader] = groupByLeader(await session.router.refreshMetadata([topic]), [{ topic, partition }]).keys();
    if (leader === undefined) throw new Error(`${topic}-${partition} has no leader, so its log cannot be read`);
    const response = await session.router.send({ broker: leader }, ApiKey.Fetch, {
      ...defaultFetchRequest(),
      maxWaitMs: 0,
      minBytes: 0,
      maxBytes: PARTITION_MAX_BYTES,
      topics: [{ topic, topicId, partitions: [{ ...defaultFetchRequestFetchPartition(), partition, fetchOffset: BigInt(position), partitionMaxBytes: PARTITION_MAX_BYTES }] }],
    });
    if (response.errorCode !== ErrorCode.NONE) throw kafkaCodeError(response.errorCode, `fetch ${topic}-${partition}`);
    const data = response.responses[0]?.partitions[0];
    if (data === undefined) throw new Error(`the leader of ${topic}-${partition} answered a fetch without the partition`);
    if (data.errorCode !== ErrorCode.NONE) throw kafkaCodeError(data.errorCode, `fetch ${topic}-${partition}`);
    const decoded = await decodeRecordBatches(data.records ?? Buffer.alloc(0));
    const before = position;
    for (const batch of decoded.batches) {
      const end = Number(batch.header.baseOffset) + batch.header.lastOffsetDelta + 1;
      if (end <= position) continue;
      batches.push(batch);
      position = end;
    }
    if (position === before) break;
  }
  return batches;
}

/**
 * The log once no transaction in it is still open, or as it is after a bound. EndTxn is
 * answered once the outcome is written to the transaction log, and the markers reach the
 * partitions afterwards (KIP-98, as in Kafka), so right after a producer's last commit its
 * records may still read as open, which a read_committed consumer cannot see yet. A
 * transaction open for good (a producer that died mid-transaction) stays open until its
 * timeout; then the bound ends the wait and the record keeps its open fate.
 */
export async function readSettledTopicLog(session: AdminSession, topic: string, signal: AbortSignal): Promise<LogEntry[]> {
  const deadline = Date.now() + SETTLE_TIMEOUT_MS;
  for (;;) {
    const entries = await readTopicLog(session, topic);
    if (!entries.some((entry) => entry.fate === 'open') || Date.now() > deadline) return entries;
    signal.throwIfAborted();
    await new Promise((resolve) => setTimeout(resolve, SETTLE_POLL_MS));
  }
}

/** Reads of the log that settle a commit's outcome, each after the previous one failed. */
const SETTLE_READ_ATTEMPTS = 5;
const SETTLE_READ_RETRY_MS = 500;

/**
 * Whether transaction attempt `txn`'s records are committed in `topic`. A fault may still be
 * moving partition leaders when this is asked, so a failed read is tried again; if every
 * read fails, the run fails rather than guess (a wrong guess either loses the records or
 * writes them twice).
 */
export async function transactionCommitted(session: AdminSession, topic: string, txn: number, signal: AbortSignal): Promise<boolean> {
  for (let attempt = 1; ; attempt++) {
    try {
      return (await readSettledTopicLog(session, topic, signal)).some((entry) => entry.value.txn === txn && entry.fate === 'committed');
    } catch (error) {
      if (attempt >= SETTLE_READ_ATTEMPTS || signal.aborted) throw error;
      await new Promise((resolve) => setTimeout(resolve, SETTLE_READ_RETRY_MS));
    }
  }
}
