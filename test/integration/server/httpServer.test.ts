import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/app/services';
import { startHttpServer, type RunningHttpServer } from '../../../src/server/httpServer';

interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** node:http rather than fetch, so tests can send the Host and Origin headers an attacker would. */
function send(
  server: RunningHttpServer,
  options: { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: server.port, method: options.method ?? 'GET', path: options.path ?? '/', headers: options.headers },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

function call(server: RunningHttpServer, body: unknown, headers: Record<string, string> = {}): Promise<RawResponse> {
  return send(server, {
    method: 'POST',
    path: '/api/call',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const cluster = { name: 'local', bootstrapServers: ['127.0.0.1:9092'], security: { protocol: 'PLAINTEXT' } };

describe('HTTP transport over a real socket', () => {
  let dataDir: string;
  let staticDir: string;
  let server: RunningHttpServer;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'samsa-http-data-'));
    const root = await mkdtemp(join(tmpdir(), 'samsa-http-static-'));
    staticDir = join(root, 'renderer');
    await mkdir(join(staticDir, 'assets'), { recursive: true });
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Samsa</title>');
    await writeFile(join(staticDir, 'assets', 'app-1234.js'), 'console.log(1)');
    await writeFile(join(staticDir, 'assets', 'app-1234.css'), 'body{}');
    await writeFile(join(root, 'secret.txt'), 'not for the web');
    const backend = createBackend({ mode: 'browser', version: '0.0.0-test', dataDir, log: () => {}, embeddedAutoStart: false });
    server = await startHttpServer({ dispatch: backend.dispatch, events: backend.context.events, staticDir, port: 0 });
  });

  afterAll(async () => {
    await server.close();
    await rm(dataDir, { recursive: true, force: true });
    await rm(join(staticDir, '..'), { recursive: true, force: true });
  });

  it('listens on loopback and answers a valid call', async () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const response = await call(server, { method: 'app.info', input: {} });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, value: { mode: 'browser', version: '0.0.0-test', dataDir } });
  });

  it('rejects wrong input types as invalid-input naming the field', async () => {
    const response = await call(server, { method: 'clusters.add', input: { ...cluster, bootstrapServers: '127.0.0.1:9092' } });
    expect(response.status).toBe(400);
    const { error } = JSON.parse(response.body);
    expect(error.code).toBe('invalid-input');
    expect(error.message).toContain('bootstrapServers: Invalid input: expected array, received string');
  });

  it('answers unknown-method for a call that is not in the contract', async () => {
    const response = await call(server, { method: 'topics.deleteEverything', input: {} });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body).error).toMatchObject({ code: 'unknown-method', message: 'There is no call named "topics.deleteEverything".' });
  });

  it('answers 400 with an envelope for malformed JSON and for a body that is not a call', async () => {
    const malformed = await call(server, '{"method": "app.info", ');
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toMatchObject({ ok: false, error: { code: 'bad-request' } });
    expect(JSON.parse(malformed.body).error.message).toMatch(/^The request body is not valid JSON/);

    const notACall = await call(server, '[1,2,3]');
    expect(notACall.status).toBe(400);
    expect(JSON.parse(notACall.body).error.code).toBe('bad-request');
  });

  it('answers 413 for a body over the limit, whether declared up front or streamed', async () => {
    const huge = JSON.stringify({ method: 'clusters.add', input: { ...cluster, name: 'x'.repeat(2 * 1024 * 1024) } });
    const declared = await call(server, huge);
    expect(declared.status).toBe(413);
    expect(JSON.parse(declared.body).error.code).toBe('payload-too-large');

    const streamed = await send(server, {
      method: 'POST',
      path: '/api/call',
      headers: { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' },
      body: huge,
    });
    expect(streamed.status).toBe(413);
  });

  it('answers 415 when the body is not declared as JSON, which rules out cross-site form posts', async () => {
    const response = await call(server, { method: 'app.info' }, { 'Content-Type': 'text/plain' });
    expect(response.status).toBe(415);
  });

  it('answers 403 to a foreign Origin, a rebound Host name and a cross-site fetch', async () => {
    const foreignOrigin = await call(server, { method: 'clusters.list' }, { Origin: 'https://attacker.example' });
    expect(foreignOrigin.status).toBe(403);
    expect(JSON.parse(foreignOrigin.body).error.code).toBe('forbidden');

    const rebound = await call(server, { method: 'clusters.list' }, { Host: `attacker.example:${server.port}` });
    expect(rebound.status).toBe(403);

    const crossSite = await call(server, { method: 'clusters.list' }, { 'Sec-Fetch-Site': 'cross-site' });
    expect(crossSite.status).toBe(403);

    const ownOrigin = await call(server, { method: 'clusters.list' }, { Origin: `http://localhost:${server.port}` });
    expect(ownOrigin.status).toBe(200);
  });

  it('keeps serving after all of the bad requests above: a cluster can be added and listed', async () => {
    const added = await call(server, { method: 'clusters.add', input: cluster });
    expect(added.status).toBe(200);
    const listed = JSON.parse((await call(server, { method: 'clusters.list' })).body);
    expect(listed.value.filter((c: { kind: string }) => c.kind === 'saved').map((c: { name: string }) => c.name)).toEqual(['local']);
  });

  it('streams contract events to Server-Sent Events subscribers', async () => {
    const received = new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: server.port, path: '/api/events' }, (res) => {
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.on('data', (chunk: Buffer) => {
          text += chunk.toString('utf8');
          if (text.includes('event: clusters.changed')) {
            req.destroy();
            resolve(text);
          }
        });
        // Subscribed once the stream has opened: now trigger an event.
        void call(server, { method: 'clusters.add', input: { ...cluster, name: 'second' } });
      });
      req.on('error', (error) => {
        if (!('code' in error) || error.code !== 'ECONNRESET') reject(error);
      });
      req.end();
    });
    const text = await received;
    expect(text).toMatch(/event: clusters\.changed\ndata: \{"change":"added","id":"[0-9a-f-]{36}"\}\n\n/);
  });

  it('serves the renderer with content types, the CSP header and long caching only for hashed assets', async () => {
    const index = await send(server, { path: '/' });
    expect(index.status).toBe(200);
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(index.headers['content-security-policy']).toContain("script-src 'self'");
    expect(index.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(index.headers['cache-control']).toBe('no-cache');

    const script = await send(server, { path: '/assets/app-1234.js' });
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    expect((await send(server, { path: '/assets/app-1234.css' })).headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('never serves files outside the renderer directory', async () => {
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e%5csecret.txt', '/nothing-here.js']) {
      const response = await send(server, { path });
      expect(response.status, path).toBe(404);
      expect(response.body, path).not.toContain('not for the web');
    }
  });
});
