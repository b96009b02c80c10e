import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory } from './checkpointFile';
import { CONTROL_MARKER_PEEK_BYTES } from './controlMarker';
import { CorruptIndexError } from './indexFile';
import { UNDEFINED_EPOCH, type LeaderEpochCache } from './leaderEpochCache';
import type { LogConfig } from './logConfig';
import { LogSegment } from './logSegment';
import { parseSegmentFileName, SegmentSuffix } from './segmentFiles';
import { transactionalBatchOf, type TransactionSnapshot, type TransactionTracker } from './transactionTracker';

/**
 * Written by a clean close, removed as soon as the log is opened: its absence at open time
 * means the broker died with this log open, so the tail must be validated. Kafka keeps one
 * marker per log directory; here each partition directory has its own, so one partition's
 * load never depends on another's.
 */
export const CLEAN_SHUTDOWN_MARKER = '.clean-shutdown';

/** What opening a log found and repaired, for the broker to log and the GUI to show. */
export interface RecoveryInfo {
  /** The clean-shutdown marker was present: indexes were loaded, no batch was re-read. */
  clean: boolean;
  /** Base offsets of the segments whose batches were re-read and re-validated. */
  recoveredSegments: number[];
  /** Bytes cut from the end of the log (a torn or corrupt tail). */
  truncatedBytes: number;
  /** The log end offset the log was truncated to, or null when nothing was cut. */
  truncatedToOffset: number | null;
  /** Why validation stopped early (first bad batch and its position), or null. */
  stopReason: string | null;
  /** Segments after a truncation point, which were deleted with it. */
  deletedSegments: number[];
  /** The open transactions were rebuilt by scanning the log instead of from the checkpoint. */
  rescannedTransactions: boolean;
}

export interface LoadedLog {
  segments: LogSegment[];
  recovery: RecoveryInfo;
}

export function isCleanShutdown(dir: string): boolean {
  return existsSync(join(dir, CLEAN_SHUTDOWN_MARKER));
}

/**
 * Written only once the log is durable. `durable: false` leaves the directory unsynced: a
 * marker lost with a power loss costs a recovery at the next start, never data.
 */
export function writeCleanShutdownMarker(dir: string, options = { durable: true }): void {
  writeFileSync(join(dir, CLEAN_SHUTDOWN_MARKER), '');
  if (options.durable) fsyncDirectory(dir);
}

/**
 * Removed before the log's files are first changed, so a crash from then on is seen as
 * unclean. The directory is fsynced too: a power loss must not resurrect the marker over a
 * changed log.
 */
export function removeCleanShutdownMarker(dir: string): void {
  rmSync(join(dir, CLEAN_SHUTDOWN_MARKER), { force: true });
  fsyncDirectory(dir);
}

/**
 * Opens every segment in `dir` (Kafka's LogLoader). After a clean shutdown the indexes are
 * loaded as they are. After a crash the active segment is re-validated batch by batch, since
 * only it was being written (a roll fsyncs the segment it closes); so is any segment whose
 * indexes fail their sanity check. The epoch cache and the open transactions are rebuilt
 * from the batches of every re-validated segment.
 */
export function loadSegments(options: {
  dir: string;
  config: LogConfig;
  nowMs: number;
  clean: boolean;
  logStartOffset: number;
  epochCache: LeaderEpochCache;
  tracker: TransactionTracker;
  transactionSnapshot: TransactionSnapshot | null;
  /** Called once before a segment is re-validated, repaired or deleted. */
  beforeRepair?: () => void;
}): LoadedLog {
  const { dir, config, nowMs, clean, epochCache, tracker } = options;
  mkdirSync(dir, { recursive: true });
  const bases = listSegments(dir);
  const recovery: RecoveryInfo = {
    clean,
    recoveredSegments: [],
    truncatedBytes: 0,
    truncatedToOffset: null,
    stopReason: null,
    deletedSegments: [],
    rescannedTransactions: false,
  };
  if (bases.length === 0) {
    epochCache.clear();
    tracker.clear();
    return { segments: [LogSegment.create(dir, options.logStartOffset, config, nowMs)], recovery };
  }

  const segments = bases.map((base) => LogSegment.open(dir, base, config, nowMs));
  const toRecover = new Set<LogSegment>();
  if (!clean) toRecover.add(segments.at(-1)!);
  for (const segment of segments) {
    if (toRecover.has(segment)) continue;
    try {
      segment.loadIndexes();
    } catch (error) {
      if (!(error instanceof CorruptIndexError)) throw error;
      toRecover.add(segment);
    }
  }

  const logEndOffset = (): number => segments.at(-1)!.nextOffset;
  // A clean close writes no transaction checkpoint for a log that never had transactional
  // state, and keeps an existing one even when its state became empty: a clean log whose
  // checkpoint is missing or empty has none, whatever end offset the checkpoint names.
  const snapshot = clean ? (options.transactionSnapshot ?? { logEndOffset: logEndOffset(), lastMarkerOffset: -1, open: new Map() }) : options.transactionSnapshot;
  const stateless = snapshot !== null && snapshot.open.size === 0 && snapshot.lastMarkerOffset < 0;
  const rescanTransactions = toRecover.size > 0 || snapshot === null || (!stateless && snapshot.logEndOffset !== logEndOffset());
  // The checkpoint is written before the batches of a new epoch (see PartitionLog.append), so
  // it normally covers the whole log; an empty one (deleted by hand) is rebuilt from headers.
  const rebuildEpochs = epochCache.latestEpoch === UNDEFINED_EPOCH && logEndOffset() > segments[0]!.baseOffset;
  recovery.rescannedTransactions = rescanTransactions;
  if (!rescanTransactions && snapshot !== null) tracker.restore(snapshot);
  else tracker.clear();

  // Like Kafka's recovery, only epochs above the latest known one are assigned: entries the
  // checkpoint already holds stay, and the final truncateFromEnd drops those past the end.
  const visit = (bytes: Buffer, segment: LogSegment | null): void => {
    const transactional = rescanTransactions ? transactionalBatchOf(bytes) : null;
    const epoch = bytes.readInt32BE(12);
    if (epoch > epochCache.latestEpoch) epochCache.assign(epoch, Number(bytes.readBigInt64BE(0)));
    const aborted = transactional === null ? null : tracker.onBatch(transactional);
    if (aborted !== null) segment?.addAbortedTransaction(aborted);
  };

  if (toRecover.size > 0) options.beforeRepair?.();
  for (let i = 0; (rescanTransactions || rebuildEpochs) && i < segments.length; i++) {
    const segment = segments[i]!;
    if (!toRecover.has(segment)) {
      for (const batch of segment.scan(0, CONTROL_MARKER_PEEK_BYTES)) visit(batch.bytes, null);
      continue;
    }
    recovery.recoveredSegments.push(segment.baseOffset);
    const result = segment.recover((batch) => {
      try {
        visit(batch.bytes, segment);
        return null;
      } catch (error) {
        return `batch at offset ${batch.baseOffset} is unreadable: ${(error as Error).message}`;
      }
    });
    if (result.truncatedBytes > 0) {
      recovery.truncatedBytes += result.truncatedBytes;
      recovery.stopReason = `segment ${segment.baseOffset} ${result.stopReason}`;
      // Batches after a bad one cannot be trusted to follow on, so later segments go too.
      for (const later of segments.splice(i + 1)) {
        recovery.truncatedBytes += later.size;
        recovery.deletedSegments.push(later.baseOffset);
        later.delete();
      }
      recovery.truncatedToOffset = segment.nextOffset;
    }
    if (i < segments.length - 1) segment.onBecomeInactive();
  }
  epochCache.truncateFromEnd(logEndOffset());
  return { segments, recovery };
}

/** Feeds every batch of the segments, in order, to the transaction tracker (no index writes). */
export function replayTransactions(segments: readonly LogSegment[], tracker: TransactionTracker): void {
  for (const segment of segments) {
    for (const batch of segment.scan(0, CONTROL_MARKER_PEEK_BYTES)) tracker.onBatch(transactionalBatchOf(batch.bytes));
  }
}

/**
 * Base offsets of the segments in `dir`, oldest first. Index files without a .log file and
 * half-written checkpoint temporaries are leftovers of a crash and are removed.
 */
function listSegments(dir: string): number[] {
  const names = readdirSync(dir);
  const logs = new Set<number>();
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if (parsed?.suffix === SegmentSuffix.Log) logs.add(parsed.baseOffset);
  }
  for (const name of names) {
    const parsed = parseSegmentFileName(name);
    if ((parsed !== null && !logs.has(parsed.baseOffset)) || name.endsWith('.tmp')) rmSync(join(dir, name), { force: true });
  }
  return [...logs].sort((a, b) => a - b);
}
