import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMSA_CLI } from './embeddedCluster';
import { runProcess, type ProcessResult } from './externalClients';

/**
 * Runs the built `samsa` CLI as users do (`node dist/node/samsa.js ...`), with its own app
 * data directory so the audit log each test reads is the one its commands wrote.
 */
export interface SamsaCli {
  dataDir: string;
  run(args: string[], options?: { input?: string; timeoutMs?: number }): Promise<ProcessResult>;
  /** Runs with --json and parses stdout, failing with everything printed unless it exited 0. */
  json<T>(args: string[], options?: { input?: string }): Promise<T>;
  auditLog(): string;
  cleanUp(): void;
}

export function samsaCli(): SamsaCli {
  const dataDir = mkdtempSync(join(tmpdir(), 'samsa-admin-it-'));
  const run = (args: string[], options: { input?: string; timeoutMs?: number } = {}) =>
    runProcess(process.execPath, [SAMSA_CLI, ...args], { env: { SAMSA_DATA_DIR: dataDir }, timeoutMs: options.timeoutMs ?? 60_000, ...(options.input === undefined ? {} : { input: options.input }) });
  return {
    dataDir,
    run,
    async json<T>(args: string[], options: { input?: string } = {}) {
      const result = await run([...args, '--json'], options);
      if (result.exitCode !== 0) throw new Error(`samsa ${args.join(' ')} exited with ${result.exitCode}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
      return JSON.parse(result.stdout) as T;
    },
    auditLog() {
      const path = join(dataDir, 'audit.jsonl');
      return existsSync(path) ? readFileSync(path, 'utf8') : '';
    },
    cleanUp: () => rmSync(dataDir, { recursive: true, force: true }),
  };
}
