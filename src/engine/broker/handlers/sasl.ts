// SaslHandshake (API 17), 0-1, and SaslAuthenticate (API 36), 0-2 (KIP-43, KIP-152). Served
// only when the listener requires SASL. A failed authentication is answered, then the
// connection is closed (the request pipeline does that), as Kafka does.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { SaslAuthenticateRequest } from '../../../protocol/generated/saslAuthenticateRequest';
import { defaultSaslAuthenticateResponse } from '../../../protocol/generated/saslAuthenticateResponse';
import type { SaslHandshakeRequest } from '../../../protocol/generated/saslHandshakeRequest';
import { defaultSaslHandshakeResponse } from '../../../protocol/generated/saslHandshakeResponse';
import type { AnyApiHandler } from '../apiHandler';
import { defineHandler } from '../apiHandler';
import type { SaslAuthenticator } from '../sasl/saslAuthenticator';

export function saslHandlers(authenticator: SaslAuthenticator): AnyApiHandler[] {
  return [
    defineHandler({
      apiKey: ApiKey.SaslHandshake,
      minVersion: 0,
      maxVersion: 1,
      handle(request: SaslHandshakeRequest, context) {
        const accepted = authenticator.handshake(context.connectionId, request.mechanism, context.apiVersion);
        return {
          ...defaultSaslHandshakeResponse(),
          errorCode: accepted ? ErrorCode.NONE : authenticator.isAuthenticated(context.connectionId) ? ErrorCode.ILLEGAL_SASL_STATE : ErrorCode.UNSUPPORTED_SASL_MECHANISM,
          mechanisms: [...authenticator.mechanisms],
        };
      },
      errorResponse(_request: SaslHandshakeRequest, errorCode: number) {
        return { ...defaultSaslHandshakeResponse(), errorCode, mechanisms: [...authenticator.mechanisms] };
      },
    }),
    defineHandler({
      apiKey: ApiKey.SaslAuthenticate,
      minVersion: 0,
      maxVersion: 2,
      handle(request: SaslAuthenticateRequest, context) {
        const outcome = authenticator.authenticate(context.connectionId, request.authBytes);
        if (!outcome.ok) {
          return { ...defaultSaslAuthenticateResponse(), errorCode: ErrorCode.SASL_AUTHENTICATION_FAILED, errorMessage: outcome.message };
        }
        return { ...defaultSaslAuthenticateResponse(), authBytes: outcome.response };
      },
      errorResponse(_request: SaslAuthenticateRequest, errorCode: number) {
        return { ...defaultSaslAuthenticateResponse(), errorCode };
      },
    }),
  ];
}
