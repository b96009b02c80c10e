import { describe, expect, it } from 'vitest';
import { decodeResponseFrame, encodeRequestFrame } from '../../../src/protocol/client/frames';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultApiVersionsResponse } from '../../../src/protocol/generated/apiVersionsResponse';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultMetadataResponse } from '../../../src/protocol/generated/metadataResponse';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { ByteWriter } from '../../../src/protocol/primitives/byteWriter';
import { decodeRequestFrame, encodeResponseFrame } from '../../../src/protocol/requestFrame';
import { framePayload } from './frameHelpers';
import { ZERO_UUID } from '../../../src/protocol/primitives/byteReader';


function metadataRequest() {
  return { ...defaultMetadataRequest(), topics: [{ topicId: ZERO_UUID, name: 'orders' }] };
}

/** A request frame written by hand, for headers our own encoder would refuse to produce. */
function rawRequest(apiKey: number, apiVersion: number, correlationId: number, clientId: string | null, body: Buffer): Buffer {
  const writer = new ByteWriter().int16(apiKey).int16(apiVersion).int32(correlationId).string(clientId);
  return Buffer.concat([writer.toBuffer(), body]);
}

describe('request frames (broker side)', () => {
  it('decodes a classic request with header v1', () => {
    const frame = framePayload(encodeRequestFrame(ApiKey.Metadata, 4, 7, 'console', metadataRequest()));
    // Header v1: no tagged-field byte between the client id and the body (topics array int32 count 1).
    expect(frame.subarray(8 + 2 + 'console'.length, 8 + 2 + 'console'.length + 4)).toEqual(Buffer.from([0, 0, 0, 1]));
    const result = decodeRequestFrame(frame);
    expect(result).toMatchObject({
      ok: true,
      request: { apiKey: ApiKey.Metadata, apiVersion: 4, correlationId: 7, clientId: 'console' },
    });
    if (!result.ok || result.request.apiKey !== ApiKey.Metadata) throw new Error('expected Metadata');
    expect(result.request.body.topics?.map((t) => t.name)).toEqual(['orders']);
    expect(result.request.header).toMatchObject({ requestApiKey: 3, requestApiVersion: 4, correlationId: 7 });
  });

  it('decodes a flexible request with header v2 (tagged fields after the client id)', () => {
    const frame = framePayload(encodeRequestFrame(ApiKey.Metadata, 12, 8, 'console', metadataRequest()));
    const afterClientId = 8 + 2 + 'console'.length;
    expect(frame[afterClientId]).toBe(0); // empty header tagged-field section
    expect(frame[afterClientId + 1]).toBe(2); // compact array of one topic
    const result = decodeRequestFrame(frame);
    expect(result).toMatchObject({ ok: true, request: { apiKey: ApiKey.Metadata, apiVersion: 12, correlationId: 8 } });
  });

  it('reads the client id as null when the client sends none', () => {
    const frame = framePayload(encodeRequestFrame(ApiKey.Metadata, 1, 1, null, metadataRequest()));
    expect(decodeRequestFrame(frame)).toMatchObject({ ok: true, request: { clientId: null } });
  });

  it('uses request header v0 (no client id) for ControlledShutdown v0', () => {
    const frame = framePayload(
      encodeRequestFrame(ApiKey.ControlledShutdown, 0, 3, 'ignored', { brokerId: 2, brokerEpoch: -1n }),
    );
    expect(frame.length).toBe(8 + 4);
    expect(decodeRequestFrame(frame)).toMatchObject({
      ok: true,
      request: { apiKey: ApiKey.ControlledShutdown, body: { brokerId: 2 } },
    });
  });

  it('reports an unknown api key with the correlation id so the broker can log or answer', () => {
    const result = decodeRequestFrame(rawRequest(999, 0, 42, 'x', Buffer.alloc(0)));
    expect(result).toEqual({
      ok: false,
      error: { kind: 'unknown-api-key', apiKey: 999, apiVersion: 0, correlationId: 42, clientId: 'x' },
    });
  });

  it('reports an unsupported version with api key, version and correlation id', () => {
    const result = decodeRequestFrame(rawRequest(ApiKey.Metadata, 99, 43, 'old-client', Buffer.alloc(0)));
    expect(result).toEqual({
      ok: false,
      error: { kind: 'unsupported-version', apiKey: 3, apiVersion: 99, correlationId: 43, clientId: 'old-client' },
    });
  });

  it('singles out an ApiVersions request newer than we support (KIP-511) and its v0 answer decodes', () => {
    // A future client: ApiVersions v9 with a flexible header and a body we cannot know.
    const frame = Buffer.concat([rawRequest(ApiKey.ApiVersions, 9, 44, 'future', Buffer.from([0])), Buffer.from([1, 2, 3])]);
    const result = decodeRequestFrame(frame);
    expect(result).toEqual({
      ok: false,
      error: { kind: 'api-versions-too-new', apiVersion: 9, correlationId: 44, clientId: 'future' },
    });

    // The broker's answer is v0-shaped; a client that asked with v3 still reads it.
    const answer = encodeResponseFrame(ApiKey.ApiVersions, 0, 44, {
      ...defaultApiVersionsResponse(),
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: [{ apiKey: ApiKey.ApiVersions, minVersion: 0, maxVersion: 3 }],
    });
    const decoded = decodeResponseFrame(ApiKey.ApiVersions, 3, framePayload(answer));
    expect(decoded).toMatchObject({
      ok: true,
      correlationId: 44,
      body: { errorCode: 35, apiKeys: [{ apiKey: 18, minVersion: 0, maxVersion: 3 }] },
    });
  });

  it('reports a truncated body as malformed, keeping the correlation id', () => {
    const frame = framePayload(encodeRequestFrame(ApiKey.Metadata, 4, 45, 'c', metadataRequest()));
    const result = decodeRequestFrame(frame.subarray(0, frame.length - 3));
    expect(result).toMatchObject({
      ok: false,
      error: { kind: 'malformed', correlationId: 45, apiKey: 3, apiVersion: 4, error: { kind: 'truncated' } },
    });
  });

  it('reports bytes left after the body as malformed', () => {
    const frame = framePayload(encodeRequestFrame(ApiKey.Metadata, 4, 46, 'c', metadataRequest()));
    const result = decodeRequestFrame(Buffer.concat([frame, Buffer.from([0])]));
    expect(result).toMatchObject({ ok: false, error: { kind: 'malformed', correlationId: 46, error: { kind: 'trailing-bytes' } } });
  });

  it('reports a frame too short for a header as malformed without a correlation id', () => {
    expect(decodeRequestFrame(Buffer.from([0, 3, 0]))).toMatchObject({
      ok: false,
      error: { kind: 'malformed', correlationId: null, apiKey: null },
    });
  });
});

describe('response frames (broker side)', () => {
  it('writes response header v1 (tagged fields) for flexible versions and v0 before', () => {
    const response = { ...defaultMetadataResponse(), controllerId: 1 };
    const flexible = framePayload(encodeResponseFrame(ApiKey.Metadata, 9, 5, response));
    expect(flexible.readInt32BE(0)).toBe(5);
    expect(flexible[4]).toBe(0); // empty header tagged fields
    const classic = framePayload(encodeResponseFrame(ApiKey.Metadata, 8, 6, response));
    expect(classic.readInt32BE(4)).toBe(0); // throttleTimeMs straight after the correlation id
    for (const [version, frame] of [[9, flexible], [8, classic]] as const) {
      expect(decodeResponseFrame(ApiKey.Metadata, version, frame)).toMatchObject({ ok: true, body: { controllerId: 1 } });
    }
  });

  it('always writes ApiVersions responses with header v0, even for flexible v3+', () => {
    const response = {
      ...defaultApiVersionsResponse(),
      errorCode: 0,
      apiKeys: [{ apiKey: ApiKey.Produce, minVersion: 0, maxVersion: 9 }],
    };
    for (const version of [3, 4]) {
      const frame = framePayload(encodeResponseFrame(ApiKey.ApiVersions, version, 77, response));
      expect(frame.readInt32BE(0)).toBe(77);
      expect(frame.readInt16BE(4)).toBe(0); // error code right after the correlation id
      expect(frame[6]).toBe(2); // compact array of one entry: the body is flexible, the header is not
      expect(decodeResponseFrame(ApiKey.ApiVersions, version, frame)).toMatchObject({
        ok: true,
        correlationId: 77,
        body: { apiKeys: [{ apiKey: 0, minVersion: 0, maxVersion: 9 }] },
      });
    }
  });

  it('keeps large record data by reference in the output chunks (no copy)', () => {
    const records = Buffer.alloc(4096, 0xab);
    const request = {
      ...defaultProduceRequest(),
      acks: -1,
      timeoutMs: 1000,
      topicData: [{ name: 't', partitionData: [{ index: 0, records }] }],
    };
    const chunks = encodeRequestFrame(ApiKey.Produce, 9, 1, 'p', request);
    expect(chunks).toContain(records);
    const result = decodeRequestFrame(framePayload(chunks));
    if (!result.ok || result.request.apiKey !== ApiKey.Produce) throw new Error('expected Produce');
    expect(result.request.body.topicData[0]?.partitionData[0]?.records?.equals(records)).toBe(true);
  });

  it('reports a response that does not decode as malformed with its correlation id', () => {
    const frame = framePayload(encodeResponseFrame(ApiKey.Metadata, 9, 5, defaultMetadataResponse()));
    expect(decodeResponseFrame(ApiKey.Metadata, 9, frame.subarray(0, 9))).toMatchObject({
      ok: false,
      error: { kind: 'malformed', correlationId: 5 },
    });
    expect(decodeResponseFrame(ApiKey.Metadata, 9, frame.subarray(0, 2))).toMatchObject({
      ok: false,
      error: { kind: 'malformed', correlationId: null },
    });
  });
});
