import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Dispatch } from '../api/dispatcher';
import { fail, type ApiErrorCode, type Envelope } from '../api/envelope';
import type { EventBus } from '../api/eventBus';
import { CONTENT_SECURITY_POLICY_HEADER } from './contentSecurityPolicy';
import { rejectionReason } from './requestGuard';
import { readStaticFile } from './staticFiles';

export interface HttpServerOptions {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  /** The built renderer (dist/renderer); without it only the API is served. */
  readonly staticDir?: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** When the port is taken, listen on a free one instead of failing. */
  readonly fallbackToFreePort?: boolean;
  readonly maxBodyBytes?: number;
  readonly log?: (message: string) => void;
}

export interface RunningHttpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

const HOST = '127.0.0.1';
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
// Proxies and some browsers drop an idle stream; a comment line every so often keeps it open.
const EVENT_STREAM_HEARTBEAT_MS = 25_000;

const STATUS_BY_CODE: Record<ApiErrorCode, number> = {
  'unknown-method': 404,
  'invalid-input': 400,
  'not-found': 404,
  conflict: 409,
  'bad-request': 400,
  forbidden: 403,
  'payload-too-large': 413,
  'cluster-unavailable': 503,
  'cluster-error': 502,
  unsupported: 501,
  internal: 500,
  transport: 502,
};

const SECURITY_HEADERS = {
  'Content-Security-Policy': CONTENT_SECURITY_POLICY_HEADER,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
} as const;

/**
 * Browser mode's transport: the API as POST /api/call, events as Server-Sent Events on
 * GET /api/events, and the built renderer as static files, on 127.0.0.1 only. Every failure
 * answers with an envelope and the server keeps serving.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningHttpServer> {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const log = options.log ?? (() => {});
  let port = 0;

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      log(`request ${request.method ?? ''} ${request.url ?? ''} failed: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) sendEnvelope(response, fail('internal', 'The server failed to answer this request'));
      else response.destroy();
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) response.setHeader(name, value);
    const refusal = rejectionReason(request, port);
    if (refusal !== undefined) {
      request.resume();
      sendEnvelope(response, fail('forbidden', refusal));
      return;
    }
    const path = new URL(request.url ?? '/', `http://${HOST}`).pathname;
    if (path === '/api/call') return handleCall(request, response);
    if (path === '/api/events') return handleEvents(request, response);
    if (path.startsWith('/api/')) {
      request.resume();
      sendEnvelope(response, fail('not-found', `No API endpoint at ${path}; use POST /api/call or GET /api/events`));
      return;
    }
    return handleStatic(request, response, path);
  }

  async function handleCall(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') {
      request.resume();
      response.setHeader('Allow', 'POST');
      sendEnvelope(response, fail('bad-request', 'Use POST for /api/call'), 405);
      return;
    }
    const contentType = request.headers['content-type'] ?? '';
    // Requiring JSON also rules out the "simple" form posts a foreign page could send without CORS.
    if (!/^application\/json\s*(;|$)/i.test(contentType)) {
      request.resume();
      sendEnvelope(response, fail('bad-request', 'Send the call as Content-Type: application/json'), 415);
      return;
    }
    const body = await readBody(request, maxBodyBytes);
    if (body === 'too-large') {
      response.setHeader('Connection', 'close');
      sendEnvelope(response, fail('payload-too-large', `The request body is over the limit of ${maxBodyBytes} bytes`));
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch (error) {
      sendEnvelope(response, fail('bad-request', `The request body is not valid JSON: ${(error as Error).message}`));
      return;
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('method' in parsed)) {
      sendEnvelope(response, fail('bad-request', 'The request body must be a JSON object {"method": "...", "input": {...}}'));
      return;
    }
    // A call without parameters may leave out "input"; every such call takes {}.
    const input = 'input' in parsed ? parsed.input : {};
    sendEnvelope(response, await options.dispatch(parsed.method, input));
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse): void {
    if (request.method !== 'GET') {
      request.resume();
      response.setHeader('Allow', 'GET');
      sendEnvelope(response, fail('bad-request', 'Use GET for /api/events'), 405);
      return;
    }
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    // retry: how long the browser's EventSource waits before reconnecting after a drop.
    response.write('retry: 2000\n: connected\n\n');
    const unsubscribe = options.events.onAny((name, payload) => {
      response.write(`event: ${name}\ndata: ${JSON.stringify(payload)}\n\n`);
    });
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), EVENT_STREAM_HEARTBEAT_MS);
    heartbeat.unref();
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
    });
  }

  async function handleStatic(request: IncomingMessage, response: ServerResponse, path: string): Promise<void> {
    request.resume();
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('Allow', 'GET, HEAD');
      sendEnvelope(response, fail('bad-request', `${request.method ?? ''} is not supported here`), 405);
      return;
    }
    const file = options.staticDir === undefined ? undefined : await readStaticFile(options.staticDir, path);
    if (file === undefined) {
      sendEnvelope(response, fail('not-found', `Nothing at ${path}`));
      return;
    }
    response.writeHead(200, {
      'Content-Type': file.contentType,
      'Content-Length': file.body.length,
      'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    response.end(request.method === 'HEAD' ? undefined : file.body);
  }

  port = await listen(server, options.port, options.fallbackToFreePort ?? false, log);
  const url = `http://${HOST}:${port}`;
  return {
    url,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Event streams and keep-alive sockets would otherwise hold close() open indefinitely.
        server.closeAllConnections();
      }),
  };
}

function sendEnvelope(response: ServerResponse, envelope: Envelope<unknown>, status?: number): void {
  const body = JSON.stringify(envelope);
  response.writeHead(status ?? (envelope.ok ? 200 : STATUS_BY_CODE[envelope.error.code]), {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
    'Cache-Control': 'no-store',
  });
  response.end(body);
}

/**
 * Collects a request body up to `limit` bytes. Past the limit the rest is read and dropped
 * rather than the socket being cut, so the client still receives the 413 answer.
 */
function readBody(request: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    let tooLarge = declared > limit;
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function listen(server: Server, port: number, fallback: boolean, log: (message: string) => void): Promise<number> {
  return new Promise((resolve, reject) => {
    let fellBack = false;
    const onError = (error: NodeJS.ErrnoException): void => {
      if (error.code === 'EADDRINUSE' && fallback && port !== 0 && !fellBack) {
        fellBack = true;
        log(`port ${port} is in use; listening on a free port instead`);
        server.listen(0, HOST);
        return;
      }
      server.off('listening', onListening);
      reject(error);
    };
    const onListening = (): void => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    };
    server.on('error', onError);
    server.once('listening', onListening);
    server.listen(port, HOST);
  });
}
