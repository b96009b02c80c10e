/**
 * The shape every call answers with, whatever the transport. Errors are values, not throws,
 * so a bad request can never take the process down and every caller handles failure the same
 * way over IPC and HTTP.
 */
export type ApiErrorCode =
  | 'unknown-method' // no such call in the contract
  | 'invalid-input' // the input failed the call's schema
  | 'not-found' // the call named something that does not exist (a cluster id, ...)
  | 'conflict' // the call would break a uniqueness rule (two clusters with one name, ...)
  | 'bad-request' // the transport could not read a call at all (malformed JSON, no method)
  | 'forbidden' // the request came from somewhere that is not this app
  | 'payload-too-large' // the request body is over the transport's limit
  | 'cluster-unavailable' // the cluster could not be reached, signed in to, or did not answer in time
  | 'cluster-error' // the cluster answered with a Kafka error
  | 'unsupported' // the cluster does not serve what the call needs
  | 'internal' // a handler failed unexpectedly: a bug or an environment problem
  | 'transport'; // the renderer could not reach the back end

export interface ApiErrorBody {
  readonly code: ApiErrorCode;
  readonly message: string;
  readonly details?: unknown;
}

export type Envelope<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorBody };

export function ok<T>(value: T): Envelope<T> {
  return { ok: true, value };
}

export function fail(code: ApiErrorCode, message: string, details?: unknown): Envelope<never> {
  return { ok: false, error: details === undefined ? { code, message } : { code, message, details } };
}

/**
 * Thrown by handlers for failures the user can act on. The dispatcher turns it into an error
 * envelope with its code; any other throw becomes 'internal'.
 */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A structural check, since envelopes arrive as parsed JSON or structured clones. */
export function isEnvelope(value: unknown): value is Envelope<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    'message' in error &&
    typeof error.message === 'string'
  );
}
