import { ByteReader } from '../primitives/byteReader';
import type { ByteWriter } from '../primitives/byteWriter';
import { DecodeError } from '../primitives/decodeError';

/**
 * One record inside a magic-2 batch (KIP-98 "Record"):
 *   length varint | attributes int8 | timestampDelta varlong | offsetDelta varint |
 *   key varint-bytes | value varint-bytes | headerCount varint | headers
 * where a header is key varint-string (never null) and value varint-bytes (null = -1).
 * Offsets and timestamps are deltas from the batch header's baseOffset and baseTimestamp.
 *
 * Decoded keys, values and header values are views into the bytes they were read from
 * (the batch itself when uncompressed): no copies, but the caller must not mutate them.
 */
export interface RecordHeader {
  key: string;
  value: Buffer | null;
}

export interface Record {
  /** Unused by Kafka so far; kept so a batch re-encodes byte-identically. */
  attributes: number;
  timestampDelta: bigint;
  offsetDelta: number;
  key: Buffer | null;
  value: Buffer | null;
  headers: RecordHeader[];
}

function uvarintSize(value: number): number {
  let size = 1;
  for (let rest = value; rest >= 0x80; rest = Math.floor(rest / 0x80)) size++;
  return size;
}

const varintSize = (value: number): number => uvarintSize(value >= 0 ? value * 2 : -value * 2 - 1);

function varlongSize(value: bigint): number {
  let rest = BigInt.asUintN(64, (value << 1n) ^ (value >> 63n));
  let size = 1;
  while (rest >= 0x80n) {
    rest >>= 7n;
    size++;
  }
  return size;
}

const bytesFieldSize = (bytes: Uint8Array | null): number =>
  bytes === null ? 1 : varintSize(bytes.length) + bytes.length;

/** Size of the record body, i.e. the value of its leading length varint. */
function bodySize(record: Record, headerKeys: Buffer[]): number {
  let size =
    1 +
    varlongSize(record.timestampDelta) +
    varintSize(record.offsetDelta) +
    bytesFieldSize(record.key) +
    bytesFieldSize(record.value) +
    varintSize(record.headers.length);
  record.headers.forEach((header, i) => {
    size += bytesFieldSize(headerKeys[i]!) + bytesFieldSize(header.value);
  });
  return size;
}

/**
 * Writes the record with its length prefix. The length is computed up front rather than
 * by encoding into a scratch writer, so large values stay by-reference chunks and are
 * never copied.
 */
export function encodeRecord(writer: ByteWriter, record: Record): void {
  const headerKeys = record.headers.map((header) => Buffer.from(header.key, 'utf8'));
  writer
    .varint(bodySize(record, headerKeys))
    .int8(record.attributes)
    .varlong(record.timestampDelta)
    .varint(record.offsetDelta)
    .varintBytes(record.key)
    .varintBytes(record.value)
    .varint(record.headers.length);
  record.headers.forEach((header, i) => {
    writer.varintBytes(headerKeys[i]!).varintBytes(header.value);
  });
}

/** Reads one length-prefixed record; the body must be consumed exactly, as Kafka checks. */
export function decodeRecord(reader: ByteReader): Record {
  const start = reader.offset;
  const length = reader.varint();
  if (length < 0) throw new DecodeError('negative-length', `record length ${length}`, start);
  const body = new ByteReader(reader.raw(length));
  const attributes = body.int8();
  const timestampDelta = body.varlong();
  const offsetDelta = body.varint();
  const key = body.varintBytes();
  const value = body.varintBytes();
  const headerCount = body.varint();
  // A header takes at least two bytes; checking first keeps a forged count from
  // allocating or looping far beyond the record.
  if (headerCount < 0 || headerCount * 2 > body.remaining) {
    throw new DecodeError('invalid-value', `record header count ${headerCount} does not fit the record`, start);
  }
  const headers: RecordHeader[] = [];
  for (let i = 0; i < headerCount; i++) {
    const headerKey = body.varintBytes();
    if (headerKey === null) throw new DecodeError('null-not-allowed', 'record header key is null', start);
    headers.push({ key: headerKey.toString('utf8'), value: body.varintBytes() });
  }
  if (body.remaining !== 0) {
    throw new DecodeError('trailing-bytes', `record has ${body.remaining} bytes after its headers`, start);
  }
  return { attributes, timestampDelta, offsetDelta, key, value, headers };
}
