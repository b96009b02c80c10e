import type { AdminError } from '../admin/adminError';
import { ApiError, type ApiErrorCode } from '../api/envelope';

/** What the user can do about each kind of admin failure, appended to the admin service's message. */
const ADVICE: Record<AdminError['kind'], string> = {
  unreachable: 'Check that the cluster is running and that its bootstrap servers are right.',
  'tls-failed': 'Check the security protocol (SSL) and the cluster’s certificates.',
  'auth-failed': 'Check the SASL mechanism and username.',
  timeout: 'The cluster is slow or overloaded; the page retries on its own.',
  'unknown-topic': '',
  'unknown-partition': '',
  'unknown-group': '',
  'group-active': '',
  'invalid-input': '',
  unsupported: '',
  kafka: '',
};

const CODE: Record<AdminError['kind'], ApiErrorCode> = {
  unreachable: 'cluster-unavailable',
  'tls-failed': 'cluster-unavailable',
  'auth-failed': 'cluster-unavailable',
  timeout: 'cluster-unavailable',
  'unknown-topic': 'not-found',
  'unknown-partition': 'not-found',
  'unknown-group': 'not-found',
  'group-active': 'conflict',
  'invalid-input': 'invalid-input',
  unsupported: 'unsupported',
  kafka: 'cluster-error',
};

/** Keeps the admin service's kind and Kafka error name in the details, for the UI to branch on. */
export function adminErrorToApiError(error: AdminError): ApiError {
  const advice = ADVICE[error.kind];
  const message = advice === '' ? capitalise(error.message) : `${capitalise(error.message)}. ${advice}`;
  return new ApiError(CODE[error.kind], message, { kind: error.kind, ...(error.kafkaError === undefined ? {} : { kafkaError: error.kafkaError }) });
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
