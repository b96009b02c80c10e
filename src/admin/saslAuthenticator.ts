import type { RequestChannel } from '../protocol/client/kafkaConnection';
import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode, errorInfo } from '../protocol/errors';
import { AdminError } from './adminError';
import type { SaslCredentials } from './connectionSettings';
import { ScramClient, ScramError } from './scram';

/**
 * SASL for our own protocol connections (KIP-152): SaslHandshake names the mechanism, then
 * SaslAuthenticate carries its messages. Versions are fixed and old enough for every broker
 * since Kafka 1.0 (Handshake v1, Authenticate v1), so no negotiation is needed first.
 */
const HANDSHAKE_VERSION = 1;
const AUTHENTICATE_VERSION = 1;

export function saslAuthenticator(credentials: SaslCredentials, address: string): (channel: RequestChannel) => Promise<void> {
  return async (channel) => {
    const handshake = await channel.send(ApiKey.SaslHandshake, { mechanism: credentials.mechanism }, { version: HANDSHAKE_VERSION });
    if (handshake.errorCode !== ErrorCode.NONE) {
      throw new AdminError(
        'auth-failed',
        `${address} does not offer SASL ${credentials.mechanism} (it offers ${handshake.mechanisms.join(', ') || 'none'})`,
        errorInfo(handshake.errorCode).name,
      );
    }
    const exchange = async (message: string): Promise<string> => {
      const response = await channel.send(ApiKey.SaslAuthenticate, { authBytes: Buffer.from(message, 'utf8') }, { version: AUTHENTICATE_VERSION });
      if (response.errorCode !== ErrorCode.NONE) {
        throw new AdminError(
          'auth-failed',
          `SASL ${credentials.mechanism} authentication as "${credentials.username}" failed at ${address}: ${response.errorMessage ?? errorInfo(response.errorCode).message}`,
          errorInfo(response.errorCode).name,
        );
      }
      return response.authBytes.toString('utf8');
    };
    switch (credentials.mechanism) {
      case 'PLAIN':
        // RFC 4616: authzid NUL authcid NUL passwd, with an empty authzid.
        await exchange(`\u0000${credentials.username}\u0000${credentials.password}`);
        return;
      case 'SCRAM-SHA-256':
      case 'SCRAM-SHA-512': {
        const scram = new ScramClient(credentials.mechanism === 'SCRAM-SHA-256' ? 'sha256' : 'sha512', credentials.username, credentials.password);
        try {
          const serverFirst = await exchange(scram.clientFirst());
          const serverFinal = await exchange(scram.clientFinal(serverFirst));
          scram.verifyServerFinal(serverFinal);
        } catch (error) {
          if (error instanceof ScramError) throw new AdminError('auth-failed', `SASL ${credentials.mechanism} with ${address}: ${error.message}`);
          throw error;
        }
      }
    }
  };
}
