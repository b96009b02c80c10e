import { describe, expect, it } from 'vitest';
import { ByteReader } from '../../../src/protocol/primitives/byteReader';
import { ByteWriter } from '../../../src/protocol/primitives/byteWriter';
import { DecodeError } from '../../../src/protocol/primitives/decodeError';

function roundTrip(write: (w: ByteWriter) => void, read: (r: ByteReader) => unknown): unknown {
  const writer = new ByteWriter(4);
  write(writer);
  const reader = new ByteReader(writer.toBuffer());
  const value = read(reader);
  expect(reader.remaining).toBe(0);
  return value;
}

describe('byte primitives', () => {
  it('round-trips varints at their boundaries', () => {
    for (const n of [0, 1, -1, 63, -64, 64, 2 ** 31 - 1, -(2 ** 31)]) {
      expect(roundTrip((w) => w.varint(n), (r) => r.varint())).toBe(n);
    }
    for (const n of [0, 127, 128, 16383, 16384, 0xffffffff]) {
      expect(roundTrip((w) => w.uvarint(n), (r) => r.uvarint())).toBe(n);
    }
    for (const n of [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 1234567890123n]) {
      expect(roundTrip((w) => w.varlong(n), (r) => r.varlong())).toBe(n);
    }
  });

  it('encodes zig-zag varints as Kafka does', () => {
    expect(new ByteWriter().varint(-1).toBuffer()).toEqual(Buffer.from([0x01]));
    expect(new ByteWriter().varint(1).toBuffer()).toEqual(Buffer.from([0x02]));
    expect(new ByteWriter().uvarint(300).toBuffer()).toEqual(Buffer.from([0xac, 0x02]));
  });

  it('round-trips strings, bytes and nulls in both encodings', () => {
    expect(roundTrip((w) => w.string('héllo'), (r) => r.string(true))).toBe('héllo');
    expect(roundTrip((w) => w.string(null), (r) => r.string(true))).toBeNull();
    expect(roundTrip((w) => w.compactString(''), (r) => r.compactString(true))).toBe('');
    expect(roundTrip((w) => w.compactString(null), (r) => r.compactString(true))).toBeNull();
    const big = Buffer.alloc(5000, 7);
    expect(roundTrip((w) => w.compactBytes(big), (r) => r.compactBytes(false))).toEqual(big);
    expect(roundTrip((w) => w.bytes(null), (r) => r.bytes(true))).toBeNull();
    const uuid = Buffer.from('00112233445566778899aabbccddeeff', 'hex').toString('base64url');
    expect(roundTrip((w) => w.uuid(uuid), (r) => r.uuid())).toBe(uuid);
  });

  it('returns byte fields as views of the source, without copying', () => {
    const source = new ByteWriter().bytes(Buffer.from('payload')).toBuffer();
    const view = new ByteReader(source).bytes(false);
    source[source.length - 1] = 0x21;
    expect(view.toString()).toBe('payloa!');
  });

  it('keeps large byte fields by reference as their own chunk', () => {
    const big = Buffer.alloc(4096, 1);
    const chunks = new ByteWriter().int32(1).raw(big).int8(2).toChunks();
    expect(chunks).toHaveLength(3);
    expect(chunks[1]).toBe(big);
  });

  it('fills a size placeholder after the body is written', () => {
    const writer = new ByteWriter(2);
    const setSize = writer.placeholderInt32();
    writer.string('abcdefgh');
    setSize(writer.length - 4);
    const buffer = writer.toBuffer();
    expect(buffer.readInt32BE(0)).toBe(10);
  });

  it('raises typed errors for truncated, negative and oversized input', () => {
    const expectKind = (bytes: number[], read: (r: ByteReader) => unknown, kind: string) => {
      try {
        read(new ByteReader(Buffer.from(bytes)));
        expect.unreachable('decoding should fail');
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).kind).toBe(kind);
      }
    };
    expectKind([0, 0, 0], (r) => r.int32(), 'truncated');
    expectKind([0, 5, 0x61], (r) => r.string(false), 'truncated');
    expectKind([0xff, 0xfe], (r) => r.string(true), 'negative-length');
    expectKind([0xff, 0xff], (r) => r.string(false), 'null-not-allowed');
    expectKind([0xff, 0xff, 0xff, 0xff, 0xff, 0x01], (r) => r.uvarint(), 'invalid-varint');
    expectKind([0x7f, 0xff, 0xff, 0xff], (r) => r.arrayLength(false, false), 'truncated');
  });

  it('writes short ASCII and UTF-8 strings byte for byte as Node encodes them, whatever the scratch size', () => {
    const texts = [
      '',
      'a',
      'min.insync.replicas',
      'x'.repeat(63),
      'x'.repeat(64), // the longest string tried as ASCII first
      'x'.repeat(65),
      'x'.repeat(200), // compact length prefix of two bytes
      'é' + 'x'.repeat(20), // non-ASCII first: nothing of the ASCII attempt may remain
      'x'.repeat(20) + 'é', // non-ASCII last, after the ASCII attempt wrote 20 bytes
      'topic-日本-🙂',
      '\u007f\u0080',
      '\ud800', // a lone surrogate: written as U+FFFD, as Buffer.from writes it
    ];
    for (const initial of [1, 4, 256]) {
      const writer = new ByteWriter(initial);
      const expected: Buffer[] = [];
      for (const text of texts) {
        const utf8 = Buffer.from(text, 'utf8');
        const int16 = Buffer.alloc(2);
        int16.writeInt16BE(utf8.length);
        const compact = new ByteWriter().uvarint(utf8.length + 1).toBuffer();
        writer.string(text).compactString(text).int8(7);
        expected.push(int16, utf8, compact, utf8, Buffer.from([7]));
      }
      const bytes = writer.toBuffer();
      expect(bytes).toEqual(Buffer.concat(expected));
      const reader = new ByteReader(bytes);
      for (const text of texts) {
        const decoded = Buffer.from(text, 'utf8').toString('utf8');
        expect(reader.string(false)).toBe(decoded);
        expect(reader.compactString(false)).toBe(decoded);
        expect(reader.int8()).toBe(7);
      }
      expect(reader.remaining).toBe(0);
    }
  });

  it('decodes malformed UTF-8 leniently, as Kafka does, and never past the string', () => {
    const bytes = Buffer.from([0x00, 0x03, 0x61, 0xc3, 0x28, 0x05]);
    const reader = new ByteReader(bytes);
    expect(reader.string(false)).toBe('a\ufffd(');
    expect(reader.int8()).toBe(5);
  });

  it('writes int64 byte for byte as writeBigInt64BE, inside and outside 53 bits', () => {
    const values = [
      0n, 1n, -1n, -2n, 4294967295n, 4294967296n, -4294967296n, -4294967297n,
      2n ** 53n - 1n, 2n ** 53n, -(2n ** 53n) + 1n, -(2n ** 53n), 2n ** 63n - 1n, -(2n ** 63n), 1_700_000_000_000n,
    ];
    for (const value of values) {
      const expected = Buffer.alloc(8);
      expected.writeBigInt64BE(value);
      expect(new ByteWriter(1).int64(value).toBuffer()).toEqual(expected);
      expect(new ByteReader(expected).int64()).toBe(value);
    }
    expect(() => new ByteWriter().int64(2n ** 63n)).toThrow(RangeError);
  });

  it('reads one-byte and five-byte uvarints and refuses six', () => {
    for (const n of [0, 0x7f, 0x80, 0x3fff, 0x4000, 0xfffffff, 0x10000000, 0xffffffff]) {
      const bytes = new ByteWriter(1).uvarint(n).int8(9).toBuffer();
      const reader = new ByteReader(bytes);
      expect(reader.uvarint()).toBe(n);
      expect(reader.int8()).toBe(9);
    }
    expect(() => new ByteReader(Buffer.from([0x80, 0x80, 0x80, 0x80, 0x80, 0x01])).uvarint()).toThrow(DecodeError);
    expect(() => new ByteReader(Buffer.from([0x80])).uvarint()).toThrow(/need 1 bytes/);
    expect(() => new ByteWriter().uvarint(-1)).toThrow(RangeError);
    expect(() => new ByteWriter().uvarint(1.5)).toThrow(RangeError);
  });
});
