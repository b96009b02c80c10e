import { CorruptIndexError, IndexFile } from './indexFile';
import type { FsyncBatch } from './fsyncBatch';

const ENTRY_SIZE = 8;

export interface OffsetPosition {
  offset: number;
  position: number;
}

/**
 * The sparse offset index (`.index`): entries of (offset relative to the segment base as int32,
 * byte position in the .log file as int32), one every `index.interval.bytes` of batches.
 * A lookup answers with the closest indexed batch at or before an offset; the segment then
 * scans at most one index interval of batch headers forward.
 *
 * Unlike Kafka, which indexes a batch's last offset (a leftover of pre-batch formats), we index
 * its base offset: the floor entry is then the batch itself whenever that batch was indexed.
 */
export class OffsetIndex {
  private readonly file: IndexFile;
  private readonly relativeOffsets: number[] = [];
  private readonly positions: number[] = [];
  private readonly scratch = Buffer.alloc(ENTRY_SIZE);

  constructor(
    path: string,
    readonly baseOffset: number,
    private readonly maxEntries: number,
  ) {
    this.file = new IndexFile(path, ENTRY_SIZE);
  }

  /** Loads the file, checking it the way Kafka's sanityCheck does. */
  load(logSize: number): void {
    const bytes = this.file.readAll();
    if (bytes.length % ENTRY_SIZE !== 0) {
      throw new CorruptIndexError(`${this.file.path} has ${bytes.length} bytes, not a multiple of ${ENTRY_SIZE}`);
    }
    this.clearMemory();
    for (let at = 0; at < bytes.length; at += ENTRY_SIZE) {
      const relative = bytes.readInt32BE(at);
      const position = bytes.readInt32BE(at + 4);
      const previous = this.relativeOffsets.length - 1;
      if (relative < 0 || position < 0 || position >= logSize ||
          (previous >= 0 && (relative <= this.relativeOffsets[previous]! || position <= this.positions[previous]!))) {
        throw new CorruptIndexError(`${this.file.path} entry ${at / ENTRY_SIZE} (${relative}, ${position}) is out of order or past the log`);
      }
      this.relativeOffsets.push(relative);
      this.positions.push(position);
    }
  }

  get entries(): number {
    return this.positions.length;
  }

  get isFull(): boolean {
    return this.entries >= this.maxEntries;
  }

  get lastEntry(): OffsetPosition {
    const last = this.entries - 1;
    return last < 0
      ? { offset: this.baseOffset, position: 0 }
      : { offset: this.baseOffset + this.relativeOffsets[last]!, position: this.positions[last]! };
  }

  append(offset: number, position: number): void {
    const relative = offset - this.baseOffset;
    this.scratch.writeInt32BE(relative, 0);
    this.scratch.writeInt32BE(position, 4);
    this.file.append(this.scratch, this.entries);
    this.relativeOffsets.push(relative);
    this.positions.push(position);
  }

  /** The last indexed batch starting at or before `offset` (the segment start when none is). */
  lookup(offset: number): OffsetPosition {
    const index = floorIndex(this.relativeOffsets, offset - this.baseOffset);
    return index < 0
      ? { offset: this.baseOffset, position: 0 }
      : { offset: this.baseOffset + this.relativeOffsets[index]!, position: this.positions[index]! };
  }

  /** Drops entries for batches starting at or after `offset`. */
  truncateTo(offset: number): void {
    const keep = floorIndex(this.relativeOffsets, offset - this.baseOffset - 1) + 1;
    this.relativeOffsets.length = keep;
    this.positions.length = keep;
    this.file.truncateEntries(keep);
  }

  /** Replaces all entries (after recovery rebuilt them). */
  reset(entries: readonly OffsetPosition[]): void {
    this.clearMemory();
    const bytes = Buffer.alloc(entries.length * ENTRY_SIZE);
    entries.forEach((entry, i) => {
      const relative = entry.offset - this.baseOffset;
      bytes.writeInt32BE(relative, i * ENTRY_SIZE);
      bytes.writeInt32BE(entry.position, i * ENTRY_SIZE + 4);
      this.relativeOffsets.push(relative);
      this.positions.push(entry.position);
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
    this.relativeOffsets.length = 0;
    this.positions.length = 0;
  }
}

/** Index of the last element <= target in an ascending array, or -1. */
export function floorIndex(sorted: readonly number[], target: number): number {
  let low = 0;
  let high = sorted.length - 1;
  let found = -1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle]! <= target) {
      found = middle;
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return found;
}
