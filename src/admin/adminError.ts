import { isKafkaConnectionError } from '../protocol/client/connectionError';
import { errorInfo, isKafkaError } from '../protocol/errors';

/**
 * What went wrong, in terms a user can act on. Every failure that leaves the admin service is
 * an AdminError; the CLI prints its message on one line, the UI can branch on `kind`.
 */
export type AdminErrorKind =
  | 'unreachable' // no broker answered at the TCP level (refused, unroutable, DNS)
  | 'tls-failed' // TCP worked, the TLS handshake did not (certificate, protocol mismatch)
  | 'auth-failed' // SASL rejected the mechanism or the credentials
  | 'timeout' // the cluster did not answer within the operation's bound
  | 'unknown-topic'
  | 'unknown-partition'
  | 'unknown-group'
  | 'group-active' // the operation needs an empty group
  | 'invalid-input' // the request is wrong before anything is sent (bad file, bad flag value)
  | 'unsupported' // the cluster does not serve the API this operation needs
  | 'kafka'; // the cluster answered with a Kafka error code

export class AdminError extends Error {
  override readonly name = 'AdminError';
  constructor(
    readonly kind: AdminErrorKind,
    message: string,
    /** The Kafka error name (e.g. TOPIC_ALREADY_EXISTS) when the cluster sent one. */
    readonly kafkaError?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAdminError(error: unknown): error is AdminError {
  return error instanceof AdminError;
}

/** An error for a Kafka error code in a response, keeping the code's name for callers. */
export function kafkaCodeError(code: number, context: string, brokerMessage?: string | null): AdminError {
  const info = errorInfo(code);
  const detail = brokerMessage && brokerMessage !== info.message ? `${brokerMessage}` : info.message;
  const kind: AdminErrorKind =
    info.name === 'UNKNOWN_TOPIC_OR_PARTITION' || info.name === 'UNKNOWN_TOPIC_ID'
      ? 'unknown-topic'
      : info.name === 'SASL_AUTHENTICATION_FAILED' || info.name === 'UNSUPPORTED_SASL_MECHANISM' || info.name === 'ILLEGAL_SASL_STATE'
        ? 'auth-failed'
        : info.name === 'UNSUPPORTED_VERSION'
          ? 'unsupported'
          : 'kafka';
  return new AdminError(kind, `${context}: ${info.name}: ${detail}`, info.name);
}

/** Node error codes of a TLS handshake gone wrong (node:tls and OpenSSL). */
const TLS_CODE = /^(ERR_SSL_|ERR_TLS_|CERT_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|ERR_OSSL_|HOSTNAME_MISMATCH)/;
const UNREACHABLE_CODE = /^(ECONNREFUSED|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|EPIPE)$/;

/**
 * Turns whatever a lower layer threw (our protocol client, kafkajs, node:net/tls) into an
 * AdminError. `context` says what we were doing ("describe topic orders") so the one-line
 * message stands on its own.
 */
export function toAdminError(error: unknown, context: string): AdminError {
  if (isAdminError(error)) return error;
  const chain = causeChain(error);
  const codes = chain.map((entry) => (entry as { code?: unknown }).code).filter((code): code is string => typeof code === 'string');
  const names = chain.map((entry) => (entry instanceof Error ? entry.name : ''));
  const innermost = chain[chain.length - 1];
  const detail = innermost instanceof Error ? innermost.message : String(innermost);

  if (codes.some((code) => TLS_CODE.test(code)) || names.some((name) => name.includes('SSL'))) {
    return new AdminError('tls-failed', `${context}: TLS handshake failed: ${detail}`, undefined, { cause: error });
  }
  if (names.includes('KafkaJSSASLAuthenticationError')) {
    return new AdminError('auth-failed', `${context}: authentication failed: ${detail}`, 'SASL_AUTHENTICATION_FAILED', { cause: error });
  }
  const kafka = chain.find(isKafkaError);
  if (kafka) return kafkaCodeError(kafka.code, context);
  const protocol = chain.find((entry) => entry instanceof Error && entry.name === 'KafkaJSProtocolError') as
    | (Error & { type?: string; code?: number })
    | undefined;
  if (protocol && typeof protocol.code === 'number') return kafkaCodeError(protocol.code, context, protocol.message);
  if (codes.some((code) => UNREACHABLE_CODE.test(code))) {
    return new AdminError('unreachable', `${context}: cannot reach the cluster: ${detail}`, undefined, { cause: error });
  }
  const connection = chain.find(isKafkaConnectionError);
  if (connection) {
    switch (connection.kind) {
      case 'connect-failed':
        return new AdminError(/within \d+ ms/.test(connection.message) ? 'timeout' : 'unreachable', `${context}: ${connection.message}`, undefined, { cause: error });
      case 'timeout':
        return new AdminError('timeout', `${context}: ${connection.message}`, undefined, { cause: error });
      case 'no-common-version':
        return new AdminError('unsupported', `${context}: ${connection.message}`, undefined, { cause: error });
      case 'connection-closed':
      case 'not-connected':
      case 'protocol-error':
        return new AdminError('unreachable', `${context}: ${connection.message}`, undefined, { cause: error });
    }
  }
  if (names.some((name) => name === 'KafkaJSRequestTimeoutError')) {
    return new AdminError('timeout', `${context}: the cluster did not answer in time: ${detail}`, undefined, { cause: error });
  }
  if (names.some((name) => name === 'KafkaJSConnectionError' || name === 'KafkaJSConnectionClosedError' || name === 'KafkaJSBrokerNotFound')) {
    return new AdminError('unreachable', `${context}: cannot reach the cluster: ${detail}`, undefined, { cause: error });
  }
  return new AdminError('kafka', `${context}: ${detail}`, undefined, { cause: error });
}

/** The innermost message of an error chain: what actually failed, without the layers' context. */
export function rootCauseMessage(error: unknown): string {
  const innermost = causeChain(error).at(-1);
  return innermost instanceof Error ? innermost.message : String(innermost);
}

function causeChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  let current: unknown = error;
  while (current !== undefined && current !== null && chain.length < 10 && !chain.includes(current)) {
    chain.push(current);
    const next = (current as { cause?: unknown; originalError?: unknown }).cause ?? (current as { originalError?: unknown }).originalError;
    current = next;
  }
  return chain;
}
