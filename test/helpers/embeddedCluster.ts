import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach } from 'vitest';

/**
 * The embedded cluster as users run it: `node dist/node/samsa.js cluster` in its own process
 * (which forks one process per broker), in a fresh temporary data directory. Tests drive it
 * through the control API and talk to it with real clients, so they see what a user sees.
 */

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SAMSA_CLI = join(REPO_ROOT, 'dist/node/samsa.js');

const READY_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 15_000;
const CONTROL_TIMEOUT_MS = 30_000;
/** Enough of the cluster's stderr to explain a failure without flooding the test output. */
const STDERR_KEEP_CHARS = 64 * 1024;

export type BrokerAction = 'stop' | 'kill' | 'start';

export interface BrokerActionResult {
  brokerId: number;
  action: BrokerAction;
  state: string;
  events: unknown[];
}

export interface BrokerStatus {
  brokerId: number;
  host: string;
  port: number;
  state: string;
  pid?: number;
}

export interface EmbeddedCluster {
  /** `127.0.0.1:p1,127.0.0.1:p2,...` as printed on the ready line. */
  bootstrap: string;
  /** One `127.0.0.1:port` per broker, broker 1 first. */
  brokerAddresses: string[];
  controlUrl: string;
  dataDir: string;
  /** The cluster host's own process id (brokers are its children). */
  pid: number;
  brokerAction(brokerId: number, action: BrokerAction): Promise<BrokerActionResult>;
  brokers(): Promise<BrokerStatus[]>;
  /** Where broker `brokerId` keeps partition `topic-partition`. */
  partitionDir(brokerId: number, topic: string, partition: number): string;
  /** Everything the cluster wrote to stderr so far (its logs), for failure messages. */
  stderr(): string;
  /** SIGTERM (clean shutdown), waits for exit, removes the data directory. Idempotent. */
  stop(): Promise<void>;
}

/**
 * Throws a clear error when the CLI bundle is missing: integration tests run the built
 * program, and `npm test` builds it first.
 */
export function requireDistBuild(): void {
  if (!existsSync(SAMSA_CLI)) {
    throw new Error(`${SAMSA_CLI} is missing: run \`npm run build\` first (\`npm test\` builds before testing)`);
  }
}

/**
 * `dataDir`: run on this directory and leave it in place on stop (to restart a cluster on
 * the same data); by default a fresh temporary directory, removed on stop.
 */
export async function startEmbeddedCluster(options: { brokers: number; extraArgs?: string[]; dataDir?: string }): Promise<EmbeddedCluster> {
  requireDistBuild();
  const ownsDataDir = options.dataDir === undefined;
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'samsa-it-'));
  const child = spawn(
    process.execPath,
    [
      SAMSA_CLI,
      'cluster',
      '--brokers',
      String(options.brokers),
      '--data-dir',
      dataDir,
      '--port',
      '0',
      '--control-port',
      '0',
      ...(options.extraArgs ?? []),
    ],
    { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-STDERR_KEEP_CHARS);
  });
  const exited = new Promise<void>((done) => child.once('exit', () => done()));

  let ready: { bootstrap: string; controlUrl: string };
  try {
    ready = await readyLine(child, () => stderr);
  } catch (error) {
    await terminate(child, exited);
    if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }

  let stopped = false;
  const cluster: EmbeddedCluster = {
    bootstrap: ready.bootstrap,
    brokerAddresses: ready.bootstrap.split(','),
    controlUrl: ready.controlUrl,
    dataDir,
    pid: child.pid!,
    async brokerAction(brokerId, action) {
      const response = await fetch(`${ready.controlUrl}/v1/brokers/${brokerId}/${action}`, {
        method: 'POST',
        signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS),
      });
      const body = (await response.json()) as BrokerActionResult & { error?: string };
      if (!response.ok) {
        throw new Error(`broker ${brokerId} ${action} failed (${response.status}): ${body.error ?? ''}\n--- cluster stderr (tail) ---\n${stderr.slice(-4000)}`);
      }
      return body;
    },
    async brokers() {
      const response = await fetch(`${ready.controlUrl}/v1/cluster`, { signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
      return ((await response.json()) as { brokers: BrokerStatus[] }).brokers;
    },
    partitionDir: (brokerId, topic, partition) => join(dataDir, `broker-${brokerId}`, `${topic}-${partition}`),
    stderr: () => stderr,
    async stop() {
      if (stopped) return;
      stopped = true;
      await terminate(child, exited);
      if (ownsDataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return cluster;
}

/** Waits (bounded) for `ready bootstrap=... control=...` on stdout. */
function readyLine(child: ChildProcess, stderr: () => string): Promise<{ bootstrap: string; controlUrl: string }> {
  return new Promise((resolveReady, reject) => {
    let stdout = '';
    const fail = (why: string) => {
      cleanUp();
      reject(new Error(`the embedded cluster ${why}\n--- stdout ---\n${stdout}\n--- stderr ---\n${stderr()}`));
    };
    const onData = (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
      const match = /^ready bootstrap=(\S+) control=(\S+)$/m.exec(stdout);
      if (match) {
        cleanUp();
        resolveReady({ bootstrap: match[1]!, controlUrl: match[2]! });
      }
    };
    const onExit = (code: number | null, signal: string | null) => fail(`exited (code ${code}, signal ${signal}) before it was ready`);
    const timer = setTimeout(() => fail(`printed no ready line within ${READY_TIMEOUT_MS} ms`), READY_TIMEOUT_MS);
    const cleanUp = () => {
      clearTimeout(timer);
      child.stdout!.off('data', onData);
      child.off('exit', onExit);
    };
    child.stdout!.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * SIGTERM, and SIGKILL if the clean shutdown hangs. Brokers stop on their own when they
 * lose the host's IPC channel, so killing the host never leaves them behind.
 */
async function terminate(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = await Promise.race([
    exited.then(() => false),
    new Promise<boolean>((done) => {
      timer = setTimeout(() => done(true), STOP_TIMEOUT_MS);
    }),
  ]);
  clearTimeout(timer);
  if (gaveUp) {
    child.kill('SIGKILL');
    await exited;
  }
}

/** The segment files (`<baseOffset>.log`) of a partition directory, oldest first. */
export function segmentFiles(partitionDir: string): string[] {
  return readdirSync(partitionDir)
    .filter((name) => /^\d{20}\.log$/.test(name))
    .sort()
    .map((name) => join(partitionDir, name));
}

/** Whether a process with this id exists (signal 0 checks without signalling). */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Polls `check` until it returns a value other than undefined, at most `timeoutMs`;
 * the synchronisation primitive for tests (never a fixed sleep).
 */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined> | T | undefined, timeoutMs = 10_000, intervalMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  const maxAttempts = Math.ceil(timeoutMs / intervalMs) + 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < maxAttempts && Date.now() < deadline; attempt++) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastError ? `: ${String(lastError)}` : ''}`);
}

/**
 * Registers an afterEach that prints the cluster's recent stderr when a test failed: the
 * broker logs usually say why (a crash, a refused start, a recovery that stopped early).
 */
export function printClusterLogsOnFailure(cluster: () => EmbeddedCluster | undefined): void {
  afterEach((context) => {
    const running = cluster();
    if (running === undefined || context.task.result?.state !== 'fail') return;
    process.stderr.write(`--- embedded cluster stderr (tail) for "${context.task.name}" ---\n${running.stderr().slice(-8000)}\n`);
  });
}
