import { CorruptIndexError, IndexFile } from './indexFile';
import { floorIndex } from './offsetIndex';
import type { FsyncBatch } from './fsyncBatch';

const ENTRY_SIZE = 12;

export interface TimestampOffset {
  timestamp: number;
  /** Last offset of the batch where the segment's running max timestamp was first reached. */
  offset: number;
}

/**
 * The sparse time index (`.timeindex`): entries of (max timestamp so far as int64, relative
 * offset as int32) written at the same points as the offset index, and only when the running
 * max timestamp grew, so timestamps strictly increase along the file, as in Kafka. Records
 * may carry any timestamps, so an entry bounds everything before it: every batch up to
 * `offset`'s batch has maxTimestamp <= `timestamp`.
 */
export class TimeIndex {
  private readonly file: IndexFile;
  private readonly timestamps: number[] = [];
  private readonly relativeOffsets: number[] = [];
  private readonly scratch = Buffer.alloc(ENTRY_SIZE);

  constructor(
    path: string,
    readonly baseOffset: number,
    private readonly maxEntries: number,
  ) {
    this.file = new IndexFile(path, ENTRY_SIZE);
  }

  load(): void {
    const bytes = this.file.readAll();
    if (bytes.length % ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(`${this.file.path} has ${bytes.length} bytes, not a multiple of ${ENTRY_SIZE}`);
    }
    this.clearMemory();
    for (let at = 0; at < bytes.length; at += ENTRY_SIZE) {
      const timestamp = Number(bytes.readBigInt64BE(at));
      const relative = bytes.readInt32BE(at + 8);
      const previous = this.timestamps.length - 1;
      if (relative < 0 ||
          (previous >= 0 && (timestamp <= this.timestamps[previous]! || relative < this.relativeOffsets[previous]!))) {
        throw new CorruptIndexError(`${this.file.path} entry ${at / ENTRY_SIZE} (${timestamp}, ${relative}) is out of order`);
      }
      this.timestamps.push(timestamp);
      this.relativeOffsets.push(relative);
    }
  }

  get entries(): number {
    return this.timestamps.length;
  }

  get isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  get lastEntry(): TimestampOffset | null {
    const last = this.entries - 1;
    return last < 0 ? null : { timestamp: this.timestamps[last]!, offset: this.baseOffset + this.relativeOffsets[last]! };
  }

  /** Appends unless the timestamp does not exceed the last entry's (Kafka skips those too). */
  maybeAppend(timestamp: number, offset: number): void {
    const last = this.lastEntry;
    if (last !== null && timestamp <= last.timestamp) return;
    const relative = offset - this.baseOffset;
    this.scratch.writeBigInt64BE(BigInt(timestamp), 0);
    this.scratch.writeInt32BE(relative, 8);
    this.file.append(this.scratch, this.entries);
    this.timestamps.push(timestamp);
    this.relativeOffsets.push(relative);
  }

  /**
   * The last entry whose timestamp is below `timestamp`: no batch up to its offset can hold a
   * timestamp >= the target, so a search may start there. Null means start at the segment.
   */
  lookupBelow(timestamp: number): TimestampOffset | null {
    const index = floorIndex(this.timestamps, timestamp - 1);
    return index < 0 ? null : { timestamp: this.timestamps[index]!, offset: this.baseOffset + this.relativeOffsets[index]! };
  }

  /** Drops entries pointing at offsets >= `offset`. */
  truncateTo(offset: number): void {
    const keep = floorIndex(this.relativeOffsets, offset - this.baseOffset - 1) + 1;
    this.timestamps.length = keep;
    this.relativeOffsets.length = keep;
    this.file.truncateEntries(keep);
  }

  reset(entries: readonly TimestampOffset[]): void {
    this.clearMemory();
    const bytes = Buffer.alloc(entries.length * ENTRY_SIZE);
    entries.forEach((entry, i) => {
      bytes.writeBigInt64BE(BigInt(entry.timestamp), i * ENTRY_SIZE);
      bytes.writeInt32BE(entry.offset - this.baseOffset, i * ENTRY_SIZE + 8);
      this.timestamps.push(entry.timestamp);
      this.relativeOffsets.push(entry.offset - this.baseOffset);
    });
    this.file.rewrite(bytes);
  }

  fsync(batch?: FsyncBatch): void {
    this.file.fsync(batch);
  }

  closeWriter(): void {
    this.file.closeWriter();
  }

  delete(): void {
    this.file.delete();
    this.clearMemory();
  }

  private clearMemory(): void {
    this.timestamps.length = 0;
    this.relativeOffsets.length = 0;
  }
}
