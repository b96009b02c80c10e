import type { Logger } from '../../logging/logger';
import type { KafkaConnection } from '../../protocol/client';
import type { InterBrokerConnect } from '../broker/interBrokerConnection';
import { ErrorCode, errorInfo } from '../../protocol/errors';
import { ApiKey } from '../../protocol/generated/apis';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../protocol/generated/fetchRequest';
import { splitBatches } from '../../protocol/records/batchHeader';
import type { BrokerId } from '../metadata/records';
import { FetchSessionClient, type PartitionFetchState } from './fetchSessionClient';
import type { Partition } from './partition';
import type { ReplicationThrottle } from './replicationQuota';
import { ZERO_UUID } from '../../protocol/primitives/byteReader';

/** Fetch v12: replica id in the body, LastFetchedEpoch for divergence detection (KIP-595/KIP-320). */
const FETCH_VERSION = 12;
const MAX_WAIT_MS = 500;
const PARTITION_MAX_BYTES = 1 << 20;
const RESPONSE_MAX_BYTES = 10 << 20;
const BACKOFF_MS = 200;
/** Throttled replicas wait for this many seconds' worth of credit, so they fetch in chunks rather than a batch at a time. */
const THROTTLED_CHUNK_SECONDS = 0.1;
/** Longest wait for throttle credit, so a raised rate takes effect soon. */
const MAX_THROTTLE_WAIT_MS = 1000;

export interface LeaderEndpoint {
  brokerId: BrokerId;
  host: string;
  port: number;
}

/**
 * Copies the partitions this broker follows from one leader, like Kafka's
 * ReplicaFetcherThread: a loop of ordinary Fetch requests carrying our replica id, the
 * leader epoch we know and the epoch of our last record. The leader answers with records,
 * its high watermark, or a diverging epoch; on divergence we truncate to where our history
 * and the leader's agree (never to our high watermark: KIP-101) and fetch again. Replicas
 * under the follower replication throttle (KIP-73) are left out of the request while the
 * throttle has no credit, and otherwise ask for no more than the credit there is.
 *
 * The fetches run in an incremental fetch session (KIP-227, see FetchSessionClient): after
 * the first full request, a request names only the partitions whose fetch state changed and
 * an answer only the partitions with news, so idle partitions cost nothing on the wire.
 * A throttled partition left out for lack of credit is forgotten by the leader's session
 * and re-added when credit returns, as Kafka's fetcher does; a session partition with a
 * byte limit of 0 would not do, since the first partition of an answer always gets a whole
 * batch (KIP-74).
 */
export class ReplicaFetcher {
  private readonly partitions = new Map<string, Partition>();
  private readonly session = new FetchSessionClient();
  /** Each partition's last fetch state and the offsets it was built from (see fetchStateOf). */
  private readonly lastFetchStates = new WeakMap<Partition, { state: PartitionFetchState; logEndOffset: number; logStartOffset: number }>();
  private connection: KafkaConnection | undefined;
  private running = true;
  private wake: (() => void) | undefined;
  /** When true (an isolated broker) no fetch is sent; partitions stay registered. */
  private paused = false;
  /** Fault injection: wait this long before each fetch (a slow follower). */
  private delayMs = 0;
  /** True while the loop sleeps out `delayMs`; only a shorter delay, a pause or close ends it early. */
  private delaying = false;
  /** A Fetch is waiting at the leader (a long poll of up to MAX_WAIT_MS). */
  private fetching = false;
  /** The in-flight Fetch was abandoned on purpose: fetch again at once, without backoff. */
  private refetch = false;

  constructor(
    private readonly localBrokerId: BrokerId,
    private endpoint: LeaderEndpoint,
    private readonly log: Logger,
    private readonly openConnection: InterBrokerConnect,
    private readonly throttle: ReplicationThrottle,
  ) {
    void this.loop();
  }

  get leaderId(): BrokerId {
    return this.endpoint.brokerId;
  }

  /** The leader moved to a new address (restart on another port): reconnect there. */
  updateEndpoint(endpoint: LeaderEndpoint): void {
    if (endpoint.host === this.endpoint.host && endpoint.port === this.endpoint.port) return;
    this.endpoint = endpoint;
    this.dropConnection();
  }

  /**
   * Registers a partition to follow. Only a partition that is new to this fetcher wakes it
   * (so it starts fetching at once): metadata updates re-add partitions on every ISR change,
   * and those must not cut short a slow follower's injected delay.
   */
  add(partition: Partition): void {
    const key = `${partition.topic}-${partition.index}`;
    const previous = this.partitions.get(key);
    const isNew = previous !== partition;
    // A replaced replica starts afresh in the leader's session too.
    if (previous !== undefined && isNew) this.session.forget(partition.topic, partition.index);
    this.partitions.set(key, partition);
    if (!isNew || this.delaying) return;
    if (this.fetching) {
      // The long poll in flight does not name the new partition, and the leader answers a
      // connection's requests in order: without this, the partition's first records (and
      // the acks=all produces waiting for them) would wait out the poll, up to MAX_WAIT_MS.
      this.refetch = true;
      this.dropConnection();
    } else {
      this.wake?.();
    }
  }

  remove(partition: Partition): void {
    if (this.partitions.delete(`${partition.topic}-${partition.index}`)) this.session.forget(partition.topic, partition.index);
  }

  get size(): number {
    return this.partitions.size;
  }

  setPaused(paused: boolean): void {
    this.paused = paused;
    if (paused) this.dropConnection();
    else this.wake?.();
  }

  setDelay(delayMs: number): void {
    const shorter = delayMs < this.delayMs;
    this.delayMs = delayMs;
    // A follower resumed from a long delay fetches now, not when the old delay runs out.
    if (shorter && !this.paused) this.wake?.();
  }

  close(): void {
    this.running = false;
    this.wake?.();
    this.dropConnection();
  }

  private dropConnection(): void {
    const connection = this.connection;
    this.connection = undefined;
    // A request in flight may or may not have reached the leader: its session epoch is unknown.
    this.session.reset();
    void connection?.close();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = done;
    });
  }

  private async loop(): Promise<void> {
    while (this.running) {
      if (this.paused || this.partitions.size === 0) {
        await this.sleep(1000);
        continue;
      }
      try {
        if (this.delayMs > 0) {
          this.delaying = true;
          await this.sleep(this.delayMs);
          this.delaying = false;
        }
        await this.fetchOnce();
      } catch (error) {
        if (!this.running) break;
        if (this.refetch) {
          this.refetch = false;
          continue;
        }
        this.log.debug(`fetch from broker ${this.endpoint.brokerId} failed: ${error instanceof Error ? error.message : String(error)}`);
        this.dropConnection();
        await this.sleep(BACKOFF_MS);
      }
    }
  }

  private async connect(): Promise<KafkaConnection> {
    if (this.connection !== undefined) return this.connection;
    const connection = this.openConnection({
      host: this.endpoint.host,
      port: this.endpoint.port,
      clientId: `broker-${this.localBrokerId}-fetcher`,
      connectTimeoutMs: 5000,
      requestTimeoutMs: MAX_WAIT_MS + 10_000,
    });
    await connection.connect();
    this.connection = connection;
    return connection;
  }

  /**
   * The partitions to fetch now and each one's byte limit: throttled ones share the
   * throttle's credit and are left out when there is none (Kafka's follower throttle).
   */
  private plan(now: number): { wanted: Map<Partition, number>; throttled: Set<string> } {
    const wanted = new Map<Partition, number>();
    const throttled = new Set<string>();
    let credit = this.throttle.quota.available(now);
    for (const [key, partition] of this.partitions) {
      if (!this.throttle.appliesTo(partition, this.localBrokerId)) {
        wanted.set(partition, PARTITION_MAX_BYTES);
        continue;
      }
      if (credit <= 0) continue;
      const limit = Math.max(1, Math.floor(Math.min(PARTITION_MAX_BYTES, credit)));
      wanted.set(partition, limit);
      throttled.add(key);
      credit -= limit;
    }
    return { wanted, throttled };
  }

  /**
   * The partition's fetch state: the object built last time while none of its fields moved,
   * which the session client then knows unchanged at once (an idle partition of a session
   * costs no allocation per fetch).
   */
  private fetchStateOf(partition: Partition, maxBytes: number): PartitionFetchState {
    const logEndOffset = partition.logEndOffset;
    const logStartOffset = partition.log.logStartOffset;
    const currentLeaderEpoch = partition.leaderEpoch;
    const lastFetchedEpoch = partition.log.leaderEpochCache.latestEpoch;
    const last = this.lastFetchStates.get(partition);
    if (
      last !== undefined &&
      last.logEndOffset === logEndOffset &&
      last.logStartOffset === logStartOffset &&
      last.state.currentLeaderEpoch === currentLeaderEpoch &&
      last.state.lastFetchedEpoch === lastFetchedEpoch &&
      last.state.partitionMaxBytes === maxBytes
    ) {
      return last.state;
    }
    const state: PartitionFetchState = {
      topic: partition.topic,
      partition: partition.index,
      currentLeaderEpoch,
      fetchOffset: BigInt(logEndOffset),
      lastFetchedEpoch,
      logStartOffset: BigInt(logStartOffset),
      partitionMaxBytes: maxBytes,
    };
    this.lastFetchStates.set(partition, { state, logEndOffset, logStartOffset });
    return state;
  }

  private async fetchOnce(): Promise<void> {
    const now = Date.now();
    const { wanted, throttled } = this.plan(now);
    if (wanted.size === 0) {
      // Every partition is throttled and the credit is spent: wait for a chunk of it.
      const waitMs = this.throttle.quota.msUntilCredit(THROTTLED_CHUNK_SECONDS, now);
      await this.sleep(Math.min(MAX_THROTTLE_WAIT_MS, Math.max(10, waitMs)));
      return;
    }
    const connection = await this.connect();
    const topicIds = new Map<string, string>();
    const states: PartitionFetchState[] = [];
    for (const [partition, maxBytes] of wanted) {
      topicIds.set(partition.topic, partition.state.topicId);
      states.push(this.fetchStateOf(partition, maxBytes));
    }
    const sessionRequest = this.session.build(states);
    const byTopic = new Map<string, PartitionFetchState[]>();
    for (const state of sessionRequest.partitions) {
      const partitions = byTopic.get(state.topic);
      if (partitions === undefined) byTopic.set(state.topic, [state]);
      else partitions.push(state);
    }
    const forgotten = new Map<string, number[]>();
    for (const { topic, partition } of sessionRequest.forgotten) {
      const partitions = forgotten.get(topic);
      if (partitions === undefined) forgotten.set(topic, [partition]);
      else partitions.push(partition);
    }
    const request = {
      ...defaultFetchRequest(),
      replicaId: this.localBrokerId,
      maxWaitMs: MAX_WAIT_MS,
      minBytes: 1,
      maxBytes: RESPONSE_MAX_BYTES,
      sessionId: sessionRequest.sessionId,
      sessionEpoch: sessionRequest.sessionEpoch,
      topics: [...byTopic.entries()].map(([topic, partitions]) => ({
        topic,
        topicId: topicIds.get(topic)!,
        partitions: partitions.map(({ topic: _topic, ...state }) => ({ ...defaultFetchRequestFetchPartition(), ...state })),
      })),
      forgottenTopicsData: [...forgotten.entries()].map(([topic, partitions]) => ({ topic, topicId: topicIds.get(topic) ?? ZERO_UUID, partitions })),
    };
    this.fetching = true;
    let response;
    try {
      response = await connection.send(ApiKey.Fetch, request, { version: FETCH_VERSION });
    } finally {
      this.fetching = false;
    }
    // Abandoned for a new partition after the leader had already answered.
    if (this.refetch) {
      this.refetch = false;
      return;
    }
    if (!this.session.handleResponse(sessionRequest, response.errorCode, response.sessionId)) {
      // The leader lost our session or saw an epoch out of order: start over with a full fetch now.
      if (response.errorCode === ErrorCode.FETCH_SESSION_ID_NOT_FOUND || response.errorCode === ErrorCode.INVALID_FETCH_SESSION_EPOCH) {
        this.log.debug(`fetch session with broker ${this.endpoint.brokerId} ended (error ${response.errorCode}); starting a new one`);
        return;
      }
      if (response.errorCode !== ErrorCode.NONE) throw new Error(`fetch failed with error ${response.errorCode}`);
      // An answer to a session given up while the request was in flight: fetch again.
      return;
    }
    if (sessionRequest.full && response.sessionId !== 0) {
      this.log.debug(`fetch session ${response.sessionId} opened with broker ${this.endpoint.brokerId} (${sessionRequest.partitions.length} partitions)`);
    }
    let needsBackoff = false;
    let throttledBytes = 0;
    const served: string[] = [];
    for (const topic of response.responses) {
      for (const data of topic.partitions) {
        const key = `${topic.topic}-${data.partitionIndex}`;
        const partition = this.partitions.get(key);
        if (partition === undefined) continue;
        if (throttled.has(key)) throttledBytes += data.records?.length ?? 0;
        if ((data.records?.length ?? 0) > 0) served.push(key);
        needsBackoff = this.apply(partition, data) || needsBackoff;
      }
    }
    this.moveToBack(served);
    this.throttle.quota.record(throttledBytes);
    if (needsBackoff) await this.sleep(BACKOFF_MS);
  }

  /**
   * Partitions that got records go to the back of the next request. The leader fills an answer
   * in request order until its max bytes are used (only the first partition with data may go
   * over them, KIP-74), so in a long catch-up the partitions listed first would otherwise take
   * every answer, and the throttle's credit, while the rest wait; Kafka's fetcher rotates the
   * same way.
   */
  private moveToBack(keys: readonly string[]): void {
    for (const key of keys) {
      const partition = this.partitions.get(key);
      if (partition === undefined) continue;
      this.partitions.delete(key);
      this.partitions.set(key, partition);
    }
  }

  /** Applies one partition's answer; returns true when the fetcher should back off. */
  private apply(
    partition: Partition,
    data: { errorCode: number; highWatermark: bigint; logStartOffset: bigint; divergingEpoch: { epoch: number; endOffset: bigint }; records: Buffer | null },
  ): boolean {
    switch (data.errorCode) {
      case ErrorCode.NONE: {
        if (data.divergingEpoch.epoch >= 0) {
          // Truncate to where both histories agree: the leader's end of that epoch, or ours if
          // we ended it earlier, then continue from there (KIP-279 repeats this as needed).
          const local = partition.log.endOffsetForEpoch(data.divergingEpoch.epoch);
          const target = Math.min(Number(data.divergingEpoch.endOffset), local.endOffset < 0 ? Number(data.divergingEpoch.endOffset) : local.endOffset);
          this.log.info(`${partition.topic}-${partition.index}: diverged from leader ${this.endpoint.brokerId} at epoch ${data.divergingEpoch.epoch}; truncating to ${target}`);
          partition.truncateTo(target);
          return false;
        }
        const { batches } = splitBatches(data.records ?? Buffer.alloc(0));
        partition.appendAsFollower(batches, Number(data.highWatermark), Number(data.logStartOffset));
        return false;
      }
      case ErrorCode.OFFSET_OUT_OF_RANGE: {
        const leaderStart = Number(data.logStartOffset);
        if (partition.logEndOffset < leaderStart) {
          this.log.info(`${partition.topic}-${partition.index}: behind the leader's log start ${leaderStart}; restarting the log there`);
          partition.truncateFullyAndStartAt(leaderStart);
        } else {
          // We are ahead of the leader (after an unclean election): keep what it confirmed.
          const target = Math.min(partition.logEndOffset, Number(data.highWatermark));
          this.log.warn(`${partition.topic}-${partition.index}: ahead of the new leader; truncating to ${target}`);
          partition.truncateTo(target);
        }
        return false;
      }
      default:
        // NOT_LEADER_OR_FOLLOWER, FENCED/UNKNOWN_LEADER_EPOCH, UNKNOWN_TOPIC...: metadata will move us.
        this.log.debug(`${partition.topic}-${partition.index}: leader ${this.endpoint.brokerId} answered ${errorInfo(data.errorCode).name}; backing off ${BACKOFF_MS} ms`);
        return true;
    }
  }
}
