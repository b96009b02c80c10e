import type { ClusterRef } from '../api/schemas/clusterRef';

export interface KnownBroker {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly rack: string | null;
}

/**
 * Brokers the app has seen in each cluster. Kafka's Metadata lists only live brokers, so a
 * broker that crashed simply disappears; remembering it lets the UI say "broker 3 is down"
 * instead of silently showing two brokers. Forgotten when the cluster is removed or stopped.
 */
export class BrokerRoster {
  readonly #known = new Map<ClusterRef, Map<number, KnownBroker>>();

  /** Records the live brokers and returns the known ones that are missing, by id. */
  observe(ref: ClusterRef, live: readonly KnownBroker[]): KnownBroker[] {
    const known = this.#known.get(ref) ?? new Map<number, KnownBroker>();
    this.#known.set(ref, known);
    for (const broker of live) known.set(broker.id, broker);
    const liveIds = new Set(live.map((broker) => broker.id));
    return [...known.values()].filter((broker) => !liveIds.has(broker.id)).sort((a, b) => a.id - b.id);
  }

  /** Brokers the cluster is meant to have (the embedded cluster's configured brokers). */
  remember(ref: ClusterRef, brokers: readonly KnownBroker[]): void {
    const known = this.#known.get(ref) ?? new Map<number, KnownBroker>();
    this.#known.set(ref, known);
    for (const broker of brokers) if (!known.has(broker.id)) known.set(broker.id, broker);
  }

  forget(ref: ClusterRef): void {
    this.#known.delete(ref);
  }
}
