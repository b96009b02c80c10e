import { close, fsync, open } from 'node:fs';
import { promisify } from 'node:util';

const openFile = promisify(open);
const fsyncFile = promisify(fsync);
const closeFile = promisify(close);

/** Enough fsyncs in flight for the disk to commit them together, within libuv's thread pool. */
const DEFAULT_CONCURRENCY = 16;

/**
 * The fsyncs of many logs closing at once (a broker's clean shutdown), made together instead
 * of one after another on the event loop: a broker with 30,000 partitions made eight
 * sequential fsyncs per partition and needed minutes, so it was killed and the next start
 * recovered every log. Files and directories are named by path, since a log releases its
 * descriptors as it closes; what must wait for them (the clean-shutdown markers) runs after.
 * Kafka's log manager likewise closes a data directory's logs on a pool of threads.
 */
export class FsyncBatch {
  private readonly files = new Set<string>();
  private readonly directories = new Set<string>();
  private readonly whenDurable: (() => void)[] = [];

  file(path: string): void {
    this.files.add(path);
  }

  /** A directory whose entries changed (created or renamed files). */
  directory(path: string): void {
    this.directories.add(path);
  }

  /** Runs once every file and directory of the batch is on disk. */
  afterDurable(action: () => void): void {
    this.whenDurable.push(action);
  }

  get size(): number {
    return this.files.size + this.directories.size;
  }

  async commit(concurrency = DEFAULT_CONCURRENCY): Promise<void> {
    const pending = [...[...this.files].map((path) => ({ path, directory: false })), ...[...this.directories].map((path) => ({ path, directory: true }))];
    this.files.clear();
    this.directories.clear();
    let next = 0;
    const worker = async () => {
      while (next < pending.length) {
        const { path, directory } = pending[next++]!;
        await fsyncPath(path, directory);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, pending.length) }, worker));
    for (const action of this.whenDurable.splice(0)) action();
  }
}

async function fsyncPath(path: string, directory: boolean): Promise<void> {
  let fd: number;
  try {
    fd = await openFile(path, 'r');
  } catch (error) {
    // A file deleted meanwhile needs no fsync; some platforms (Windows) cannot open a directory.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || directory) return;
    throw error;
  }
  try {
    await fsyncFile(fd);
  } catch (error) {
    if (!directory) throw error;
  } finally {
    await closeFile(fd);
  }
}
