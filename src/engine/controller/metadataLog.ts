import fs from 'node:fs';
import path from 'node:path';
import type { MetadataLogEntry, MetadataRecord } from '../metadata/records';

/**
 * The controller's persisted, ordered record log: one JSON object per line. Metadata changes
 * are rare and small, and losing an acknowledged one (a topic that vanishes after a restart)
 * is worse than the cost of an fsync, so every append is synced before it is acknowledged.
 * A torn last line (crash mid-write) is dropped on load: it was never acknowledged.
 */
export class MetadataLog {
  private readonly entries: MetadataLogEntry[] = [];
  private fd: number;

  private constructor(private readonly file: string) {
    this.fd = -1;
  }

  static open(directory: string): MetadataLog {
    fs.mkdirSync(directory, { recursive: true });
    const log = new MetadataLog(path.join(directory, 'metadata.log'));
    log.load();
    log.fd = fs.openSync(log.file, 'a');
    return log;
  }

  private load(): void {
    if (!fs.existsSync(this.file)) return;
    const text = fs.readFileSync(this.file, 'utf8');
    let validBytes = 0;
    for (const line of text.split('\n')) {
      if (line === '') break;
      let entry: MetadataLogEntry;
      try {
        entry = JSON.parse(line) as MetadataLogEntry;
      } catch {
        break;
      }
      if (entry.offset !== this.entries.length) break;
      this.entries.push(entry);
      validBytes += Buffer.byteLength(line, 'utf8') + 1;
    }
    if (validBytes < Buffer.byteLength(text, 'utf8')) fs.truncateSync(this.file, validBytes);
  }

  get endOffset(): number {
    return this.entries.length;
  }

  /** Appends records durably and returns their entries. */
  append(records: readonly MetadataRecord[], now = Date.now()): MetadataLogEntry[] {
    const appended = records.map((record, i) => ({ offset: this.entries.length + i, timestamp: now, record }));
    if (appended.length === 0) return appended;
    fs.writeSync(this.fd, appended.map((entry) => JSON.stringify(entry)).join('\n') + '\n');
    fs.fsyncSync(this.fd);
    this.entries.push(...appended);
    return appended;
  }

  /**
   * Replaces the whole log by `records` (a snapshot of its current state, numbered from 0):
   * the new file is written and fsynced beside the old one and renamed over it, so a crash
   * leaves one or the other, whole. Only while no broker follows the log (its offsets restart).
   */
  replaceWith(records: readonly MetadataRecord[], now = Date.now()): void {
    const entries = records.map((record, offset) => ({ offset, timestamp: now, record }));
    const temporary = `${this.file}.snapshot`;
    const fd = fs.openSync(temporary, 'w');
    try {
      fs.writeSync(fd, entries.map((entry) => JSON.stringify(entry) + '\n').join(''));
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.close();
    fs.renameSync(temporary, this.file);
    const directory = fs.openSync(path.dirname(this.file), 'r');
    try {
      fs.fsyncSync(directory);
    } finally {
      fs.closeSync(directory);
    }
    this.entries.length = 0;
    this.entries.push(...entries);
    this.fd = fs.openSync(this.file, 'a');
  }

  /** Entries from `offset` on, for a broker catching up. */
  readFrom(offset: number): MetadataLogEntry[] {
    return this.entries.slice(Math.max(0, offset));
  }

  close(): void {
    if (this.fd >= 0) fs.closeSync(this.fd);
    this.fd = -1;
  }
}
