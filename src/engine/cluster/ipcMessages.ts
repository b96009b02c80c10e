import type { BrokerRegistration, MetadataLogEntry } from '../metadata/records';
import type { BrokerConfig } from '../broker/brokerConfig';

/**
 * Messages between the cluster host (controller) and a broker process over Node's IPC
 * channel (structured-clone serialisation). The channel is ordered, so metadata entries
 * arrive at the broker in log order.
 */
export type BrokerToHost =
  | { kind: 'register'; registration: BrokerRegistration; fromOffset: number }
  | { kind: 'call'; id: number; method: string; args: unknown[] }
  | { kind: 'unregister'; brokerId: number }
  | { kind: 'ready'; port: number };

export type HostToBroker =
  | { kind: 'metadata'; entries: MetadataLogEntry[] }
  | { kind: 'registered' }
  | { kind: 'unregistered' }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; message: string }
  | { kind: 'shutdown' }
  /** Fault injection: cut replication traffic, or delay this broker's follower fetches. */
  | { kind: 'fault'; isolated: boolean; fetchDelayMs: number };

/** How the host hands a broker process its configuration. */
export const BROKER_CONFIG_ENV = 'SAMSA_BROKER_CONFIG';

export function encodeBrokerConfig(config: BrokerConfig): string {
  return JSON.stringify(config);
}

export function decodeBrokerConfig(text: string | undefined): BrokerConfig {
  if (text === undefined) throw new Error(`${BROKER_CONFIG_ENV} is not set: broker processes are started by the cluster host`);
  return JSON.parse(text) as BrokerConfig;
}
