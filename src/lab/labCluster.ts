import type { ClusterEvent, ClusterHost } from '../engine/cluster/clusterHost';

/**
 * The cluster a lab run drives: its bootstrap servers, broker states, the fault actions, and
 * its event stream. Two ways to reach one: the ClusterHost in this process (the CLI's
 * throwaway cluster, the app's embedded cluster) or a running `samsa cluster` through its
 * control API.
 */
export type BrokerAction = 'stop' | 'kill' | 'start' | 'isolate' | 'heal' | 'slow';

export interface LabBrokerStatus {
  brokerId: number;
  state: string;
  isolated: boolean;
  fetchDelayMs: number;
}

export interface LabCluster {
  readonly bootstrap: string[];
  brokers(): Promise<LabBrokerStatus[]>;
  /** Resolves once the action took effect (the broker exited, or serves clients again). */
  act(brokerId: number, action: BrokerAction, delayMs?: number): Promise<void>;
  subscribe(listener: (event: ClusterEvent) => void): () => void;
}

export function hostLabCluster(host: ClusterHost): LabCluster {
  return {
    bootstrap: host.bootstrapServers.split(','),
    brokers: async () => host.status().map(({ brokerId, state, isolated, fetchDelayMs }) => ({ brokerId, state, isolated, fetchDelayMs })),
    async act(brokerId, action, delayMs = 0) {
      switch (action) {
        case 'stop':
          return host.stopBroker(brokerId);
        case 'kill':
          return host.killBroker(brokerId);
        case 'start':
          return host.startBroker(brokerId);
        case 'isolate':
          return host.isolateBroker(brokerId);
        case 'heal':
          return host.healBroker(brokerId);
        case 'slow':
          return host.slowBroker(brokerId, delayMs);
      }
    },
    subscribe: (listener) => host.subscribe(listener),
  };
}

const CONTROL_TIMEOUT_MS = 60_000;

interface ControlStatus {
  bootstrap: string;
  brokers: LabBrokerStatus[];
}

async function controlStatus(baseUrl: string): Promise<ControlStatus> {
  let response: Response;
  try {
    response = await fetch(`${baseUrl}/v1/cluster`, { signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
  } catch (error) {
    throw new Error(`cannot reach the cluster's control API at ${baseUrl}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
  if (!response.ok) throw new Error(`the control API at ${baseUrl} answered ${response.status} to GET /v1/cluster`);
  return (await response.json()) as ControlStatus;
}

/**
 * A running `samsa cluster` through its control API. The event stream (SSE) is opened once
 * and shared by all subscribers; close() ends it.
 */
export async function remoteLabCluster(controlUrl: string): Promise<LabCluster & { close(): void }> {
  const baseUrl = controlUrl.replace(/\/$/, '');
  const status = await controlStatus(baseUrl);
  const listeners = new Set<(event: ClusterEvent) => void>();
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/v1/events`, { signal: abort.signal });
  if (!response.ok || response.body === null) throw new Error(`the control API at ${baseUrl} answered ${response.status} to GET /v1/events`);
  const reader = response.body.getReader();
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          for (const line of message.split('\n')) {
            if (!line.startsWith('data: ')) continue;
            const event = JSON.parse(line.slice(6)) as ClusterEvent;
            for (const listener of listeners) listener(event);
          }
        }
      }
    } catch {
      // Closed by close(), or the cluster went away; the run reports what it saw until then.
    }
  })();
  return {
    bootstrap: status.bootstrap.split(','),
    brokers: async () => (await controlStatus(baseUrl)).brokers,
    async act(brokerId, action, delayMs = 0) {
      const query = action === 'slow' ? `?delayMs=${delayMs}` : '';
      const result = await fetch(`${baseUrl}/v1/brokers/${brokerId}/${action}${query}`, { method: 'POST', signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
      if (!result.ok) {
        const body = (await result.json().catch(() => ({}))) as { error?: string };
        throw new Error(`broker ${brokerId} ${action} failed (${result.status}): ${body.error ?? 'no reason given'}`);
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    close: () => abort.abort(),
  };
}
