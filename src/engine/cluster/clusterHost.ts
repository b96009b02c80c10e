import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../logging/logger';
import { brokerConfig, type BrokerConfig } from '../broker/brokerConfig';
import type { SaslSettings } from '../broker/sasl/saslAuthenticator';
import { Controller } from '../controller/controller';
import type { MetadataLogEntry, PartitionState } from '../metadata/records';
import { BrokerProcess, currentProgramLauncher, type BrokerLauncher, type BrokerProcessState } from './brokerProcess';

export interface ClusterOptions {
  brokers: number;
  dataDir: string;
  /** First broker's port; broker i listens on port + i - 1. */
  port: number;
  host?: string;
  /** Racks assigned to brokers in order (cycled), for rack-aware placement. */
  racks?: string[];
  /** Broker settings applied to every broker (e.g. group.initial.rebalance.delay.ms in tests). */
  brokerOverrides?: Partial<BrokerConfig>;
  /** broker.session.timeout.ms: an isolated broker is fenced after this long (Kafka: 9000). */
  brokerSessionTimeoutMs?: number;
  /** SASL_PLAINTEXT listeners with these users (user -> password) and mechanisms; null = PLAINTEXT. */
  sasl?: SaslSettings | null;
  launcher?: BrokerLauncher;
}

export type ClusterEvent =
  | { type: 'broker-state'; brokerId: number; state: BrokerProcessState; previous: BrokerProcessState; at: number }
  | { type: 'broker-fault'; brokerId: number; isolated: boolean; fetchDelayMs: number; at: number }
  | { type: 'unclean-election'; topic: string; partition: number; leader: number; previousIsr: number[]; leaderEpoch: number; at: number }
  | { type: 'leader-change'; topic: string; partition: number; leader: number; previousLeader: number; leaderEpoch: number; at: number }
  | { type: 'isr-change'; topic: string; partition: number; isr: number[]; previousIsr: number[]; at: number };

export interface BrokerStatus {
  brokerId: number;
  host: string;
  port: number;
  state: BrokerProcessState;
  pid: number | null;
  isolated: boolean;
  fetchDelayMs: number;
}

const CLUSTER_ID_FILE = 'cluster.id';

/**
 * The embedded cluster: the controller in this process and one OS process per broker.
 * Broker ids are 1..N on ports P..P+N-1, each with its own data directory, so stopping,
 * killing and restarting a broker exercises Kafka's shutdown and crash recovery for real.
 */
export class ClusterHost {
  readonly controller: Controller;
  readonly clusterId: string;
  private readonly brokers = new Map<number, BrokerProcess>();
  private readonly listeners = new Set<(event: ClusterEvent) => void>();
  private readonly partitionStates = new Map<string, PartitionState>();

  constructor(
    private readonly options: ClusterOptions,
    private readonly log: Logger,
  ) {
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.clusterId = readOrCreateClusterId(options.dataDir);
    this.controller = new Controller({
      metadataDir: path.join(options.dataDir, 'controller'),
      numPartitions: options.brokerOverrides?.numPartitions ?? 1,
      defaultReplicationFactor: options.brokerOverrides?.defaultReplicationFactor ?? 1,
      ...(options.brokerOverrides?.topicDefaults?.['unclean.leader.election.enable'] === undefined
        ? {}
        : { uncleanLeaderElectionEnable: options.brokerOverrides.topicDefaults['unclean.leader.election.enable'] }),
    });
    const { compaction } = this.controller;
    if (compaction !== null) log.info(`metadata log compacted: ${compaction.replacedRecords} records replaced by a snapshot of ${compaction.snapshotRecords}`);
    this.controller.subscribe((entries) => this.emitPartitionChanges(entries));
    this.emitPartitionChanges(this.controller.readFrom(0), true);
    const launcher = options.launcher ?? currentProgramLauncher();
    // Brokers authenticate to each other as an internal user known only to this cluster.
    const sasl = options.sasl ?? null;
    const interBrokerCredentials = sasl === null ? null : { user: 'samsa-inter-broker', password: randomBytes(24).toString('base64url') };
    const host = options.host ?? '127.0.0.1';
    for (let id = 1; id <= options.brokers; id++) {
      const racks = options.racks ?? [];
      const config = brokerConfig({
        ...options.brokerOverrides,
        brokerId: id,
        host,
        advertisedHost: host,
        port: options.port === 0 ? 0 : options.port + id - 1,
        dataDir: path.join(options.dataDir, `broker-${id}`),
        clusterId: this.clusterId,
        rack: racks.length > 0 ? racks[(id - 1) % racks.length]! : null,
        sasl,
        interBrokerCredentials,
      });
      const broker = new BrokerProcess(
        config,
        this.controller,
        launcher,
        log.child(`broker-${id}`),
        (b, previous) => this.emit({ type: 'broker-state', brokerId: b.brokerId, state: b.state, previous, at: Date.now() }),
        options.brokerSessionTimeoutMs ?? 9000,
      );
      this.brokers.set(id, broker);
    }
  }

  subscribe(listener: (event: ClusterEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: ClusterEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  /** Turns partition records into leader and ISR change events for the timeline. */
  private emitPartitionChanges(entries: readonly MetadataLogEntry[], silent = false): void {
    for (const { record, timestamp } of entries) {
      if (record.type === 'topic-removed') {
        for (const key of [...this.partitionStates.keys()]) if (key.startsWith(`${record.topicId}:`)) this.partitionStates.delete(key);
        continue;
      }
      if (record.type !== 'partition') continue;
      const key = `${record.topicId}:${record.partition}`;
      const previous = this.partitionStates.get(key);
      const { type: _type, ...state } = record;
      this.partitionStates.set(key, state);
      if (previous === undefined || silent) continue;
      const topic = this.controller.image.topicsById.get(record.topicId)?.name ?? record.topicId;
      if (previous.leader !== state.leader) {
        this.emit({ type: 'leader-change', topic, partition: state.partition, leader: state.leader, previousLeader: previous.leader, leaderEpoch: state.leaderEpoch, at: timestamp });
        // A leader from outside the last ISR may lack acknowledged records: data loss is possible.
        if (state.leader !== -1 && !previous.isr.includes(state.leader)) {
          this.emit({ type: 'unclean-election', topic, partition: state.partition, leader: state.leader, previousIsr: previous.isr, leaderEpoch: state.leaderEpoch, at: timestamp });
        }
      }
      if (previous.isr.join(',') !== state.isr.join(',')) {
        this.emit({ type: 'isr-change', topic, partition: state.partition, isr: state.isr, previousIsr: previous.isr, at: timestamp });
      }
    }
  }

  /** Starts every broker; resolves when all of them serve clients. */
  async start(): Promise<void> {
    await Promise.all([...this.brokers.values()].map((broker) => broker.start()));
  }

  get bootstrapServers(): string {
    return [...this.brokers.values()].map((b) => `${b.config.advertisedHost}:${b.port}`).join(',');
  }

  status(): BrokerStatus[] {
    return [...this.brokers.values()].map((b) => ({
      brokerId: b.brokerId,
      host: b.config.advertisedHost,
      port: b.port,
      state: b.state,
      pid: b.pid ?? null,
      isolated: b.isolated,
      fetchDelayMs: b.fetchDelayMs,
    }));
  }

  private broker(id: number): BrokerProcess {
    const broker = this.brokers.get(id);
    if (broker === undefined) throw new UnknownBrokerError(`No broker ${id} in this cluster (brokers are 1..${this.brokers.size})`);
    return broker;
  }

  stopBroker(id: number): Promise<void> {
    return this.broker(id).stop();
  }

  killBroker(id: number): Promise<void> {
    return this.broker(id).kill();
  }

  startBroker(id: number): Promise<void> {
    return this.broker(id).start();
  }

  isolateBroker(id: number): void {
    this.broker(id).isolate();
    this.emitFault(id);
  }

  healBroker(id: number): void {
    this.broker(id).heal();
    this.emitFault(id);
  }

  slowBroker(id: number, fetchDelayMs: number): void {
    this.broker(id).slow(fetchDelayMs);
    this.emitFault(id);
  }

  private emitFault(id: number): void {
    const broker = this.broker(id);
    this.emit({ type: 'broker-fault', brokerId: id, isolated: broker.isolated, fetchDelayMs: broker.fetchDelayMs, at: Date.now() });
  }

  /** Clean shutdown of every broker, then the controller. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.brokers.values()].map((broker) => broker.stop()));
    this.controller.close();
  }
}

export class UnknownBrokerError extends Error {
  override readonly name = 'UnknownBrokerError';
}

/** Kafka keeps cluster.id in meta.properties; one id per data dir, kept across restarts. */
function readOrCreateClusterId(dataDir: string): string {
  const file = path.join(dataDir, CLUSTER_ID_FILE);
  if (fs.existsSync(file)) return fs.readFileSync(file, 'utf8').trim();
  const id = randomBytes(16).toString('base64url');
  fs.writeFileSync(file, `${id}\n`);
  return id;
}
