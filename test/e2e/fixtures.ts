import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';
import type { CallInput, CallName, CallResult } from '../../src/api/contract';
import { isEnvelope } from '../../src/api/envelope';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'node', 'samsa.js');
const READY_LINE = /^Samsa is running at (http:\/\/127\.0\.0\.1:\d+)$/;
/** Bound on stopping the embedded cluster at teardown; its brokers shut down in parallel. */
const STOP_TIMEOUT_MS = 30_000;

export interface RunningApp {
  readonly url: string;
  readonly dataDir: string;
  /** What the CLI wrote to stderr, for failure messages. */
  readonly stderr: () => string;
  /** Calls the app's API the way the page does (POST /api/call); throws on an error envelope. */
  readonly call: <M extends CallName>(method: M, input: CallInput<M>) => Promise<CallResult<M>>;
}

async function callOver<M extends CallName>(url: string, method: M, input: CallInput<M>, timeoutMs = 60_000): Promise<CallResult<M>> {
  const response = await fetch(`${url}/api/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method, input }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body: unknown = await response.json();
  if (!isEnvelope(body)) throw new Error(`${method}: the app answered HTTP ${response.status} without an envelope`);
  if (!body.ok) throw new Error(`${method}: ${body.error.code}: ${body.error.message}`);
  return body.value as CallResult<M>;
}

/**
 * Starts `samsa ui` the way a user would and reads its URL from the line it prints. The
 * embedded cluster's first-launch start is off unless a test asks for it, so each test
 * decides whether and how a cluster runs.
 */
async function startApp(dataDir: string, autoStart: boolean): Promise<{ app: RunningApp; child: ChildProcess }> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm run build\` before the e2e tests`);
  const env = { ...process.env };
  if (autoStart) delete env.SAMSA_NO_EMBEDDED_AUTOSTART;
  else env.SAMSA_NO_EMBEDDED_AUTOSTART = '1';
  const child = spawn(process.execPath, [CLI, 'ui', '--no-open', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`samsa ui printed no URL within 10 s; stderr: ${stderr}`)), 10_000);
    child.once('exit', (code) => reject(new Error(`samsa ui exited with ${code}; stderr: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = READY_LINE.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { app: { url, dataDir, stderr: () => stderr, call: (method, input) => callOver(url, method, input) }, child };
}

export const test = base.extend<{ app: RunningApp; embeddedAutoStart: boolean }>({
  embeddedAutoStart: [false, { option: true }],
  app: async ({ embeddedAutoStart }, use) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'samsa-e2e-'));
    const started = await startApp(dataDir, embeddedAutoStart).catch(async (error: unknown) => {
      await rm(dataDir, { recursive: true, force: true });
      throw error;
    });
    const { app, child } = started;
    try {
      await use(app);
    } finally {
      // Brokers are child processes writing into dataDir: stop them cleanly before it is removed.
      await callOver(app.url, 'embedded.stop', {}, STOP_TIMEOUT_MS).catch(() => undefined);
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      await rm(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect } from '@playwright/test';
