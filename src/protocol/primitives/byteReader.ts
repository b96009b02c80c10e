import { DecodeError } from './decodeError';
import { utf8Slice } from './utf8';

/** Kafka's Uuid.ZERO_UUID (no topic id, "not set") in the base64url text form `uuid()` reads. */
export const ZERO_UUID = Buffer.alloc(16).toString('base64url');

/**
 * A bounds-checked cursor over a Buffer, with Kafka's primitive encodings.
 * Byte fields come back as views (`subarray`) into the source buffer, never copies, so a
 * Produce request's record batches reach the log without the payload being copied.
 */
export class ByteReader {
  private position: number;

  constructor(
    private readonly buffer: Buffer,
    start = 0,
    private readonly end = buffer.length,
  ) {
    this.position = start;
  }

  get offset(): number {
    return this.position;
  }

  get remaining(): number {
    return this.end - this.position;
  }

  private need(count: number): number {
    const at = this.position;
    if (count < 0 || at + count > this.end) {
      throw new DecodeError(
        'truncated',
        `need ${count} bytes at offset ${at}, only ${this.end - at} left`,
        at,
      );
    }
    this.position = at + count;
    return at;
  }

  skip(count: number): void {
    this.need(count);
  }

  bool(): boolean {
    return this.buffer[this.need(1)] !== 0;
  }

  int8(): number {
    return this.buffer.readInt8(this.need(1));
  }

  int16(): number {
    return this.buffer.readInt16BE(this.need(2));
  }

  uint16(): number {
    return this.buffer.readUInt16BE(this.need(2));
  }

  int32(): number {
    return this.buffer.readInt32BE(this.need(4));
  }

  uint32(): number {
    return this.buffer.readUInt32BE(this.need(4));
  }

  /**
   * Offsets and timestamps fit in 53 bits: one BigInt made from a number costs half of
   * readBigInt64BE, which builds it from two halves. Wider values take that general path.
   */
  int64(): bigint {
    const at = this.need(8);
    const high = this.buffer.readInt32BE(at);
    if (high >= -0x200000 && high < 0x200000) return BigInt(high * 0x1_0000_0000 + this.buffer.readUInt32BE(at + 4));
    return this.buffer.readBigInt64BE(at);
  }

  float64(): number {
    return this.buffer.readDoubleBE(this.need(8));
  }

  /** UUIDs travel as 16 raw bytes; we keep Kafka's base64url text form for display and equality. */
  uuid(): string {
    const at = this.need(16);
    return this.buffer.subarray(at, at + 16).toString('base64url');
  }

  /** Unsigned LEB128 varint of at most 32 bits (5 bytes). */
  uvarint(): number {
    // Most varints (lengths, counts, empty tagged-field sections) are one byte.
    const first = this.buffer[this.need(1)]!;
    if (first < 0x80) return first;
    let result = first & 0x7f;
    let shift = 7;
    for (let i = 1; i < 5; i++) {
      const byte = this.buffer[this.need(1)]!;
      result += (byte & 0x7f) * 2 ** shift;
      if ((byte & 0x80) === 0) {
        if (result > 0xffffffff) break;
        return result;
      }
      shift += 7;
    }
    throw new DecodeError('invalid-varint', 'unsigned varint longer than 32 bits', this.position);
  }

  /** Zig-zag signed varint of at most 32 bits. */
  varint(): number {
    const raw = this.uvarint();
    return raw % 2 === 0 ? raw / 2 : -(raw + 1) / 2;
  }

  /** Zig-zag signed varint of at most 64 bits (10 bytes). */
  varlong(): bigint {
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      const byte = this.buffer[this.need(1)]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        return (result >> 1n) ^ -(result & 1n);
      }
      shift += 7n;
    }
    throw new DecodeError('invalid-varint', 'varlong longer than 64 bits', this.position);
  }

  /** Raw view of the next `count` bytes. */
  raw(count: number): Buffer {
    const at = this.need(count);
    return this.buffer.subarray(at, at + count);
  }

  private lengthOrNull(length: number, nullable: boolean, what: string): number | null {
    if (length === -1) {
      if (!nullable) throw new DecodeError('null-not-allowed', `${what} is null`, this.position);
      return null;
    }
    if (length < -1) {
      throw new DecodeError('negative-length', `${what} has length ${length}`, this.position);
    }
    return length;
  }

  /**
   * Decoded leniently, like Kafka's own readers: malformed UTF-8 becomes U+FFFD. Straight
   * from the source buffer: a subarray per string (a Buffer object each) cost as much as the
   * decoding of the short names a response is full of.
   */
  private text(length: number): string {
    const at = this.need(length);
    return utf8Slice(this.buffer, at, at + length);
  }

  /** Non-flexible string: int16 length, -1 = null. */
  string(nullable: false): string;
  string(nullable: boolean): string | null;
  string(nullable: boolean): string | null {
    const length = this.lengthOrNull(this.int16(), nullable, 'string');
    return length === null ? null : this.text(length);
  }

  /** Flexible string: uvarint length + 1, 0 = null. */
  compactString(nullable: false): string;
  compactString(nullable: boolean): string | null;
  compactString(nullable: boolean): string | null {
    const length = this.lengthOrNull(this.uvarint() - 1, nullable, 'compact string');
    return length === null ? null : this.text(length);
  }

  /** Non-flexible bytes: int32 length, -1 = null. */
  bytes(nullable: false): Buffer;
  bytes(nullable: boolean): Buffer | null;
  bytes(nullable: boolean): Buffer | null {
    const length = this.lengthOrNull(this.int32(), nullable, 'bytes');
    return length === null ? null : this.raw(length);
  }

  /** Flexible bytes: uvarint length + 1, 0 = null. */
  compactBytes(nullable: false): Buffer;
  compactBytes(nullable: boolean): Buffer | null;
  compactBytes(nullable: boolean): Buffer | null {
    const length = this.lengthOrNull(this.uvarint() - 1, nullable, 'compact bytes');
    return length === null ? null : this.raw(length);
  }

  /**
   * Array length: int32 (non-flexible) or uvarint + 1 (flexible). Returns null for a null
   * array. Each element needs at least one byte, so a count larger than the bytes left is
   * rejected before anything is allocated for it.
   */
  arrayLength(flexible: boolean, nullable: boolean): number | null {
    const raw = flexible ? this.uvarint() - 1 : this.int32();
    const length = this.lengthOrNull(raw, nullable, 'array');
    if (length !== null && length > this.remaining) {
      throw new DecodeError(
        'truncated',
        `array of ${length} elements cannot fit in ${this.remaining} bytes`,
        this.position,
      );
    }
    return length;
  }

  /** Varint-length bytes used inside records: varint length, -1 = null. */
  varintBytes(): Buffer | null {
    const length = this.lengthOrNull(this.varint(), true, 'record field');
    return length === null ? null : this.raw(length);
  }
}
