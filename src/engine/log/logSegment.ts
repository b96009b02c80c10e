import { fstatSync, fsyncSync, ftruncateSync, readSync, rmSync, writevSync } from 'node:fs';
import { logFileDescriptors, type PooledFile } from './descriptorPool';
import { BATCH_HEADER_SIZE, BATCH_LENGTH_OVERHEAD, readBatchHeader, verifyBatchCrc } from '../../protocol/records/batchHeader';
import { scanBatches, type ScannedBatch } from './batchScanner';
import { CorruptIndexError } from './indexFile';
import type { LogConfig } from './logConfig';
import { OffsetIndex, type OffsetPosition } from './offsetIndex';
import { segmentFilePath, SegmentSuffix } from './segmentFiles';
import { TimeIndex, type TimestampOffset } from './timeIndex';
import { TransactionIndex, type AbortedTransactionSearch, type AbortedTransaction } from './transactionIndex';
import type { FsyncBatch } from './fsyncBatch';

/** A batch ready to be stored: its bytes as received plus header fields the log parsed once. */
export interface AppendBatch {
  bytes: Buffer;
  baseOffset: number;
  lastOffset: number;
  maxTimestamp: number;
}

export interface SegmentRecovery {
  validBytes: number;
  truncatedBytes: number;
  /** Why the scan stopped before the end of the file, or null when every byte was valid. */
  stopReason: string | null;
}

/** Kafka's RecordBatch.NO_TIMESTAMP. */
const NO_TIMESTAMP = -1;
const INT32_MAX = 2 ** 31 - 1;
/** How many of the latest appended batches a segment remembers the positions of. */
const RECENT_BATCHES = 16;
const OFFSET_INDEX_ENTRY = 8;
const TIME_INDEX_ENTRY = 12;

/**
 * One segment: a `.log` file of whole batches stored exactly as appended, with its sparse
 * offset and time indexes and its aborted-transaction index. Only the log's last segment is
 * appended to; the others are read, truncated or deleted whole.
 */
export class LogSegment {
  private readonly offsetIndex: OffsetIndex;
  private readonly timeIndex: TimeIndex;
  private readonly txnIndex: TransactionIndex;
  private readonly logFile: PooledFile;
  private bytes = 0;
  private next: number;
  private maxTimestampSoFar = NO_TIMESTAMP;
  private offsetOfMaxTimestampSoFar = -1;
  private bytesSinceLastIndexEntry = 0;
  private firstBatchTimestamp: number | null = null;
  /**
   * Where the batches this process appended last start, oldest first, for as long as they
   * are the segment's last ones. Followers and tailing consumers fetch from the batch just
   * appended; finding it through the sparse offset index meant reading the batch headers
   * after the nearest entry back from the file on every such fetch.
   */
  private readonly recentBatches: { baseOffset: number; lastOffset: number; position: number }[] = [];

  private constructor(
    private readonly dir: string,
    readonly baseOffset: number,
    private readonly config: LogConfig,
    private readonly createdMs: number,
  ) {
    const logPath = segmentFilePath(dir, baseOffset, SegmentSuffix.Log);
    this.logFile = { path: logPath };
    this.bytes = fstatSync(this.fd).size;
    this.next = baseOffset;
    this.offsetIndex = new OffsetIndex(
      segmentFilePath(dir, baseOffset, SegmentSuffix.OffsetIndex),
      baseOffset,
      Math.floor(config.segmentIndexBytes / OFFSET_INDEX_ENTRY),
    );
    this.timeIndex = new TimeIndex(
      segmentFilePath(dir, baseOffset, SegmentSuffix.TimeIndex),
      baseOffset,
      Math.floor(config.segmentIndexBytes / TIME_INDEX_ENTRY),
    );
    this.txnIndex = new TransactionIndex(segmentFilePath(dir, baseOffset, SegmentSuffix.TxnIndex));
  }

  /** The log file's descriptor, reopened from the process's pool when it was closed for room. */
  private get fd(): number {
    return logFileDescriptors.acquire(this.logFile);
  }

  /**
   * Opens (creating when absent) the segment's files without trusting them yet: follow with
   * `loadIndexes` after a clean shutdown or `recover` after a crash.
   */
  static open(dir: string, baseOffset: number, config: LogConfig, nowMs: number): LogSegment {
    return new LogSegment(dir, baseOffset, config, nowMs);
  }

  /** A new, empty segment whose indexes are empty too. */
  static create(dir: string, baseOffset: number, config: LogConfig, nowMs: number): LogSegment {
    const segment = new LogSegment(dir, baseOffset, config, nowMs);
    if (segment.bytes !== 0) {
      segment.close();
      throw new Error(`segment ${baseOffset} already exists in ${dir}`);
    }
    segment.offsetIndex.reset([]);
    segment.timeIndex.reset([]);
    segment.txnIndex.reset([]);
    return segment;
  }

  get size(): number {
    return this.bytes;
  }

  /** Offset after the last batch: the log end offset when this is the active segment. */
  get nextOffset(): number {
    return this.next;
  }

  /** Largest batch maxTimestamp in the segment, -1 when none carries a timestamp. */
  get maxTimestamp(): number {
    return this.maxTimestampSoFar;
  }

  /** Last offset of the first batch that reached `maxTimestamp`. */
  get offsetOfMaxTimestamp(): number {
    return this.offsetOfMaxTimestampSoFar;
  }

  /** Retention's notion of age: newest record timestamp, else the file's modification time. */
  get largestTimestamp(): number {
    return this.maxTimestampSoFar >= 0 ? this.maxTimestampSoFar : fstatSync(this.fd).mtimeMs;
  }

  get abortedTransactions(): readonly AbortedTransaction[] {
    return this.txnIndex.entries;
  }

  /** Loads the indexes and derives the tail state from them; throws CorruptIndexError. */
  loadIndexes(): void {
    this.offsetIndex.load(this.bytes);
    this.timeIndex.load();
    this.txnIndex.load();
    this.restoreTailState();
    this.firstBatchTimestamp = this.bytes === 0 ? null : this.headerAt(0).maxTimestamp;
  }

  /**
   * Kafka's roll conditions (LogSegment.shouldRoll): the batches would overflow segment.bytes,
   * the first batch is older than segment.ms (by its timestamp, as Kafka, else by creation),
   * an index is full, or an offset would not fit the indexes' int32 relative offsets. An empty
   * segment never rolls: the new one would have the same base offset.
   */
  shouldRoll(incoming: { bytes: number; batches: number; lastOffset: number }, nowMs: number): boolean {
    if (this.bytes === 0) return false;
    const rollingTimestamp = this.firstBatchTimestamp !== null && this.firstBatchTimestamp > 0 ? this.firstBatchTimestamp : this.createdMs;
    return (
      this.bytes + incoming.bytes > this.config.segmentBytes ||
      nowMs - rollingTimestamp > this.config.segmentMs ||
      this.offsetIndex.entries + incoming.batches > Math.floor(this.config.segmentIndexBytes / OFFSET_INDEX_ENTRY) ||
      this.timeIndex.entries + incoming.batches > Math.floor(this.config.segmentIndexBytes / TIME_INDEX_ENTRY) ||
      incoming.lastOffset - this.baseOffset > INT32_MAX
    );
  }

  /** Appends whole batches at the end: the data first, then the index entries pointing at it. */
  append(batches: readonly AppendBatch[]): void {
    if (batches.length === 0) return;
    const offsetEntries: OffsetPosition[] = [];
    const timeEntries: TimestampOffset[] = [];
    let position = this.bytes;
    for (const batch of batches) {
      this.track(batch, position, offsetEntries, timeEntries);
      this.recentBatches.push({ baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, position });
      position += batch.bytes.length;
    }
    if (this.recentBatches.length > RECENT_BATCHES) this.recentBatches.splice(0, this.recentBatches.length - RECENT_BATCHES);
    writeFully(this.fd, batches.map((batch) => batch.bytes), this.bytes);
    this.bytes = position;
    for (const entry of offsetEntries) this.offsetIndex.append(entry.offset, entry.position);
    for (const entry of timeEntries) this.timeIndex.maybeAppend(entry.timestamp, entry.offset);
  }

  /** Indexes an aborted transaction whose ABORT marker is in this segment. */
  addAbortedTransaction(transaction: AbortedTransaction): void {
    this.txnIndex.append(transaction);
  }

  collectAbortedTransactions(fetchOffset: number, upperBoundOffset: number): AbortedTransactionSearch {
    return this.txnIndex.collect(fetchOffset, upperBoundOffset);
  }

  /** Where the batch holding `offset` starts, or null past the end. */
  positionOf(offset: number): number | null {
    if (offset >= this.next) return null;
    const recent = this.recentBatches;
    for (let i = recent.length - 1; i >= 0; i--) {
      const batch = recent[i]!;
      if (batch.baseOffset > offset) continue;
      if (batch.lastOffset >= offset) return batch.position;
      break;
    }
    return this.locate(offset)?.position ?? null;
  }

  /** The batch holding `offset` (the first whose last offset reaches it), or null past the end. */
  locate(offset: number): ScannedBatch | null {
    if (offset >= this.next) return null;
    for (const batch of this.scan(this.offsetIndex.lookup(offset).position)) {
      if (batch.lastOffset >= offset) return batch;
    }
    return null;
  }

  /**
   * The first batch whose maxTimestamp is >= `timestamp` among batches ending at or after
   * `fromOffset` (the log start offset), or null when none is.
   */
  findByTimestamp(timestamp: number, fromOffset: number): ScannedBatch | null {
    if (this.maxTimestampSoFar < timestamp) return null;
    const below = this.timeIndex.lookupBelow(timestamp);
    const start = Math.max(
      below === null ? 0 : (this.locate(below.offset)?.position ?? 0),
      this.offsetIndex.lookup(fromOffset).position,
    );
    for (const batch of this.scan(start, BATCH_HEADER_SIZE)) {
      if (batch.lastOffset >= fromOffset && Number(batch.bytes.readBigInt64BE(35)) >= timestamp) return batch;
    }
    return null;
  }

  /** Every batch's leading `peekBytes` bytes in order, for state rebuilt from headers alone. */
  *scan(fromPosition = 0, peekBytes = BATCH_HEADER_SIZE): Generator<ScannedBatch> {
    for (const batch of scanBatches(this.fd, fromPosition, this.bytes, { whole: false, peekBytes })) {
      if (!batch.ok) throw new Error(`segment ${this.baseOffset}: ${batch.reason} at byte ${batch.position}`);
      yield batch;
    }
  }

  /** The whole batch at `position` (a position `locate` or `findByTimestamp` returned). */
  readBatch(position: number, size: number): Buffer {
    return this.readExactly(position, size);
  }

  /**
   * Whole batches from `position`, at most `maxBytes` in total, stopping before the first
   * batch whose last offset is >= `maxOffset` (a batch is visible only once all of it is
   * below the high watermark or LSO). With `minOneMessage` the first batch is returned even
   * when it alone exceeds maxBytes, so a consumer can always make progress (KIP-74).
   */
  read(position: number, maxBytes: number, maxOffset: number, minOneMessage: boolean): Buffer[] {
    const available = this.bytes - position;
    if (available <= 0) return [];
    const batches: Buffer[] = [];
    const want = Math.min(Math.max(maxBytes, 0), available);
    if (want >= BATCH_HEADER_SIZE) {
      const chunk = this.readExactly(position, want);
      let at = 0;
      while (at + BATCH_HEADER_SIZE <= chunk.length) {
        const size = chunk.readInt32BE(at + 8) + BATCH_LENGTH_OVERHEAD;
        if (at + size > chunk.length) break;
        if (lastOffsetIn(chunk, at) >= maxOffset) return batches;
        batches.push(chunk.subarray(at, at + size));
        at += size;
      }
    }
    if (batches.length === 0 && minOneMessage && available >= BATCH_HEADER_SIZE) {
      const header = this.readExactly(position, BATCH_HEADER_SIZE);
      if (lastOffsetIn(header, 0) < maxOffset) {
        batches.push(this.readExactly(position, header.readInt32BE(8) + BATCH_LENGTH_OVERHEAD));
      }
    }
    return batches;
  }

  /**
   * Drops the batch holding `offset` and everything after it; returns the bytes removed.
   * The segment then ends at that batch's base offset (truncation works on batch boundaries,
   * which is where epoch start offsets and log end offsets always lie).
   */
  truncateTo(offset: number): number {
    const batch = this.locate(offset);
    if (batch === null) return 0;
    const removed = this.bytes - batch.position;
    this.recentBatches.length = 0;
    ftruncateSync(this.fd, batch.position);
    this.bytes = batch.position;
    this.offsetIndex.truncateTo(batch.baseOffset);
    this.timeIndex.truncateTo(batch.baseOffset);
    this.txnIndex.truncateTo(batch.baseOffset);
    this.restoreTailState();
    if (this.bytes === 0) this.firstBatchTimestamp = null;
    return removed;
  }

  /**
   * Crash recovery (Kafka's LogSegment.recover): re-reads every batch, checking its length,
   * magic, CRC-32C and offset order, truncates the file at the first batch that fails, and
   * rebuilds all three indexes from the valid batches. `visit` sees each valid batch in order
   * (the log rebuilds its epoch cache and transaction state from it) and may reject it.
   */
  recover(visit: (batch: ScannedBatch) => string | null): SegmentRecovery {
    const fileSize = fstatSync(this.fd).size;
    this.recentBatches.length = 0;
    this.maxTimestampSoFar = NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = -1;
    this.bytesSinceLastIndexEntry = 0;
    this.firstBatchTimestamp = null;
    this.next = this.baseOffset;
    this.txnIndex.reset([]);
    const offsetEntries: OffsetPosition[] = [];
    const timeEntries: TimestampOffset[] = [];
    let validBytes = 0;
    let stopReason: string | null = null;
    for (const batch of scanBatches(this.fd, 0, fileSize, { whole: true })) {
      stopReason = batch.ok ? (this.invalidReason(batch) ?? visit(batch)) : batch.reason;
      if (!batch.ok || stopReason !== null) {
        stopReason = `at byte ${batch.position}: ${stopReason}`;
        break;
      }
      const maxTimestamp = Number(batch.bytes.readBigInt64BE(35));
      this.track({ bytes: batch.bytes, baseOffset: batch.baseOffset, lastOffset: batch.lastOffset, maxTimestamp }, batch.position, offsetEntries, timeEntries);
      validBytes = batch.position + batch.size;
    }
    if (validBytes < fileSize) ftruncateSync(this.fd, validBytes);
    this.bytes = validBytes;
    this.offsetIndex.reset(offsetEntries);
    this.timeIndex.reset([]);
    for (const entry of timeEntries) this.timeIndex.maybeAppend(entry.timestamp, entry.offset);
    return { validBytes, truncatedBytes: fileSize - validBytes, stopReason };
  }

  /**
   * The segment stops being the active one (a roll): record the final max timestamp in the
   * time index, as Kafka does, so a reload knows it without a scan, and fsync everything:
   * rolled segments are durable even with flush.messages/flush.ms at their defaults.
   */
  onBecomeInactive(): void {
    this.appendFinalTimeEntry();
    this.flush();
    this.offsetIndex.closeWriter();
    this.timeIndex.closeWriter();
    this.txnIndex.closeWriter();
  }

  /** fsyncs the segment and its indexes now, or with `batch`. */
  flush(batch?: FsyncBatch): void {
    if (batch === undefined) fsyncSync(this.fd);
    else batch.file(this.logFile.path);
    this.offsetIndex.fsync(batch);
    this.timeIndex.fsync(batch);
    this.txnIndex.fsync(batch);
  }

  /**
   * Clean close: fsync (now or with `batch`) and release the files. Unlike a roll, no final
   * time index entry: reopening rescans the batches after the last offset index entry and finds
   * the largest timestamp there, and the entry would create the time index file of almost
   * every small partition, the costliest part of shutting down tens of thousands of them.
   */
  close(batch?: FsyncBatch): void {
    this.flush(batch);
    this.release();
  }

  /** Gives the segment's descriptors back to the pool; it reopens them when used again. */
  release(): void {
    this.offsetIndex.closeWriter();
    this.timeIndex.closeWriter();
    this.txnIndex.closeWriter();
    logFileDescriptors.release(this.logFile);
  }

  delete(): void {
    logFileDescriptors.release(this.logFile);
    this.offsetIndex.delete();
    this.timeIndex.delete();
    this.txnIndex.delete();
    rmSync(segmentFilePath(this.dir, this.baseOffset, SegmentSuffix.Log), { force: true });
  }

  /**
   * Index bookkeeping shared by append and recovery, following Kafka: once more than
   * index.interval.bytes were written since the last entry, the next batch gets an offset
   * index entry, and the time index gets the max timestamp reached before that batch.
   */
  private track(batch: AppendBatch, position: number, offsetEntries: OffsetPosition[], timeEntries: TimestampOffset[]): void {
    if (this.bytesSinceLastIndexEntry > this.config.indexIntervalBytes) {
      offsetEntries.push({ offset: batch.baseOffset, position });
      if (this.maxTimestampSoFar >= 0) timeEntries.push({ timestamp: this.maxTimestampSoFar, offset: this.offsetOfMaxTimestampSoFar });
      this.bytesSinceLastIndexEntry = 0;
    }
    if (batch.maxTimestamp > this.maxTimestampSoFar) {
      this.maxTimestampSoFar = batch.maxTimestamp;
      this.offsetOfMaxTimestampSoFar = batch.lastOffset;
    }
    this.firstBatchTimestamp ??= batch.maxTimestamp;
    this.bytesSinceLastIndexEntry += batch.bytes.length;
    this.next = batch.lastOffset + 1;
  }

  /**
   * Recomputes the next offset and the running max timestamp from the indexes plus a scan of
   * the batches after the last offset index entry. Every batch before that entry is covered by
   * the last time index entry (it is appended whenever the max grows at an index point), so
   * the scan stays within about one index interval.
   */
  private restoreTailState(): void {
    const lastIndexed = this.offsetIndex.lastEntry;
    const lastTime = this.timeIndex.lastEntry;
    this.maxTimestampSoFar = lastTime?.timestamp ?? NO_TIMESTAMP;
    this.offsetOfMaxTimestampSoFar = lastTime?.offset ?? -1;
    this.next = this.baseOffset;
    for (const batch of scanBatches(this.fd, lastIndexed.position, this.bytes, { whole: false, peekBytes: BATCH_HEADER_SIZE })) {
      if (!batch.ok || batch.baseOffset < this.next) {
        throw new CorruptIndexError(`segment ${this.baseOffset}: the tail after byte ${lastIndexed.position} is not a clean sequence of batches`);
      }
      const maxTimestamp = Number(batch.bytes.readBigInt64BE(35));
      if (maxTimestamp > this.maxTimestampSoFar) {
        this.maxTimestampSoFar = maxTimestamp;
        this.offsetOfMaxTimestampSoFar = batch.lastOffset;
      }
      this.next = batch.lastOffset + 1;
    }
    this.bytesSinceLastIndexEntry = this.bytes - lastIndexed.position;
  }

  private invalidReason(batch: ScannedBatch): string | null {
    try {
      readBatchHeader(batch.bytes);
    } catch (error) {
      return (error as Error).message;
    }
    if (!verifyBatchCrc(batch.bytes)) return `batch at offset ${batch.baseOffset} fails its CRC-32C check`;
    if (batch.baseOffset < this.next) return `batch base offset ${batch.baseOffset} is below the expected ${this.next}`;
    if (batch.lastOffset < batch.baseOffset) return `batch at offset ${batch.baseOffset} has a negative last offset delta`;
    if (batch.lastOffset - this.baseOffset > INT32_MAX) return `batch offset ${batch.lastOffset} is too far from the segment base`;
    return null;
  }

  private appendFinalTimeEntry(): void {
    if (this.maxTimestampSoFar >= 0) this.timeIndex.maybeAppend(this.maxTimestampSoFar, this.offsetOfMaxTimestampSoFar);
  }

  private headerAt(position: number): { maxTimestamp: number } {
    return { maxTimestamp: Number(this.readExactly(position, BATCH_HEADER_SIZE).readBigInt64BE(35)) };
  }

  private readExactly(position: number, length: number): Buffer {
    const buffer = Buffer.allocUnsafe(length);
    let done = 0;
    while (done < length) {
      const read = readSync(this.fd, buffer, done, length - done, position + done);
      if (read === 0) throw new Error(`segment ${this.baseOffset}: read past the end of the file at byte ${position + done}`);
      done += read;
    }
    return buffer;
  }
}

function lastOffsetIn(bytes: Buffer, at: number): number {
  return Number(bytes.readBigInt64BE(at)) + bytes.readInt32BE(at + 23);
}

/** writev can write less than asked (signals, huge vectors); keep going until all is written. */
function writeFully(fd: number, buffers: Buffer[], position: number): void {
  let pending = buffers;
  let at = position;
  while (pending.length > 0) {
    let written = writevSync(fd, pending, at);
    at += written;
    const rest: Buffer[] = [];
    for (const buffer of pending) {
      if (written >= buffer.length) {
        written -= buffer.length;
      } else {
        rest.push(written > 0 ? buffer.subarray(written) : buffer);
        written = 0;
      }
    }
    pending = rest;
  }
}
