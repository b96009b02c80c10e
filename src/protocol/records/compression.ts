import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type * as SnappyLibrary from 'snappy';
import type * as Lz4Library from 'lz4-napi';
import type * as ZstdLibrary from '@bokuweb/zstd-wasm';
import { DecodeError } from '../primitives/decodeError';
import { ByteReader } from '../primitives/byteReader';
import type { CompressionCodec } from './batchHeader';

/**
 * The record-set codecs of a magic-2 batch (attribute bits 0-2). Only the records after the
 * 61-byte header are compressed, as one stream.
 *
 * Decompression reads bytes a client sent, so every codec checks the size it is about to
 * produce before the native or wasm code allocates it: a few bytes claiming gigabytes must
 * become a DecodeError, not an out-of-memory abort of the whole app.
 */

/**
 * Largest record set we inflate. Kafka's own limit is on the compressed batch
 * (message.max.bytes, 1 MiB by default); 256 MiB leaves room for very compressible data
 * while keeping a hostile batch from exhausting memory.
 */
export const MAX_DECOMPRESSED_BYTES = 256 * 1024 * 1024;

/**
 * The snappy, lz4 and zstd libraries load on first use: importing all three costs every broker
 * process a few hundred milliseconds of startup and tens of MiB of memory, and most clusters
 * never see some (or any) of these codecs.
 */
let snappyLibrary: Promise<typeof SnappyLibrary> | undefined;
const loadSnappy = () => (snappyLibrary ??= import('snappy'));
let lz4Library: Promise<typeof Lz4Library> | undefined;
const loadLz4 = () => (lz4Library ??= import('lz4-napi'));

const gzipAsync = promisify(zlib.gzip);
const gunzipAsync = promisify(zlib.gunzip);

export async function compress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return gzipAsync(data);
    case 'snappy':
      return compressSnappyXerial(data);
    case 'lz4':
      return compressLz4(data);
    case 'zstd':
      return compressZstd(data);
  }
}

export async function decompress(codec: CompressionCodec, data: Buffer): Promise<Buffer> {
  switch (codec) {
    case 'none':
      return data;
    case 'gzip':
      return decompressGzip(data);
    case 'snappy':
      return decompressSnappy(data);
    case 'lz4':
      return decompressLz4(data);
    case 'zstd':
      return decompressZstd(data);
  }
}

function corrupt(codec: CompressionCodec, detail: string): DecodeError {
  return new DecodeError('invalid-value', `${codec} record set is corrupt: ${detail}`);
}

/** `size` is what the payload claims, when it says; otherwise only that the limit was hit. */
function tooLarge(codec: CompressionCodec, size?: number): DecodeError {
  const claim = size === undefined ? 'more' : `${size} bytes`;
  return new DecodeError(
    'invalid-value',
    `${codec} record set would inflate to ${claim}, above the ${MAX_DECOMPRESSED_BYTES}-byte limit`,
  );
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

// ---------------------------------------------------------------------------------------
// gzip: what Java's GZIPOutputStream writes; gunzip also reads concatenated members.

async function decompressGzip(data: Buffer): Promise<Buffer> {
  try {
    return await gunzipAsync(data, { maxOutputLength: MAX_DECOMPRESSED_BYTES });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') {
      throw tooLarge('gzip');
    }
    throw corrupt('gzip', messageOf(error));
  }
}

// ---------------------------------------------------------------------------------------
// snappy. Kafka carries snappy in two shapes:
//  - xerial framing: the Java client (and the broker when it recompresses) writes xerial
//    snappy-java's SnappyOutputStream format: a 16-byte header (0x82 "SNAPPY" 0x00, int32
//    version 1, int32 min-compatible version 1), then blocks of [int32 BE length][raw
//    snappy block], each block compressing up to 32 KiB of input.
//  - raw snappy: librdkafka (kcat, confluent-kafka) and kafkajs's snappy plugin write one
//    raw snappy block for the whole record set.
// Every client reads both: Java's SnappyInputStream falls back to raw when the magic is
// missing, librdkafka and kafka-python detect the xerial magic. We encode xerial because it
// is what Kafka itself writes, so it is the shape every consumer is tested against daily;
// we decode both. The check is unambiguous: raw snappy begins with a uvarint length and
// then a literal, and 0x82 0x53 0x4e would be a length followed by a copy, which cannot
// start a valid stream.

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_SIZE = 16;
const XERIAL_VERSION = 1;
const XERIAL_BLOCK_SIZE = 32 * 1024;
/**
 * The best a snappy element does is a 3-byte copy that emits 64 bytes, so a raw block
 * claiming more than 64/3 times its own size is corrupt; checked before allocating.
 */
const SNAPPY_MAX_RATIO = 64 / 3;
// Electron 21+ forbids buffers that point at native memory (the V8 memory cage); copying
// the output keeps the napi-rs codec usable in the Electron main process.
const SNAPPY_OPTIONS = { copyOutputData: true } as const;

async function compressSnappyXerial(data: Buffer): Promise<Buffer> {
  const snappy = await loadSnappy();
  const blocks: Promise<Buffer>[] = [];
  for (let at = 0; at < data.length; at += XERIAL_BLOCK_SIZE) {
    blocks.push(snappy.compress(data.subarray(at, at + XERIAL_BLOCK_SIZE), SNAPPY_OPTIONS));
  }
  const header = Buffer.alloc(XERIAL_HEADER_SIZE);
  XERIAL_MAGIC.copy(header, 0);
  header.writeInt32BE(XERIAL_VERSION, 8);
  header.writeInt32BE(XERIAL_VERSION, 12);
  const parts: Buffer[] = [header];
  for (const block of await Promise.all(blocks)) {
    const length = Buffer.alloc(4);
    length.writeInt32BE(block.length, 0);
    parts.push(length, block);
  }
  return Buffer.concat(parts);
}

function isXerial(data: Buffer): boolean {
  return data.length >= XERIAL_MAGIC.length && data.subarray(0, XERIAL_MAGIC.length).equals(XERIAL_MAGIC);
}

async function decompressSnappy(data: Buffer): Promise<Buffer> {
  if (!isXerial(data)) {
    checkedRawSnappyLength(data);
    return uncompressRawSnappy(data);
  }
  if (data.length < XERIAL_HEADER_SIZE) throw corrupt('snappy', 'xerial header cut short');
  const blocks: Buffer[] = [];
  let declaredTotal = 0;
  let at = XERIAL_HEADER_SIZE;
  while (at < data.length) {
    if (at + 4 > data.length) throw corrupt('snappy', `xerial block length cut short at byte ${at}`);
    const length = data.readInt32BE(at);
    if (length < 0 || at + 4 + length > data.length) {
      throw corrupt('snappy', `xerial block of ${length} bytes at byte ${at} overruns the payload`);
    }
    const block = data.subarray(at + 4, at + 4 + length);
    declaredTotal += checkedRawSnappyLength(block);
    if (declaredTotal > MAX_DECOMPRESSED_BYTES) throw tooLarge('snappy', declaredTotal);
    blocks.push(block);
    at += 4 + length;
  }
  const outputs = await Promise.all(blocks.map(uncompressRawSnappy));
  return outputs.length === 1 ? outputs[0]! : Buffer.concat(outputs);
}

/** The uncompressed length a raw block declares, refused when impossible or over the limit. */
function checkedRawSnappyLength(block: Buffer): number {
  let declared: number;
  try {
    declared = new ByteReader(block).uvarint();
  } catch {
    throw corrupt('snappy', 'bad uncompressed-length varint');
  }
  if (declared > block.length * SNAPPY_MAX_RATIO) {
    throw corrupt('snappy', `block of ${block.length} bytes claims ${declared} uncompressed bytes`);
  }
  if (declared > MAX_DECOMPRESSED_BYTES) throw tooLarge('snappy', declared);
  return declared;
}

/** Callers check the declared length first (checkedRawSnappyLength). */
async function uncompressRawSnappy(block: Buffer): Promise<Buffer> {
  const snappy = await loadSnappy();
  try {
    return (await snappy.uncompress(block, { ...SNAPPY_OPTIONS, asBuffer: true })) as Buffer;
  } catch (error) {
    throw corrupt('snappy', messageOf(error));
  }
}

// ---------------------------------------------------------------------------------------
// lz4: Kafka uses the standard LZ4 *frame* format (KIP-57). Java's KafkaLZ4BlockOutputStream
// writes version 1, independent blocks, 64 KiB maximum block size, no block or content
// checksum and no content size. lz4-napi's compressFrame (lz4_flex defaults) writes exactly
// that header (04 22 4d 18 60 40 82; a test pins it). Java's reader validates the frame
// header checksum; the "broken" checksum over magic+descriptor that Kafka 0.8-era clients
// wrote matters only for magic 0 message sets, never for magic-2 batches, so we always
// write and expect the standard one. Decoding accepts any valid frame (linked blocks,
// checksums, content size: librdkafka and the lz4 CLI write those).

const LZ4_FRAME_MAGIC = 0x184d2204;
const LZ4_SKIPPABLE_MASK = 0xfffffff0;
const LZ4_SKIPPABLE_MAGIC = 0x184d2a50;
const LZ4_BLOCK_MAX_BY_ID: { readonly [id: number]: number } = {
  4: 64 * 1024,
  5: 256 * 1024,
  6: 1024 * 1024,
  7: 4 * 1024 * 1024,
};

async function compressLz4(data: Buffer): Promise<Buffer> {
  const { compressFrame } = await loadLz4();
  return compressFrame(data, { blockChecksums: false, contentChecksum: false });
}

/**
 * Walks the frame's block headers (without decoding them) to validate its structure and
 * bound the output: each block inflates to at most the frame's block maximum size.
 */
function checkLz4Frame(data: Buffer): void {
  let bound = 0;
  let at = 0;
  const need = (count: number, what: string): void => {
    if (at + count > data.length) throw corrupt('lz4', `${what} cut short at byte ${at}`);
  };
  do {
    need(4, 'frame magic');
    const magic = data.readUInt32LE(at);
    if ((magic & LZ4_SKIPPABLE_MASK) >>> 0 === LZ4_SKIPPABLE_MAGIC) {
      need(8, 'skippable frame');
      at += 8 + data.readUInt32LE(at + 4);
      need(0, 'skippable frame');
      continue;
    }
    if (magic !== LZ4_FRAME_MAGIC) {
      throw corrupt('lz4', `bad frame magic 0x${magic.toString(16)} at byte ${at}`);
    }
    need(7, 'frame descriptor');
    const flags = data[at + 4]!;
    const blockMax = LZ4_BLOCK_MAX_BY_ID[(data[at + 5]! >> 4) & 0x07];
    if (flags >> 6 !== 1) throw corrupt('lz4', `unsupported frame version ${flags >> 6}`);
    if (blockMax === undefined) throw corrupt('lz4', `bad block maximum size id ${(data[at + 5]! >> 4) & 0x07}`);
    const blockChecksum = (flags & 0x10) !== 0;
    const contentSize = (flags & 0x08) !== 0;
    const contentChecksum = (flags & 0x04) !== 0;
    const dictionary = (flags & 0x01) !== 0;
    at += 4 + 2 + (contentSize ? 8 : 0) + (dictionary ? 4 : 0) + 1;
    for (;;) {
      need(4, 'block header');
      const word = data.readUInt32LE(at);
      at += 4;
      if (word === 0) break;
      const size = word & 0x7fffffff;
      if (size > blockMax) throw corrupt('lz4', `block of ${size} bytes exceeds the frame's ${blockMax}-byte maximum`);
      at += size + (blockChecksum ? 4 : 0);
      need(0, 'block');
      bound += blockMax;
      if (bound > MAX_DECOMPRESSED_BYTES) throw tooLarge('lz4');
    }
    at += contentChecksum ? 4 : 0;
    need(0, 'content checksum');
  } while (at < data.length);
}

async function decompressLz4(data: Buffer): Promise<Buffer> {
  checkLz4Frame(data);
  const { decompressFrame } = await loadLz4();
  try {
    return await decompressFrame(data);
  } catch (error) {
    throw corrupt('lz4', messageOf(error));
  }
}

// ---------------------------------------------------------------------------------------
// zstd (KIP-110). The wasm instance is process-wide and zstd-wasm's init() re-instantiates
// it on every call, swapping its memory under calls in flight; so it must start exactly
// once, and only this module may call init(). The first caller starts it, concurrent
// callers await the same promise, and a failed start is forgotten so a later call retries.

let zstdReady: Promise<typeof ZstdLibrary> | undefined;

function loadZstd(): Promise<typeof ZstdLibrary> {
  zstdReady ??= import('@bokuweb/zstd-wasm')
    .then(async (zstd) => {
      await zstd.init();
      return zstd;
    })
    .catch((error: unknown) => {
      zstdReady = undefined;
      throw error;
    });
  return zstdReady;
}

/** Level 3 is zstd's and the Java client's default. */
const ZSTD_LEVEL = 3;
const ZSTD_MAGIC = 0xfd2fb528;
/** ZSTD_error_dstSize_tooSmall, reported by the wasm wrapper as a negative code. */
const ZSTD_DST_TOO_SMALL = -70;
const ZSTD_MIN_GUESS = 64 * 1024;

const asBuffer = (bytes: Uint8Array): Buffer => Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);

async function compressZstd(data: Buffer): Promise<Buffer> {
  const zstd = await loadZstd();
  return asBuffer(zstd.compress(data, ZSTD_LEVEL));
}

/**
 * Reads the first frame's header (RFC 8878 section 3.1.1.1) and returns its declared
 * content size, or null when the writer did not record it (zstd-jni's and librdkafka's
 * streaming compressors leave it out). Validating the header here also guarantees the
 * wasm wrapper never sees a header it would size its output buffer from wrongly.
 */
function zstdDeclaredSize(data: Buffer): number | null {
  if (data.length < 6 || data.readUInt32LE(0) !== ZSTD_MAGIC) {
    throw corrupt('zstd', 'missing zstd frame magic');
  }
  const descriptor = data[4]!;
  if ((descriptor & 0x08) !== 0) throw corrupt('zstd', 'reserved frame header bit set');
  const singleSegment = (descriptor & 0x20) !== 0;
  const sizeFieldBytes = [singleSegment ? 1 : 0, 2, 4, 8][descriptor >> 6]!;
  const dictionaryBytes = [0, 1, 2, 4][descriptor & 0x03]!;
  const at = 5 + (singleSegment ? 0 : 1) + dictionaryBytes;
  if (at + sizeFieldBytes > data.length) throw corrupt('zstd', 'frame header cut short');
  switch (sizeFieldBytes) {
    case 0:
      return null;
    case 1:
      return data[at]!;
    case 2:
      return data.readUInt16LE(at) + 256;
    case 4:
      return data.readUInt32LE(at);
    default: {
      // Above 2^53 the exact value no longer matters: it is over the limit either way.
      return Number(data.readBigUInt64LE(at));
    }
  }
}

function zstdErrorCode(error: unknown): number | null {
  const match = /code (-?\d+)/.exec(messageOf(error));
  return match ? Number(match[1]) : null;
}

async function decompressZstd(data: Buffer): Promise<Buffer> {
  const declared = zstdDeclaredSize(data);
  if (declared !== null && declared > MAX_DECOMPRESSED_BYTES) throw tooLarge('zstd', declared);
  const zstd = await loadZstd();
  // Without a declared size the output size is unknown: start from a guess and double
  // while zstd reports that the buffer was too small.
  let capacity = Math.min(Math.max(data.length * 8, ZSTD_MIN_GUESS), MAX_DECOMPRESSED_BYTES);
  for (;;) {
    try {
      return asBuffer(zstd.decompress(data, { defaultHeapSize: capacity }));
    } catch (error) {
      const code = zstdErrorCode(error);
      if (code !== ZSTD_DST_TOO_SMALL) {
        throw corrupt('zstd', code === null ? messageOf(error) : `zstd error code ${-code}`);
      }
      if (declared !== null) {
        // The wrapper sizes the buffer from the first frame alone; more data means several
        // frames, which no Kafka client writes.
        throw corrupt('zstd', `content exceeds the ${declared} bytes its first frame declares`);
      }
      if (capacity >= MAX_DECOMPRESSED_BYTES) throw tooLarge('zstd');
      capacity = Math.min(capacity * 2, MAX_DECOMPRESSED_BYTES);
    }
  }
}
