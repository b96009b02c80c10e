import type tls from 'node:tls';
import type { KafkaConfig, SASLOptions } from 'kafkajs';
import { AdminError } from './adminError';
import { splitHostPort, type HostPort } from './hostPort';

/**
 * How to reach a cluster: bootstrap servers plus Kafka's security settings. The same
 * settings drive kafkajs (admin, producer) and our own protocol connections (requests kafkajs
 * lacks), so a cluster that works for one works for the other.
 */
export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';
export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

/** PEM text, as Kafka's `ssl.truststore.type=PEM` / `ssl.keystore.type=PEM` take it. */
export interface TlsSettings {
  /** Trusted CA certificates; the system's CAs when absent. */
  ca?: string;
  /** Client certificate chain and key, for mutual TLS. */
  cert?: string;
  key?: string;
  keyPassword?: string;
  /** Kafka's `ssl.endpoint.identification.algorithm=` (empty) turns hostname checks off. */
  verifyHostname: boolean;
}

export interface ConnectionSettings {
  bootstrapServers: string[];
  securityProtocol: SecurityProtocol;
  sasl?: SaslCredentials;
  tls?: TlsSettings;
  clientId: string;
  connectTimeoutMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 5_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

export function usesTls(protocol: SecurityProtocol): boolean {
  return protocol === 'SSL' || protocol === 'SASL_SSL';
}

export function usesSasl(protocol: SecurityProtocol): boolean {
  return protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL';
}

/** `host:port` or `[v6]:port` (see hostPort.ts), or an invalid-input error naming it. */
export function parseHostPort(address: string): HostPort {
  const hostPort = splitHostPort(address);
  if (!hostPort) throw new AdminError('invalid-input', `"${address}" is not host:port (for example 127.0.0.1:9092)`);
  return hostPort;
}

export function parseBootstrapServers(list: string): string[] {
  const servers = list.split(',').map((entry) => entry.trim()).filter(Boolean);
  if (servers.length === 0) throw new AdminError('invalid-input', 'no bootstrap server given (expected HOST:PORT[,HOST:PORT...])');
  servers.forEach(parseHostPort);
  return servers;
}

/** Checks the combination before anything connects, so a mistake is named, not a handshake failure. */
export function validateSettings(settings: ConnectionSettings): void {
  if (usesSasl(settings.securityProtocol) && !settings.sasl) {
    throw new AdminError('invalid-input', `security.protocol=${settings.securityProtocol} needs sasl.mechanism and sasl.jaas.config with a username and password`);
  }
  if (!usesSasl(settings.securityProtocol) && settings.sasl) {
    throw new AdminError('invalid-input', `SASL credentials were given but security.protocol=${settings.securityProtocol} does not use SASL (use SASL_PLAINTEXT or SASL_SSL)`);
  }
  if (settings.tls?.cert !== undefined && settings.tls.key === undefined) {
    throw new AdminError('invalid-input', 'a client certificate was given without its private key');
  }
}

/** node:tls options for our protocol connections and for kafkajs (which passes them to tls.connect). */
export function tlsOptions(settings: ConnectionSettings): tls.ConnectionOptions | undefined {
  if (!usesTls(settings.securityProtocol)) return undefined;
  const config = settings.tls;
  const options: tls.ConnectionOptions = {};
  if (config?.ca !== undefined) options.ca = config.ca;
  if (config?.cert !== undefined) options.cert = config.cert;
  if (config?.key !== undefined) options.key = config.key;
  if (config?.keyPassword !== undefined) options.passphrase = config.keyPassword;
  if (config && !config.verifyHostname) options.checkServerIdentity = () => undefined;
  return options;
}

function kafkaJsSasl(sasl: SaslCredentials): SASLOptions {
  switch (sasl.mechanism) {
    case 'PLAIN':
      return { mechanism: 'plain', username: sasl.username, password: sasl.password };
    case 'SCRAM-SHA-256':
      return { mechanism: 'scram-sha-256', username: sasl.username, password: sasl.password };
    case 'SCRAM-SHA-512':
      return { mechanism: 'scram-sha-512', username: sasl.username, password: sasl.password };
  }
}

/**
 * kafkajs's client config. Retries are few and short: an admin tool should report a broken
 * cluster promptly, and every call is bounded by its own deadline on top (deadline.ts).
 */
export function kafkaJsConfig(settings: ConnectionSettings): KafkaConfig {
  const ssl = tlsOptions(settings);
  return {
    brokers: settings.bootstrapServers,
    clientId: settings.clientId,
    connectionTimeout: settings.connectTimeoutMs,
    authenticationTimeout: settings.requestTimeoutMs,
    requestTimeout: settings.requestTimeoutMs,
    enforceRequestTimeout: true,
    retry: { retries: 2, initialRetryTime: 100, maxRetryTime: 1_000 },
    ...(ssl ? { ssl } : {}),
    ...(settings.sasl ? { sasl: kafkaJsSasl(settings.sasl) } : {}),
  };
}
