import { spawn } from 'node:child_process';

/**
 * Runs the real Kafka clients installed on the machine (kcat, and the Python clients, which
 * only /usr/bin/python3 can import) as child processes with a hard timeout, and hands back
 * what they printed so tests assert on what a user of that client would see.
 */

export const KCAT = '/usr/bin/kcat';
/** The `python3` on PATH may be another build without kafka-python and confluent-kafka. */
export const SYSTEM_PYTHON = '/usr/bin/python3';

const DEFAULT_TIMEOUT_MS = 30_000;
const OUTPUT_LIMIT_CHARS = 16 * 1024 * 1024;

export interface ProcessResult {
  stdout: string;
  stderr: string;
  /** null when the process was killed by a signal (including our timeout). */
  exitCode: number | null;
  timedOut: boolean;
}

export interface RunOptions {
  input?: string;
  timeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

export function runProcess(command: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...options.env },
    });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      if (stdout.length < OUTPUT_LIMIT_CHARS) stdout += chunk;
    });
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < OUTPUT_LIMIT_CHARS) stderr += chunk;
    });
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('close', (exitCode) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, exitCode, timedOut });
    });
    // A client that exits before reading its input must not crash the test with EPIPE.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}

/** Fails with everything the process printed unless it exited 0 in time. */
export function expectSuccess(what: string, result: ProcessResult): ProcessResult {
  if (result.exitCode !== 0 || result.timedOut) {
    throw new Error(
      `${what} ${result.timedOut ? 'timed out' : `exited with ${result.exitCode}`}\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`,
    );
  }
  return result;
}

export function kcat(bootstrap: string, args: string[], options: RunOptions = {}): Promise<ProcessResult> {
  return runProcess(KCAT, ['-b', bootstrap, ...args], options);
}

/** Produces `key:value` lines (keys and values must not contain ':' or newlines). */
export async function kcatProduce(bootstrap: string, topic: string, records: { key: string; value: string }[], extraArgs: string[] = []): Promise<void> {
  const input = records.map((record) => `${record.key}:${record.value}\n`).join('');
  expectSuccess(`kcat produce to ${topic}`, await kcat(bootstrap, ['-P', '-t', topic, '-K:', ...extraArgs], { input }));
}

export interface ConsumedLine {
  partition: number;
  offset: number;
  key: string;
  value: string;
}

/**
 * Reads a whole topic (or one partition) from the beginning with kcat's assign-style
 * consumer (-C without -G) and exits at its end.
 */
export async function kcatConsumeAll(bootstrap: string, topic: string, options: { partition?: number; extraArgs?: string[] } = {}): Promise<ConsumedLine[]> {
  const partitionArgs = options.partition === undefined ? [] : ['-p', String(options.partition)];
  const result = expectSuccess(
    `kcat consume ${topic}`,
    await kcat(bootstrap, ['-C', '-t', topic, ...partitionArgs, '-o', 'beginning', '-e', '-q', '-f', '%p %o %k %s\\n', ...(options.extraArgs ?? [])]),
  );
  return result.stdout
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => {
      const [partition, offset, key, ...value] = line.split(' ');
      return { partition: Number(partition), offset: Number(offset), key: key ?? '', value: value.join(' ') };
    });
}

export interface KcatMetadata {
  brokers: { id: number; name: string }[];
  topics: { topic: string; partitions?: { partition: number; leader: number }[]; error?: string }[];
}

export async function kcatMetadata(bootstrap: string, topic?: string): Promise<KcatMetadata> {
  const result = expectSuccess('kcat -L', await kcat(bootstrap, ['-L', '-J', ...(topic === undefined ? [] : ['-t', topic])]));
  return JSON.parse(result.stdout) as KcatMetadata;
}

/** The leader of `topic`'s partition according to kcat's metadata request. */
export async function kcatLeaderOf(bootstrap: string, topic: string, partition: number): Promise<number> {
  const metadata = await kcatMetadata(bootstrap, topic);
  const leader = metadata.topics.find((entry) => entry.topic === topic)?.partitions?.find((entry) => entry.partition === partition)?.leader;
  if (leader === undefined || leader < 0) throw new Error(`no leader for ${topic}-${partition}: ${JSON.stringify(metadata)}`);
  return leader;
}

/**
 * Runs a Python script with the system interpreter. Parameters go in as JSON on stdin
 * (`params = json.load(sys.stdin)`), results come out as one JSON document on stdout.
 */
export async function runPython<T>(what: string, script: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
  const result = expectSuccess(what, await runProcess(SYSTEM_PYTHON, ['-c', script], { input: JSON.stringify(params), timeoutMs }));
  try {
    return JSON.parse(result.stdout) as T;
  } catch {
    throw new Error(`${what} printed no JSON\n--- stdout ---\n${result.stdout}\n--- stderr ---\n${result.stderr}`);
  }
}
