import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { FsyncBatch } from './fsyncBatch';

/**
 * Kafka's checkpoint text format (leader-epoch-checkpoint, log-start-offset-checkpoint, ...):
 * a version line, a count line, then one entry per line with space-separated fields. Writes go
 * to a temporary file that is fsynced and renamed over the old one, so a crash leaves either
 * the old or the new checkpoint, never a torn one.
 */
export interface CheckpointFile<T> {
  read(): T[];
  /**
   * Replaces the file atomically. With `durable: false` nothing is fsynced: a process crash
   * still finds the old or the new file whole (the page cache outlives the process), and the
   * caller calls `sync` before its data must survive a power loss too.
   */
  write(entries: readonly T[], options?: { durable: boolean }): void;
  /**
   * fsyncs the file and its directory (after writes with `durable: false`), now or, given a
   * batch, with the batch.
   */
  sync(batch?: FsyncBatch): void;
  /** Same as write, off the event loop: for periodic checkpoints on the request path's thread. */
  writeAsync(entries: readonly T[]): Promise<void>;
}

export interface CheckpointFormat<T> {
  version: number;
  format(entry: T): string;
  /** Parses the space-separated fields of one line; throws on a malformed line. */
  parse(fields: string[]): T;
}

export class CheckpointFormatError extends Error {
  override readonly name = 'CheckpointFormatError';
}

export function checkpointFile<T>(path: string, codec: CheckpointFormat<T>): CheckpointFile<T> {
  /** What the file holds, as this process last read or wrote it: an identical write is skipped. */
  let current: string | null = null;
  return {
    read(): T[] {
      if (!existsSync(path)) return [];
      const text = readFileSync(path, 'utf8');
      current = text;
      const lines = text.split('\n');
      if (lines.at(-1) === '') lines.pop();
      const version = Number(lines[0]);
      if (version !== codec.version) {
        throw new CheckpointFormatError(`${path}: unsupported checkpoint version "${lines[0]}" (expected ${codec.version})`);
      }
      const count = Number(lines[1]);
      if (!Number.isSafeInteger(count) || count < 0 || count !== lines.length - 2) {
        throw new CheckpointFormatError(`${path}: count line "${lines[1]}" does not match ${lines.length - 2} entries`);
      }
      return lines.slice(2).map((line, index) => {
        try {
          return codec.parse(line.trim().split(/\s+/));
        } catch (error) {
          throw new CheckpointFormatError(`${path}: line ${index + 3} "${line}" is malformed: ${(error as Error).message}`);
        }
      });
    },
    async writeAsync(entries: readonly T[]): Promise<void> {
      const text = [String(codec.version), String(entries.length), ...entries.map(codec.format)].join('\n') + '\n';
      // Its own temporary file, so a synchronous write (at shutdown) never shares one with it.
      const temporary = `${path}.async.tmp`;
      const handle = await open(temporary, 'w');
      try {
        await handle.writeFile(text);
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rename(temporary, path);
      current = text;
      const directory = await open(dirname(path), 'r').catch(() => undefined);
      if (directory !== undefined) {
        await directory.sync().catch(() => undefined);
        await directory.close();
      }
    },
    write(entries: readonly T[], options = { durable: true }): void {
      const text = [String(codec.version), String(entries.length), ...entries.map(codec.format)].join('\n') + '\n';
      if (text === current) {
        if (options.durable) this.sync();
        return;
      }
      const temporary = `${path}.tmp`;
      const fd = openSync(temporary, 'w');
      try {
        writeSync(fd, text);
        if (options.durable) fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(temporary, path);
      current = text;
      if (options.durable) fsyncDirectory(dirname(path));
    },
    sync(batch?: FsyncBatch): void {
      if (batch !== undefined) {
        batch.file(path);
        batch.directory(dirname(path));
        return;
      }
      if (!existsSync(path)) return;
      const fd = openSync(path, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      fsyncDirectory(dirname(path));
    },
  };
}

/** A rename is durable only once the directory entry is on disk (no-op where unsupported). */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Parses a non-negative safe integer field, as every offset in a checkpoint is. */
export function offsetField(text: string | undefined): number {
  const value = Number(text);
  if (text === undefined || text === '' || !Number.isSafeInteger(value) || value < 0) {
    throw new Error(`"${text}" is not a non-negative integer`);
  }
  return value;
}
