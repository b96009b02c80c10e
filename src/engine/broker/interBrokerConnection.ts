import { KafkaConnection, type RequestChannel } from '../../protocol/client';
import { ErrorCode } from '../../protocol/errors';
import { ApiKey } from '../../protocol/generated/apis';

export interface InterBrokerCredentials {
  user: string;
  password: string;
}

/** Opens a connection from this broker to another (replica fetchers, transaction markers). */
export type InterBrokerConnect = (options: { host: string; port: number; clientId: string; connectTimeoutMs?: number; requestTimeoutMs?: number }) => KafkaConnection;

/**
 * Brokers talk to each other like any client, so on a SASL listener they authenticate too:
 * with PLAIN and an internal user the cluster host creates (Kafka's inter-broker SASL).
 */
export function interBrokerConnections(credentials: InterBrokerCredentials | null): InterBrokerConnect {
  const authenticate =
    credentials === null
      ? undefined
      : async (channel: RequestChannel) => {
          const handshake = await channel.send(ApiKey.SaslHandshake, { mechanism: 'PLAIN' }, { version: 1 });
          if (handshake.errorCode !== ErrorCode.NONE) throw new Error(`inter-broker SASL handshake refused (error ${handshake.errorCode})`);
          const token = Buffer.from(`\u0000${credentials.user}\u0000${credentials.password}`);
          const result = await channel.send(ApiKey.SaslAuthenticate, { authBytes: token }, { version: 0 });
          if (result.errorCode !== ErrorCode.NONE) throw new Error(`inter-broker SASL authentication failed: ${result.errorMessage ?? result.errorCode}`);
        };
  return (options) => new KafkaConnection({ ...options, ...(authenticate ? { authenticate } : {}) });
}
