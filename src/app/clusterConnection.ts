import { readFile } from 'node:fs/promises';
import { AdminError } from '../admin/adminError';
import { AdminSession } from '../admin/adminSession';
import { DEFAULT_CONNECT_TIMEOUT_MS, usesTls, type ConnectionSettings, type TlsSettings } from '../admin/connectionSettings';
import type { ClusterSecrets, ClusterSettings, ConnectionTestResult } from '../api/schemas/cluster';

export type ClusterConnection = Omit<ConnectionSettings, 'clientId' | 'connectTimeoutMs' | 'requestTimeoutMs'>;

/**
 * A saved cluster's settings plus its secrets, as the admin service takes them: TLS files
 * are read now (so a moved file is named, not a handshake failure), and a SASL cluster
 * without a saved password is refused with what to do.
 */
export async function connectionOf(settings: ClusterSettings, secrets: ClusterSecrets): Promise<ClusterConnection> {
  const { security } = settings;
  const base = { bootstrapServers: [...settings.bootstrapServers], securityProtocol: security.protocol };
  switch (security.protocol) {
    case 'PLAINTEXT':
      return base;
    case 'SSL':
      return { ...base, tls: await tlsOf(security.tls, secrets) };
    case 'SASL_PLAINTEXT':
    case 'SASL_SSL': {
      if (secrets.saslPassword === undefined) {
        throw new AdminError('invalid-input', `${settings.name} signs in with ${security.sasl.mechanism} as ${security.sasl.username}, but no password is saved: edit the cluster and enter it`);
      }
      const sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: secrets.saslPassword };
      return security.protocol === 'SASL_SSL' ? { ...base, sasl, tls: await tlsOf(security.tls, secrets) } : { ...base, sasl };
    }
  }
}

async function tlsOf(tls: Extract<ClusterSettings['security'], { protocol: 'SSL' }>['tls'], secrets: ClusterSecrets): Promise<TlsSettings> {
  if (tls === undefined) return { verifyHostname: true };
  const read = async (path: string, what: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new AdminError('invalid-input', `cannot read the ${what} ${path}: ${(error as Error).message}`, undefined, { cause: error });
    }
  };
  return {
    verifyHostname: tls.verifyHostname,
    ...(tls.caFile === undefined ? {} : { ca: await read(tls.caFile, 'CA certificate file') }),
    ...(tls.certFile === undefined ? {} : { cert: await read(tls.certFile, 'client certificate file') }),
    ...(tls.keyFile === undefined ? {} : { key: await read(tls.keyFile, 'client key file') }),
    ...(secrets.tlsKeyPassphrase === undefined ? {} : { keyPassword: secrets.tlsKeyPassphrase }),
  };
}

/** A connection test should answer in seconds: a user is waiting on the form. */
const TEST_REQUEST_TIMEOUT_MS = 8_000;
const TEST_OPERATION_TIMEOUT_MS = 10_000;

/**
 * Connects with the given settings, reads the cluster's metadata and disconnects; nothing is
 * saved or audited. Every failure comes back as a result naming the problem.
 */
export async function testConnection(settings: ClusterSettings, secrets: ClusterSecrets, now: () => number = () => performance.now()): Promise<ConnectionTestResult> {
  const started = now();
  let session: AdminSession | null = null;
  try {
    const connection = await connectionOf(settings, secrets);
    session = await AdminSession.connect({
      settings: { ...connection, clientId: 'samsa-connection-test', connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs: TEST_REQUEST_TIMEOUT_MS },
      operationTimeoutMs: TEST_OPERATION_TIMEOUT_MS,
      audit: null,
    });
    const connected = session;
    const metadata = await connected.run('read cluster metadata', () => connected.metadata());
    return {
      ok: true,
      clusterId: metadata.clusterId,
      brokers: metadata.brokers.length,
      controllerId: metadata.controllerId >= 0 ? metadata.controllerId : null,
      elapsedMs: Math.round(now() - started),
    };
  } catch (error) {
    if (!(error instanceof AdminError)) return { ok: false, problem: 'other', message: error instanceof Error ? error.message : String(error) };
    return describeFailure(settings, error);
  } finally {
    await session?.close();
  }
}

type Problem = Extract<ConnectionTestResult, { ok: false }>['problem'];

function problemOf(error: AdminError): Problem {
  switch (error.kind) {
    case 'unreachable':
    case 'auth-failed':
    case 'tls-failed':
    case 'timeout':
      return error.kind;
    case 'invalid-input':
      return 'invalid-settings';
    default:
      return 'other';
  }
}

const ADVICE: Partial<Record<Problem, string>> = {
  unreachable: 'Nothing answered: check the bootstrap servers and that the cluster is running and reachable from this machine.',
  'auth-failed': 'The cluster refused the credentials: check the SASL mechanism, username and password.',
  'tls-failed': 'The TLS handshake failed: check that the listener speaks TLS, the CA certificate and the hostname check.',
  timeout: 'The cluster did not answer in time: check the address (a firewall may drop packets) or whether the listener expects TLS or SASL.',
};

/** A broker that accepts the connection and then drops it is there, but speaks another protocol. */
const DROPPED = 'The broker accepted the connection and then closed it: its listener probably expects another security protocol (TLS or SASL); check the security protocol.';

/**
 * The admin service names the low-level failure; a connection test can say more, because it
 * knows what was attempted: a TLS connection cut before the handshake finished is a TLS
 * problem (a plaintext listener, most often), and a plaintext connection the broker closes
 * is a protocol mismatch rather than an unreachable cluster.
 */
function describeFailure(settings: ClusterSettings, error: AdminError): ConnectionTestResult {
  const detail = error.message.charAt(0).toUpperCase() + error.message.slice(1);
  let problem = problemOf(error);
  let advice = ADVICE[problem];
  if (problem === 'unreachable' && usesTls(settings.security.protocol) && /TLS|SSL|secure/i.test(error.message)) {
    problem = 'tls-failed';
    advice = ADVICE['tls-failed'];
  } else if (problem === 'unreachable' && /closed the connection/.test(error.message)) {
    advice = DROPPED;
  }
  return { ok: false, problem, message: advice === undefined ? detail : `${advice} (${detail})` };
}
