import { join } from 'node:path';
import { CheckpointFormatError, checkpointFile, offsetField, type CheckpointFile } from './checkpointFile';
import type { FsyncBatch } from './fsyncBatch';

export interface EpochEntry {
  epoch: number;
  startOffset: number;
}

/** Kafka's UNDEFINED_EPOCH and UNDEFINED_EPOCH_OFFSET, as sent in OffsetsForLeaderEpoch. */
export const UNDEFINED_EPOCH = -1;
export const UNDEFINED_EPOCH_OFFSET = -1;

export interface EpochEndOffset {
  epoch: number;
  endOffset: number;
}

export const LEADER_EPOCH_CHECKPOINT = 'leader-epoch-checkpoint';

/**
 * The leader-epoch cache (KIP-101): for every leader epoch that wrote to this log, the offset
 * of its first batch. Followers use it, through OffsetsForLeaderEpoch, to find where their log
 * diverges from the leader's and truncate there instead of to their high watermark, which
 * could lose acknowledged writes. Entries are strictly increasing in both epoch and start
 * offset; every change is written to `leader-epoch-checkpoint` before the method returns,
 * as Kafka does, so a restarted broker answers with the same epochs.
 *
 * Unlike Kafka, changes are not fsynced at once: the broker has one event loop, and an fsync
 * there stalls every partition (a follower's first batch of a new epoch held up acks=all
 * produces for as long as the disk took). The written file survives a process crash whole;
 * `sync`, called by the log whenever it fsyncs its data (flush, roll, close), makes it survive
 * a power loss before that data does. An entry lost with the page cache is therefore one for
 * data in the unflushed active segment, which crash recovery re-reads and re-assigns from.
 */
export class LeaderEpochCache {
  private entries: EpochEntry[];
  private readonly checkpoint: CheckpointFile<EpochEntry>;
  /** Written since the last fsync. */
  private unsynced = false;

  constructor(dir: string) {
    this.checkpoint = checkpointFile<EpochEntry>(join(dir, LEADER_EPOCH_CHECKPOINT), {
      version: 0,
      format: (entry) => `${entry.epoch} ${entry.startOffset}`,
      parse: ([epoch, startOffset]) => ({ epoch: offsetField(epoch), startOffset: offsetField(startOffset) }),
    });
    this.entries = this.readCheckpoint();
    for (let i = 1; i < this.entries.length; i++) {
      const previous = this.entries[i - 1]!;
      const entry = this.entries[i]!;
      if (entry.epoch <= previous.epoch || entry.startOffset <= previous.startOffset) {
        // A checkpoint written by this class is always monotonic; rather than trust a damaged
        // one, keep the consistent prefix. Recovery reassigns epochs from the batches anyway.
        this.entries.length = i;
        this.flush();
        break;
      }
    }
  }

  get epochEntries(): readonly EpochEntry[] {
    return this.entries;
  }

  get latestEpoch(): number {
    return this.entries.at(-1)?.epoch ?? UNDEFINED_EPOCH;
  }

  /**
   * Records that `epoch` starts at `startOffset`. Re-assigning the latest epoch at a later
   * offset changes nothing; an entry that is not above the existing ones in both epoch and
   * start offset first removes the entries it contradicts from the end, so the latest
   * assignment wins (Kafka's LeaderEpochFileCache.assign does the same).
   */
  assign(epoch: number, startOffset: number): void {
    if (!Number.isSafeInteger(epoch) || epoch < 0 || !Number.isSafeInteger(startOffset) || startOffset < 0) {
      throw new RangeError(`cannot assign leader epoch ${epoch} at offset ${startOffset}`);
    }
    const latest = this.entries.at(-1);
    if (latest !== undefined && latest.epoch === epoch && latest.startOffset <= startOffset) return;
    while (this.entries.length > 0) {
      const last = this.entries.at(-1)!;
      if (last.epoch < epoch && last.startOffset < startOffset) break;
      this.entries.pop();
    }
    this.entries.push({ epoch, startOffset });
    this.flush();
  }

  /**
   * OffsetsForLeaderEpoch (KIP-101, KIP-279): the largest epoch <= `requestedEpoch` and its
   * end offset, which is the start offset of the next higher epoch, or the log end offset
   * when it is the latest epoch. A requested epoch below every known one answers with the
   * requested epoch and the first known start offset (the data before it is gone, so the
   * follower truncates there); an epoch above the latest, or an empty cache, is undefined.
   */
  endOffsetFor(requestedEpoch: number, logEndOffset: number): EpochEndOffset {
    const latest = this.entries.at(-1);
    if (requestedEpoch === UNDEFINED_EPOCH || latest === undefined || requestedEpoch > latest.epoch) {
      return { epoch: UNDEFINED_EPOCH, endOffset: UNDEFINED_EPOCH_OFFSET };
    }
    if (requestedEpoch === latest.epoch) return { epoch: latest.epoch, endOffset: logEndOffset };
    const higher = this.entries.findIndex((entry) => entry.epoch > requestedEpoch);
    const next = this.entries[higher]!;
    const floor = this.entries[higher - 1];
    return floor === undefined
      ? { epoch: requestedEpoch, endOffset: next.startOffset }
      : { epoch: floor.epoch, endOffset: next.startOffset };
  }

  /** The epoch that wrote `offset`: the last entry starting at or before it. */
  epochForOffset(offset: number): number {
    let epoch = UNDEFINED_EPOCH;
    for (const entry of this.entries) {
      if (entry.startOffset > offset) break;
      epoch = entry.epoch;
    }
    return epoch;
  }

  /** After the log is truncated to `endOffset`: forget epochs that start at or after it. */
  truncateFromEnd(endOffset: number): void {
    const keep = this.entries.findIndex((entry) => entry.startOffset >= endOffset);
    if (keep < 0) return;
    this.entries.length = keep;
    this.flush();
  }

  /**
   * After the log start moves to `startOffset`: drop epochs that end before it, and move the
   * start of the epoch covering it up to it, so the cache never points below the log start.
   */
  truncateFromStart(startOffset: number): void {
    let covering = -1;
    for (let i = 0; i < this.entries.length && this.entries[i]!.startOffset <= startOffset; i++) covering = i;
    if (covering < 0 || (covering === 0 && this.entries[0]!.startOffset === startOffset)) return;
    const epoch = this.entries[covering]!.epoch;
    this.entries = [{ epoch, startOffset }, ...this.entries.slice(covering + 1)];
    this.flush();
  }

  clear(): void {
    if (this.entries.length === 0) return;
    this.entries = [];
    this.flush();
  }

  /** fsyncs the checkpoint if it changed since the last time (now, or with `batch`). */
  sync(batch?: FsyncBatch): void {
    if (!this.unsynced) return;
    this.checkpoint.sync(batch);
    this.unsynced = false;
  }

  private flush(): void {
    this.checkpoint.write(this.entries, { durable: false });
    this.unsynced = true;
  }

  private readCheckpoint(): EpochEntry[] {
    try {
      return this.checkpoint.read();
    } catch (error) {
      if (!(error instanceof CheckpointFormatError)) throw error;
      return [];
    }
  }
}
