import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterSettings } from '../../../src/api/schemas/cluster';
import { testConnection } from '../../../src/app/clusterConnection';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';

// The Clusters page's "Test connection" against a real SASL cluster (samsa cluster --sasl):
// each way a connection goes wrong is named so the user knows what to fix.
let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);

const sasl = (bootstrap: string): ClusterSettings => ({
  name: 'secured',
  bootstrapServers: [bootstrap],
  security: { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'SCRAM-SHA-256', username: 'alice' } },
});

describe('cluster connection test', () => {
  beforeAll(async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 1, extraArgs: ['--sasl', 'alice=alice-secret'] });
  }, 60_000);
  afterAll(async () => {
    await cluster?.stop();
  });

  it('succeeds with the right password and reports the cluster id and broker count', async () => {
    const result = await testConnection(sasl(cluster!.bootstrap), { saslPassword: 'alice-secret' });
    expect(result).toMatchObject({ ok: true, brokers: 1, controllerId: 1 });
    expect(result.ok && result.clusterId).toMatch(/^[\w-]{22}$/);
  });

  it('names bad credentials', async () => {
    const result = await testConnection(sasl(cluster!.bootstrap), { saslPassword: 'wrong' });
    expect(result).toMatchObject({ ok: false, problem: 'auth-failed' });
    expect(!result.ok && result.message).toContain('The cluster refused the credentials');
  });

  it('names a TLS failure when the listener does not speak TLS', async () => {
    const result = await testConnection({ name: 'tls', bootstrapServers: [cluster!.bootstrap], security: { protocol: 'SSL' } }, {});
    expect(result).toMatchObject({ ok: false, problem: 'tls-failed' });
    expect(!result.ok && result.message).toContain('The TLS handshake failed');
  });

  it('says the security protocol is probably wrong when the broker drops a plaintext connection', async () => {
    const result = await testConnection({ name: 'plain', bootstrapServers: [cluster!.bootstrap], security: { protocol: 'PLAINTEXT' } }, {});
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.message).toContain('check the security protocol');
  });

  it('refuses a SASL cluster without a password before connecting', async () => {
    const result = await testConnection(sasl(cluster!.bootstrap), {});
    expect(result).toMatchObject({ ok: false, problem: 'invalid-settings' });
    expect(!result.ok && result.message).toContain('no password is saved');
  });

  it('names an unreachable address, and a silent one as a timeout', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    await new Promise((resolve) => server.close(resolve));
    const closed = await testConnection({ name: 'closed', bootstrapServers: [`127.0.0.1:${port}`], security: { protocol: 'PLAINTEXT' } }, {});
    expect(closed).toMatchObject({ ok: false, problem: 'unreachable' });

    // A listener that accepts and never answers: Kafka's ApiVersions gets no reply.
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    try {
      const result = await testConnection({ name: 'silent', bootstrapServers: [`127.0.0.1:${(silent.address() as { port: number }).port}`], security: { protocol: 'PLAINTEXT' } }, {});
      expect(result).toMatchObject({ ok: false, problem: 'timeout' });
    } finally {
      silent.close();
    }
  }, 30_000);
});
