import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import * as snappy from 'snappy';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type * as ZstdWasm from '@bokuweb/zstd-wasm';
import { isDecodeError } from '../../../../src/protocol/primitives/decodeError';
import { COMPRESSION_CODECS, type CompressionCodec } from '../../../../src/protocol/records/batchHeader';
import { compress, decompress, MAX_DECOMPRESSED_BYTES } from '../../../../src/protocol/records/compression';

const COMPRESSED: CompressionCodec[] = ['gzip', 'snappy', 'lz4', 'zstd'];

/** Half random, half repetitive: exercises both literal and match paths of every codec. */
function sample(size: number): Buffer {
  const text = Buffer.from('kafka record payload, kafka record payload; ');
  const out = Buffer.alloc(size);
  for (let at = 0; at < size; at += text.length) text.copy(out, at);
  randomBytes(Math.floor(size / 2)).copy(out, 0);
  return out;
}

async function expectDecodeError(promise: Promise<unknown>, kind = 'invalid-value'): Promise<void> {
  await expect(promise).rejects.toSatisfy((error: unknown) => isDecodeError(error) && error.kind === kind);
}

/** LEB128, as snappy's raw-block preamble. */
function uvarint(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    bytes.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  bytes.push(rest);
  return Buffer.from(bytes);
}

/** A raw snappy block made of literals only, written by hand from the format description. */
function literalOnlySnappy(data: Buffer): Buffer {
  const parts = [uvarint(data.length)];
  for (let at = 0; at < data.length; at += 60) {
    const piece = data.subarray(at, at + 60);
    parts.push(Buffer.from([(piece.length - 1) << 2]), piece);
  }
  return Buffer.concat(parts);
}

function xerial(blocks: Buffer[]): Buffer {
  const header = Buffer.from('82534e41505059000000000100000001', 'hex');
  return Buffer.concat([
    header,
    ...blocks.flatMap((block) => {
      const length = Buffer.alloc(4);
      length.writeInt32BE(block.length);
      return [length, block];
    }),
  ]);
}

describe('compression round trips', () => {
  const sizes = [0, 1, 100, 40_000, 1024 * 1024, 3 * 1024 * 1024 + 17];
  for (const codec of COMPRESSION_CODECS) {
    for (const size of sizes) {
      it(`${codec} returns the same ${size} bytes it was given`, async () => {
        const data = sample(size);
        const packed = await compress(codec, data);
        expect((await decompress(codec, packed)).equals(data)).toBe(true);
      });
    }
  }

  it('compressing actually shrinks repetitive data for every codec', async () => {
    const data = Buffer.alloc(100_000, 'abcabcabc');
    for (const codec of COMPRESSED) {
      expect((await compress(codec, data)).length).toBeLessThan(data.length / 10);
    }
  });
});

describe('gzip against zlib directly', () => {
  it('our output is plain gzip and zlib gzip is read back', async () => {
    const data = sample(50_000);
    expect(zlib.gunzipSync(await compress('gzip', data)).equals(data)).toBe(true);
    expect((await decompress('gzip', zlib.gzipSync(data))).equals(data)).toBe(true);
  });

  it('reads concatenated gzip members, as Java GZIPInputStream does', async () => {
    const joined = Buffer.concat([zlib.gzipSync(Buffer.from('ab')), zlib.gzipSync(Buffer.from('cd'))]);
    expect((await decompress('gzip', joined)).toString()).toBe('abcd');
  });
});

describe('snappy framing', () => {
  it('writes xerial framing: header, then length-prefixed raw blocks of at most 32 KiB input', async () => {
    const data = sample(100_000);
    const packed = await compress('snappy', data);
    expect(packed.subarray(0, 16).toString('hex')).toBe('82534e41505059000000000100000001');
    const pieces: Buffer[] = [];
    for (let at = 16; at < packed.length; ) {
      const length = packed.readInt32BE(at);
      const block = snappy.uncompressSync(packed.subarray(at + 4, at + 4 + length), { asBuffer: true }) as Buffer;
      expect(block.length).toBeLessThanOrEqual(32 * 1024);
      pieces.push(block);
      at += 4 + length;
    }
    expect(pieces).toHaveLength(4);
    expect(Buffer.concat(pieces).equals(data)).toBe(true);
  });

  it('reads raw snappy as librdkafka and kafkajs write it', async () => {
    const data = sample(70_000);
    expect((await decompress('snappy', snappy.compressSync(data))).equals(data)).toBe(true);
  });

  it('reads hand-written literal-only blocks, raw and inside xerial framing', async () => {
    const data = Buffer.from('The quick brown fox jumps over the lazy dog. '.repeat(5));
    expect((await decompress('snappy', literalOnlySnappy(data))).equals(data)).toBe(true);
    const framed = xerial([literalOnlySnappy(data.subarray(0, 100)), literalOnlySnappy(data.subarray(100))]);
    expect((await decompress('snappy', framed)).equals(data)).toBe(true);
  });

  it('reads a xerial stream with a header and no blocks as empty', async () => {
    expect(await decompress('snappy', xerial([]))).toHaveLength(0);
  });
});

describe('lz4 frames', () => {
  it('writes the frame header Kafka writes: version 1, independent 64 KiB blocks, no checksums', async () => {
    const packed = await compress('lz4', Buffer.from('hello hello hello hello'));
    // magic 04 22 4d 18, FLG 0x60, BD 0x40, header checksum 0x82 (xxh32 of FLG+BD, byte 1)
    expect(packed.subarray(0, 7).toString('hex')).toBe('04224d18604082');
    expect(packed.subarray(-4).toString('hex')).toBe('00000000');
  });

  it('reads a hand-built frame of uncompressed blocks', async () => {
    const data = sample(150_000);
    const parts: Buffer[] = [Buffer.from('04224d18604082', 'hex')];
    for (let at = 0; at < data.length; at += 65536) {
      const block = data.subarray(at, at + 65536);
      const size = Buffer.alloc(4);
      size.writeUInt32LE((block.length | 0x80000000) >>> 0);
      parts.push(size, block);
    }
    parts.push(Buffer.alloc(4));
    expect((await decompress('lz4', Buffer.concat(parts))).equals(data)).toBe(true);
  });

  it('reads a frame from the reference lz4 CLI with a content checksum', async () => {
    // `printf 'hello hello hello hello hello' | lz4 -c` (lz4 1.9): FLG 0x64 = content checksum.
    const cli = Buffer.from('04224d186440a70f0000006e68656c6c6f200600506865 6c6c6f0000000079b1fff9'.replace(/ /g, ''), 'hex');
    expect((await decompress('lz4', cli)).toString()).toBe('hello hello hello hello hello');
  });
});

describe('zstd frames', () => {
  /** A frame with no content size (as streaming writers emit), built from RLE and raw blocks. */
  function streamedFrame(blocks: { rle?: number; raw?: Buffer; size: number }[]): Buffer {
    // descriptor 0x00: no content size, no single segment; window 2^(10+7) = 128 KiB.
    const parts: Buffer[] = [Buffer.from('28b52ffd0038', 'hex')];
    blocks.forEach((block, i) => {
      const last = i === blocks.length - 1 ? 1 : 0;
      const type = block.rle !== undefined ? 1 : 0;
      const word = last | (type << 1) | (block.size << 3);
      parts.push(Buffer.from([word & 0xff, (word >> 8) & 0xff, (word >> 16) & 0xff]));
      parts.push(block.rle !== undefined ? Buffer.from([block.rle]) : block.raw!);
    });
    return Buffer.concat(parts);
  }

  it('reads a frame without a content size whose output outgrows every early guess', async () => {
    const blocks = Array.from({ length: 20 }, (_, i) => ({ rle: i, size: 128 * 1024 }));
    const out = await decompress('zstd', streamedFrame(blocks));
    expect(out.length).toBe(20 * 128 * 1024);
    expect(out[0]).toBe(0);
    expect(out[out.length - 1]).toBe(19);
  });

  it('reads hand-built raw blocks byte for byte', async () => {
    const data = sample(200_000);
    const blocks = [
      { raw: data.subarray(0, 131072), size: 131072 },
      { raw: data.subarray(131072), size: data.length - 131072 },
    ];
    expect((await decompress('zstd', streamedFrame(blocks))).equals(data)).toBe(true);
  });

  /**
   * A fresh copy of the module whose wasm init is wrapped so its calls can be counted. The
   * wasm instance itself is process-wide and must be started only once (a second start
   * swaps its memory under running calls), so the wrapped "real" init goes through the
   * already-imported module, which starts it at most once.
   */
  async function freshWithInit(wrap: (init: () => Promise<void>) => () => Promise<void>) {
    const startWasmOnce = async (): Promise<void> => {
      await compress('zstd', Buffer.alloc(0));
    };
    vi.resetModules();
    vi.doMock('@bokuweb/zstd-wasm', async (importOriginal) => {
      const actual = await importOriginal<typeof ZstdWasm>();
      return { ...actual, init: wrap(startWasmOnce) };
    });
    // The mock stays until afterEach: the module imports the library on its first zstd call.
    return import('../../../../src/protocol/records/compression');
  }

  afterEach(() => {
    vi.doUnmock('@bokuweb/zstd-wasm');
  });

  it('initialises the wasm module once even when the first calls arrive together', async () => {
    let inits = 0;
    const fresh = await freshWithInit((init) => () => {
      inits++;
      return init();
    });
    const data = sample(10_000);
    const packed = await Promise.all(Array.from({ length: 16 }, () => fresh.compress('zstd', data)));
    const unpacked = await Promise.all(packed.map((bytes) => fresh.decompress('zstd', bytes)));
    expect(unpacked.every((bytes) => bytes.equals(data))).toBe(true);
    expect(inits).toBe(1);
  });

  it('retries initialisation after a failed start instead of failing forever', async () => {
    let inits = 0;
    const fresh = await freshWithInit((init) => () => {
      inits++;
      return inits === 1 ? Promise.reject(new Error('wasm unavailable')) : init();
    });
    await expect(fresh.compress('zstd', Buffer.from('x'))).rejects.toThrow('wasm unavailable');
    const packed = await fresh.compress('zstd', Buffer.from('x'));
    expect((await fresh.decompress('zstd', packed)).toString()).toBe('x');
    expect(inits).toBe(2);
  });
});

describe('corrupt compressed data becomes a DecodeError', () => {
  for (const codec of COMPRESSED) {
    it(`${codec}: garbage, empty and truncated input`, async () => {
      await expectDecodeError(decompress(codec, Buffer.from('definitely not compressed data at all')));
      const packed = await compress(codec, sample(5000));
      await expectDecodeError(decompress(codec, packed.subarray(0, Math.floor(packed.length / 2))));
      if (codec !== 'snappy') await expectDecodeError(decompress(codec, Buffer.alloc(0)));
    });

    it(`${codec}: 300 random mutations either decode or fail with DecodeError`, async () => {
      const packed = await compress(codec, sample(3000));
      let rejected = 0;
      for (let i = 0; i < 300; i++) {
        const mutated = Buffer.from(packed);
        for (let j = 0; j < 1 + (i % 4); j++) {
          mutated[Math.floor(Math.random() * mutated.length)] = Math.floor(Math.random() * 256);
        }
        try {
          await decompress(codec, mutated);
        } catch (error) {
          expect(isDecodeError(error), String(error)).toBe(true);
          rejected++;
        }
      }
      expect(rejected).toBeGreaterThan(0);
    });
  }

  it('snappy: a raw block claiming 4 GiB from a few bytes is refused before allocating', async () => {
    await expectDecodeError(decompress('snappy', Buffer.from('ffffffff0f00', 'hex')));
    await expectDecodeError(decompress('snappy', xerial([Buffer.from('ffffffff0f00', 'hex')])));
  });

  it('snappy: a xerial block length running past the end is refused', async () => {
    const framed = xerial([literalOnlySnappy(Buffer.from('abc'))]);
    framed.writeInt32BE(1000, 16);
    await expectDecodeError(decompress('snappy', framed));
  });

  it('zstd: a header declaring more than the limit is refused before allocating', async () => {
    // descriptor 0xc0: 8-byte content size, window byte, then 2^40.
    const frame = Buffer.from('28b52ffdc0380000000000010000', 'hex');
    await expect(decompress('zstd', frame)).rejects.toThrow(/limit/);
  });

  it('lz4: blocks adding up past the limit are refused before inflating', async () => {
    const blockCount = MAX_DECOMPRESSED_BYTES / (4 * 1024 * 1024) + 1;
    const parts = [Buffer.from('04224d186070', 'hex'), Buffer.from([0x73])];
    for (let i = 0; i < blockCount; i++) parts.push(Buffer.from('0100008061', 'hex'));
    parts.push(Buffer.alloc(4));
    await expect(decompress('lz4', Buffer.concat(parts))).rejects.toThrow(/limit/);
  });

  it('gzip: output past the limit is cut off with a DecodeError', async () => {
    const bomb = zlib.gzipSync(Buffer.alloc(MAX_DECOMPRESSED_BYTES + 1));
    await expect(decompress('gzip', bomb)).rejects.toThrow(/limit/);
  }, 30_000);
});
