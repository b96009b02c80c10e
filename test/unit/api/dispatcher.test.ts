import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { calls, type CallName, type CallResult } from '../../../src/api/contract';
import { createDispatcher } from '../../../src/api/dispatcher';
import type { Envelope } from '../../../src/api/envelope';
import { handlers } from '../../../src/api/handlers/index';
import { createBackend, type AppBackend } from '../../../src/app/services';

const validCluster = {
  name: 'local',
  bootstrapServers: ['localhost:9092', '127.0.0.1:9093'],
  security: { protocol: 'PLAINTEXT' },
};

function errorOf(envelope: Envelope<unknown>) {
  if (envelope.ok) throw new Error(`expected an error, got ${JSON.stringify(envelope.value)}`);
  return envelope.error;
}

/** Runs a call that must succeed, typed by the contract like the renderer's client. */
async function succeed<M extends CallName>(backend: AppBackend, method: M, input: unknown): Promise<CallResult<M>> {
  const envelope = await backend.dispatch(method, input);
  if (!envelope.ok) throw new Error(`expected a value, got ${envelope.error.code}: ${envelope.error.message}`);
  return envelope.value as CallResult<M>;
}

/** Names of the saved connections (the list also starts with the built-in embedded cluster). */
async function savedNames(backend: Parameters<typeof succeed>[0]): Promise<string[]> {
  return (await succeed(backend, 'clusters.list', {})).filter((c) => c.kind === 'saved').map((c) => c.name);
}

describe('dispatcher', () => {
  let dataDir: string;
  let backend: AppBackend;
  const logged: string[] = [];

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'samsa-dispatch-'));
    logged.length = 0;
    backend = createBackend({ mode: 'browser', version: '9.9.9', dataDir, log: (line) => logged.push(line), embeddedAutoStart: false });
  });

  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers app.info with the mode, version and data dir it was started with', async () => {
    const info = await succeed(backend, 'app.info', {});
    expect(info).toEqual({
      name: 'Samsa',
      version: '9.9.9',
      mode: 'browser',
      platform: process.platform,
      dataDir,
      secretStorage: { kind: 'user-only-file', path: join(dataDir, 'secrets.json'), description: expect.stringContaining('mode 0600') as unknown as string },
    });
  });

  it('reports an unknown method by name, including names inherited from Object.prototype', async () => {
    for (const method of ['clusters.nuke', 'toString', '__proto__', 'constructor']) {
      const error = errorOf(await backend.dispatch(method, {}));
      expect(error.code).toBe('unknown-method');
      expect(error.message).toContain(`"${method}"`);
    }
    expect(errorOf(await backend.dispatch(42, {})).message).toContain('a number');
  });

  it('rejects invalid input naming each bad field, before any handler runs', async () => {
    const error = errorOf(
      await backend.dispatch('clusters.add', { name: 7, bootstrapServers: ['kafka:99999', 'no-port'], security: { protocol: 'SASL_SSL' } }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toMatch(/^Invalid input for clusters\.add: /);
    const paths = (error.details as { issues: { path: string }[] }).issues.map((issue) => issue.path);
    expect(paths).toEqual(expect.arrayContaining(['name', 'bootstrapServers.0', 'bootstrapServers.1', 'security.sasl']));
    expect(error.message).toContain('"kafka:99999" is not host:port');
    expect(await savedNames(backend)).toEqual([]);
  });

  it('refuses a password anywhere in cluster settings, so none can reach clusters.json', async () => {
    const error = errorOf(
      await backend.dispatch('clusters.add', {
        ...validCluster,
        security: { protocol: 'SASL_SSL', sasl: { mechanism: 'PLAIN', username: 'app', password: 'hunter2' } },
      }),
    );
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('security.sasl: Unrecognized key: "password"');
  });

  it('lists the built-in embedded cluster first, before saved connections', async () => {
    await succeed(backend, 'clusters.add', { ...validCluster, name: 'saved-one' });
    const list = await succeed(backend, 'clusters.list', {});
    expect(list[0]).toMatchObject({ kind: 'embedded', id: 'embedded' });
    expect(list.slice(1).map((c) => c.kind)).toEqual(['saved']);
  });

  it('adds, lists sorted by name, updates and removes clusters, announcing each change', async () => {
    const changes: unknown[] = [];
    backend.context.events.onAny((name, payload) => changes.push({ name, payload }));

    const zeta = await succeed(backend, 'clusters.add', { ...validCluster, name: 'zeta' });
    const alpha = await succeed(backend, 'clusters.add', { ...validCluster, name: '  Alpha  ' });
    expect(alpha.name).toBe('Alpha');
    expect(await savedNames(backend)).toEqual(['Alpha', 'zeta']);

    const renamed = await succeed(backend, 'clusters.update', { id: zeta.id, changes: { name: 'beta' } });
    expect(renamed).toMatchObject({ id: zeta.id, name: 'beta', bootstrapServers: validCluster.bootstrapServers });
    expect(await succeed(backend, 'clusters.remove', { id: alpha.id })).toEqual({ removed: alpha.id });
    expect(await savedNames(backend)).toEqual(['beta']);

    expect(changes).toEqual([
      { name: 'clusters.changed', payload: { change: 'added', id: zeta.id } },
      { name: 'clusters.changed', payload: { change: 'added', id: alpha.id } },
      { name: 'clusters.changed', payload: { change: 'updated', id: zeta.id } },
      { name: 'clusters.changed', payload: { change: 'removed', id: alpha.id } },
    ]);
  });

  it('keeps cluster names unique ignoring case, and says which name clashes', async () => {
    await succeed(backend, 'clusters.add', { ...validCluster, name: 'Prod' });
    const error = errorOf(await backend.dispatch('clusters.add', { ...validCluster, name: 'prod' }));
    expect(error).toEqual({ code: 'conflict', message: 'A cluster named "Prod" is already saved; choose another name.' });
  });

  it('answers not-found for an id that is not saved, and an empty update as invalid input', async () => {
    const missing = '2f1b6a3e-7c1d-4e55-9a0b-3c2d1e0f9a8b';
    expect(errorOf(await backend.dispatch('clusters.remove', { id: missing })).code).toBe('not-found');
    expect(errorOf(await backend.dispatch('clusters.update', { id: missing, changes: {} })).message).toContain(
      'Give at least one of name, bootstrapServers, security or a secret',
    );
  });

  it('turns a damaged clusters.json into an internal error naming the file, and never overwrites it', async () => {
    const file = join(dataDir, 'clusters.json');
    await writeFile(file, '{ "version": 1, "clusters": [');
    const error = errorOf(await backend.dispatch('clusters.add', validCluster));
    expect(error.code).toBe('internal');
    expect(error.message).toContain(`${file} is not valid JSON`);
    expect(logged.some((line) => line.startsWith('clusters.add failed'))).toBe(true);
  });

  it('catches a throwing handler and reports it as internal instead of rejecting', async () => {
    const context = backend.context;
    const dispatch = createDispatcher(
      {
        ...handlers,
        'app.info': () => {
          throw new TypeError('disk on fire');
        },
      },
      context,
    );
    await expect(dispatch('app.info', {})).resolves.toEqual({ ok: false, error: { code: 'internal', message: 'app.info failed: disk on fire' } });
  });

  it('lists a summary and an input schema for every call, each with a handler', () => {
    for (const [name, definition] of Object.entries(calls)) {
      expect(definition.summary.length, name).toBeGreaterThan(10);
      expect(typeof handlers[name as keyof typeof handlers], name).toBe('function');
    }
  });
});
