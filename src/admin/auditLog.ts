import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { userInfo } from 'node:os';
import { dirname, join } from 'node:path';
import type { AdminChange } from './adminChange';

/**
 * The local record of every change made through Samsa (product guide, "Safety"): one JSON
 * object per line in `<data dir>/audit.jsonl`, appended and never rewritten, so a crash loses
 * at most the line being written and the file can be read with jq or tail. Each entry says who
 * (the OS user), when, on which cluster, what was asked, the state before and after, and the
 * equivalent Kafka CLI command.
 */
export interface AuditEntry {
  at: string;
  user: string;
  cluster: string;
  /** The app's id for the cluster ("embedded" or a saved cluster's id); absent for CLI changes. */
  clusterId?: string;
  change: AdminChange;
  outcome: 'done' | 'failed';
  before: unknown;
  after: unknown;
  kafkaCommand: string;
  error?: string;
}

export const AUDIT_FILE_NAME = 'audit.jsonl';

export class AuditLog {
  readonly path: string;
  readonly #listeners: ((entry: AuditEntry) => void)[] = [];

  constructor(dataDir: string, private readonly now: () => Date = () => new Date()) {
    this.path = join(dataDir, AUDIT_FILE_NAME);
  }

  async append(entry: Omit<AuditEntry, 'at' | 'user'>): Promise<AuditEntry> {
    const full: AuditEntry = { at: this.now().toISOString(), user: currentUser(), ...entry };
    await mkdir(dirname(this.path), { recursive: true });
    await appendFile(this.path, `${JSON.stringify(full)}\n`, { encoding: 'utf8', mode: 0o600 });
    for (const listener of this.#listeners) listener(full);
    return full;
  }

  /** Called after each entry is written (the app refreshes its audit views). */
  onAppend(listener: (entry: AuditEntry) => void): void {
    this.#listeners.push(listener);
  }

  /** The newest entries first; lines that are not JSON (a torn last write) are skipped. */
  async read(limit = 500): Promise<AuditEntry[]> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const entries: AuditEntry[] = [];
    for (const line of text.split('\n').reverse()) {
      if (entries.length >= limit) break;
      if (line.trim() === '') continue;
      try {
        entries.push(JSON.parse(line) as AuditEntry);
      } catch {
        continue;
      }
    }
    return entries;
  }
}

function currentUser(): string {
  try {
    return userInfo().username;
  } catch {
    // No passwd entry (some containers): the environment is the best we have.
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}
