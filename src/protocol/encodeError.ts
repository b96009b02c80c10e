/**
 * Raised when a message cannot be written in the requested version: the version is not
 * defined, or a field the version lacks holds a non-default value that the peer would
 * silently lose. This mirrors Kafka's UnsupportedVersionException on the write path, so a
 * caller learns at once that, say, a header or a transactional id cannot be sent to an old
 * client instead of the client acting on a message it half received.
 */
export class EncodeError extends Error {
  override readonly name = 'EncodeError';
}

export function isEncodeError(error: unknown): error is EncodeError {
  return error instanceof EncodeError;
}
