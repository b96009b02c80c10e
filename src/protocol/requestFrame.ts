/**
 * The broker's side of a frame: request header + body in, response header + body out.
 * Also the header-version rules, which the client side (`client/frames.ts`) shares.
 *
 * Decoding never throws: bytes from the network map to a typed failure so the broker can
 * answer (unsupported version, KIP-511's ApiVersions fallback) or close just this
 * connection (malformed), keeping the correlation id whenever the header got that far.
 */
import { ByteReader } from './primitives/byteReader';
import { ByteWriter } from './primitives/byteWriter';
import { DecodeError, isDecodeError } from './primitives/decodeError';
import {
  API_DESCRIPTORS,
  ApiKey,
  type ApiDescriptor,
  type ApiKeyValue,
  type RequestByKey,
  type ResponseByKey,
} from './generated/apis';
import { decodeRequestHeader, type RequestHeader } from './generated/requestHeader';
import { encodeResponseHeader } from './generated/responseHeader';

/** apiKey(int16) + apiVersion(int16) + correlationId(int32): present in every header version. */
const FIXED_HEADER_BYTES = 8;

export function apiDescriptor(apiKey: number): ApiDescriptor | undefined {
  return Object.hasOwn(API_DESCRIPTORS, apiKey) ? (API_DESCRIPTORS[apiKey as ApiKeyValue] as ApiDescriptor) : undefined;
}

export function isSupportedVersion(descriptor: ApiDescriptor, version: number): boolean {
  return version >= descriptor.minVersion && version <= descriptor.maxVersion;
}

/** Flexible versions (KIP-482) carry tagged fields in their headers too. */
function isFlexible(firstFlexibleVersion: number | null, version: number): boolean {
  return firstFlexibleVersion !== null && version >= firstFlexibleVersion;
}

/** RequestHeader v0 has no client id and is only used by ControlledShutdown v0. */
export function requestHeaderVersion(descriptor: ApiDescriptor, version: number): 0 | 1 | 2 {
  if (descriptor.key === ApiKey.ControlledShutdown && version === 0) return 0;
  return isFlexible(descriptor.firstFlexibleVersion, version) ? 2 : 1;
}

/**
 * ApiVersions answers always use ResponseHeader v0: a client that does not yet know which
 * versions the broker speaks must be able to read the header (KIP-511).
 */
export function responseHeaderVersion(descriptor: ApiDescriptor, version: number): 0 | 1 {
  if (descriptor.key === ApiKey.ApiVersions) return 0;
  return isFlexible(descriptor.responseFirstFlexibleVersion, version) ? 1 : 0;
}

/** A decoded request, discriminated by `apiKey` so a `switch` narrows `body`. */
export type DecodedRequest = {
  [K in ApiKeyValue]: {
    apiKey: K;
    apiVersion: number;
    correlationId: number;
    clientId: string | null;
    header: RequestHeader;
    body: RequestByKey[K];
  };
}[ApiKeyValue];

export type RequestFrameError =
  | { kind: 'unknown-api-key'; apiKey: number; apiVersion: number; correlationId: number; clientId: string | null }
  | {
      kind: 'unsupported-version';
      apiKey: ApiKeyValue;
      apiVersion: number;
      correlationId: number;
      clientId: string | null;
    }
  /**
   * An ApiVersions request newer than we support. KIP-511: answer it in v0 format with
   * UNSUPPORTED_VERSION and our ApiVersions range, so the client retries with a version we
   * know instead of giving up.
   */
  | { kind: 'api-versions-too-new'; apiVersion: number; correlationId: number; clientId: string | null }
  | {
      kind: 'malformed';
      error: DecodeError;
      /** Null when the frame was too short to hold the fixed part of the header. */
      correlationId: number | null;
      apiKey: number | null;
      apiVersion: number | null;
    };

export type RequestFrameResult = { ok: true; request: DecodedRequest } | { ok: false; error: RequestFrameError };

export function decodeRequestFrame(frame: Buffer): RequestFrameResult {
  if (frame.length < FIXED_HEADER_BYTES) {
    const error = new DecodeError('truncated', `request of ${frame.length} bytes has no complete header`, 0);
    return { ok: false, error: { kind: 'malformed', error, correlationId: null, apiKey: null, apiVersion: null } };
  }
  const apiKey = frame.readInt16BE(0);
  const apiVersion = frame.readInt16BE(2);
  const correlationId = frame.readInt32BE(4);

  const descriptor = apiDescriptor(apiKey);
  if (!descriptor) {
    return {
      ok: false,
      error: { kind: 'unknown-api-key', apiKey, apiVersion, correlationId, clientId: peekClientId(frame) },
    };
  }
  if (!isSupportedVersion(descriptor, apiVersion)) {
    const clientId = peekClientId(frame);
    if (descriptor.key === ApiKey.ApiVersions && apiVersion > descriptor.maxVersion) {
      return { ok: false, error: { kind: 'api-versions-too-new', apiVersion, correlationId, clientId } };
    }
    return {
      ok: false,
      error: { kind: 'unsupported-version', apiKey: descriptor.key, apiVersion, correlationId, clientId },
    };
  }

  try {
    const reader = new ByteReader(frame);
    const header = decodeRequestHeader(reader, requestHeaderVersion(descriptor, apiVersion));
    const body = descriptor.decodeRequest(reader, apiVersion);
    expectFullyRead(reader);
    const request = {
      apiKey: descriptor.key,
      apiVersion,
      correlationId,
      clientId: header.clientId ?? null,
      header,
      body,
    } as DecodedRequest;
    return { ok: true, request };
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    return { ok: false, error: { kind: 'malformed', error, correlationId, apiKey, apiVersion } };
  }
}

/**
 * Leftover bytes mean we read the body with the wrong layout (or the client wrote a wrong
 * one); accepting the prefix would act on garbage, so the frame counts as malformed.
 */
export function expectFullyRead(reader: ByteReader): void {
  if (reader.remaining > 0) {
    throw new DecodeError('trailing-bytes', `${reader.remaining} bytes left after the message`, reader.offset);
  }
}

/**
 * The client id, for failures that stop before the full header is decoded. Every header
 * version from v1 writes it as a classic nullable string right after the fixed part.
 */
function peekClientId(frame: Buffer): string | null {
  try {
    return new ByteReader(frame, FIXED_HEADER_BYTES).string(true);
  } catch {
    return null;
  }
}

/**
 * Size prefix + response header + body as chunks for `socket.writev`/`cork`: record data
 * in the body stays by reference (see ByteWriter), so a Fetch answer is never copied.
 */
export function encodeResponseFrame<K extends ApiKeyValue>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  response: ResponseByKey[K],
): Buffer[] {
  const descriptor: ApiDescriptor<K> = API_DESCRIPTORS[apiKey];
  const writer = new ByteWriter();
  const setSize = writer.placeholderInt32();
  encodeResponseHeader(writer, { correlationId }, responseHeaderVersion(descriptor, apiVersion));
  descriptor.encodeResponse(writer, response, apiVersion);
  setSize(writer.length - 4);
  return writer.toChunks();
}
