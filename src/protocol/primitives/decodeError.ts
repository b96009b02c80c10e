/**
 * The one error a decoder raises. Decoders run on bytes from the network, so every way the
 * bytes can be wrong maps to a kind here; the frame layer turns it into a typed result and
 * the broker answers or closes the connection, but never crashes.
 */
export type DecodeErrorKind =
  | 'truncated' // a read ran past the end of the buffer
  | 'negative-length' // a length below -1 (or below 0 where null is not allowed)
  | 'null-not-allowed' // a null where the schema has no nullable version
  | 'invalid-varint' // a varint longer than its type allows
  | 'unsupported-version' // a version the schema does not define
  | 'unknown-api-key' // an API key with no schema
  | 'invalid-value' // a value outside what the field allows (e.g. a bad UTF-8 string)
  | 'bad-crc' // a record batch whose CRC-32C does not match
  | 'trailing-bytes'; // bytes left after a complete message

export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly kind: DecodeErrorKind,
    message: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}

export function isDecodeError(error: unknown): error is DecodeError {
  return error instanceof DecodeError;
}
