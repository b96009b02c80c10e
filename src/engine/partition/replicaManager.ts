import fs from 'node:fs';
import path from 'node:path';
import { ErrorCode, KafkaError } from '../../protocol/errors';
import type { Logger } from '../../logging/logger';
import { effectiveTopicConfig, type EffectiveTopicConfig } from '../config/configDefinitions';
import { FOLLOWER_THROTTLE_RATE, LEADER_THROTTLE_RATE, throttleRate } from '../config/dynamicBrokerConfigs';
import { checkpointFile, offsetField } from '../log/checkpointFile';
import { NEVER, type LogConfig } from '../log/logConfig';
import { PartitionLog } from '../log/partitionLog';
import type { MetadataImage, TopicInfo } from '../metadata/metadataImage';
import type { InterBrokerConnect } from '../broker/interBrokerConnection';
import type { ControllerClient } from '../controller/controllerClient';
import { NO_LEADER, type BrokerId, type MetadataLogEntry, type PartitionState, type TopicId } from '../metadata/records';
import { Partition, type ReplicationSettings } from './partition';
import { ReplicaFetcher } from './replicaFetcher';
import { ReplicationThrottle } from './replicationQuota';
import { FsyncBatch } from '../log/fsyncBatch';

/** Kafka's replication-offset-checkpoint: the last known high watermark of every local replica. */
const HW_CHECKPOINT = 'replication-offset-checkpoint';
/** Kafka writes the owning topic id into each partition directory (KIP-516). */
const PARTITION_METADATA = 'partition.metadata';
/** `<topic>-<partition>`: Kafka's partition directory name (topic names are [a-zA-Z0-9._-]). */
const PARTITION_DIRECTORY = /^[a-zA-Z0-9._-]+-\d+$/;
const HOUSEKEEPING_INTERVAL_MS = 1000;
/** replica.high.watermark.checkpoint.interval.ms, Kafka's default. */
const HW_CHECKPOINT_INTERVAL_MS = 5000;
const RETENTION_CHECK_INTERVAL_MS = 30_000;

interface HwEntry {
  topic: string;
  partition: number;
  offset: number;
}

export interface ReplicaManagerOptions {
  brokerId: BrokerId;
  dataDir: string;
  metadata: MetadataImage;
  /** Broker-level defaults for topic configs (log.retention.ms, ...). */
  topicDefaults: Readonly<Record<string, string>>;
  /** replica.lag.time.max.ms */
  replicaLagTimeMaxMs: number;
  controller: ControllerClient;
  /** Connections to leaders (authenticated when the cluster uses SASL). */
  connect: InterBrokerConnect;
  log: Logger;
}

const toLogSetting = (value: number): number => (Number.isFinite(value) ? value : NEVER);

function logConfigOf(config: EffectiveTopicConfig): Partial<LogConfig> {
  return {
    segmentBytes: config.segmentBytes,
    segmentMs: toLogSetting(config.segmentMs),
    retentionMs: toLogSetting(config.retentionMs),
    retentionBytes: config.retentionBytes,
    indexIntervalBytes: config.indexIntervalBytes,
    flushMessages: toLogSetting(config.flushMessages),
    flushMs: toLogSetting(config.flushMs),
  };
}

/**
 * The replicas this broker hosts. It follows the metadata log: a partition record naming
 * this broker opens (or updates) the local replica, a removed topic or a reassignment away
 * deletes it. Partition directories are `<topic>-<partition>` under the data dir, as in Kafka.
 */
export class ReplicaManager {
  private readonly partitions = new Map<string, Partition>();
  private closing = false;
  private readonly configs = new Map<TopicId, EffectiveTopicConfig>();
  private readonly hwCheckpoint;
  private readonly checkpointedHw = new Map<string, number>();
  private checkpointInFlight = false;
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly listeners = new Set<(partition: Partition, topic: TopicInfo) => void>();
  private readonly fetchers = new Map<BrokerId, ReplicaFetcher>();
  private readonly replication: ReplicationSettings;
  private isolated = false;
  private fetchDelayMs = 0;
  /** Paces what this broker serves to catching-up followers (the fetch handler applies it). */
  readonly leaderThrottle: ReplicationThrottle;
  /** Paces what this broker's fetchers copy for catching-up replicas. */
  private readonly followerThrottle: ReplicationThrottle;

  constructor(private readonly options: ReplicaManagerOptions) {
    this.leaderThrottle = new ReplicationThrottle(options.brokerId, (partition) => this.configOf(partition)?.leaderReplicationThrottledReplicas ?? '');
    this.followerThrottle = new ReplicationThrottle(options.brokerId, (partition) => this.configOf(partition)?.followerReplicationThrottledReplicas ?? '');
    fs.mkdirSync(options.dataDir, { recursive: true });
    this.hwCheckpoint = checkpointFile<HwEntry>(path.join(options.dataDir, HW_CHECKPOINT), {
      version: 0,
      format: (entry) => `${entry.topic} ${entry.partition} ${entry.offset}`,
      parse: ([topic, partition, offset]) => ({ topic: topic ?? '', partition: offsetField(partition), offset: offsetField(offset) }),
    });
    for (const entry of this.hwCheckpoint.read()) this.checkpointedHw.set(`${entry.topic}-${entry.partition}`, entry.offset);
    this.replication = {
      replicaLagTimeMaxMs: options.replicaLagTimeMaxMs,
      requestIsrChange: (partition, newIsr) => this.requestIsrChange(partition, newIsr),
    };
    this.timers.push(setInterval(() => this.housekeeping(), HOUSEKEEPING_INTERVAL_MS).unref());
    this.timers.push(setInterval(() => void this.checkpointHighWatermarks(), HW_CHECKPOINT_INTERVAL_MS).unref());
    const shrinkCheckMs = Math.max(50, Math.min(1000, Math.floor(options.replicaLagTimeMaxMs / 3)));
    this.timers.push(setInterval(() => this.shrinkIsrs(), shrinkCheckMs).unref());
    this.timers.push(setInterval(() => this.applyRetention(), RETENTION_CHECK_INTERVAL_MS).unref());
  }

  private key(topic: string, partition: number): string {
    return `${topic}-${partition}`;
  }

  /** Called when a local replica becomes leader (or a new leader epoch) or stops leading; coordinators follow their topics this way. */
  onLeadershipChange(listener: (partition: Partition, topic: TopicInfo) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Applies metadata entries that the image has just applied. */
  applyMetadata(entries: readonly MetadataLogEntry[]): void {
    // While the logs close, the other brokers' shutdowns still move leaders and ISRs: a record
    // for a replica already closed would open its log again (recovering its active segment for
    // nothing) and leave it open, even fetching, after its clean-shutdown marker was written.
    if (this.closing) return;
    const { metadata } = this.options;
    for (const { record } of entries) {
      switch (record.type) {
        case 'partition': {
          const topic = metadata.topicsById.get(record.topicId);
          const current = topic?.partitions[record.partition];
          if (topic !== undefined && current !== undefined) this.reconcile(topic, current);
          break;
        }
        case 'topic-removed':
          this.removeTopic(record.topicId);
          break;
        case 'topic-config':
          this.configs.delete(record.topicId);
          this.reconfigureTopic(record.topicId);
          break;
        case 'broker-registered': {
          // A restarted leader may listen elsewhere; its fetcher follows it.
          this.fetchers.get(record.brokerId)?.updateEndpoint({ brokerId: record.brokerId, host: record.host, port: record.port });
          break;
        }
        case 'broker-config':
          this.configs.clear();
          for (const topicId of new Set([...this.partitions.values()].map((p) => p.state.topicId))) this.reconfigureTopic(topicId);
          this.leaderThrottle.quota.setRate(throttleRate(metadata, this.options.brokerId, LEADER_THROTTLE_RATE));
          this.followerThrottle.quota.setRate(throttleRate(metadata, this.options.brokerId, FOLLOWER_THROTTLE_RATE));
          break;
        default:
          break;
      }
    }
  }

  private reconcile(topic: TopicInfo, state: PartitionState): void {
    const key = this.key(topic.name, state.partition);
    const existing = this.partitions.get(key);
    const isReplica = state.replicas.includes(this.options.brokerId);
    if (!isReplica) {
      if (existing !== undefined) this.deleteReplica(key, existing);
      return;
    }
    const partition = existing ?? this.openReplica(topic, state);
    const before = existing === undefined ? undefined : { role: existing.role, epoch: existing.leaderEpoch };
    partition.applyState(state);
    const changed = before === undefined ? partition.role === 'leader' : before.role !== partition.role || (partition.role === 'leader' && before.epoch !== partition.leaderEpoch);
    if (changed) for (const listener of this.listeners) listener(partition, topic);
    this.follow(partition);
  }

  /** Followers fetch from the current leader; leaders and leaderless replicas fetch from nobody. */
  private follow(partition: Partition): void {
    const leader = partition.state.leader;
    if (partition.role === 'leader' || leader === NO_LEADER) {
      this.unfollow(partition);
      return;
    }
    for (const [leaderId, fetcher] of this.fetchers) if (leaderId !== leader) fetcher.remove(partition);
    let fetcher = this.fetchers.get(leader);
    if (fetcher === undefined) {
      const broker = this.options.metadata.brokers.get(leader);
      if (broker === undefined) return;
      fetcher = new ReplicaFetcher(
        this.options.brokerId,
        { brokerId: leader, host: broker.host, port: broker.port },
        this.options.log.child(`fetcher-${leader}`),
        this.options.connect,
        this.followerThrottle,
      );
      fetcher.setPaused(this.isolated);
      fetcher.setDelay(this.fetchDelayMs);
      this.fetchers.set(leader, fetcher);
    }
    fetcher.add(partition);
  }

  private unfollow(partition: Partition): void {
    for (const fetcher of this.fetchers.values()) fetcher.remove(partition);
  }

  private async requestIsrChange(partition: Partition, newIsr: BrokerId[]): Promise<void> {
    const { state } = partition;
    try {
      const result = await this.options.controller.call('alterPartition', {
        brokerId: this.options.brokerId,
        topicId: state.topicId,
        partition: state.partition,
        leaderEpoch: state.leaderEpoch,
        partitionEpoch: state.partitionEpoch,
        newIsr,
      });
      if (result.errorCode !== ErrorCode.NONE) {
        this.options.log.debug(`ISR change of ${partition.topic}-${partition.index} to [${newIsr}] refused: ${result.errorMessage ?? result.errorCode}`);
      } else {
        this.options.log.info(`ISR of ${partition.topic}-${partition.index} is now [${newIsr}]`);
      }
    } catch (error) {
      this.options.log.warn(`ISR change of ${partition.topic}-${partition.index} failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private shrinkIsrs(): void {
    if (this.isolated) return;
    const now = Date.now();
    for (const partition of this.partitions.values()) partition.maybeShrinkIsr(now);
  }

  /**
   * Isolation (fault injection): no replication traffic in either direction. Our fetchers
   * stop, and the leader side ignores follower fetches, so both sides fall out of each
   * other's ISR after replica.lag.time.max.ms, as on a real network partition.
   */
  setFaults(faults: { isolated: boolean; fetchDelayMs: number }): void {
    this.isolated = faults.isolated;
    this.fetchDelayMs = faults.fetchDelayMs;
    for (const fetcher of this.fetchers.values()) {
      fetcher.setPaused(faults.isolated);
      fetcher.setDelay(faults.fetchDelayMs);
    }
  }

  get isIsolated(): boolean {
    return this.isolated;
  }

  private openReplica(topic: TopicInfo, state: PartitionState): Partition {
    const key = this.key(topic.name, state.partition);
    const dir = path.join(this.options.dataDir, key);
    const metadataFile = path.join(dir, PARTITION_METADATA);
    const recorded = recordedTopicId(metadataFile);
    if (recorded !== null && recorded !== topic.topicId) {
      // A directory left by an earlier topic of the same name: its data is not this topic's.
      this.options.log.info(`removing stale replica directory ${key} of an earlier topic ${recorded || '?'}`);
      fs.rmSync(dir, { recursive: true, force: true });
    }
    const log = PartitionLog.open({ dir, config: logConfigOf(this.topicConfig(topic)) });
    if (!log.recovery.clean && log.recovery.truncatedBytes > 0) {
      this.options.log.warn(`recovered ${key}: truncated ${log.recovery.truncatedBytes} bytes at offset ${log.recovery.truncatedToOffset}`);
    } else if (!log.recovery.clean && log.recovery.recoveredSegments.length > 0) {
      this.options.log.debug(`opened ${key} without a clean-shutdown marker: re-validated segment(s) ${log.recovery.recoveredSegments.join(', ')}`);
    }
    // Written once: rewriting it on every start cost a restart of 10,000 partitions seconds.
    if (recorded !== topic.topicId) fs.writeFileSync(metadataFile, `version: 0\ntopic_id: ${topic.topicId}\n`);
    const partition = new Partition(topic.name, log, state, this.options.brokerId, this.checkpointedHw.get(key) ?? 0, this.replication);
    this.partitions.set(key, partition);
    return partition;
  }

  /** Pushes a topic's effective log settings to its open replicas. */
  private reconfigureTopic(topicId: TopicId): void {
    const topic = this.options.metadata.topicsById.get(topicId);
    if (topic === undefined) return;
    const config = logConfigOf(this.topicConfig(topic));
    for (const partition of this.partitions.values()) {
      if (partition.state.topicId === topicId) partition.log.reconfigure(config);
    }
  }

  private deleteReplica(key: string, partition: Partition): void {
    // A fetcher left holding a deleted replica keeps asking its leader for a partition that no
    // longer exists, and backs off after every answer: every other partition it copies from
    // that leader would then replicate a fetch per back-off.
    this.unfollow(partition);
    partition.close();
    this.partitions.delete(key);
    fs.rmSync(partition.log.dir, { recursive: true, force: true });
    this.checkpointedHw.delete(key);
  }

  /**
   * Deletes the partition directories the metadata does not assign to this broker: topics
   * deleted and replicas moved away while it was down (a compacted metadata log no longer
   * tells it about either), as Kafka deletes stray logs at start. Called once, when the
   * broker's metadata is complete; directories whose names are not partitions are left alone.
   */
  removeStrayReplicas(): void {
    const { metadata, brokerId, dataDir } = this.options;
    const assigned = new Set<string>();
    for (const topic of metadata.topicsById.values()) {
      for (const state of topic.partitions) if (state?.replicas.includes(brokerId)) assigned.add(this.key(topic.name, state.partition));
    }
    for (const entry of fs.readdirSync(dataDir, { withFileTypes: true })) {
      if (!entry.isDirectory() || !PARTITION_DIRECTORY.test(entry.name) || assigned.has(entry.name)) continue;
      const open = this.partitions.get(entry.name);
      if (open !== undefined) this.deleteReplica(entry.name, open);
      else fs.rmSync(path.join(dataDir, entry.name), { recursive: true, force: true });
      this.checkpointedHw.delete(entry.name);
      this.options.log.info(`removed stray replica directory ${entry.name}: the metadata does not assign it to broker ${brokerId}`);
    }
  }

  private removeTopic(topicId: TopicId): void {
    this.configs.delete(topicId);
    for (const [key, partition] of this.partitions) {
      if (partition.state.topicId === topicId) this.deleteReplica(key, partition);
    }
  }

  topicConfig(topic: TopicInfo): EffectiveTopicConfig {
    let config = this.configs.get(topic.topicId);
    if (config === undefined) {
      const brokerSettings = { ...this.options.topicDefaults, ...Object.fromEntries(this.options.metadata.brokerConfigs) };
      config = effectiveTopicConfig(topic.configs, brokerSettings);
      this.configs.set(topic.topicId, config);
    }
    return config;
  }

  private configOf(partition: Partition): EffectiveTopicConfig | undefined {
    const topic = this.options.metadata.topicsById.get(partition.state.topicId);
    return topic === undefined ? undefined : this.topicConfig(topic);
  }

  /** The local replica, whatever its role; undefined when this broker does not host it. */
  replica(topic: string, partition: number): Partition | undefined {
    return this.partitions.get(this.key(topic, partition));
  }

  /**
   * The local leader replica for client produce/fetch, or the error Kafka answers with:
   * UNKNOWN_TOPIC_OR_PARTITION when the cluster has no such partition, NOT_LEADER_OR_FOLLOWER
   * when it lives elsewhere or this replica is not (or no longer) the leader.
   */
  leader(topic: string, partitionIndex: number): Partition {
    const topicInfo = this.options.metadata.topicsByName.get(topic);
    if (topicInfo === undefined || topicInfo.partitions[partitionIndex] === undefined) {
      throw new KafkaError(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, `This cluster has no partition ${topic}-${partitionIndex}`);
    }
    const partition = this.partitions.get(this.key(topic, partitionIndex));
    if (partition === undefined || partition.role !== 'leader') {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${this.options.brokerId} is not the leader of ${topic}-${partitionIndex}`);
    }
    return partition;
  }

  allPartitions(): Partition[] {
    return [...this.partitions.values()];
  }

  private housekeeping(): void {
    for (const partition of this.partitions.values()) partition.log.flushIfDue();
  }

  private applyRetention(): void {
    for (const partition of this.partitions.values()) {
      const result = partition.log.applyRetention(partition.highWatermark);
      if (result.deletedSegments.length > 0) {
        this.options.log.info(
          `retention deleted ${result.deletedSegments.length} segment(s) of ${partition.topic}-${partition.index}; log start offset is now ${result.logStartOffset}`,
        );
      }
    }
  }

  /** Which high watermarks changed since the last checkpoint, or null when none did. */
  private changedHighWatermarks(): HwEntry[] | null {
    let changed = false;
    for (const [key, partition] of this.partitions) {
      if (this.checkpointedHw.get(key) !== partition.highWatermark) {
        this.checkpointedHw.set(key, partition.highWatermark);
        changed = true;
      }
    }
    if (!changed) return null;
    return [...this.partitions.values()].map((p) => ({ topic: p.topic, partition: p.index, offset: p.highWatermark }));
  }

  /**
   * Kafka's replication-offset-checkpoint, written every few seconds off the event loop: an
   * fsync on a busy disk must not stall every request for tens of milliseconds.
   */
  private async checkpointHighWatermarks(): Promise<void> {
    if (this.checkpointInFlight) return;
    const entries = this.changedHighWatermarks();
    if (entries === null) return;
    this.checkpointInFlight = true;
    try {
      await this.hwCheckpoint.writeAsync(entries);
    } catch (error) {
      this.options.log.warn(`writing ${HW_CHECKPOINT} failed: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.checkpointInFlight = false;
    }
  }

  /** Clean shutdown: checkpoints and closes every log (each writes its clean-shutdown marker). */
  /**
   * Clean shutdown of every replica: the logs' fsyncs are made together, in parallel, and
   * their clean-shutdown markers written once all are durable.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const fetcher of this.fetchers.values()) fetcher.close();
    this.fetchers.clear();
    const entries = this.changedHighWatermarks();
    if (entries !== null) this.hwCheckpoint.write(entries);
    const fsyncs = new FsyncBatch();
    for (const partition of this.partitions.values()) partition.close(fsyncs);
    this.partitions.clear();
    await fsyncs.commit();
  }
}

/** The topic id a replica directory's partition.metadata names; null when there is none, '' when unreadable. */
function recordedTopicId(file: string): string | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  return /topic_id:\s*(\S+)/.exec(text)?.[1] ?? '';
}
