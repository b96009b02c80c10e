import { createRequire } from 'node:module';
import type * as Crc32Library from '@node-rs/crc32';
import { DecodeError } from '../primitives/decodeError';

/*
 * Required, not imported: before running a CommonJS package that ES modules import, Node's
 * loader scans its source for export names, and for this package's 29 KB platform loader that
 * scan left every process about 8 MiB more resident memory (issue 8: a broker, its host and
 * the app all load this module at startup).
 */
const { crc32c } = createRequire(import.meta.url)('@node-rs/crc32') as typeof Crc32Library;

/**
 * The fixed 61-byte header of a magic-2 record batch, read and patched in place without
 * touching (or decompressing) the records after it. This is the broker's write and read
 * path: the leader only rewrites baseOffset and partitionLeaderEpoch, which sit before the
 * CRC'd region, so the client's CRC stays valid and the records are never copied.
 *
 * Layout (offsets in bytes):
 *   0 baseOffset int64 | 8 batchLength int32 | 12 partitionLeaderEpoch int32 | 16 magic int8
 *  17 crc uint32 (CRC-32C of bytes 21..end) | 21 attributes int16 | 23 lastOffsetDelta int32
 *  27 baseTimestamp int64 | 35 maxTimestamp int64 | 43 producerId int64 | 51 producerEpoch int16
 *  53 baseSequence int32 | 57 recordCount int32 | 61 records...
 */
export const BATCH_HEADER_SIZE = 61;
/** batchLength counts the bytes after itself: the whole batch is batchLength + 12 bytes. */
export const BATCH_LENGTH_OVERHEAD = 12;
const CRC_START = 21;

export const BatchAttribute = {
  CompressionMask: 0x07,
  LogAppendTime: 0x08,
  Transactional: 0x10,
  Control: 0x20,
  DeleteHorizon: 0x40,
} as const;

export type CompressionCodec = 'none' | 'gzip' | 'snappy' | 'lz4' | 'zstd';
export const COMPRESSION_CODECS: readonly CompressionCodec[] = ['none', 'gzip', 'snappy', 'lz4', 'zstd'];

export interface BatchHeader {
  baseOffset: bigint;
  batchLength: number;
  partitionLeaderEpoch: number;
  magic: number;
  crc: number;
  attributes: number;
  lastOffsetDelta: number;
  baseTimestamp: bigint;
  maxTimestamp: bigint;
  producerId: bigint;
  producerEpoch: number;
  baseSequence: number;
  recordCount: number;
}

/** Total size in bytes of the batch starting at `offset`, from its length field. */
export function batchSizeAt(buffer: Buffer, offset: number): number {
  if (offset + BATCH_LENGTH_OVERHEAD > buffer.length) {
    throw new DecodeError('truncated', 'record batch header cut short', offset);
  }
  return buffer.readInt32BE(offset + 8) + BATCH_LENGTH_OVERHEAD;
}

export function readBatchHeader(buffer: Buffer, offset = 0): BatchHeader {
  if (offset + BATCH_HEADER_SIZE > buffer.length) {
    throw new DecodeError('truncated', `record batch header needs ${BATCH_HEADER_SIZE} bytes`, offset);
  }
  const magic = buffer.readInt8(offset + 16);
  if (magic !== 2) {
    throw new DecodeError('invalid-value', `record batch magic ${magic} is not supported (only 2)`, offset);
  }
  const batchLength = buffer.readInt32BE(offset + 8);
  if (batchLength < BATCH_HEADER_SIZE - BATCH_LENGTH_OVERHEAD) {
    throw new DecodeError('invalid-value', `record batch length ${batchLength} is too small`, offset);
  }
  return {
    baseOffset: buffer.readBigInt64BE(offset),
    batchLength,
    partitionLeaderEpoch: buffer.readInt32BE(offset + 12),
    magic,
    crc: buffer.readUInt32BE(offset + 17),
    attributes: buffer.readInt16BE(offset + 21),
    lastOffsetDelta: buffer.readInt32BE(offset + 23),
    baseTimestamp: buffer.readBigInt64BE(offset + 27),
    maxTimestamp: buffer.readBigInt64BE(offset + 35),
    producerId: buffer.readBigInt64BE(offset + 43),
    producerEpoch: buffer.readInt16BE(offset + 51),
    baseSequence: buffer.readInt32BE(offset + 53),
    recordCount: buffer.readInt32BE(offset + 57),
  };
}

export function compressionOf(attributes: number): CompressionCodec {
  const codec = COMPRESSION_CODECS[attributes & BatchAttribute.CompressionMask];
  if (codec === undefined) {
    throw new DecodeError('invalid-value', `unknown compression codec ${attributes & 7}`);
  }
  return codec;
}

export const isTransactional = (attributes: number): boolean =>
  (attributes & BatchAttribute.Transactional) !== 0;
export const isControl = (attributes: number): boolean => (attributes & BatchAttribute.Control) !== 0;

/** CRC-32C over attributes..end, as stored in the batch header. */
export function computeBatchCrc(batch: Buffer): number {
  return crc32c(batch.subarray(CRC_START)) >>> 0;
}

/** True when the stored CRC matches the bytes (batch = exactly one whole batch). */
export function verifyBatchCrc(batch: Buffer): boolean {
  return batch.length >= BATCH_HEADER_SIZE && batch.readUInt32BE(17) === computeBatchCrc(batch);
}

/** Rewrites the fields a leader assigns; they lie outside the CRC so the CRC stays valid. */
export function patchBatchHeader(batch: Buffer, baseOffset: bigint, partitionLeaderEpoch: number): void {
  batch.writeBigInt64BE(baseOffset, 0);
  batch.writeInt32BE(partitionLeaderEpoch, 12);
}

/**
 * Rewrites maxTimestamp for LogAppendTime topics. It lies inside the CRC'd region, so the
 * CRC is recomputed (over the header and records, without decompressing anything).
 */
export function stampLogAppendTime(batch: Buffer, timestamp: bigint): void {
  batch.writeInt16BE(batch.readInt16BE(21) | BatchAttribute.LogAppendTime, 21);
  batch.writeBigInt64BE(timestamp, 35);
  batch.writeUInt32BE(computeBatchCrc(batch), 17);
}

/**
 * Splits a buffer of concatenated batches (a Produce request's records field, or a segment
 * read) into views of whole batches. A trailing partial batch is reported, not returned:
 * Fetch responses may legitimately end with one, a Produce request may not.
 */
export function splitBatches(records: Buffer): { batches: Buffer[]; partialTailBytes: number } {
  const batches: Buffer[] = [];
  let offset = 0;
  while (offset + BATCH_LENGTH_OVERHEAD <= records.length) {
    const size = batchSizeAt(records, offset);
    if (size < BATCH_HEADER_SIZE) {
      throw new DecodeError('invalid-value', `record batch length ${size - BATCH_LENGTH_OVERHEAD} is too small`, offset);
    }
    if (offset + size > records.length) break;
    batches.push(records.subarray(offset, offset + size));
    offset += size;
  }
  return { batches, partialTailBytes: records.length - offset };
}
