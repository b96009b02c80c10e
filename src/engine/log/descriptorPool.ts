import { closeSync, existsSync, openSync } from 'node:fs';

/**
 * Open descriptors of segment files, at most `capacity` at a time per process, least
 * recently used closed first. A broker with 30,000 partitions would otherwise hold 30,000
 * descriptors for files that are mostly idle, past the usual per-process limit (EMFILE);
 * Kafka asks operators to raise that limit, a desktop app cannot. Closing loses nothing:
 * written bytes are in the page cache, and an fsync through a later descriptor flushes the
 * file's dirty pages just the same. Every use is synchronous, so a descriptor handed out is
 * not closed under its user: eviction happens only in a later `acquire`, which a caller
 * makes only after it is done with the earlier descriptor.
 */
export class DescriptorPool {
  /** Insertion order is recency: the first entry is the least recently used. */
  private readonly open = new Map<PooledFile, number>();

  constructor(private readonly capacity: number) {
    if (capacity < 2) throw new RangeError('a descriptor pool needs room for at least two files');
  }

  get size(): number {
    return this.open.size;
  }

  /** The file's descriptor, opening it (and creating the file when absent) if it is not open. */
  acquire(file: PooledFile): number {
    const fd = this.open.get(file);
    if (fd !== undefined) {
      this.open.delete(file);
      this.open.set(file, fd);
      return fd;
    }
    while (this.open.size >= this.capacity) {
      const [oldest, oldestFd] = this.open.entries().next().value!;
      this.open.delete(oldest);
      closeSync(oldestFd);
    }
    const opened = openSync(file.path, existsSync(file.path) ? 'r+' : 'w+');
    this.open.set(file, opened);
    return opened;
  }

  release(file: PooledFile): void {
    const fd = this.open.get(file);
    if (fd === undefined) return;
    this.open.delete(file);
    closeSync(fd);
  }
}

export interface PooledFile {
  readonly path: string;
}

/**
 * The segment and index files of one broker process share this room; the rest of the usual
 * 20,000 to 65,536 descriptor limit stays for sockets, checkpoints and directories.
 */
export const LOG_FILE_DESCRIPTORS = 4_096;
export const logFileDescriptors = new DescriptorPool(LOG_FILE_DESCRIPTORS);
