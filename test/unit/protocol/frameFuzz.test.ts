/**
 * Bytes from the network are untrusted: whatever arrives, the frame decoders must return a
 * typed result and never throw or hang. Seeded, so a failure replays.
 */
import { describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../../src/protocol/client/frames';
import { API_DESCRIPTORS, ApiKey, type ApiKeyValue } from '../../../src/protocol/generated/apis';
import { defaultApiVersionsResponse } from '../../../src/protocol/generated/apiVersionsResponse';
import { defaultFetchRequest } from '../../../src/protocol/generated/fetchRequest';
import { defaultMetadataResponse } from '../../../src/protocol/generated/metadataResponse';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { defaultJoinGroupRequest } from '../../../src/protocol/generated/joinGroupRequest';
import { decodeRequestFrame, encodeResponseFrame } from '../../../src/protocol/requestFrame';
import { framePayload } from './frameHelpers';
import { seededRandom } from './seededRandom';
import { ZERO_UUID } from '../../../src/protocol/primitives/byteReader';


const validRequests: Buffer[] = [
  framePayload(
    encodeRequestFrame(ApiKey.Produce, 9, 1, 'fuzz', {
      ...defaultProduceRequest(),
      topicData: [{ name: 'orders', partitionData: [{ index: 0, records: Buffer.alloc(80, 3) }] }],
    }),
  ),
  framePayload(encodeRequestFrame(ApiKey.Produce, 7, 2, 'fuzz', { ...defaultProduceRequest(), topicData: [] })),
  framePayload(
    encodeRequestFrame(ApiKey.Fetch, 12, 3, 'fuzz', {
      ...defaultFetchRequest(),
      topics: [{ topic: 'orders', topicId: ZERO_UUID, partitions: [] }],
    }),
  ),
  framePayload(
    encodeRequestFrame(ApiKey.JoinGroup, 7, 4, 'fuzz', {
      ...defaultJoinGroupRequest(),
      groupId: 'g',
      protocolType: 'consumer',
      protocols: [{ name: 'range', metadata: Buffer.from([1, 2, 3]) }],
    }),
  ),
  framePayload(encodeRequestFrame(ApiKey.ApiVersions, 3, 5, 'fuzz', { clientSoftwareName: 'a', clientSoftwareVersion: '1' })),
];

const validResponses: Array<{ apiKey: ApiKeyValue; version: number; frame: Buffer }> = [
  {
    apiKey: ApiKey.Metadata,
    version: 12,
    frame: framePayload(
      encodeResponseFrame(ApiKey.Metadata, 12, 1, {
        ...defaultMetadataResponse(),
        brokers: [{ nodeId: 1, host: 'localhost', port: 9092, rack: null }],
      }),
    ),
  },
  {
    apiKey: ApiKey.ApiVersions,
    version: 3,
    frame: framePayload(
      encodeResponseFrame(ApiKey.ApiVersions, 3, 2, {
        ...defaultApiVersionsResponse(),
        apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }],
      }),
    ),
  },
];

type Mutation = (random: () => number, frame: Buffer) => Buffer;

const mutations: Mutation[] = [
  // Flip a few bits anywhere.
  (random, frame) => {
    const copy = Buffer.from(frame);
    for (let flips = 1 + Math.floor(random() * 4); flips > 0; flips--) {
      const at = Math.floor(random() * copy.length);
      copy[at] = copy[at]! ^ (1 << Math.floor(random() * 8));
    }
    return copy;
  },
  // Truncate.
  (random, frame) => frame.subarray(0, Math.floor(random() * frame.length)),
  // Overwrite an aligned int32 with a huge, negative or boundary length.
  (random, frame) => {
    const copy = Buffer.from(frame);
    const values = [0x7fffffff, -1, -2, -0x80000000, 0x10000, 1 << 30];
    const at = Math.floor(random() * Math.max(1, copy.length - 3));
    if (at + 4 <= copy.length) copy.writeInt32BE(values[Math.floor(random() * values.length)]!, at);
    return copy;
  },
  // Overwrite an int16 (string lengths, api key, version) with an odd value.
  (random, frame) => {
    const copy = Buffer.from(frame);
    const values = [-1, -2, 0x7fff, -0x8000, 1000];
    const at = Math.floor(random() * Math.max(1, copy.length - 1));
    if (at + 2 <= copy.length) copy.writeInt16BE(values[Math.floor(random() * values.length)]!, at);
    return copy;
  },
  // Insert a run of 0xff bytes: endless varint continuation bits.
  (random, frame) => {
    const at = Math.floor(random() * frame.length);
    return Buffer.concat([frame.subarray(0, at), Buffer.alloc(1 + Math.floor(random() * 12), 0xff), frame.subarray(at)]);
  },
];

function randomFrame(random: () => number): Buffer {
  const keys = Object.keys(API_DESCRIPTORS).map(Number);
  const head = Buffer.alloc(8);
  // A real api key and a plausible version most of the time, so bodies get decoded.
  head.writeInt16BE(random() < 0.9 ? keys[Math.floor(random() * keys.length)]! : Math.floor(random() * 65536) - 32768);
  head.writeInt16BE(Math.floor(random() * 20) - 2, 2);
  head.writeInt32BE(Math.floor(random() * 1000), 4);
  const body = Buffer.from(Array.from({ length: Math.floor(random() * 64) }, () => Math.floor(random() * 256)));
  return Buffer.concat([head, body]);
}

describe('frame decoding under garbage', () => {
  it('decodeRequestFrame returns a typed result for 20,000 random and mutated frames', () => {
    const random = seededRandom(20240611);
    const kinds = new Map<string, number>();
    for (let i = 0; i < 20_000; i++) {
      const input =
        i % 4 === 0
          ? randomFrame(random)
          : mutations[Math.floor(random() * mutations.length)]!(random, validRequests[Math.floor(random() * validRequests.length)]!);
      let result;
      try {
        result = decodeRequestFrame(input);
      } catch (error) {
        throw new Error(`input #${i} (${input.toString('hex')}) threw: ${String(error)}`, { cause: error });
      }
      const kind = result.ok ? 'ok' : result.error.kind;
      kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
    }
    // The inputs exercised every path, not just one.
    for (const kind of ['ok', 'malformed', 'unknown-api-key', 'unsupported-version']) expect(kinds.get(kind)).toBeGreaterThan(0);
  });

  it('decodeResponseFrame returns a typed result for 20,000 mutated responses', () => {
    const random = seededRandom(7);
    let failures = 0;
    for (let i = 0; i < 20_000; i++) {
      const { apiKey, version, frame } = validResponses[i % validResponses.length]!;
      const input = mutations[Math.floor(random() * mutations.length)]!(random, frame);
      let result;
      try {
        result = decodeResponseFrame(apiKey, version, input);
      } catch (error) {
        throw new Error(`input #${i} (${input.toString('hex')}) threw: ${String(error)}`, { cause: error });
      }
      if (!result.ok) {
        expect(result.error.kind).toBe('malformed');
        failures++;
      }
    }
    expect(failures).toBeGreaterThan(0);
  });
});
