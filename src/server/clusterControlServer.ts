import http from 'node:http';
import type { ClusterEvent, ClusterHost } from '../engine/cluster/clusterHost';
import { UnknownBrokerError } from '../engine/cluster/clusterHost';

/**
 * The embedded cluster's control port (HTTP on 127.0.0.1): status, broker stop/kill/start,
 * and the event stream. Each action answers once it has taken effect (the process exited
 * and the controller fenced it, or the broker serves clients again) with the events it
 * caused, so scripts and the UI see what changed.
 *
 *   GET  /v1/cluster                      cluster id, bootstrap servers, broker states
 *   POST /v1/brokers/{id}/{stop|kill|start|isolate|heal}
 *   POST /v1/brokers/{id}/slow?delayMs=N   delay the broker's follower fetches (0 = normal)
 *   GET  /v1/events                       Server-Sent Events, one ClusterEvent per message
 */
const ACTIONS = ['stop', 'kill', 'start', 'isolate', 'heal', 'slow'] as const;
type Action = (typeof ACTIONS)[number];
/** Events that follow an action by this much are still reported as its effects. */
const SETTLE_MS = 200;

function json(response: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  response.end(text);
}

export function startClusterControlServer(cluster: ClusterHost, port: number, host = '127.0.0.1'): Promise<{ url: string; close: () => Promise<void> }> {
  const sseClients = new Set<http.ServerResponse>();
  const unsubscribe = cluster.subscribe((event) => {
    for (const client of sseClients) client.write(`data: ${JSON.stringify(event)}\n\n`);
  });

  async function act(action: Action, brokerId: number, delayMs: number) {
    const events: ClusterEvent[] = [];
    const stopCollecting = cluster.subscribe((event) => events.push(event));
    try {
      switch (action) {
        case 'stop':
          await cluster.stopBroker(brokerId);
          break;
        case 'kill':
          await cluster.killBroker(brokerId);
          break;
        case 'start':
          await cluster.startBroker(brokerId);
          break;
        case 'isolate':
          cluster.isolateBroker(brokerId);
          break;
        case 'heal':
          cluster.healBroker(brokerId);
          break;
        case 'slow':
          cluster.slowBroker(brokerId, delayMs);
          break;
      }
      await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    } finally {
      stopCollecting();
    }
    const broker = cluster.status().find((b) => b.brokerId === brokerId);
    return { brokerId, action, state: broker?.state ?? 'unknown', events };
  }

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://control');
    const parts = url.pathname.split('/').filter(Boolean);
    if (request.method === 'GET' && url.pathname === '/v1/cluster') {
      json(response, 200, { clusterId: cluster.clusterId, bootstrap: cluster.bootstrapServers, brokers: cluster.status() });
      return;
    }
    if (request.method === 'GET' && url.pathname === '/v1/events') {
      response.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
      response.write(': connected\n\n');
      sseClients.add(response);
      request.on('close', () => sseClients.delete(response));
      return;
    }
    if (request.method === 'POST' && parts.length === 4 && parts[0] === 'v1' && parts[1] === 'brokers') {
      const brokerId = Number(parts[2]);
      const action = parts[3] as Action;
      const delayMs = Number(url.searchParams.get('delayMs') ?? '0');
      if (!Number.isInteger(brokerId) || !ACTIONS.includes(action)) {
        json(response, 400, { error: `expected /v1/brokers/<id>/<${ACTIONS.join('|')}>` });
        return;
      }
      if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > 600_000) {
        json(response, 400, { error: 'delayMs must be a whole number of milliseconds from 0 to 600000' });
        return;
      }
      act(action, brokerId, delayMs).then(
        (result) => json(response, 200, result),
        (error: unknown) => json(response, error instanceof UnknownBrokerError ? 404 : 500, { error: error instanceof Error ? error.message : String(error) }),
      );
      return;
    }
    json(response, 404, { error: `no such endpoint: ${request.method} ${url.pathname}` });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      const address = server.address();
      const boundPort = typeof address === 'object' && address !== null ? address.port : port;
      resolve({
        url: `http://${host}:${boundPort}`,
        close: () =>
          new Promise<void>((done) => {
            unsubscribe();
            for (const client of sseClients) client.end();
            server.close(() => done());
          }),
      });
    });
  });
}
