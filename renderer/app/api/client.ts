import type { CallInput, CallName, CallResult, EventName, EventPayload } from '../../../src/api/contract';
import type { ApiErrorCode } from '../../../src/api/envelope';
import { transport } from './transport';

/** A failed call, thrown so TanStack Query and error boundaries see it as an error. */
export class ApiCallError extends Error {
  override readonly name = 'ApiCallError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/**
 * Calls the back end, typed by the contract; resolves with the result or throws ApiCallError.
 * Queries pass TanStack Query's `signal`, so a page left before its reads answer lets go of them.
 */
export async function callApi<M extends CallName>(method: M, input: CallInput<M>, signal?: AbortSignal): Promise<CallResult<M>> {
  const envelope = await transport.call(method, input, signal);
  if (!envelope.ok) throw new ApiCallError(envelope.error.code, envelope.error.message, envelope.error.details);
  // The back end builds the value with the handler typed by the same contract entry.
  return envelope.value as CallResult<M>;
}

export function subscribeToEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
  return transport.subscribe(event, (payload) => listener(payload as EventPayload<E>));
}
