import { join } from 'node:path';
import { BATCH_HEADER_SIZE, batchSizeAt, readBatchHeader } from '../../protocol/records/batchHeader';
import { checkpointFile, offsetField, type CheckpointFile } from './checkpointFile';
import { FlushPolicy } from './flushPolicy';
import { LeaderEpochCache, type EpochEndOffset } from './leaderEpochCache';
import { logConfig, type LogConfig } from './logConfig';
import {
  isCleanShutdown,
  loadSegments,
  removeCleanShutdownMarker,
  replayTransactions,
  writeCleanShutdownMarker,
  type RecoveryInfo,
} from './logLoader';
import { LogSegment, type AppendBatch } from './logSegment';
import { retentionVictims } from './retention';
import type { AbortedTransaction } from './transactionIndex';
import { TransactionTracker, transactionCheckpoint, transactionalBatchOf, type TransactionalBatch } from './transactionTracker';
import type { FsyncBatch } from './fsyncBatch';

export const LOG_START_OFFSET_CHECKPOINT = 'log-start-offset-checkpoint';
export const TRANSACTION_CHECKPOINT = 'transaction-checkpoint';

export interface PartitionLogOptions {
  /** The partition's directory (e.g. `<data>/<topic>-<partition>`); created when missing. */
  dir: string;
  config?: Partial<LogConfig>;
  /** Wall clock in ms; injectable so tests can drive segment.ms, retention.ms and flush.ms. */
  now?: () => number;
}

export interface AppendResult {
  firstOffset: number;
  lastOffset: number;
  logEndOffset: number;
  /** The append started a new segment. */
  rolled: boolean;
  /** The append triggered an fsync (flush.messages reached). */
  flushed: boolean;
}

export type LogReadResult =
  | {
      ok: true;
      /** Whole batches in offset order, as stored; the first may start before fetchOffset. */
      batches: Buffer[];
      sizeInBytes: number;
      /** Offset after the last returned batch (the fetch offset when nothing was returned). */
      nextOffset: number;
      logStartOffset: number;
      logEndOffset: number;
    }
  | { ok: false; error: 'OFFSET_OUT_OF_RANGE'; logStartOffset: number; logEndOffset: number };

export interface ReadOptions {
  /** Exclusive visibility bound: the HW or LSO for consumers; the LEO (default) for followers. */
  maxOffset?: number;
  /** Return the first batch even if it is larger than maxBytes (Fetch v3+, KIP-74). Default true. */
  minOneMessage?: boolean;
}

/**
 * A batch found by timestamp. The log works on batches; the ListOffsets handler decodes the
 * records of `batch` to answer with the exact record offset and timestamp.
 */
export interface TimestampedBatch {
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
  batch: Buffer;
}

export interface TruncateResult {
  /** The new log end offset: the target, or the base of the batch holding it. */
  logEndOffset: number;
  removedBytes: number;
}

export interface RetentionResult {
  deletedSegments: number[];
  logStartOffset: number;
}

/** The caller broke the log's contract (offsets not assigned from the log end offset). */
export class InvalidAppendError extends Error {
  override readonly name = 'InvalidAppendError';
}

/**
 * The log of one partition replica: a directory of segments, the leader-epoch cache and the
 * aborted-transaction indexes, plus the log start and end offsets. The broker's event loop
 * owns it; all I/O is synchronous, so one call never interleaves with another.
 *
 * On disk: segment files, `leader-epoch-checkpoint`, `log-start-offset-checkpoint`, and at
 * clean shutdown `transaction-checkpoint` and the clean-shutdown marker. In memory: the
 * segments' sparse indexes and aborted transactions, the epoch entries, the open
 * transactions, and the flush bookkeeping.
 */
export class PartitionLog {
  readonly config: LogConfig;
  readonly dir: string;
  /** What opening the log found and repaired. */
  readonly recovery: RecoveryInfo;
  readonly leaderEpochCache: LeaderEpochCache;
  private readonly now: () => number;
  private readonly segments: LogSegment[];
  private readonly tracker = new TransactionTracker();
  private readonly flushPolicy: FlushPolicy;
  private readonly startCheckpoint: CheckpointFile<number>;
  private readonly transactionCheckpoint: ReturnType<typeof transactionCheckpoint>;
  private startOffset: number;
  /** What log-start-offset-checkpoint says (0 when it does not exist). */
  private checkpointedStart: number;
  /**
   * The clean-shutdown marker is still on disk: nothing was written since a clean open. It is
   * removed at the first change, not at open, so opening tens of thousands of logs costs no
   * fsync each, and a crash leaves the logs that were not written clean.
   */
  private marked: boolean;
  private closed = false;

  private constructor(options: PartitionLogOptions) {
    this.dir = options.dir;
    this.config = logConfig(options.config);
    this.now = options.now ?? Date.now;
    this.startCheckpoint = checkpointFile<number>(join(this.dir, LOG_START_OFFSET_CHECKPOINT), {
      version: 0,
      format: String,
      parse: ([offset]) => offsetField(offset),
    });
    this.transactionCheckpoint = transactionCheckpoint(join(this.dir, TRANSACTION_CHECKPOINT));
    this.leaderEpochCache = new LeaderEpochCache(this.dir);
    const clean = isCleanShutdown(this.dir);
    this.marked = clean;
    const transactionSnapshot = clean ? this.transactionCheckpoint.read() : null;
    const checkpointedStart = this.startCheckpoint.read()[0] ?? 0;
    this.checkpointedStart = checkpointedStart;
    const loaded = loadSegments({
      dir: this.dir,
      config: this.config,
      nowMs: this.now(),
      clean,
      logStartOffset: checkpointedStart,
      epochCache: this.leaderEpochCache,
      tracker: this.tracker,
      transactionSnapshot,
      beforeRepair: () => this.beforeChange(),
    });
    this.segments = loaded.segments;
    this.recovery = loaded.recovery;
    // DeleteRecords can move the start inside the first segment; a crash can cut the log
    // below a checkpointed start, in which case the start follows the end down.
    this.startOffset = Math.min(Math.max(checkpointedStart, this.segments[0]!.baseOffset), this.logEndOffset);
    this.leaderEpochCache.truncateFromStart(this.startOffset);
    this.flushPolicy = new FlushPolicy(this.config, this.now());
  }

  static open(options: PartitionLogOptions): PartitionLog {
    return new PartitionLog(options);
  }

  get logStartOffset(): number {
    return this.startOffset;
  }

  get logEndOffset(): number {
    return this.activeSegment.nextOffset;
  }

  get sizeInBytes(): number {
    return this.segments.reduce((total, segment) => total + segment.size, 0);
  }

  /** Base offsets of the segments, oldest first. */
  get segmentBaseOffsets(): number[] {
    return this.segments.map((segment) => segment.baseOffset);
  }

  /** First offset of the earliest open transaction: the LSO is min(this, HW) (KIP-98). */
  get firstUnstableOffset(): number | null {
    return this.tracker.firstUnstableOffset;
  }

  /** Open transactions: producer id -> offset of the transaction's first batch. */
  get openTransactions(): ReadonlyMap<bigint, number> {
    return this.tracker.openTransactions;
  }

  /**
   * Appends batches whose headers the caller already patched (base offset from the log end
   * offset, contiguous; leader epoch stamped). Bytes are stored as given; CRCs are the
   * caller's to check, as the leader validates produce requests and followers fetch
   * responses before appending. New epochs go to the epoch cache (and its checkpoint) before
   * the data is written, so the checkpoint always covers the log.
   */
  append(batches: readonly Buffer[]): AppendResult {
    this.ensureOpen();
    this.beforeChange();
    const firstOffset = this.logEndOffset;
    const parsed: (AppendBatch & { epoch: number; records: number; transactional: TransactionalBatch })[] = [];
    let expected = firstOffset;
    let bytes = 0;
    for (const buffer of batches) {
      const header = readBatchHeader(buffer);
      if (batchSizeAt(buffer, 0) !== buffer.length) {
        throw new InvalidAppendError(`batch at offset ${header.baseOffset} is ${buffer.length} bytes but its length field says ${batchSizeAt(buffer, 0)}`);
      }
      const baseOffset = Number(header.baseOffset);
      if (baseOffset !== expected) {
        throw new InvalidAppendError(`batch base offset ${baseOffset} does not follow on from ${expected} (log end offset ${firstOffset})`);
      }
      if (header.lastOffsetDelta < 0 || header.lastOffsetDelta > 2 ** 31 - 1) {
        throw new InvalidAppendError(`batch at offset ${baseOffset} has last offset delta ${header.lastOffsetDelta}`);
      }
      const lastOffset = baseOffset + header.lastOffsetDelta;
      parsed.push({
        bytes: buffer,
        baseOffset,
        lastOffset,
        maxTimestamp: Number(header.maxTimestamp),
        epoch: header.partitionLeaderEpoch,
        records: header.recordCount,
        transactional: transactionalBatchOf(buffer),
      });
      bytes += buffer.length;
      expected = lastOffset + 1;
    }
    if (parsed.length === 0) {
      return { firstOffset, lastOffset: firstOffset - 1, logEndOffset: firstOffset, rolled: false, flushed: false };
    }

    const now = this.now();
    const rolled = this.activeSegment.shouldRoll({ bytes, batches: parsed.length, lastOffset: expected - 1 }, now);
    if (rolled) this.roll(now);
    // Kafka assigns every batch's epoch (a no-op unless it is new); a lower epoch than the
    // latest, which only a follower copying a new leader's log can bring, replaces the
    // contradicting entries.
    for (const batch of parsed) if (batch.epoch >= 0) this.leaderEpochCache.assign(batch.epoch, batch.baseOffset);
    this.leaderEpochCache.writePending();
    const segment = this.activeSegment;
    segment.append(parsed);
    for (const batch of parsed) {
      const aborted = this.tracker.onBatch(batch.transactional);
      if (aborted !== null) segment.addAbortedTransaction(aborted);
    }
    const messages = parsed.reduce((total, batch) => total + batch.records, 0);
    const flushed = this.flushPolicy.recordAppend(messages);
    if (flushed) this.flush();
    return { firstOffset, lastOffset: expected - 1, logEndOffset: expected, rolled, flushed };
  }

  /**
   * Whole batches from the one holding `fetchOffset`, up to `maxBytes` (but at least one
   * batch with minOneMessage) and only batches entirely below `maxOffset`. Reads continue
   * across segment boundaries. An offset outside [logStartOffset, logEndOffset] is
   * OFFSET_OUT_OF_RANGE, as in Kafka.
   */
  read(fetchOffset: number, maxBytes: number, options: ReadOptions = {}): LogReadResult {
    this.ensureOpen();
    const logEndOffset = this.logEndOffset;
    if (fetchOffset < this.startOffset || fetchOffset > logEndOffset) {
      return { ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: this.startOffset, logEndOffset };
    }
    const maxOffset = Math.min(options.maxOffset ?? logEndOffset, logEndOffset);
    const minOneMessage = options.minOneMessage ?? true;
    const batches: Buffer[] = [];
    let sizeInBytes = 0;
    let nextOffset = fetchOffset;
    for (let i = this.segmentIndexFor(fetchOffset); i < this.segments.length && nextOffset < maxOffset; i++) {
      const segment = this.segments[i]!;
      const start = segment.positionOf(nextOffset);
      if (start === null) continue;
      const got = segment.read(start, maxBytes - sizeInBytes, maxOffset, minOneMessage && batches.length === 0);
      for (const batch of got) {
        batches.push(batch);
        sizeInBytes += batch.length;
        nextOffset = Number(batch.readBigInt64BE(0)) + batch.readInt32BE(23) + 1;
      }
      // Stopped inside this segment: by maxBytes or by the visibility bound.
      if (nextOffset < segment.nextOffset) break;
    }
    return { ok: true, batches, sizeInBytes, nextOffset, logStartOffset: this.startOffset, logEndOffset };
  }

  /**
   * The leading bytes (the batch header, or `peekBytes` of the batch when it has that many)
   * of every batch from the one holding `fromOffset` to the log end, without reading the
   * rest of the records: for state rebuilt from headers alone.
   */
  *batchHeaders(fromOffset: number, peekBytes = BATCH_HEADER_SIZE): Generator<Buffer> {
    this.ensureOpen();
    for (let i = this.segmentIndexFor(fromOffset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const start = segment.locate(fromOffset);
      if (start === null) continue;
      for (const batch of segment.scan(start.position, peekBytes)) yield batch.bytes;
    }
  }

  /**
   * Aborted transactions overlapping [startOffset, endOffset), for a read_committed fetch of
   * that range (endOffset = the fetch's nextOffset). Searches from the segment holding
   * startOffset onwards, since an entry lives in the segment of its ABORT marker.
   */
  abortedTransactions(startOffset: number, endOffset: number): AbortedTransaction[] {
    this.ensureOpen();
    const found: AbortedTransaction[] = [];
    for (let i = this.segmentIndexFor(startOffset); i < this.segments.length; i++) {
      const search = this.segments[i]!.collectAbortedTransactions(startOffset, endOffset);
      found.push(...search.transactions);
      if (search.complete) break;
    }
    return found;
  }

  /**
   * ListOffsets by timestamp: the first batch at or after the log start offset whose
   * maxTimestamp is >= `timestamp`, or null when every timestamp is older (Kafka then
   * answers offset -1).
   */
  offsetForTimestamp(timestamp: number): TimestampedBatch | null {
    this.ensureOpen();
    for (let i = this.segmentIndexFor(this.startOffset); i < this.segments.length; i++) {
      const segment = this.segments[i]!;
      const found = segment.findByTimestamp(timestamp, this.startOffset);
      if (found !== null) return this.timestamped(segment, found.position, found.size);
    }
    return null;
  }

  /** ListOffsets MAX_TIMESTAMP (KIP-734): the first batch holding the largest timestamp. */
  maxTimestampBatch(): TimestampedBatch | null {
    this.ensureOpen();
    let best: LogSegment | null = null;
    for (const segment of this.segments) if (segment.maxTimestamp >= 0 && (best === null || segment.maxTimestamp > best.maxTimestamp)) best = segment;
    if (best === null) return null;
    const found = best.locate(best.offsetOfMaxTimestamp);
    return found === null ? null : this.timestamped(best, found.position, found.size);
  }

  /**
   * Applies changed topic configs (AlterConfigs) to the open log. Segments and the flush
   * policy read the shared config object when they decide, so later rolls, retention passes
   * and flushes use the new values; index sizes of existing segments keep theirs.
   */
  reconfigure(overrides: Partial<LogConfig>): void {
    Object.assign(this.config, logConfig({ ...this.config, ...overrides }));
  }

  /** OffsetsForLeaderEpoch for this replica's log (KIP-101, KIP-279). */
  endOffsetForEpoch(epoch: number): EpochEndOffset {
    return this.leaderEpochCache.endOffsetFor(epoch, this.logEndOffset);
  }

  /**
   * Follower truncation: removes everything at or after `offset` (from the batch holding it,
   * so the new end is a batch boundary). A target at or past the end changes nothing, as in
   * Kafka; one below the first segment empties the log and restarts it there.
   */
  truncateTo(offset: number): TruncateResult {
    this.ensureOpen();
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`cannot truncate to offset ${offset}`);
    if (offset >= this.logEndOffset) return { logEndOffset: this.logEndOffset, removedBytes: 0 };
    this.beforeChange();
    if (offset < this.segments[0]!.baseOffset) {
      const removedBytes = this.sizeInBytes;
      this.truncateFullyAndStartAt(offset);
      return { logEndOffset: offset, removedBytes };
    }
    let removedBytes = 0;
    while (this.segments.length > 1 && this.activeSegment.baseOffset > offset) {
      const segment = this.segments.pop()!;
      removedBytes += segment.size;
      segment.delete();
    }
    removedBytes += this.activeSegment.truncateTo(offset);
    const logEndOffset = this.logEndOffset;
    this.leaderEpochCache.truncateFromEnd(logEndOffset);
    if (!this.tracker.truncateTo(logEndOffset)) {
      this.tracker.clear();
      replayTransactions(this.segments, this.tracker);
    }
    if (this.startOffset > logEndOffset) this.updateLogStartOffset(logEndOffset);
    return { logEndOffset, removedBytes };
  }

  /**
   * Empties the log and restarts it at `offset` (a follower whose fetch offset fell below the
   * leader's log start, or a replica that must start over): no data, log start = end = offset.
   */
  truncateFullyAndStartAt(offset: number): void {
    this.ensureOpen();
    if (!Number.isSafeInteger(offset) || offset < 0) throw new RangeError(`cannot restart the log at offset ${offset}`);
    this.beforeChange();
    for (const segment of this.segments.splice(0)) segment.delete();
    this.segments.push(LogSegment.create(this.dir, offset, this.config, this.now()));
    this.leaderEpochCache.clear();
    this.tracker.clear();
    this.updateLogStartOffset(offset);
  }

  /**
   * DeleteRecords: moves the log start offset up to `offset` and deletes the segments that
   * lie wholly below it. The caller checks the offset against the high watermark (Kafka
   * answers OFFSET_OUT_OF_RANGE beyond it); the log only refuses to pass its own end.
   */
  deleteRecordsBefore(offset: number): number {
    this.ensureOpen();
    if (!Number.isSafeInteger(offset) || offset > this.logEndOffset) {
      throw new RangeError(`cannot delete records before ${offset}: the log ends at ${this.logEndOffset}`);
    }
    if (offset > this.startOffset) {
      this.beforeChange();
      this.updateLogStartOffset(offset);
      this.deleteOldestSegments(retentionVictims(this.segments, { ...this.config, retentionMs: -1, retentionBytes: -1 }, {
        nowMs: this.now(),
        logStartOffset: this.startOffset,
        highWatermark: this.logEndOffset,
      }));
    }
    return this.startOffset;
  }

  /**
   * Retention (Kafka's deleteOldSegments): deletes whole segments, oldest first, that are past
   * retention.ms, that push the log over retention.bytes, or that lie below the log start
   * offset; never the active segment, and only segments wholly below `highWatermark`, so no
   * uncommitted data is deleted. The log start offset moves to the new first segment.
   */
  applyRetention(highWatermark: number = this.logEndOffset): RetentionResult {
    this.ensureOpen();
    const victims = retentionVictims(this.segments, this.config, {
      nowMs: this.now(),
      logStartOffset: this.startOffset,
      highWatermark,
    });
    const deletedSegments = this.segments.slice(0, victims).map((segment) => segment.baseOffset);
    if (victims > 0) this.beforeChange();
    this.deleteOldestSegments(victims);
    return { deletedSegments, logStartOffset: this.startOffset };
  }

  /** fsync the active segment (rolled segments were fsynced when they rolled). */
  flush(): void {
    this.ensureOpen();
    this.leaderEpochCache.sync();
    this.activeSegment.flush();
    this.leaderEpochCache.sync();
    this.flushPolicy.flushed(this.now());
  }

  /** Called periodically by the broker: fsyncs when flush.ms has passed. Returns whether it did. */
  flushIfDue(): boolean {
    this.ensureOpen();
    if (!this.flushPolicy.isDue(this.now())) return false;
    this.flush();
    return true;
  }

  /**
   * Clean shutdown: fsync, write the open transactions and the log start offset, close the
   * files, and leave the marker that lets the next open skip validation. Given a batch, the
   * fsyncs are left to it (a broker closing all its logs) and the marker is written once the
   * batch is durable.
   */
  close(batch?: FsyncBatch): void {
    if (this.closed) return;
    if (this.marked) {
      // Nothing changed since a clean open: the files are those the marker already vouches for.
      this.leaderEpochCache.sync(batch, { writePending: false });
      for (const segment of this.segments) segment.release();
      this.closed = true;
      return;
    }
    const durable = batch === undefined;
    // An epoch entry still waiting for its first data is not worth a file write per partition
    // at shutdown: the restarted broker leads, if at all, with a newer epoch (see assign).
    this.leaderEpochCache.sync(batch, { writePending: false });
    // A checkpoint is a file created per partition, and creating files is what a shutdown of
    // tens of thousands of partitions spends its time on: write only those that say something.
    // A clean log without transaction checkpoint has no transactional state (see loadSegments).
    const transactions = this.tracker.snapshot(this.logEndOffset);
    if (transactions.open.size > 0 || transactions.lastMarkerOffset >= 0 || this.transactionCheckpoint.exists()) {
      this.transactionCheckpoint.write(transactions, { durable });
      if (batch !== undefined) this.transactionCheckpoint.sync(batch);
    }
    if (this.startOffset !== this.checkpointedStart) {
      this.startCheckpoint.write([this.startOffset], { durable });
      if (batch !== undefined) this.startCheckpoint.sync(batch);
      this.checkpointedStart = this.startOffset;
    }
    for (const segment of this.segments) segment.close(batch);
    this.leaderEpochCache.sync(batch, { writePending: false });
    this.closed = true;
    if (batch === undefined) writeCleanShutdownMarker(this.dir);
    else batch.afterDurable(() => writeCleanShutdownMarker(this.dir, { durable: false }));
  }

  private beforeChange(): void {
    if (!this.marked) return;
    removeCleanShutdownMarker(this.dir);
    this.marked = false;
  }

  private get activeSegment(): LogSegment {
    return this.segments.at(-1)!;
  }

  private roll(nowMs: number): void {
    // The rolled segment is fsynced; the epochs of its batches become durable with it.
    this.leaderEpochCache.sync();
    this.activeSegment.onBecomeInactive();
    // The closed segment is durable from now on, and so must be the epochs of its batches.
    this.leaderEpochCache.sync();
    this.segments.push(LogSegment.create(this.dir, this.logEndOffset, this.config, nowMs));
  }

  /** Index of the segment whose range holds `offset` (the first segment when below all). */
  private segmentIndexFor(offset: number): number {
    let low = 0;
    let high = this.segments.length - 1;
    while (low < high) {
      const middle = (low + high + 1) >>> 1;
      if (this.segments[middle]!.baseOffset <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  }

  private deleteOldestSegments(count: number): void {
    for (const segment of this.segments.splice(0, count)) segment.delete();
    if (this.segments[0]!.baseOffset > this.startOffset) this.updateLogStartOffset(this.segments[0]!.baseOffset);
  }

  private updateLogStartOffset(offset: number): void {
    this.startOffset = offset;
    this.startCheckpoint.write([offset]);
    this.checkpointedStart = offset;
    this.leaderEpochCache.truncateFromStart(offset);
  }

  private timestamped(segment: LogSegment, position: number, size: number): TimestampedBatch {
    const batch = segment.readBatch(position, size);
    const baseOffset = Number(batch.readBigInt64BE(0));
    return { baseOffset, lastOffset: baseOffset + batch.readInt32BE(23), maxTimestamp: Number(batch.readBigInt64BE(35)), batch };
  }

  private ensureOpen(): void {
    if (this.closed) throw new Error(`log ${this.dir} is closed`);
  }
}
