import { readSync } from 'node:fs';
import { BATCH_HEADER_SIZE, BATCH_LENGTH_OVERHEAD } from '../../protocol/records/batchHeader';

/** A batch found in a segment file: its position, total size, and its leading bytes. */
export interface ScannedBatch {
  ok: true;
  position: number;
  size: number;
  /** The whole batch in 'whole' mode; at least min(size, peekBytes) leading bytes otherwise. */
  bytes: Buffer;
  baseOffset: number;
  lastOffset: number;
}

/** Where and why a scan stopped before the end: a torn write or bytes that are no batch. */
export interface ScanStop {
  ok: false;
  position: number;
  reason: string;
}

const CHUNK_BYTES = 1024 * 1024;
/**
 * Peek mode reads ahead like a sequential reader: a first read small enough for an offset
 * lookup (which walks about index.interval.bytes from an index entry), then doubling chunks
 * for long scans. Once batches are large, a chunk would hold few headers and mostly bytes the
 * caller never looks at, so each read fetches just the leading bytes it needs.
 */
const FIRST_PEEK_READ_BYTES = 16 * 1024;
const LARGE_BATCH_BYTES = 64 * 1024;
const SMALL_READ_BYTES = 4096;

/**
 * Walks the batches of a segment file from `start` to `end` by their length fields, reading
 * in large chunks so scanning many small batches costs few system calls. It checks only what
 * it needs to walk (a length that fits the file and covers a header); the caller validates
 * the contents. Used by offset lookups, reads, recovery and index rebuilds.
 */
export function* scanBatches(
  fd: number,
  start: number,
  end: number,
  mode: { whole: true } | { whole: false; peekBytes: number },
): Generator<ScannedBatch | ScanStop> {
  let chunk = Buffer.alloc(0);
  let chunkStart = 0;
  let readSize = mode.whole ? CHUNK_BYTES : FIRST_PEEK_READ_BYTES;
  let lastBatchSize = 0;
  const view = (position: number, length: number): Buffer => {
    if (position < chunkStart || position + length > chunkStart + chunk.length) {
      if (!mode.whole && chunk.length > 0) readSize = lastBatchSize >= LARGE_BATCH_BYTES ? SMALL_READ_BYTES : Math.min(CHUNK_BYTES, readSize * 2);
      const size = Math.min(Math.max(readSize, length), end - position);
      chunk = Buffer.allocUnsafe(size);
      const read = readSync(fd, chunk, 0, size, position);
      chunk = chunk.subarray(0, read);
      chunkStart = position;
    }
    return chunk.subarray(position - chunkStart, position - chunkStart + length);
  };

  let position = start;
  while (position < end) {
    if (end - position < BATCH_LENGTH_OVERHEAD) {
      yield { ok: false, position, reason: `${end - position} trailing bytes are too few for a batch length` };
      return;
    }
    const lengthBytes = view(position, BATCH_LENGTH_OVERHEAD);
    if (lengthBytes.length < BATCH_LENGTH_OVERHEAD) {
      yield { ok: false, position, reason: 'the file ended while reading' };
      return;
    }
    const size = lengthBytes.readInt32BE(8) + BATCH_LENGTH_OVERHEAD;
    if (size < BATCH_HEADER_SIZE) {
      yield { ok: false, position, reason: `batch length ${size - BATCH_LENGTH_OVERHEAD} is below the header size` };
      return;
    }
    if (position + size > end) {
      yield { ok: false, position, reason: `batch of ${size} bytes is cut short at ${end - position} bytes` };
      return;
    }
    const wanted = mode.whole ? size : Math.min(size, Math.max(mode.peekBytes, BATCH_HEADER_SIZE));
    const bytes = view(position, wanted);
    if (bytes.length < wanted) {
      yield { ok: false, position, reason: 'the file ended while reading' };
      return;
    }
    lastBatchSize = size;
    const baseOffset = Number(bytes.readBigInt64BE(0));
    yield { ok: true, position, size, bytes, baseOffset, lastOffset: baseOffset + bytes.readInt32BE(23) };
    position += size;
  }
}
