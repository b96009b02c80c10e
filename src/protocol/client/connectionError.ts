/**
 * Why a request on a KafkaConnection failed without a Kafka answer. Kafka error codes in a
 * response body are not this: they come back inside the response (often per partition),
 * and the caller decides what each means.
 */
export type ConnectionErrorKind =
  | 'connect-failed' // TCP/TLS connection refused, unreachable, or not done within connectTimeoutMs
  | 'timeout' // no response within the request timeout
  | 'connection-closed' // the peer closed, or close() was called, before the response came
  | 'not-connected' // a request before connect() finished, or after close()
  | 'protocol-error' // the peer sent bytes that are not a valid answer to what we asked
  | 'no-common-version'; // the broker supports no version of the API that we support

export class KafkaConnectionError extends Error {
  override readonly name = 'KafkaConnectionError';
  constructor(
    readonly kind: ConnectionErrorKind,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isKafkaConnectionError(error: unknown): error is KafkaConnectionError {
  return error instanceof KafkaConnectionError;
}
