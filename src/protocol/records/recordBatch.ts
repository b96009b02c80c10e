import { ByteReader } from '../primitives/byteReader';
import { ByteWriter } from '../primitives/byteWriter';
import { DecodeError } from '../primitives/decodeError';
import {
  BATCH_HEADER_SIZE,
  BATCH_LENGTH_OVERHEAD,
  BatchAttribute,
  COMPRESSION_CODECS,
  type BatchHeader,
  type CompressionCodec,
  compressionOf,
  computeBatchCrc,
  readBatchHeader,
  splitBatches,
} from './batchHeader';
import { compress, decompress } from './compression';
import { decodeRecord, encodeRecord, type Record, type RecordHeader } from './record';

/**
 * Whole magic-2 record batches: building one (producers, the GUI's "produce message",
 * transaction markers) and reading one back with its records (the message browser, log
 * compaction, tests). The broker's own write and read paths never come here: they work on
 * the header alone (batchHeader.ts) and keep the client's bytes untouched.
 */

export interface RecordInput {
  /** Absolute offset; defaults to baseOffset + the record's index. */
  offset?: bigint;
  /** Absolute timestamp (ms); defaults to the batch's base timestamp. */
  timestamp?: bigint;
  key?: Buffer | null;
  value: Buffer | null;
  headers?: RecordHeader[];
  attributes?: number;
}

export interface RecordBatchOptions {
  records: RecordInput[];
  /** Producers send 0; the leader overwrites it on append. */
  baseOffset?: bigint;
  /** Producers send -1 (no epoch); the leader stamps its own. */
  partitionLeaderEpoch?: number;
  compression?: CompressionCodec;
  /** Defaults to the first record's timestamp, as Java's MemoryRecordsBuilder does. */
  baseTimestamp?: bigint;
  /**
   * Set for LogAppendTime topics: marks the batch's timestamp type and makes this the
   * batch's maxTimestamp, which consumers then report for every record.
   */
  logAppendTime?: bigint;
  transactional?: boolean;
  control?: boolean;
  /** -1 / -1 / -1 (Kafka's "no producer id") unless the producer is idempotent. */
  producerId?: bigint;
  producerEpoch?: number;
  baseSequence?: number;
}

export interface DecodedRecordBatch {
  header: BatchHeader;
  records: Record[];
}

export interface DecodeBatchOptions {
  /** Defaults to true; false only where the CRC was already checked (e.g. on append). */
  verifyCrc?: boolean;
}

const NO_PRODUCER_ID = -1n;
const NO_PRODUCER_EPOCH = -1;
const NO_SEQUENCE = -1;
const NO_PARTITION_LEADER_EPOCH = -1;
/** attributes, timestampDelta, offsetDelta, key, value, header count: one byte each at least. */
const MIN_RECORD_SIZE = 7;

function attributesOf(options: RecordBatchOptions): number {
  const codec = COMPRESSION_CODECS.indexOf(options.compression ?? 'none');
  return (
    codec |
    (options.logAppendTime !== undefined ? BatchAttribute.LogAppendTime : 0) |
    (options.transactional ? BatchAttribute.Transactional : 0) |
    (options.control ? BatchAttribute.Control : 0)
  );
}

function int32Delta(value: bigint, what: string): number {
  if (value < -0x80000000n || value > 0x7fffffffn) {
    throw new RangeError(`${what} ${value} does not fit the record's int32 delta`);
  }
  return Number(value);
}

export async function encodeRecordBatch(options: RecordBatchOptions): Promise<Buffer> {
  const { records } = options;
  const baseOffset = options.baseOffset ?? 0n;
  const baseTimestamp = options.baseTimestamp ?? records[0]?.timestamp ?? BigInt(Date.now());

  const body = new ByteWriter();
  let lastOffsetDelta = 0;
  let maxTimestamp = baseTimestamp;
  records.forEach((input, index) => {
    const timestamp = input.timestamp ?? baseTimestamp;
    const offsetDelta = int32Delta((input.offset ?? baseOffset + BigInt(index)) - baseOffset, 'offset delta');
    lastOffsetDelta = Math.max(lastOffsetDelta, offsetDelta);
    if (timestamp > maxTimestamp) maxTimestamp = timestamp;
    encodeRecord(body, {
      attributes: input.attributes ?? 0,
      timestampDelta: timestamp - baseTimestamp,
      offsetDelta,
      key: input.key ?? null,
      value: input.value,
      headers: input.headers ?? [],
    });
  });
  const payload = await compress(options.compression ?? 'none', body.toBuffer());

  const header = new ByteWriter(BATCH_HEADER_SIZE)
    .int64(baseOffset)
    .int32(BATCH_HEADER_SIZE - BATCH_LENGTH_OVERHEAD + payload.length)
    .int32(options.partitionLeaderEpoch ?? NO_PARTITION_LEADER_EPOCH)
    .int8(2)
    .uint32(0) // CRC, filled in once the bytes it covers are final
    .int16(attributesOf(options))
    .int32(lastOffsetDelta)
    .int64(baseTimestamp)
    .int64(options.logAppendTime ?? maxTimestamp)
    .int64(options.producerId ?? NO_PRODUCER_ID)
    .int16(options.producerEpoch ?? NO_PRODUCER_EPOCH)
    .int32(options.baseSequence ?? NO_SEQUENCE)
    .int32(records.length)
    .toBuffer();
  const batch = Buffer.concat([header, payload]);
  batch.writeUInt32BE(computeBatchCrc(batch), 17);
  return batch;
}

/** Decodes exactly one whole batch, decompressing its records. */
export async function decodeRecordBatch(batch: Buffer, options: DecodeBatchOptions = {}): Promise<DecodedRecordBatch> {
  const header = readBatchHeader(batch);
  const size = header.batchLength + BATCH_LENGTH_OVERHEAD;
  if (size > batch.length) {
    throw new DecodeError('truncated', `record batch of ${size} bytes cut short at ${batch.length}`);
  }
  if (size < batch.length) {
    throw new DecodeError('trailing-bytes', `${batch.length - size} bytes after a ${size}-byte record batch`, size);
  }
  if (options.verifyCrc ?? true) {
    const computed = computeBatchCrc(batch);
    if (computed !== header.crc) {
      throw new DecodeError(
        'bad-crc',
        `record batch at offset ${header.baseOffset} has CRC 0x${header.crc.toString(16)} but its bytes give 0x${computed.toString(16)}`,
      );
    }
  }
  const records = decodeRecords(header, await decompress(compressionOf(header.attributes), batch.subarray(BATCH_HEADER_SIZE)));
  return { header, records };
}

function decodeRecords(header: BatchHeader, bytes: Buffer): Record[] {
  const reader = new ByteReader(bytes);
  const count = header.recordCount;
  // Checked before looping so a forged count cannot make us spin or allocate for nothing.
  if (count < 0 || count * MIN_RECORD_SIZE > reader.remaining) {
    throw new DecodeError('invalid-value', `record count ${count} cannot fit in ${reader.remaining} bytes of records`);
  }
  const records: Record[] = [];
  for (let i = 0; i < count; i++) records.push(decodeRecord(reader));
  if (reader.remaining !== 0) {
    throw new DecodeError(
      'trailing-bytes',
      `record batch declares ${count} records but ${reader.remaining} bytes follow the last one`,
      reader.offset,
    );
  }
  return records;
}

/**
 * Decodes concatenated batches, such as a Fetch response's records field. A partial batch
 * at the end is normal there (the broker cuts at the byte limit) and is reported, not
 * decoded, so the consumer can fetch again from the offset after the last whole batch.
 */
export async function decodeRecordBatches(
  buffer: Buffer,
  options: DecodeBatchOptions = {},
): Promise<{ batches: DecodedRecordBatch[]; partialTailBytes: number }> {
  const { batches, partialTailBytes } = splitBatches(buffer);
  const decoded: DecodedRecordBatch[] = [];
  for (const batch of batches) decoded.push(await decodeRecordBatch(batch, options));
  return { batches: decoded, partialTailBytes };
}

export function recordOffset(header: BatchHeader, record: Record): bigint {
  return header.baseOffset + BigInt(record.offsetDelta);
}

/** With LogAppendTime every record carries the broker's append time, held in maxTimestamp. */
export function recordTimestamp(header: BatchHeader, record: Record): bigint {
  return (header.attributes & BatchAttribute.LogAppendTime) !== 0
    ? header.maxTimestamp
    : header.baseTimestamp + record.timestampDelta;
}
