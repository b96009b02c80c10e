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
