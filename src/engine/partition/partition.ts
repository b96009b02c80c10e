import { ErrorCode, KafkaError } from '../../protocol/errors';
import {
  BATCH_HEADER_SIZE,
  isControl,
  isTransactional,
  patchBatchHeader,
  readBatchHeader,
  stampLogAppendTime,
  verifyBatchCrc,
} from '../../protocol/records/batchHeader';
import type { EffectiveTopicConfig } from '../config/configDefinitions';
import type { PartitionLog, LogReadResult } from '../log/partitionLog';
import type { BrokerId, PartitionState } from '../metadata/records';
import { ProducerStateManager, type BatchSummary } from './producerState';
import { CONTROL_BATCH_PEEK_BYTES, markerCoordinatorEpoch } from '../../protocol/records/controlRecord';
import type { FsyncBatch } from '../log/fsyncBatch';

export type ReplicaRole = 'leader' | 'follower';

/**
 * What the producer state needs of a batch: its header, and for a transaction marker the
 * coordinator epoch from its record. `firstOffset` defaults to the header's base offset.
 */
function summarize(batch: Buffer, firstOffset?: number): BatchSummary {
  const header = readBatchHeader(batch);
  const control = isControl(header.attributes);
  return {
    producerId: Number(header.producerId),
    producerEpoch: header.producerEpoch,
    baseSequence: header.baseSequence,
    lastOffsetDelta: header.lastOffsetDelta,
    firstOffset: firstOffset ?? Number(header.baseOffset),
    maxTimestamp: Number(header.maxTimestamp),
    isTransactional: isTransactional(header.attributes),
    isControl: control,
    coordinatorEpoch: control ? (markerCoordinatorEpoch(batch) ?? undefined) : undefined,
  };
}

export interface LeaderAppendResult {
  baseOffset: number;
  lastOffset: number;
  /** -1 unless the topic uses LogAppendTime. */
  logAppendTimeMs: number;
  /** The batch was a retry of one already written: nothing was appended. */
  duplicate: boolean;
}

export type IsolationLevel = 'read_uncommitted' | 'read_committed';

export interface ConsumerRead {
  read: LogReadResult;
  highWatermark: number;
  lastStableOffset: number;
  logStartOffset: number;
}

interface HighWatermarkWaiter {
  offset: number;
  resolve: (outcome: 'reached' | 'not-leader') => void;
}

/** What the leader knows of one follower, from its fetches (Kafka's Replica state). */
interface FollowerState {
  /** The follower's log end offset: the offset it last fetched from; -1 until it fetches. */
  logEndOffset: number;
  /** The last time the follower had everything the leader had (replica.lag.time.max.ms). */
  lastCaughtUpTimeMs: number;
  lastFetchTimeMs: number;
  /** Leader LEO when the follower last fetched: reaching it later means it was caught up then. */
  lastFetchLeaderLogEndOffset: number;
  /** The follower's log start offset, from its fetches (for DeleteRecords' low watermark). */
  logStartOffset: number;
}

/** Asks the controller to change the ISR; resolves when it answered (the new state arrives as metadata). */
export type IsrChangeRequest = (partition: Partition, newIsr: BrokerId[]) => Promise<void>;

export interface ReplicationSettings {
  /** replica.lag.time.max.ms */
  replicaLagTimeMaxMs: number;
  requestIsrChange: IsrChangeRequest;
}

/**
 * One replica of one partition on this broker: its log plus the replication state Kafka
 * keeps beside it (role, leader epoch, ISR, high watermark, producer state). The leader
 * validates and appends client batches; the high watermark is the offset below which every
 * in-sync replica has the data, and only data below it is shown to consumers.
 */
export class Partition {
  readonly producers = new ProducerStateManager();
  role: ReplicaRole = 'follower';
  state: PartitionState;
  private hw: number;
  private readonly hwWaiters: HighWatermarkWaiter[] = [];
  private readonly dataListeners = new Set<() => void>();
  /** Counts every change a fetch could see (see changeVersion). */
  private changes = 0;
  private readonly followers = new Map<BrokerId, FollowerState>();
  private isrChangeInFlight = false;
  /** The leader's high watermark as a follower last heard it (not capped by the local LEO). */
  private leaderHighWatermarkSeen = 0;

  constructor(
    readonly topic: string,
    readonly log: PartitionLog,
    state: PartitionState,
    private readonly localBrokerId: BrokerId,
    initialHighWatermark: number,
    private readonly replication: ReplicationSettings,
  ) {
    this.state = state;
    this.hw = Math.min(initialHighWatermark, log.logEndOffset);
    this.rebuildProducerState();
  }

  get index(): number {
    return this.state.partition;
  }

  get highWatermark(): number {
    return this.hw;
  }

  get logEndOffset(): number {
    return this.log.logEndOffset;
  }

  get leaderEpoch(): number {
    return this.state.leaderEpoch;
  }

  /** LSO: the first offset of the earliest open transaction, capped by the high watermark. */
  get lastStableOffset(): number {
    const unstable = this.log.firstUnstableOffset;
    return unstable === null ? this.hw : Math.min(unstable, this.hw);
  }

  /** Applies a new partition state from the metadata log. */
  applyState(state: PartitionState, now = Date.now()): void {
    const wasLeader = this.role === 'leader';
    const epochChanged = state.leaderEpoch !== this.state.leaderEpoch;
    this.state = state;
    this.role = state.leader === this.localBrokerId ? 'leader' : 'follower';
    if (this.role === 'leader' && (!wasLeader || epochChanged)) {
      // KIP-101: a new leader epoch starts at the current log end offset.
      this.log.leaderEpochCache.assign(state.leaderEpoch, this.log.logEndOffset, { deferWrite: true });
      // Followers in the ISR get a full lag window to show up; their LEO is unknown until they fetch.
      this.followers.clear();
      for (const replica of state.replicas) {
        if (replica === this.localBrokerId) continue;
        this.followers.set(replica, {
          logEndOffset: -1,
          lastCaughtUpTimeMs: state.isr.includes(replica) ? now : 0,
          lastFetchTimeMs: 0,
          lastFetchLeaderLogEndOffset: -1,
          logStartOffset: -1,
        });
      }
    }
    if (this.role === 'leader') {
      // Reassignment may add replicas to an existing leadership.
      for (const replica of state.replicas) {
        if (replica !== this.localBrokerId && !this.followers.has(replica)) {
          this.followers.set(replica, { logEndOffset: -1, lastCaughtUpTimeMs: 0, lastFetchTimeMs: 0, lastFetchLeaderLogEndOffset: -1, logStartOffset: -1 });
        }
      }
      for (const replica of [...this.followers.keys()]) if (!state.replicas.includes(replica)) this.followers.delete(replica);
    }
    if (wasLeader && this.role !== 'leader') this.failWaiters();
    this.maybeAdvanceHighWatermark();
    // A fetch waiting on this replica answers now with the new leadership's error, as Kafka's
    // DelayedFetch completes when a partition's leader or epoch changes under it; a new ISR or
    // replica set only gets the partition read again (a follower dropped from the replicas
    // learns it there), which fetch sessions rely on to skip partitions that did not signal.
    this.notifyData();
  }

  /**
   * Validates and appends one client batch as leader (Produce v3+ carries exactly one batch
   * per partition). The batch buffer is patched in place: offsets and leader epoch lie
   * outside the CRC, so nothing is decompressed or re-encoded.
   */
  appendAsLeader(batch: Buffer, config: EffectiveTopicConfig, now: number): LeaderAppendResult {
    if (this.role !== 'leader') {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${this.localBrokerId} is not the leader of ${this.topic}-${this.index}`);
    }
    const header = validateClientBatch(batch, config);
    const summary: Omit<BatchSummary, 'firstOffset'> = {
      producerId: Number(header.producerId),
      producerEpoch: header.producerEpoch,
      baseSequence: header.baseSequence,
      lastOffsetDelta: header.lastOffsetDelta,
      maxTimestamp: Number(header.maxTimestamp),
      isTransactional: isTransactional(header.attributes),
      isControl: false,
    };
    const check = this.producers.check(summary);
    if (check.kind === 'error') throw new KafkaError(check.errorCode, check.message);
    if (check.kind === 'duplicate') {
      return { baseOffset: check.firstOffset, lastOffset: check.lastOffset, logAppendTimeMs: -1, duplicate: true };
    }
    const baseOffset = this.log.logEndOffset;
    patchBatchHeader(batch, BigInt(baseOffset), this.state.leaderEpoch);
    let logAppendTimeMs = -1;
    if (config.messageTimestampType === 'LogAppendTime') {
      logAppendTimeMs = now;
      stampLogAppendTime(batch, BigInt(now));
    }
    const appended = this.log.append([batch]);
    this.producers.apply({ ...summary, firstOffset: baseOffset });
    this.notifyData();
    this.maybeAdvanceHighWatermark();
    return { baseOffset, lastOffset: appended.lastOffset, logAppendTimeMs, duplicate: false };
  }

  /**
   * Appends a transaction marker (a control batch built by the transaction coordinator, sent
   * through WriteTxnMarkers) as leader. Markers are broker-written, so they skip the client
   * checks, but a marker from an older producer epoch than the partition has seen is fenced.
   */
  appendControlBatchAsLeader(batch: Buffer): LeaderAppendResult {
    if (this.role !== 'leader') {
      throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${this.localBrokerId} is not the leader of ${this.topic}-${this.index}`);
    }
    const header = readBatchHeader(batch);
    if (!isControl(header.attributes) || !isTransactional(header.attributes)) {
      throw new KafkaError(ErrorCode.INVALID_RECORD, 'A transaction marker must be a transactional control batch');
    }
    const baseOffset = this.log.logEndOffset;
    const summary = summarize(batch, baseOffset);
    const check = this.producers.check(summary);
    if (check.kind === 'error') throw new KafkaError(check.errorCode, check.message);
    patchBatchHeader(batch, BigInt(baseOffset), this.state.leaderEpoch);
    const appended = this.log.append([batch]);
    this.producers.apply(summary);
    this.notifyData();
    this.maybeAdvanceHighWatermark();
    return { baseOffset, lastOffset: appended.lastOffset, logAppendTimeMs: -1, duplicate: false };
  }

  /** In-sync replicas other than this leader that must have an offset before the HW passes it. */
  private otherInSyncReplicas(): BrokerId[] {
    return this.state.isr.filter((id) => id !== this.localBrokerId);
  }

  /**
   * HW = the smallest LEO among the leader and its in-sync followers (an ISR member that has
   * not fetched yet holds it back). It never moves backwards on the leader.
   */
  private maybeAdvanceHighWatermark(): void {
    if (this.role !== 'leader') return;
    let hw = this.log.logEndOffset;
    for (const replica of this.otherInSyncReplicas()) {
      const follower = this.followers.get(replica);
      hw = Math.min(hw, follower === undefined ? -1 : follower.logEndOffset);
    }
    this.setHighWatermark(hw);
  }

  /**
   * Leader side of a follower fetch: the fetch offset is the follower's LEO. A follower is
   * caught up if it has everything the leader has now, or everything the leader had at its
   * previous fetch (then it was caught up as of that fetch): Kafka's replica.lag.time.max.ms
   * rule, which keeps a follower trailing by a few records under steady load in the ISR.
   */
  recordFollowerFetch(replicaId: BrokerId, fetchOffset: number, now: number, logStartOffset = -1): void {
    const follower = this.followers.get(replicaId);
    if (follower === undefined || this.role !== 'leader') return;
    const leaderLogEndOffset = this.log.logEndOffset;
    if (fetchOffset >= leaderLogEndOffset) follower.lastCaughtUpTimeMs = now;
    else if (fetchOffset >= follower.lastFetchLeaderLogEndOffset && follower.lastFetchLeaderLogEndOffset >= 0) {
      follower.lastCaughtUpTimeMs = Math.max(follower.lastCaughtUpTimeMs, follower.lastFetchTimeMs);
    }
    const startMoved = logStartOffset !== follower.logStartOffset;
    follower.logEndOffset = fetchOffset;
    follower.lastFetchTimeMs = now;
    follower.lastFetchLeaderLogEndOffset = leaderLogEndOffset;
    follower.logStartOffset = logStartOffset;
    this.maybeExpandIsr(replicaId, follower);
    this.maybeAdvanceHighWatermark();
    if (startMoved) this.notifyData();
  }

  /**
   * DeleteRecords' low watermark: the smallest log start offset among this leader and its
   * followers (a follower not heard from yet counts as not advanced).
   */
  get lowWatermark(): number {
    let low = this.log.logStartOffset;
    for (const [replica, follower] of this.followers) {
      if (this.state.replicas.includes(replica)) low = Math.min(low, follower.logStartOffset);
    }
    return low;
  }

  /** DeleteRecords as leader: moves the log start offset (at most to the high watermark). */
  deleteRecordsBefore(offset: number): number {
    if (this.role !== 'leader') throw new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER, `Broker ${this.localBrokerId} is not the leader of ${this.topic}-${this.index}`);
    const target = offset === -1 ? this.hw : offset;
    if (target < 0 || target > this.hw) {
      throw new KafkaError(ErrorCode.OFFSET_OUT_OF_RANGE, `Offset ${offset} is beyond the high watermark ${this.hw} of ${this.topic}-${this.index}`);
    }
    const start = this.log.deleteRecordsBefore(Math.max(target, this.log.logStartOffset));
    this.notifyData();
    return start;
  }

  /** ISR expansion: the follower has reached the HW and the start of the current leader epoch. */
  private maybeExpandIsr(replicaId: BrokerId, follower: FollowerState): void {
    if (this.state.isr.includes(replicaId) || this.isrChangeInFlight) return;
    const epochStart = this.log.leaderEpochCache.epochEntries.find((e) => e.epoch === this.state.leaderEpoch)?.startOffset ?? 0;
    if (follower.logEndOffset >= this.hw && follower.logEndOffset >= epochStart) {
      this.changeIsr([...this.state.isr, replicaId]);
    }
  }

  /** ISR shrink: in-sync followers that have not caught up within replica.lag.time.max.ms leave. */
  maybeShrinkIsr(now: number): void {
    if (this.role !== 'leader' || this.isrChangeInFlight) return;
    const laggards = this.otherInSyncReplicas().filter((replica) => {
      const follower = this.followers.get(replica);
      return follower === undefined || now - follower.lastCaughtUpTimeMs > this.replication.replicaLagTimeMaxMs;
    });
    if (laggards.length > 0) this.changeIsr(this.state.isr.filter((id) => !laggards.includes(id)));
  }

  private changeIsr(newIsr: BrokerId[]): void {
    this.isrChangeInFlight = true;
    void this.replication.requestIsrChange(this, newIsr).finally(() => {
      this.isrChangeInFlight = false;
    });
  }

  /** Per follower, how many offsets it trails the leader's LEO (-1 = not heard from yet). */
  followerLag(): Map<BrokerId, number> {
    const lag = new Map<BrokerId, number>();
    for (const [replica, follower] of this.followers) {
      lag.set(replica, follower.logEndOffset < 0 ? -1 : Math.max(0, this.log.logEndOffset - follower.logEndOffset));
    }
    return lag;
  }

  // ---- Follower side ---------------------------------------------------------------------

  /**
   * Appends batches fetched from the leader (offsets and epochs already assigned by it) and
   * takes the leader's high watermark, capped by what this replica has.
   */
  appendAsFollower(batches: readonly Buffer[], leaderHighWatermark: number, leaderLogStartOffset: number): void {
    if (batches.length > 0) {
      for (const batch of batches) {
        if (!verifyBatchCrc(batch)) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `A batch fetched for ${this.topic}-${this.index} failed its CRC check`);
      }
      const first = this.log.logEndOffset;
      this.log.append(batches);
      let offset = first;
      for (const batch of batches) {
        const summary = summarize(batch, offset);
        this.producers.apply(summary);
        offset += summary.lastOffsetDelta + 1;
      }
    }
    if (leaderLogStartOffset > this.log.logStartOffset && leaderLogStartOffset <= this.log.logEndOffset) {
      this.log.deleteRecordsBefore(leaderLogStartOffset);
    }
    this.leaderHighWatermarkSeen = leaderHighWatermark;
    this.hw = Math.min(leaderHighWatermark, this.log.logEndOffset);
    this.notifyData();
  }

  /** Follower truncation (divergence from the leader's history); never below what the leader confirmed. */
  truncateTo(offset: number): void {
    this.log.truncateTo(offset);
    this.hw = Math.min(this.hw, this.log.logEndOffset);
    this.rebuildProducerState();
  }

  /** The follower is so far behind that the leader no longer has its next offset. */
  truncateFullyAndStartAt(offset: number): void {
    this.log.truncateFullyAndStartAt(offset);
    this.hw = Math.min(this.hw, offset);
    this.rebuildProducerState();
  }

  /** For DescribeLogDirs: how far this replica trails the high watermark it last heard of. */
  get offsetLag(): number {
    if (this.role === 'leader') return 0;
    return Math.max(0, this.leaderHighWatermarkSeen - this.log.logEndOffset);
  }

  private setHighWatermark(offset: number): void {
    if (offset <= this.hw) return;
    this.hw = offset;
    for (let i = this.hwWaiters.length - 1; i >= 0; i--) {
      const waiter = this.hwWaiters[i]!;
      if (waiter.offset <= offset) {
        this.hwWaiters.splice(i, 1);
        waiter.resolve('reached');
      }
    }
    this.notifyData();
  }

  /**
   * acks=all: resolves once the high watermark reaches `offset`, leadership is lost, or
   * `timeoutMs` passes, whichever comes first.
   */
  waitForHighWatermark(offset: number, timeoutMs: number): Promise<'reached' | 'not-leader' | 'timeout'> {
    if (this.hw >= offset) return Promise.resolve('reached');
    if (this.role !== 'leader') return Promise.resolve('not-leader');
    return new Promise((resolve) => {
      const waiter: HighWatermarkWaiter = {
        offset,
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      const timer = setTimeout(() => {
        const i = this.hwWaiters.indexOf(waiter);
        if (i >= 0) this.hwWaiters.splice(i, 1);
        resolve('timeout');
      }, Math.max(0, timeoutMs));
      this.hwWaiters.push(waiter);
    });
  }

  private failWaiters(): void {
    for (const waiter of this.hwWaiters.splice(0)) waiter.resolve('not-leader');
  }

  /**
   * Read for a consumer: only data below the HW (or the LSO for read_committed). With
   * `minOneMessage` the first batch comes even when it alone exceeds `maxBytes` (KIP-74).
   */
  readForConsumer(fetchOffset: number, maxBytes: number, isolation: IsolationLevel, minOneMessage = true): ConsumerRead {
    const lastStableOffset = this.lastStableOffset;
    const bound = isolation === 'read_committed' ? lastStableOffset : this.hw;
    const read = this.log.read(fetchOffset, maxBytes, { maxOffset: bound, minOneMessage });
    return { read, highWatermark: this.hw, lastStableOffset, logStartOffset: this.log.logStartOffset };
  }

  /**
   * Calls `listener` whenever what a fetch of this replica returns may have changed: an
   * append, a high watermark, last stable offset or log start move (retention's aside), a new
   * partition state (leader, epoch, ISR, replicas), closing. Returns an unsubscribe.
   */
  onData(listener: () => void): () => void {
    this.dataListeners.add(listener);
    return () => this.offData(listener);
  }

  /**
   * Stops calling `listener`. A fetch waiting on thousands of partitions adds one function to
   * each and takes it away here, instead of allocating an unsubscribe per partition.
   */
  offData(listener: () => void): void {
    this.dataListeners.delete(listener);
  }

  private notifyData(): void {
    this.changes++;
    for (const listener of [...this.dataListeners]) listener();
  }

  /**
   * Moves with every onData signal. Equal values mean a fetch with the same fetch state would
   * get the same answer (the log start offset aside, which retention moves without a signal).
   */
  get changeVersion(): number {
    return this.changes;
  }

  /** The producer state is a function of the log: replay every batch header from the start. */
  private rebuildProducerState(): void {
    this.producers.clear();
    // A marker's record follows its header closely: peek far enough to read its coordinator epoch.
    for (const batch of this.log.batchHeaders(this.log.logStartOffset, CONTROL_BATCH_PEEK_BYTES)) {
      const summary = summarize(batch);
      if (summary.producerId >= 0) this.producers.apply(summary);
    }
  }

  /** Clean close of the log; its fsyncs now, or with `batch` (see PartitionLog.close). */
  close(batch?: FsyncBatch): void {
    this.failWaiters();
    // Fetches waiting on this replica, and sessions listening to it, read it again and find it gone.
    this.notifyData();
    this.dataListeners.clear();
    this.log.close(batch);
  }
}

/**
 * The checks Kafka's LogValidator makes on a magic-2 batch from a client, done on the
 * header alone: valid CRC, consistent counts, within max.message.bytes, not a control batch.
 */
function validateClientBatch(batch: Buffer, config: EffectiveTopicConfig) {
  if (batch.length < BATCH_HEADER_SIZE) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `Record batch of ${batch.length} bytes is shorter than a batch header`);
  const magic = batch.readInt8(16);
  if (magic !== 2) throw new KafkaError(ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, `Record batch magic ${magic} is not supported; only magic 2 is`);
  const header = readBatchHeader(batch);
  if (header.batchLength + 12 !== batch.length) {
    throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, `Record batch length ${header.batchLength + 12} does not match the ${batch.length} bytes sent`);
  }
  if (batch.length > config.maxMessageBytes) {
    throw new KafkaError(ErrorCode.MESSAGE_TOO_LARGE, `Record batch of ${batch.length} bytes exceeds max.message.bytes (${config.maxMessageBytes})`);
  }
  if (!verifyBatchCrc(batch)) throw new KafkaError(ErrorCode.CORRUPT_MESSAGE, 'Record batch CRC-32C does not match its contents');
  if (header.recordCount <= 0 || header.lastOffsetDelta !== header.recordCount - 1) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, `Record batch says ${header.recordCount} records but last offset delta ${header.lastOffsetDelta}`);
  }
  if (isControl(header.attributes)) throw new KafkaError(ErrorCode.INVALID_RECORD, 'Clients may not write control batches');
  if (isTransactional(header.attributes) && header.producerId < 0n) {
    throw new KafkaError(ErrorCode.INVALID_RECORD, 'A transactional batch needs a producer id');
  }
  return header;
}
