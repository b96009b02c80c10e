import { ErrorCode } from '../../protocol/errors';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../../protocol/generated/apis';
import { decodeRequestFrame, encodeResponseFrame, type DecodedRequest } from '../../protocol/requestFrame';
import { defaultApiVersionsResponse } from '../../protocol/generated/apiVersionsResponse';
import type { Logger } from '../../logging/logger';
import { CLOSE_CONNECTION, NO_RESPONSE, type AnyApiHandler, type ApiHandler, type NoResponse, type RequestContext } from './apiHandler';
import type { SaslAuthenticator } from './sasl/saslAuthenticator';

/** What an unauthenticated client may send on a SASL listener. */
const BEFORE_AUTHENTICATION: ReadonlySet<number> = new Set([ApiKey.ApiVersions, ApiKey.SaslHandshake, ApiKey.SaslAuthenticate]);

/** What the connection does with one request frame. */
export type PipelineOutcome =
  | { kind: 'respond'; chunks: Buffer[]; closeAfter?: boolean }
  | { kind: 'silent' }
  | { kind: 'close'; reason: string };

/**
 * Turns one request frame into the bytes to send back: decode, pick the handler, check the
 * version, run it, encode. Every failure a client can cause ends as an error response or,
 * where no well-formed answer exists (garbage bytes, an API or version we cannot parse),
 * as closing that one connection, which is what Kafka does too.
 */
export class RequestPipeline {
  private readonly handlers = new Map<number, AnyApiHandler>();

  constructor(
    handlers: readonly AnyApiHandler[],
    private readonly log: Logger,
    /** Present when the listener requires SASL authentication. */
    private readonly authenticator?: SaslAuthenticator,
  ) {
    for (const handler of handlers) this.handlers.set(handler.apiKey, handler);
  }

  /** The advertised ranges, for ApiVersions. */
  supportedApis(): { apiKey: number; minVersion: number; maxVersion: number }[] {
    return [...this.handlers.values()]
      .map((h) => ({ apiKey: h.apiKey, minVersion: h.minVersion, maxVersion: h.maxVersion }))
      .sort((a, b) => a.apiKey - b.apiKey);
  }

  /** The connection is gone: forget its authentication state. */
  connectionClosed(connectionId: number): void {
    this.authenticator?.forget(connectionId);
  }

  /** `onlyWaiting` is called when the request's handler has nothing left to do in order (see RequestContext). */
  async process(frame: Buffer, connection: { id: number; clientAddress: string }, onlyWaiting?: () => void): Promise<PipelineOutcome> {
    if (this.authenticator?.expectsRawToken(connection.id)) return this.rawSaslToken(frame, connection.id);
    const decoded = decodeRequestFrame(frame);
    if (!decoded.ok) {
      const error = decoded.error;
      switch (error.kind) {
        case 'api-versions-too-new':
          return { kind: 'respond', chunks: this.apiVersionsFallback(error.correlationId) };
        case 'unknown-api-key':
          return { kind: 'close', reason: `unknown API key ${error.apiKey} from client ${error.clientId ?? '?'}` };
        case 'unsupported-version':
          return { kind: 'close', reason: `API ${error.apiKey} version ${error.apiVersion} is not one we can parse` };
        case 'malformed':
          return { kind: 'close', reason: `malformed request (api ${error.apiKey}, v${error.apiVersion}): ${error.error.message}` };
        default: {
          const unknown: never = error;
          return { kind: 'close', reason: `unexpected decode failure ${JSON.stringify(unknown)}` };
        }
      }
    }
    if (this.authenticator !== undefined && !this.authenticator.isAuthenticated(connection.id) && !BEFORE_AUTHENTICATION.has(decoded.request.apiKey)) {
      return { kind: 'close', reason: `API ${decoded.request.apiKey} sent before SASL authentication completed` };
    }
    const outcome = await this.dispatch(decoded.request, connection, onlyWaiting);
    if (outcome.kind === 'respond' && this.authenticator?.hasFailed(connection.id)) return { ...outcome, closeAfter: true };
    return outcome;
  }

  /** After a SaslHandshake v0, tokens travel as bare size-prefixed frames in both directions. */
  private rawSaslToken(frame: Buffer, connectionId: number): PipelineOutcome {
    const outcome = this.authenticator!.authenticate(connectionId, frame);
    if (!outcome.ok) return { kind: 'close', reason: `SASL authentication failed: ${outcome.message}` };
    const size = Buffer.alloc(4);
    size.writeInt32BE(outcome.response.length);
    return { kind: 'respond', chunks: [size, outcome.response] };
  }

  private async dispatch(request: DecodedRequest, connection: { id: number; clientAddress: string }, onlyWaiting?: () => void): Promise<PipelineOutcome> {
    const handler = this.handlers.get(request.apiKey) as ApiHandler<ApiKeyValue> | undefined;
    const context: RequestContext = {
      apiVersion: request.apiVersion,
      correlationId: request.correlationId,
      clientId: request.clientId,
      clientAddress: connection.clientAddress,
      connectionId: connection.id,
      onlyWaiting,
    };
    if (request.apiKey === ApiKey.ApiVersions && handler !== undefined && request.apiVersion > handler.maxVersion) {
      // Parseable by our codecs but newer than we serve (e.g. v4 while we serve 0-3): the
      // same KIP-511 answer as for versions we cannot parse, so the client retries lower.
      return { kind: 'respond', chunks: this.apiVersionsFallback(request.correlationId) };
    }
    if (handler === undefined || request.apiVersion < handler.minVersion || request.apiVersion > handler.maxVersion) {
      // Not advertised: a well-behaved client never sends it, so there is nothing to answer.
      return { kind: 'close', reason: `API ${request.apiKey} v${request.apiVersion} is not served by this broker` };
    }
    const body = request.body as RequestByKey[ApiKeyValue];
    const rejected = handler.rejectedVersions;
    let response: ResponseByKey[ApiKeyValue] | NoResponse;
    if (rejected !== undefined && request.apiVersion >= rejected.min && request.apiVersion <= rejected.max) {
      response = handler.errorResponse(body, ErrorCode.UNSUPPORTED_VERSION, context);
    } else {
      try {
        response = await handler.handle(body, context);
      } catch (error) {
        this.log.error(`handler for API ${request.apiKey} v${request.apiVersion} failed`, error);
        response = handler.errorResponse(body, ErrorCode.UNKNOWN_SERVER_ERROR, context);
      }
    }
    if (response === NO_RESPONSE) return { kind: 'silent' };
    if (response === CLOSE_CONNECTION) return { kind: 'close', reason: `API ${request.apiKey} failed with no response to carry the error (acks=0)` };
    try {
      return { kind: 'respond', chunks: encodeResponseFrame(request.apiKey, request.apiVersion, request.correlationId, response) };
    } catch (error) {
      this.log.error(`could not encode the response to API ${request.apiKey} v${request.apiVersion}`, error);
      return { kind: 'close', reason: 'response could not be encoded' };
    }
  }

  /** KIP-511: an ApiVersions request newer than ours gets a v0 answer with our range. */
  private apiVersionsFallback(correlationId: number): Buffer[] {
    const apiVersions = this.handlers.get(ApiKey.ApiVersions);
    const response = {
      ...defaultApiVersionsResponse(),
      errorCode: ErrorCode.UNSUPPORTED_VERSION,
      apiKeys: apiVersions === undefined ? [] : [{ apiKey: ApiKey.ApiVersions, minVersion: apiVersions.minVersion, maxVersion: apiVersions.maxVersion }],
    };
    return encodeResponseFrame(ApiKey.ApiVersions, 0, correlationId, response);
  }
}
