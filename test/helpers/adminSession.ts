import { AdminSession } from '../../src/admin/adminSession';

/**
 * An admin session on a test cluster as the app opens one: plaintext, no audit log.
 * `requestTimeoutMs` outlasting a long poll is for tests that make one.
 */
export function connectTestSession(bootstrap: string, options: { requestTimeoutMs?: number; operationTimeoutMs?: number } = {}): Promise<AdminSession> {
  return AdminSession.connect({
    settings: { bootstrapServers: bootstrap.split(','), securityProtocol: 'PLAINTEXT', clientId: 'samsa-it', connectTimeoutMs: 5_000, requestTimeoutMs: options.requestTimeoutMs ?? 10_000 },
    ...(options.operationTimeoutMs === undefined ? {} : { operationTimeoutMs: options.operationTimeoutMs }),
    audit: null,
  });
}
