import type { RequestByKey, ResponseByKey } from '../../protocol/generated/apis';
import type { ApiKeyValue } from '../../protocol/generated/apis';

/** What a handler knows about the request besides its body. */
export interface RequestContext {
  apiVersion: number;
  correlationId: number;
  clientId: string | null;
  /** host:port of the peer, for logs and group member hosts. */
  clientAddress: string;
  connectionId: number;
  /**
   * Called by a handler that has done everything that must happen in request order and now
   * only waits (an acks=all produce waiting for replication): the connection may start on its
   * next request meanwhile, whose response still waits its turn.
   */
  onlyWaiting?: () => void;
}

/** acks=0 produce: Kafka sends no response at all, so the handler says so explicitly. */
export const NO_RESPONSE = Symbol('no-response');
/**
 * acks=0 produce that failed: with no response to carry the error, Kafka closes the
 * connection so the producer notices and refreshes its metadata.
 */
export const CLOSE_CONNECTION = Symbol('close-connection');
export type NoResponse = typeof NO_RESPONSE | typeof CLOSE_CONNECTION;

/**
 * One API of the broker: the versions it serves, how to handle a request, and how to
 * answer one with a single error code in every place the response has one (used for
 * versions we advertise but refuse, and for failures inside the handler).
 */
export interface ApiHandler<K extends ApiKeyValue> {
  apiKey: K;
  /** The versions this broker advertises in ApiVersions. */
  minVersion: number;
  maxVersion: number;
  /** Versions advertised for client compatibility but answered with UNSUPPORTED_VERSION (Produce v0-2, as Kafka 4 does). */
  rejectedVersions?: { min: number; max: number };
  handle(request: RequestByKey[K], context: RequestContext): Promise<ResponseByKey[K] | NoResponse> | ResponseByKey[K] | NoResponse;
  errorResponse(request: RequestByKey[K], errorCode: number, context: RequestContext): ResponseByKey[K];
}

/** A handler whose key type has been erased, for the registry. */
export type AnyApiHandler = { [K in ApiKeyValue]: ApiHandler<K> }[ApiKeyValue];

export function defineHandler<K extends ApiKeyValue>(handler: ApiHandler<K>): ApiHandler<K> {
  return handler;
}
