import { isDeepStrictEqual } from 'node:util';
import * as generated from '../../../src/protocol/generated';
import type { FieldSchema, MessageSchema } from '../../../src/protocol/generated/messageSchemas';
import type { ByteReader } from '../../../src/protocol/primitives/byteReader';
import { ByteWriter } from '../../../src/protocol/primitives/byteWriter';

/**
 * Test-only tools driven by the schemas as data (MESSAGE_SCHEMAS): random message values,
 * and a second, interpreting encoder. The generated codecs are straight-line code; checking
 * them against an encoder that walks the schema at run time catches emitter mistakes that a
 * plain round trip would hide (a field written and read in the same wrong way).
 */

export type MessageValue = Record<string, unknown>;

export interface MessageCodec {
  encode(writer: ByteWriter, message: MessageValue, version: number): void;
  decode(reader: ByteReader, version: number): MessageValue;
  defaults(): MessageValue;
}

const exportsByName = generated as unknown as Record<string, unknown>;

function generatedFunction(name: string): (...args: never[]) => unknown {
  const found = exportsByName[name];
  if (typeof found !== 'function') throw new Error(`src/protocol/generated exports no function ${name}`);
  return found as (...args: never[]) => unknown;
}

export function codecFor(messageName: string): MessageCodec {
  return {
    encode: generatedFunction(`encode${messageName}`) as MessageCodec['encode'],
    decode: generatedFunction(`decode${messageName}`) as MessageCodec['decode'],
    defaults: generatedFunction(`default${messageName}`) as MessageCodec['defaults'],
  };
}

export function structDefaults(typeName: string): MessageValue {
  return (generatedFunction(`default${typeName}`) as () => MessageValue)();
}

export function encodeWith(codec: MessageCodec, value: MessageValue, version: number): Buffer {
  const writer = new ByteWriter(16);
  codec.encode(writer, value, version);
  return writer.toBuffer();
}

// ---- versions ----

export function inVersions(text: string, version: number): boolean {
  if (text === 'none') return false;
  if (text.endsWith('+')) return version >= Number(text.slice(0, -1));
  const [low, high = low] = text.split('-').map(Number) as [number, number?];
  return version >= low && version <= high!;
}

export function versionsOf(schema: MessageSchema): number[] {
  const [low, high = low] = schema.validVersions.split('-').map(Number) as [number, number?];
  return Array.from({ length: high! - low + 1 }, (_, index) => low + index);
}

function isNullable(field: FieldSchema, version: number): boolean {
  return field.nullableVersions !== undefined && inVersions(field.nullableVersions, version);
}

// ---- random values ----

export interface ValueOptions {
  random: () => number;
  /** Nulls wherever allowed and empty arrays everywhere. */
  minimal?: boolean;
  /** Length of the first array met (depth first); later arrays stay short. */
  largeArray?: number;
}

interface Generation {
  schema: MessageSchema;
  version: number;
  random: () => number;
  minimal: boolean;
  largeArray: number | null;
}

const TEXT_ALPHABET = ['a', 'b', 'z', 'K', '0', '-', '.', '_', ' ', 'é', 'ß', '漢', '字', '🙂'];

function randomInt(state: Generation, low: number, high: number): number {
  return low + Math.floor(state.random() * (high - low + 1));
}

function randomBytes(state: Generation, length: number): Buffer {
  return Buffer.from(Array.from({ length }, () => randomInt(state, 0, 255)));
}

function randomElement(state: Generation, type: string): unknown {
  switch (type) {
    case 'bool':
      return state.random() < 0.5;
    case 'int8':
      return randomInt(state, -128, 127);
    case 'int16':
      return randomInt(state, -32768, 32767);
    case 'uint16':
      return randomInt(state, 0, 65535);
    case 'int32':
      return randomInt(state, -(2 ** 31), 2 ** 31 - 1);
    case 'uint32':
      return randomInt(state, 0, 2 ** 32 - 1);
    case 'int64':
      return BigInt.asIntN(64, (BigInt(randomInt(state, 0, 2 ** 32 - 1)) << 32n) | BigInt(randomInt(state, 0, 2 ** 32 - 1)));
    case 'float64':
      return (state.random() - 0.5) * 10 ** randomInt(state, 0, 12);
    case 'string':
      return Array.from({ length: randomInt(state, 0, 12) }, () => TEXT_ALPHABET[randomInt(state, 0, TEXT_ALPHABET.length - 1)]).join('');
    case 'uuid':
      return randomBytes(state, 16).toString('base64url');
    case 'bytes':
      return randomBytes(state, randomInt(state, 0, 16));
    case 'records':
      return randomBytes(state, randomInt(state, 0, 48));
    default:
      return randomStruct(state, type);
  }
}

function randomField(state: Generation, field: FieldSchema): unknown {
  if (isNullable(field, state.version) && (state.minimal || state.random() < 0.15)) return null;
  if (!field.type.startsWith('[]')) return randomElement(state, field.type);
  let length: number;
  if (state.minimal) {
    length = 0;
  } else if (state.largeArray !== null) {
    length = state.largeArray;
    state.largeArray = null;
  } else {
    length = randomInt(state, 0, 3);
  }
  return Array.from({ length }, () => randomElement(state, field.type.slice(2)));
}

function randomStruct(state: Generation, typeName: string): MessageValue {
  const fields = state.schema.structs[typeName];
  if (fields === undefined) throw new Error(`${state.schema.name} has no struct ${typeName}`);
  const value = structDefaults(typeName);
  for (const field of fields) {
    if (inVersions(field.versions, state.version)) value[field.name] = randomField(state, field);
  }
  return value;
}

/** A value for `version`: fields the version lacks keep their defaults. */
export function randomMessage(schema: MessageSchema, version: number, options: ValueOptions): MessageValue {
  const state: Generation = {
    schema,
    version,
    random: options.random,
    minimal: options.minimal ?? false,
    largeArray: options.largeArray ?? null,
  };
  return randomStruct(state, schema.name);
}

/** A random value for one field as it would be in `version` (which must have the field). */
export function randomFieldValue(schema: MessageSchema, field: FieldSchema, version: number, random: () => number): unknown {
  return randomField({ schema, version, random, minimal: false, largeArray: null }, field);
}

// ---- the interpreting reference encoder ----

interface Encoding {
  schema: MessageSchema;
  version: number;
  flexible: boolean;
  /** When set, every tagged-field section also carries unknown tags a reader must skip. */
  unknownTags: (() => number) | null;
}

/** Above any tag Kafka has assigned, so a decoder must treat them as unknown. */
const FIRST_UNKNOWN_TAG = 5000;

function writeElement(encoding: Encoding, writer: ByteWriter, type: string, value: unknown, compact: boolean): void {
  switch (type) {
    case 'bool':
      writer.bool(value as boolean);
      return;
    case 'int8':
    case 'int16':
    case 'uint16':
    case 'int32':
    case 'uint32':
    case 'float64':
      writer[type](value as number);
      return;
    case 'int64':
      writer.int64(value as bigint);
      return;
    case 'uuid':
      writer.uuid(value as string);
      return;
    case 'string':
      if (compact) writer.compactString(value as string | null);
      else writer.string(value as string | null);
      return;
    case 'bytes':
    case 'records':
      if (compact) writer.compactBytes(value as Buffer | null);
      else writer.bytes(value as Buffer | null);
      return;
    default:
      writeStruct(encoding, writer, type, value as MessageValue);
  }
}

function writeField(encoding: Encoding, writer: ByteWriter, field: FieldSchema, value: unknown, tagged: boolean): void {
  const compact =
    tagged ||
    (field.flexibleVersions === undefined ? encoding.flexible : inVersions(field.flexibleVersions, encoding.version));
  if (field.type.startsWith('[]')) {
    const items = value as unknown[] | null;
    writer.arrayLength(items === null ? null : items.length, compact);
    for (const item of items ?? []) writeElement(encoding, writer, field.type.slice(2), item, compact);
    return;
  }
  const isStruct = encoding.schema.structs[field.type] !== undefined;
  if (isStruct && isNullable(field, encoding.version)) {
    if (tagged) writer.uvarint(value === null ? 0 : 1);
    else writer.int8(value === null ? -1 : 1);
    if (value === null) return;
  }
  writeElement(encoding, writer, field.type, value, compact);
}

function writeStruct(encoding: Encoding, writer: ByteWriter, typeName: string, value: MessageValue): void {
  const fields = encoding.schema.structs[typeName]!;
  const defaults = structDefaults(typeName);
  const tagged: { tag: number; bytes: Buffer }[] = [];
  for (const field of fields) {
    if (!inVersions(field.versions, encoding.version)) continue;
    if (field.tag === undefined) {
      writeField(encoding, writer, field, value[field.name], false);
    } else if (!isDeepStrictEqual(value[field.name], defaults[field.name])) {
      const inner = new ByteWriter(16);
      writeField(encoding, inner, field, value[field.name], true);
      tagged.push({ tag: field.tag, bytes: inner.toBuffer() });
    }
  }
  if (!encoding.flexible) return;
  if (encoding.unknownTags !== null) {
    const random = encoding.unknownTags;
    const extra = 1 + Math.floor(random() * 2);
    for (let index = 0; index < extra; index++) {
      const length = Math.floor(random() * 6);
      tagged.push({
        tag: FIRST_UNKNOWN_TAG + index * 10 + Math.floor(random() * 10),
        bytes: Buffer.from(Array.from({ length }, () => Math.floor(random() * 256))),
      });
    }
  }
  tagged.sort((a, b) => a.tag - b.tag);
  writer.uvarint(tagged.length);
  for (const { tag, bytes } of tagged) writer.uvarint(tag).uvarint(bytes.length).raw(bytes);
}

export function isFlexibleVersion(schema: MessageSchema, version: number): boolean {
  return inVersions(schema.flexibleVersions, version);
}

export function referenceEncode(
  schema: MessageSchema,
  value: MessageValue,
  version: number,
  unknownTags: (() => number) | null = null,
): Buffer {
  const writer = new ByteWriter(16);
  const encoding = { schema, version, flexible: isFlexibleVersion(schema, version), unknownTags };
  writeStruct(encoding, writer, schema.name, value);
  return writer.toBuffer();
}
