import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

/** Runs kcat asynchronously (baselines may live in this process's event loop) and times it in seconds. */
export async function timeKcat(args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-2000)));
  const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`kcat ${args.join(' ')} failed: ${stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** A file of `records` lines of `size` bytes (newline included), for kcat -l. */
export function payloadFile(dir: string, size: number, records: number, label = 'payload'): string {
  const file = path.join(dir, `${label}-${size}-${records}.txt`);
  if (fs.existsSync(file)) return file;
  const line = 'x'.repeat(size - 1) + '\n';
  const chunk = line.repeat(10_000);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < records; written += 10_000) fs.writeSync(fd, records - written >= 10_000 ? chunk : line.repeat(records - written));
  fs.closeSync(fd);
  return file;
}

export const produceArgs = (bootstrap: string, topic: string, file: string, extra: string[] = []) => [
  '-P', '-b', bootstrap, '-t', topic, '-p', '0', '-l', file,
  '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.messages=1000000',
  ...extra,
];

export interface KcatConsume {
  /** Process start to exit: client startup, the fetches, end-of-partition detection, shutdown. */
  wallSeconds: number;
  /** From kcat's first Fetch to its Fetch for `endOffset` (every record received), by its own debug timestamps. */
  fetchSeconds: number;
  /** From process start to the first Fetch: connecting, metadata, the offset lookup. */
  startupSeconds: number;
  /** Fetches that returned records (the one at the end offset not counted). */
  fetches: number;
}

/**
 * kcat consuming partition 0 of `topic` from the beginning to `endOffset` and exiting there
 * (-e), as a user runs it, timed both as a whole and over its fetches alone. The whole run
 * includes client startup, which is not throughput and is bimodal: librdkafka 2.0 sometimes
 * starts before it has delegated the partition to its leader and then retries the offset
 * lookup after a fixed 500 ms (seen in its debug log: ListOffsets sent 500 ms after the
 * Metadata answer), whatever the broker does.
 */
export async function consumeKcat(bootstrap: string, topic: string, endOffset: number, extra: string[] = []): Promise<KcatConsume> {
  const started = process.hrtime.bigint();
  const startedAtMs = Date.now();
  // -e stops at the first empty fetch, which waits fetch.wait.max.ms (500 ms by default):
  // a fixed cost of detecting the end, not throughput, so keep it short.
  const args = ['-C', '-b', bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=20', '-f', '%o\n', '-d', 'fetch', ...extra];
  const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // librdkafka's debug lines: "%7|<seconds.millis>|FETCH|...: Fetch topic <topic> [0] at offset <n> (v<k>)".
  const fetchLine = new RegExp(`^%7\\|(\\d+\\.\\d+)\\|FETCH\\|.*: Fetch topic ${topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\[0\\] at offset (\\d+) `);
  let firstFetchMs: number | null = null;
  let endFetchMs: number | null = null;
  let fetches = 0;
  let pending = '';
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => {
    const text = pending + chunk.toString();
    const lines = text.split('\n');
    pending = lines.pop()!;
    for (const line of lines) {
      const match = fetchLine.exec(line);
      if (match === null) continue;
      if (endFetchMs !== null) continue;
      const atMs = Number(match[1]) * 1000;
      firstFetchMs ??= atMs;
      if (Number(match[2]) >= endOffset) endFetchMs = atMs;
      else fetches++;
    }
    tail = (tail + text).slice(-2000);
  });
  // A consume of a few million records takes seconds; a stuck one (librdkafka retries some
  // errors forever) would otherwise hold the bench.
  const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`kcat ${args.join(' ')} failed (exit ${code}): ${tail}`);
  if (firstFetchMs === null || endFetchMs === null) throw new Error(`kcat ${args.join(' ')} never fetched offset ${endOffset}: ${tail}`);
  return {
    wallSeconds: Number(process.hrtime.bigint() - started) / 1e9,
    fetchSeconds: (endFetchMs - firstFetchMs) / 1000,
    startupSeconds: (firstFetchMs - startedAtMs) / 1000,
    fetches,
  };
}
