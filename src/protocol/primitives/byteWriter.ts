import { ASCII_ATTEMPT_LIMIT, utf8Write, writeAscii } from './utf8';

/**
 * Builds a message as a list of chunks. Scalars go into a growing scratch buffer; byte
 * fields at least `BY_REFERENCE_THRESHOLD` long are kept by reference as their own chunk, so
 * a Fetch response carrying megabytes of record batches is written with `writev` and the
 * record bytes are never copied.
 */
const BY_REFERENCE_THRESHOLD = 1024;
const INITIAL_SCRATCH = 256;

export class ByteWriter {
  private readonly chunks: Buffer[] = [];
  private scratch: Buffer;
  private scratchStart = 0; // first byte of scratch not yet moved to `chunks`
  private position = 0;
  private flushedLength = 0;

  constructor(initialSize = INITIAL_SCRATCH) {
    this.scratch = Buffer.allocUnsafe(initialSize);
  }

  /** Total bytes written so far. */
  get length(): number {
    return this.flushedLength + (this.position - this.scratchStart);
  }

  private reserve(count: number): number {
    if (this.position + count > this.scratch.length) {
      this.flushScratch();
      const size = Math.max(count, this.scratch.length * 2);
      this.scratch = Buffer.allocUnsafe(size);
      this.scratchStart = 0;
      this.position = 0;
    }
    const at = this.position;
    this.position += count;
    return at;
  }

  private flushScratch(): void {
    if (this.position > this.scratchStart) {
      const piece = this.scratch.subarray(this.scratchStart, this.position);
      this.chunks.push(piece);
      this.flushedLength += piece.length;
      this.scratchStart = this.position;
    }
  }

  bool(value: boolean): this {
    {
      const at = this.reserve(1);
      this.scratch[at] = value ? 1 : 0;
    }
    return this;
  }

  int8(value: number): this {
    const at = this.reserve(1);
    this.scratch.writeInt8(value, at);
    return this;
  }

  int16(value: number): this {
    const at = this.reserve(2);
    this.scratch.writeInt16BE(value, at);
    return this;
  }

  uint16(value: number): this {
    const at = this.reserve(2);
    this.scratch.writeUInt16BE(value, at);
    return this;
  }

  int32(value: number): this {
    const at = this.reserve(4);
    this.scratch.writeInt32BE(value, at);
    return this;
  }

  uint32(value: number): this {
    const at = this.reserve(4);
    this.scratch.writeUInt32BE(value, at);
    return this;
  }

  /** As ByteReader.int64: a value within 53 bits is written from a number, without BigInt arithmetic. */
  int64(value: bigint): this {
    const at = this.reserve(8);
    const exact = Number(value);
    if (Number.isSafeInteger(exact)) {
      const high = Math.floor(exact / 0x1_0000_0000);
      this.scratch.writeInt32BE(high, at);
      this.scratch.writeUInt32BE(exact - high * 0x1_0000_0000, at + 4);
    } else {
      this.scratch.writeBigInt64BE(value, at);
    }
    return this;
  }

  float64(value: number): this {
    const at = this.reserve(8);
    this.scratch.writeDoubleBE(value, at);
    return this;
  }

  /** Inverse of ByteReader.uuid: base64url text to 16 raw bytes. */
  uuid(value: string): this {
    const bytes = Buffer.from(value, 'base64url');
    if (bytes.length !== 16) throw new RangeError(`uuid must be 16 bytes, got ${bytes.length}`);
    const at = this.reserve(16);
    bytes.copy(this.scratch, at);
    return this;
  }

  uvarint(value: number): this {
    if (value >>> 0 === value && value < 0x80) {
      const at = this.reserve(1);
      this.scratch[at] = value;
      return this;
    }
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
      throw new RangeError(`uvarint out of range: ${value}`);
    }
    let rest = value;
    while (rest >= 0x80) {
      {
      const at = this.reserve(1);
      this.scratch[at] = (rest % 0x80) | 0x80;
    }
      rest = Math.floor(rest / 0x80);
    }
    {
      const at = this.reserve(1);
      this.scratch[at] = rest;
    }
    return this;
  }

  varint(value: number): this {
    return this.uvarint(value >= 0 ? value * 2 : -value * 2 - 1);
  }

  varlong(value: bigint): this {
    let rest = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
    while (rest >= 0x80n) {
      {
      const at = this.reserve(1);
      this.scratch[at] = Number(rest & 0x7fn) | 0x80;
    }
      rest >>= 7n;
    }
    {
      const at = this.reserve(1);
      this.scratch[at] = Number(rest);
    }
    return this;
  }

  /** Appends bytes; large ones by reference (the caller must not mutate them afterwards). */
  raw(bytes: Uint8Array): this {
    if (bytes.length >= BY_REFERENCE_THRESHOLD) {
      this.flushScratch();
      const chunk = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
      this.chunks.push(chunk);
      this.flushedLength += chunk.length;
    } else {
      const at = this.reserve(bytes.length);
      this.scratch.set(bytes, at);
    }
    return this;
  }

  string(value: string | null): this {
    if (value === null) return this.int16(-1);
    if (value.length <= ASCII_ATTEMPT_LIMIT) {
      const at = this.reserve(2 + value.length);
      if (writeAscii(this.scratch, value, at + 2)) {
        this.scratch.writeInt16BE(value.length, at);
        return this;
      }
      this.position = at; // not ASCII: take back the reservation and write it as UTF-8
    }
    const length = Buffer.byteLength(value, 'utf8');
    if (length > 0x7fff) throw new RangeError(`string of ${length} bytes exceeds int16 length`);
    this.int16(length);
    const at = this.reserve(length); // before reading this.scratch, which reserve may replace
    utf8Write(this.scratch, value, at, length);
    return this;
  }

  compactString(value: string | null): this {
    if (value === null) return this.uvarint(0);
    if (value.length <= ASCII_ATTEMPT_LIMIT) {
      // length + 1 stays below 0x80, so the uvarint prefix is the one byte at `at`.
      const at = this.reserve(1 + value.length);
      if (writeAscii(this.scratch, value, at + 1)) {
        this.scratch[at] = value.length + 1;
        return this;
      }
      this.position = at; // not ASCII: take back the reservation and write it as UTF-8
    }
    const length = Buffer.byteLength(value, 'utf8');
    this.uvarint(length + 1);
    const at = this.reserve(length); // before reading this.scratch, which reserve may replace
    utf8Write(this.scratch, value, at, length);
    return this;
  }

  bytes(value: Uint8Array | null): this {
    if (value === null) return this.int32(-1);
    return this.int32(value.length).raw(value);
  }

  compactBytes(value: Uint8Array | null): this {
    if (value === null) return this.uvarint(0);
    return this.uvarint(value.length + 1).raw(value);
  }

  arrayLength(length: number | null, flexible: boolean): this {
    if (flexible) return this.uvarint(length === null ? 0 : length + 1);
    return this.int32(length === null ? -1 : length);
  }

  /** Varint-length bytes used inside records: varint length, -1 = null. */
  varintBytes(value: Uint8Array | null): this {
    if (value === null) return this.varint(-1);
    return this.varint(value.length).raw(value);
  }

  /**
   * Reserves an int32 now and returns a function that fills it in later: used for size
   * prefixes whose value is only known once the body is written.
   */
  placeholderInt32(): (value: number) => void {
    const at = this.reserve(4);
    const buffer = this.scratch;
    return (value: number) => {
      buffer.writeInt32BE(value, at);
    };
  }

  /** The chunks, for `socket.writev`/`cork`; the writer must not be used afterwards. */
  toChunks(): Buffer[] {
    this.flushScratch();
    return this.chunks;
  }

  /** One contiguous buffer (copies when there is more than one chunk). */
  toBuffer(): Buffer {
    const chunks = this.toChunks();
    if (chunks.length === 1) return chunks[0]!;
    return Buffer.concat(chunks, this.flushedLength);
  }
}
