/**
 * The client's side of a frame: request header + body out, response header + body in.
 * The mirror of `../requestFrame.ts`, with the same header-version rules.
 */
import { ByteReader } from '../primitives/byteReader';
import { ByteWriter } from '../primitives/byteWriter';
import { isDecodeError, type DecodeError } from '../primitives/decodeError';
import { ErrorCode } from '../errors';
import {
  API_DESCRIPTORS,
  ApiKey,
  type ApiDescriptor,
  type ApiKeyValue,
  type RequestByKey,
  type ResponseByKey,
} from '../generated/apis';
import { encodeRequestHeader } from '../generated/requestHeader';
import { decodeResponseHeader } from '../generated/responseHeader';
import {
  apiDescriptor,
  expectFullyRead,
  isSupportedVersion,
  requestHeaderVersion,
  responseHeaderVersion,
} from '../requestFrame';

/** Size prefix + request header + body, as chunks for `socket.cork` + `write`. */
export function encodeRequestFrame<K extends ApiKeyValue>(
  apiKey: K,
  apiVersion: number,
  correlationId: number,
  clientId: string | null,
  request: RequestByKey[K],
): Buffer[] {
  const descriptor: ApiDescriptor<K> = API_DESCRIPTORS[apiKey];
  if (!isSupportedVersion(descriptor, apiVersion)) {
    // Only our own code chooses what to send, so this is a bug, not a network condition.
    throw new RangeError(`cannot encode ${descriptor.name} at version ${apiVersion}`);
  }
  const writer = new ByteWriter();
  const setSize = writer.placeholderInt32();
  encodeRequestHeader(
    writer,
    { requestApiKey: apiKey, requestApiVersion: apiVersion, correlationId, clientId },
    requestHeaderVersion(descriptor, apiVersion),
  );
  descriptor.encodeRequest(writer, request, apiVersion);
  setSize(writer.length - 4);
  return writer.toChunks();
}

export type ResponseFrameError =
  | { kind: 'unknown-api-key'; apiKey: number }
  | { kind: 'unsupported-version'; apiKey: ApiKeyValue; apiVersion: number }
  /** `correlationId` is null when even the header could not be read. */
  | { kind: 'malformed'; error: DecodeError; correlationId: number | null };

export type ResponseFrameResult<K extends ApiKeyValue> =
  | { ok: true; correlationId: number; body: ResponseByKey[K] }
  | { ok: false; error: ResponseFrameError };

export function decodeResponseFrame<K extends ApiKeyValue>(
  apiKey: K,
  apiVersion: number,
  frame: Buffer,
): ResponseFrameResult<K> {
  const descriptor = apiDescriptor(apiKey);
  if (!descriptor) return { ok: false, error: { kind: 'unknown-api-key', apiKey } };
  if (!isSupportedVersion(descriptor, apiVersion)) {
    return { ok: false, error: { kind: 'unsupported-version', apiKey, apiVersion } };
  }

  const reader = new ByteReader(frame);
  let correlationId: number | null = null;
  try {
    correlationId = decodeResponseHeader(reader, responseHeaderVersion(descriptor, apiVersion)).correlationId;
    const bodyVersion = isApiVersionsFallback(descriptor, apiVersion, frame, reader.offset) ? 0 : apiVersion;
    const body = descriptor.decodeResponse(reader, bodyVersion) as ResponseByKey[K];
    expectFullyRead(reader);
    return { ok: true, correlationId, body };
  } catch (error) {
    if (!isDecodeError(error)) throw error;
    return { ok: false, error: { kind: 'malformed', error, correlationId } };
  }
}

/**
 * KIP-511: a broker that does not know our ApiVersions version answers in v0 format with
 * UNSUPPORTED_VERSION. Every version starts its body with the int16 error code, so that
 * code tells us which layout follows, as Kafka's Java client does.
 */
function isApiVersionsFallback(descriptor: ApiDescriptor, apiVersion: number, frame: Buffer, bodyStart: number): boolean {
  return (
    descriptor.key === ApiKey.ApiVersions &&
    apiVersion > 0 &&
    frame.length >= bodyStart + 2 &&
    frame.readInt16BE(bodyStart) === ErrorCode.UNSUPPORTED_VERSION
  );
}
