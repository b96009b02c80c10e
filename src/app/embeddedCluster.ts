import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/envelope';
import type { EmbeddedState } from '../api/schemas/clusterRef';
import {
  EmbeddedStartSchema,
  type BrokerAction,
  type ClusterEventBody,
  type EmbeddedStartSettings,
  type EmbeddedStatus,
  type TimelineEvent,
} from '../api/schemas/embedded';
import { ClusterHost, UnknownBrokerError, type ClusterEvent } from '../engine/cluster/clusterHost';
import { hostLabCluster, type LabCluster } from '../lab/labCluster';
import type { Logger } from '../logging/logger';
import { preferredFirstPort } from './portAvailability';

/** Kafka's default listener port: a cluster there works with every tutorial's bootstrap address. */
const KAFKA_PORT = 9092;
/**
 * replica.lag.time.max.ms for the embedded cluster. Kafka's 30 s is tuned for production;
 * a cluster people break on purpose should show a follower leaving the ISR within seconds.
 */
const DEFAULT_REPLICA_LAG_TIME_MAX_MS = 10_000;
/** How many events the timeline keeps; a killed broker moves one leader per partition it led. */
const EVENT_HISTORY = 2_000;
const START_TIMEOUT_MS = 60_000;
const STATE_FILE = 'embedded.json';

const StateFileSchema = z.object({
  version: z.literal(1),
  /** Whether the app starts the cluster at launch: it was running when the app last saw it. */
  autoStart: z.boolean(),
  settings: EmbeddedStartSchema.nullable(),
});

export interface EmbeddedClusterOptions {
  /** The app's data directory; the cluster's default home is <appDataDir>/embedded. */
  readonly appDataDir: string;
  readonly log: Logger;
  /** Every cluster event, numbered, as it happens. */
  readonly onEvent: (event: TimelineEvent) => void;
  /** The cluster's own state changed (starting, running, stopped...). */
  readonly onStateChange: (state: EmbeddedState) => void;
}

/**
 * The embedded cluster as the app sees it: at most one ClusterHost (controller plus broker
 * processes), its lifecycle, the faults a user injects, and a bounded history of its events
 * for the timeline. Whether it was running is remembered in <appDataDir>/embedded.json, so
 * the app brings it back at the next launch, and a user who stopped it is not overridden.
 */
export class EmbeddedCluster {
  #host: ClusterHost | null = null;
  #unsubscribe: (() => void) | null = null;
  #state: EmbeddedState = 'stopped';
  #error: string | null = null;
  #settings: EmbeddedStartSettings | null = null;
  #startedAt: number | null = null;
  #events: TimelineEvent[] = [];
  #seq = 0;
  /** Lifecycle changes run one at a time, so a stop cannot overtake a start. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: EmbeddedClusterOptions) {}

  get defaultDataDir(): string {
    return join(this.options.appDataDir, 'embedded');
  }

  get state(): EmbeddedState {
    return this.#state;
  }

  /** host:port of each broker while the cluster runs; empty otherwise. */
  get bootstrapServers(): string[] {
    if (this.#host === null || (this.#state !== 'running' && this.#state !== 'starting')) return [];
    return this.#host.bootstrapServers.split(',').filter(Boolean);
  }

  status(): EmbeddedStatus {
    const host = this.#host;
    return {
      state: this.#state,
      error: this.#error,
      dataDir: this.#settings?.dataDir ?? this.defaultDataDir,
      bootstrapServers: this.bootstrapServers,
      brokers:
        host === null
          ? []
          : host.status().map((broker) => ({ brokerId: broker.brokerId, host: broker.host, port: broker.port, state: broker.state, pid: broker.pid, isolated: broker.isolated })),
      settings: this.#settings,
      startedAt: this.#startedAt,
    };
  }

  events(): TimelineEvent[] {
    return [...this.#events];
  }

  /** Starts the cluster at launch unless the saved state says the user stopped it. */
  async autoStart(): Promise<void> {
    const saved = await this.#readState();
    if (saved !== null && !saved.autoStart) return;
    await this.start(saved?.settings ?? EmbeddedStartSchema.parse({}));
  }

  start(settings: EmbeddedStartSettings): Promise<EmbeddedStatus> {
    return this.#serial(async () => {
      if (this.#state === 'running' || this.#state === 'starting') {
        throw new ApiError('conflict', `The embedded cluster is already ${this.#state}; stop it first to start it with other settings.`);
      }
      const dataDir = resolve(settings.dataDir ?? this.defaultDataDir);
      const port = settings.port ?? (await preferredFirstPort(KAFKA_PORT, settings.brokers));
      this.#settings = { ...settings, dataDir };
      this.#error = null;
      this.#setState('starting');
      let host: ClusterHost | null = null;
      try {
        await mkdir(dataDir, { recursive: true });
        host = new ClusterHost(
          {
            brokers: settings.brokers,
            dataDir,
            port,
            ...(settings.brokerSessionTimeoutMs === undefined ? {} : { brokerSessionTimeoutMs: settings.brokerSessionTimeoutMs }),
            brokerOverrides: {
              replicaLagTimeMaxMs: settings.replicaLagTimeMaxMs ?? DEFAULT_REPLICA_LAG_TIME_MAX_MS,
              // Replicated by default where the cluster can, so stopping a broker shows failover rather than an outage.
              defaultReplicationFactor: Math.min(3, settings.brokers),
              ...(settings.groupInitialRebalanceDelayMs === undefined ? {} : { groupInitialRebalanceDelayMs: settings.groupInitialRebalanceDelayMs }),
            },
          },
          this.options.log,
        );
        this.#host = host;
        this.#unsubscribe = host.subscribe((event) => this.#record(event));
        await withTimeout(host.start(), START_TIMEOUT_MS, `the brokers did not all start within ${START_TIMEOUT_MS / 1000} s`);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        this.options.log.error('the embedded cluster failed to start', error);
        this.#unsubscribe?.();
        this.#unsubscribe = null;
        await host?.shutdown().catch(() => undefined);
        this.#host = null;
        this.#error = `${message}. Check that the data directory ${dataDir} is writable${port === 0 ? '' : ` and ports ${port}-${port + settings.brokers - 1} are free`}.`;
        this.#setState('failed');
        return this.status();
      }
      this.#startedAt = Date.now();
      this.#setState('running');
      await this.#writeState({ version: 1, autoStart: true, settings: this.#settings });
      return this.status();
    });
  }

  /** `remember` false keeps autoStart as it is: the app is quitting, not the user stopping it. */
  stop(remember = true): Promise<EmbeddedStatus> {
    return this.#serial(async () => {
      if (remember) await this.#writeState({ version: 1, autoStart: false, settings: this.#settings });
      const host = this.#host;
      if (host === null) {
        if (this.#state === 'failed') this.#setState('stopped');
        return this.status();
      }
      this.#setState('stopping');
      try {
        await stopBrokersInTurn(host);
        await host.shutdown();
      } finally {
        this.#unsubscribe?.();
        this.#unsubscribe = null;
        this.#host = null;
        this.#startedAt = null;
        this.#setState('stopped');
      }
      return this.status();
    });
  }

  async broker(id: number, action: BrokerAction): Promise<EmbeddedStatus> {
    const host = this.#host;
    if (host === null || this.#state !== 'running') {
      throw new ApiError('conflict', 'The embedded cluster is not running; start it on the Clusters page first.');
    }
    try {
      switch (action) {
        case 'stop':
          await host.stopBroker(id);
          break;
        case 'kill':
          await host.killBroker(id);
          break;
        case 'start':
          await host.startBroker(id);
          break;
        case 'isolate':
          host.isolateBroker(id);
          break;
        case 'heal':
          host.healBroker(id);
          break;
      }
    } catch (error) {
      if (error instanceof UnknownBrokerError) throw new ApiError('not-found', error.message);
      throw error;
    }
    return this.status();
  }

  /**
   * This cluster as the delivery-guarantees lab drives it: its brokers' fault controls and
   * its event stream, so a lab run's faults and the cluster's reaction show on the timeline.
   */
  labCluster(): LabCluster {
    const host = this.#host;
    if (host === null || this.#state !== 'running') {
      throw new ApiError('conflict', `The embedded cluster is ${this.#state}; start it on the Clusters page to run the lab on it.`);
    }
    return hostLabCluster(host);
  }

  #record(event: ClusterEvent): void {
    const { at, ...body } = event;
    const numbered: TimelineEvent = { ...(body as ClusterEventBody), at, seq: ++this.#seq };
    this.#events.push(numbered);
    if (this.#events.length > EVENT_HISTORY) this.#events.splice(0, this.#events.length - EVENT_HISTORY);
    this.options.onEvent(numbered);
  }

  #setState(state: EmbeddedState): void {
    if (this.#state === state) return;
    this.#state = state;
    this.options.onStateChange(state);
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  get #statePath(): string {
    return join(this.options.appDataDir, STATE_FILE);
  }

  async #readState(): Promise<z.infer<typeof StateFileSchema> | null> {
    let text: string;
    try {
      text = await readFile(this.#statePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw error;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = StateFileSchema.safeParse(json);
    if (!parsed.success) {
      // Not knowing what the user wanted, the app does not start a cluster on its own.
      this.options.log.warn(`${this.#statePath} is not as Samsa writes it; the embedded cluster is not started automatically`);
      return { version: 1, autoStart: false, settings: null };
    }
    return parsed.data;
  }

  async #writeState(state: z.infer<typeof StateFileSchema>): Promise<void> {
    await mkdir(this.options.appDataDir, { recursive: true });
    const temporary = `${this.#statePath}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, this.#statePath);
  }
}

/**
 * Stops the brokers one after another rather than all at once. Each exit fences the broker
 * and the controller sends that record to every other broker; a broker that is itself
 * exiting at that moment has a closed IPC pipe, and the write fails (EPIPE). In turn, every
 * recipient is still alive. The last broker's shutdown has no one left to hear about it.
 */
async function stopBrokersInTurn(host: ClusterHost): Promise<void> {
  for (const broker of host.status()) {
    if (broker.state === 'running' || broker.state === 'starting') await host.stopBroker(broker.brokerId);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(message)), ms);
  });
  return Promise.race([promise, expired]).finally(() => clearTimeout(timer));
}
