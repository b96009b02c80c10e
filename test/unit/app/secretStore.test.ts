import { chmod, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CallName, CallResult } from '../../../src/api/contract';
import { createBackend, type AppBackend } from '../../../src/app/services';
import { FileSecretStore, userOnlyFileSecretStore } from '../../../src/app/secretStore';

const PASSWORD = 'correct horse battery staple';

async function succeed<M extends CallName>(backend: AppBackend, method: M, input: unknown): Promise<CallResult<M>> {
  const envelope = await backend.dispatch(method, input);
  if (!envelope.ok) throw new Error(`expected a value, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as CallResult<M>;
}

const modeOf = async (path: string) => (await stat(path)).mode & 0o777;

describe('secret store', () => {
  let dataDir: string;

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'samsa-secrets-'));
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('browser mode keeps secrets in a file only the user can read, and restores that mode if it was loosened', async () => {
    const store = userOnlyFileSecretStore(dataDir);
    await store.set('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f', { saslPassword: PASSWORD, tlsKeyPassphrase: 'pass-phrase' });
    expect(await modeOf(store.path)).toBe(0o600);
    expect(await store.get('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f')).toEqual({ saslPassword: PASSWORD, tlsKeyPassphrase: 'pass-phrase' });
    expect(store.info).toMatchObject({ kind: 'user-only-file', path: join(dataDir, 'secrets.json') });
    expect(store.info.description).toContain(join(dataDir, 'secrets.json'));

    await chmod(store.path, 0o644);
    await store.set('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f', { saslPassword: 'changed' });
    expect(await modeOf(store.path)).toBe(0o600);
    expect(await store.get('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f')).toEqual({ saslPassword: 'changed' });
    await store.delete('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f');
    expect(await store.get('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f')).toEqual({});
  });

  it('stores what its codec encodes, so an encrypting codec (the desktop app) never writes the secret itself', async () => {
    const path = join(dataDir, 'secrets.json');
    const reversing = new FileSecretStore(path, { encode: (plain) => Buffer.from([...plain].reverse().join('')).toString('base64'), decode: (stored) => [...Buffer.from(stored, 'base64').toString()].reverse().join('') }, {
      kind: 'os-encryption',
      path,
      description: 'test',
    });
    await reversing.set('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f', { saslPassword: PASSWORD });
    expect(await readFile(path, 'utf8')).not.toContain(PASSWORD);
    expect(await reversing.get('4f0c2d38-9a51-4f0e-8f55-9d7b1c1d2e3f')).toEqual({ saslPassword: PASSWORD });
  });

  it('a cluster saved with a password through the API keeps it out of clusters.json; editing and removing update the store', async () => {
    const backend = createBackend({ mode: 'browser', version: '0.0.0', dataDir, log: () => undefined, embeddedAutoStart: false });
    try {
      const cluster = await succeed(backend, 'clusters.add', {
        name: 'secure',
        bootstrapServers: ['127.0.0.1:9092'],
        security: { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'admin' }, tls: { caFile: '/etc/kafka/ca.pem', verifyHostname: true } },
        secrets: { saslPassword: PASSWORD },
      });
      const clustersJson = await readFile(join(dataDir, 'clusters.json'), 'utf8');
      expect(clustersJson).toContain('admin');
      expect(clustersJson).not.toContain(PASSWORD);
      expect(await modeOf(join(dataDir, 'secrets.json'))).toBe(0o600);
      expect(await backend.context.secrets.get(cluster.id)).toEqual({ saslPassword: PASSWORD });
      const listed = (await succeed(backend, 'clusters.list', {})).find((entry) => entry.id === cluster.id);
      expect(listed).toMatchObject({ kind: 'saved', secretsSaved: { saslPassword: true, tlsKeyPassphrase: false } });
      expect(JSON.stringify(listed)).not.toContain(PASSWORD);

      await succeed(backend, 'clusters.update', { id: cluster.id, changes: {}, secrets: { saslPassword: 'rotated', tlsKeyPassphrase: 'phrase' } });
      expect(await backend.context.secrets.get(cluster.id)).toEqual({ saslPassword: 'rotated', tlsKeyPassphrase: 'phrase' });
      await succeed(backend, 'clusters.update', { id: cluster.id, changes: { security: { protocol: 'PLAINTEXT' } }, secrets: { saslPassword: null, tlsKeyPassphrase: null } });
      expect(await backend.context.secrets.get(cluster.id)).toEqual({});

      await succeed(backend, 'clusters.update', { id: cluster.id, changes: {}, secrets: { saslPassword: 'again' } });
      await succeed(backend, 'clusters.remove', { id: cluster.id });
      expect(await readFile(join(dataDir, 'secrets.json'), 'utf8')).not.toContain('again');
    } finally {
      await backend.close();
    }
  });

  it('refuses a password field inside the cluster settings, so it cannot land in clusters.json by mistake', async () => {
    const backend = createBackend({ mode: 'browser', version: '0.0.0', dataDir, log: () => undefined, embeddedAutoStart: false });
    try {
      const envelope = await backend.dispatch('clusters.add', {
        name: 'leaky',
        bootstrapServers: ['127.0.0.1:9092'],
        security: { protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'u', password: PASSWORD } },
      });
      expect(envelope.ok).toBe(false);
    } finally {
      await backend.close();
    }
  });
});
