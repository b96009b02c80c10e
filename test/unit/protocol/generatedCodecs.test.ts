import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isEncodeError, EncodeError } from '../../../src/protocol/encodeError';
import {
  API_DESCRIPTORS,
  ApiKey,
  decodeProduceRequest,
  decodeMetadataRequest,
  defaultMetadataRequest,
  defaultProduceRequest,
  encodeMetadataRequest,
  encodeProduceRequest,
  MESSAGE_SCHEMAS,
  type ApiKeyValue,
  type ProduceRequest,
  type RequestByKey,
} from '../../../src/protocol/generated';
import { ByteReader } from '../../../src/protocol/primitives/byteReader';
import { ByteWriter } from '../../../src/protocol/primitives/byteWriter';
import { DecodeError } from '../../../src/protocol/primitives/decodeError';
import {
  codecFor,
  encodeWith,
  inVersions,
  isFlexibleVersion,
  randomFieldValue,
  randomMessage,
  referenceEncode,
  versionsOf,
  type MessageValue,
  type ValueOptions,
} from './protocolValues';
import { seededRandom } from './seededRandom';

/** Stable per-case seeds: a failure names its seed, and the same seed replays it. */
function seedFor(name: string, version: number, variant: number): number {
  let hash = 2166136261;
  for (const char of `${name}/${version}/${variant}`) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  return hash >>> 0;
}

/**
 * Deep equality through node:util first: vitest's matcher is far slower on messages with
 * thousands of nodes, so it only runs to explain a difference already found.
 */
function expectSame(actual: unknown, expected: unknown, context: string): void {
  if (!isDeepStrictEqual(actual, expected)) expect(actual, context).toStrictEqual(expected);
}

const VARIANTS: readonly { label: string; options: Omit<ValueOptions, 'random'> | 'defaults' }[] = [
  { label: 'all defaults', options: 'defaults' },
  { label: 'nulls and empty arrays', options: { minimal: true } },
  { label: 'random values', options: {} },
  { label: 'random values, one array of 300 elements', options: { largeArray: 300 } },
];

describe.each(MESSAGE_SCHEMAS.map((schema) => [schema.name, schema] as const))('%s', (name, schema) => {
  const codec = codecFor(name);

  it.each(versionsOf(schema))('round-trips every kind of value in version %i', (version) => {
    VARIANTS.forEach(({ label, options }, variant) => {
      const seed = seedFor(name, version, variant);
      const context = `${name} v${version}, ${label}, seed ${seed}`;
      const value: MessageValue =
        options === 'defaults' ? codec.defaults() : randomMessage(schema, version, { ...options, random: seededRandom(seed) });

      const bytes = encodeWith(codec, value, version);
      expectSame(bytes, referenceEncode(schema, value, version), `${context}: generated and reference encoders agree`);

      const reader = new ByteReader(bytes);
      const decoded = codec.decode(reader, version);
      expectSame(decoded, value, context);
      expect(reader.remaining, `${context}: bytes left over`).toBe(0);
      expectSame(encodeWith(codec, decoded, version), bytes, `${context}: re-encoding`);

      if (isFlexibleVersion(schema, version)) {
        const withUnknownTags = referenceEncode(schema, value, version, seededRandom(seed + 1));
        const tagReader = new ByteReader(withUnknownTags);
        expectSame(codec.decode(tagReader, version), value, `${context}: unknown tags are skipped`);
        expect(tagReader.remaining).toBe(0);
      }

      if (bytes.length > 0) {
        expect(() => codec.decode(new ByteReader(bytes.subarray(0, bytes.length - 1)), version)).toThrow(DecodeError);
      }
    });
  });

  it('rejects versions outside its valid range in both directions', () => {
    const versions = versionsOf(schema);
    for (const version of [versions[0]! - 1, versions.at(-1)! + 1]) {
      expect(() => encodeWith(codec, codec.defaults(), version)).toThrow(EncodeError);
      try {
        codec.decode(new ByteReader(Buffer.alloc(64)), version);
        expect.unreachable(`${name} decoded version ${version}`);
      } catch (error) {
        expect(error).toBeInstanceOf(DecodeError);
        expect((error as DecodeError).kind).toBe('unsupported-version');
      }
    }
  });

  it('refuses non-default values for top-level fields a version lacks, unless they are ignorable', () => {
    const random = seededRandom(seedFor(name, -1, 0));
    for (const version of versionsOf(schema)) {
      for (const field of schema.structs[name]!) {
        if (inVersions(field.versions, version)) continue;
        const home = versionsOf(schema).find((candidate) => inVersions(field.versions, candidate));
        if (home === undefined) continue;
        const defaults = codec.defaults();
        let fieldValue = randomFieldValue(schema, field, home, random);
        for (let attempt = 0; attempt < 20 && isDeepStrictEqual(fieldValue, defaults[field.name]); attempt++) {
          fieldValue = randomFieldValue(schema, field, home, random);
        }
        if (isDeepStrictEqual(fieldValue, defaults[field.name])) continue;
        const value = { ...defaults, [field.name]: fieldValue };
        if (field.ignorable === true) {
          const decoded = codec.decode(new ByteReader(encodeWith(codec, value, version)), version);
          expect(decoded[field.name], `${name}.${field.name} dropped in v${version}`).toStrictEqual(defaults[field.name]);
        } else {
          expect(() => encodeWith(codec, value, version), `${name}.${field.name} in v${version}`).toThrow(EncodeError);
        }
      }
    }
  });
});

describe('generated API table', () => {
  it('lists every request/response pair once, keyed by its API key', () => {
    const requestKeys = MESSAGE_SCHEMAS.filter((schema) => schema.kind === 'request').map((schema) => schema.apiKey);
    expect(Object.keys(API_DESCRIPTORS).map(Number).sort((a, b) => a - b)).toEqual(
      [...requestKeys].sort((a, b) => a! - b!),
    );
    for (const [name, key] of Object.entries(ApiKey)) {
      const descriptor = API_DESCRIPTORS[key];
      expect(descriptor.key).toBe(key);
      expect(descriptor.name).toBe(name);
      expect(MESSAGE_SCHEMAS.some((schema) => schema.name === `${name}Request` && schema.apiKey === key)).toBe(true);
    }
  });

  it('matches well-known Kafka facts', () => {
    expect(ApiKey.Produce).toBe(0);
    expect(ApiKey.Fetch).toBe(1);
    expect(ApiKey.ApiVersions).toBe(18);
    const apiVersions = API_DESCRIPTORS[ApiKey.ApiVersions];
    expect(apiVersions.firstFlexibleVersion).toBe(3);
    expect(API_DESCRIPTORS[ApiKey.SaslHandshake].firstFlexibleVersion).toBeNull();
    expect(API_DESCRIPTORS[ApiKey.Metadata].minVersion).toBe(0);
  });

  it('types each descriptor by its key, so requests reach handlers typed', () => {
    const encodeTyped = <K extends ApiKeyValue>(key: K, message: RequestByKey[K], version: number): Buffer => {
      const writer = new ByteWriter();
      API_DESCRIPTORS[key].encodeRequest(writer, message as never, version);
      return writer.toBuffer();
    };
    const request: ProduceRequest = { ...defaultProduceRequest(), acks: -1, timeoutMs: 1500 };
    const bytes = encodeTyped(ApiKey.Produce, request, 7);
    expect(API_DESCRIPTORS[ApiKey.Produce].decodeRequest(new ByteReader(bytes), 7)).toStrictEqual(request);
  });
});

describe('generated codec details', () => {
  it('keeps Produce record batches as a view into the request bytes (zero copy)', () => {
    const records = Buffer.alloc(4096, 7);
    const request: ProduceRequest = {
      ...defaultProduceRequest(),
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records }] }],
    };
    for (const version of [3, 9]) {
      const writer = new ByteWriter();
      encodeProduceRequest(writer, request, version);
      const bytes = writer.toBuffer();
      const decoded = decodeProduceRequest(new ByteReader(bytes), version);
      const view = decoded.topicData[0]!.partitionData[0]!.records!;
      expect(view.buffer).toBe(bytes.buffer);
      expect(view).toEqual(records);
    }
  });

  it('writes a null where a version allows it and refuses it where it does not', () => {
    const allTopics = { ...defaultMetadataRequest(), topics: null };
    const writer = new ByteWriter();
    encodeMetadataRequest(writer, allTopics, 1);
    expect(writer.toBuffer()).toEqual(Buffer.from([0xff, 0xff, 0xff, 0xff]));
    expect(decodeMetadataRequest(new ByteReader(writer.toBuffer()), 1).topics).toBeNull();
    let caught: unknown;
    try {
      encodeMetadataRequest(new ByteWriter(), allTopics, 0);
    } catch (error) {
      caught = error;
    }
    expect(isEncodeError(caught)).toBe(true);
    expect(String(caught)).toContain('Topics cannot be null in version 0');
  });

  it('reads fields a version lacks as their schema defaults', () => {
    const writer = new ByteWriter();
    encodeMetadataRequest(writer, { ...defaultMetadataRequest(), topics: [] }, 3);
    const decoded = decodeMetadataRequest(new ByteReader(writer.toBuffer()), 3);
    expect(decoded.allowAutoTopicCreation).toBe(true);
    expect(decoded.includeTopicAuthorizedOperations).toBe(false);
  });

  it('rejects a known tagged field whose declared size does not match its value', () => {
    // FetchRequest v12 top level with tagged field 0 (ClusterId) claiming 5 bytes but holding a
    // 2-byte compact string.
    const writer = new ByteWriter();
    const fetch = codecFor('FetchRequest');
    fetch.encode(writer, fetch.defaults(), 12);
    const plain = writer.toBuffer();
    const tampered = Buffer.concat([plain.subarray(0, plain.length - 1), Buffer.from([1, 0, 5, 2, 0x41, 0, 0, 0])]);
    expect(() => fetch.decode(new ByteReader(tampered), 12)).toThrow(DecodeError);
  });
});
