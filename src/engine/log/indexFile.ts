import { closeSync, existsSync, fsyncSync, ftruncateSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { logFileDescriptors } from './descriptorPool';
import type { FsyncBatch } from './fsyncBatch';

/**
 * The file behind one of a segment's indexes: fixed-size entries appended at the end. The
 * index classes keep their entries in memory (Kafka mmaps them; a desktop broker's indexes are
 * small) and use this only to persist them. A write descriptor is held only while the segment
 * is active, and from the process's pool, so many partitions do not exhaust descriptors.
 */
export class IndexFile {
  /** Whether this index holds a descriptor from the pool (the segment is active). */
  private writing = false;

  constructor(
    readonly path: string,
    readonly entrySize: number,
  ) {}

  /** The whole file, or an empty buffer when it does not exist yet. */
  readAll(): Buffer {
    return existsSync(this.path) ? readFileSync(this.path) : Buffer.alloc(0);
  }

  append(entry: Buffer, entryIndex: number): void {
    this.writing = true;
    writeSync(logFileDescriptors.acquire(this), entry, 0, entry.length, entryIndex * this.entrySize);
  }

  /** Keeps the first `entries` entries. */
  truncateEntries(entries: number): void {
    const length = entries * this.entrySize;
    if (this.writing) ftruncateSync(logFileDescriptors.acquire(this), length);
    else if (existsSync(this.path)) truncateSync(this.path, length);
  }

  /**
   * Replaces the file with the given entries (after a rebuild). An empty index needs no file
   * (readAll reads a missing one as empty), so a new segment creates its index files only
   * with its first entries: a broker creating a hundred thousand partitions saves three file
   * creations each.
   */
  rewrite(entries: Buffer): void {
    this.closeWriter();
    if (entries.length === 0 && !existsSync(this.path)) return;
    const fd = openSync(this.path, 'w');
    try {
      writeSync(fd, entries);
    } finally {
      closeSync(fd);
    }
  }

  /** Now, or with `batch`; an index without a write descriptor has nothing unsynced. */
  fsync(batch?: FsyncBatch): void {
    if (!this.writing) return;
    if (batch === undefined) fsyncSync(logFileDescriptors.acquire(this));
    else batch.file(this.path);
  }

  closeWriter(): void {
    if (this.writing) {
      logFileDescriptors.release(this);
      this.writing = false;
    }
  }

  delete(): void {
    this.closeWriter();
    rmSync(this.path, { force: true });
  }
}

/** An index file whose contents contradict themselves or the log; the segment is rebuilt. */
export class CorruptIndexError extends Error {
  override readonly name = 'CorruptIndexError';
}
