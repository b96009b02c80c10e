import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startNullBroker } from './nullBroker';
import { summarize, type Summary } from './stats';

/**
 * `npm run bench [-- --quick]`: throughput of the embedded engine measured with the client
 * users bring (kcat / librdkafka), each figure next to a baseline measured in the same run
 * so that it is also a ratio. Figures are medians over several runs with their spread.
 */
const quick = process.argv.includes('--quick');
const RUNS = quick ? 3 : 5;
const RECORDS = quick ? 200_000 : 1_000_000;
const SIZES = [100, 1024];
const root = path.resolve(import.meta.dirname, '../..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-'));

interface Figure {
  name: string;
  unit: string;
  value: Summary;
  baselineName: string;
  baseline: Summary;
  ratio: number;
}

function payloadFile(size: number, records: number, label = 'payload'): string {
  const file = path.join(work, `${label}-${size}.txt`);
  if (fs.existsSync(file)) return file;
  const line = 'x'.repeat(size - 1) + '\n';
  const chunk = line.repeat(10_000);
  const fd = fs.openSync(file, 'w');
  for (let written = 0; written < records; written += 10_000) fs.writeSync(fd, records - written >= 10_000 ? chunk : line.repeat(records - written));
  fs.closeSync(fd);
  return file;
}

/** Runs kcat asynchronously (the null broker lives in this process's event loop) and times it. */
async function kcat(args: string[]): Promise<number> {
  const started = process.hrtime.bigint();
  const child = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  if (code !== 0) throw new Error(`kcat ${args.join(' ')} failed: ${stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

const produceArgs = (bootstrap: string, topic: string, file: string) => [
  '-P', '-b', bootstrap, '-t', topic, '-p', '0', '-l', file,
  '-X', 'acks=1', '-X', 'linger.ms=5', '-X', 'batch.num.messages=10000', '-X', 'queue.buffering.max.messages=1000000',
];

async function startCluster(dataDir: string): Promise<{ bootstrap: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [path.join(root, 'dist/node/samsa.js'), 'cluster', '--brokers', '1', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready bootstrap=(\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.on('exit', () => reject(new Error('the cluster exited before it was ready')));
    setTimeout(() => reject(new Error('the cluster was not ready within 20 s')), 20_000).unref();
  });
  const bootstrap = await ready;
  return {
    bootstrap,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

function segmentBytes(dir: string): number {
  let total = 0;
  for (const name of fs.readdirSync(dir)) if (name.endsWith('.log')) total += fs.statSync(path.join(dir, name)).size;
  return total;
}

async function readSegments(dir: string): Promise<number> {
  const started = process.hrtime.bigint();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    const stream = fs.createReadStream(path.join(dir, name), { highWaterMark: 1 << 20 });
    for await (const _chunk of stream) {
      // Reading is the whole measurement.
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/node/samsa.js'))) throw new Error('run `npm run build` first');
  const figures: Figure[] = [];
  const nullBroker = await startNullBroker(1);
  const cluster = await startCluster(path.join(work, 'cluster'));
  try {
    for (const size of SIZES) {
      const file = payloadFile(size, RECORDS);
      const engine: number[] = [];
      const baseline: number[] = [];
      const consume: number[] = [];
      const streamRead: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const topic = `bench-${size}-${run}`;
        // Create the topic first (one record): the timed runs measure throughput, not creation.
        await kcat(['-P', '-b', cluster.bootstrap, '-t', topic, '-p', '0', '-l', payloadFile(size, 1, 'warmup')]);
        baseline.push(RECORDS / (await kcat(produceArgs(`127.0.0.1:${nullBroker.port}`, topic, file))));
        engine.push(RECORDS / (await kcat(produceArgs(cluster.bootstrap, topic, file))));
        // -e stops at the first empty fetch, which waits fetch.wait.max.ms (500 ms by default):
        // a fixed cost of detecting the end, not throughput, so keep it short.
        consume.push((RECORDS + 1) / (await kcat(['-C', '-b', cluster.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=20', '-f', '%o\n'])));
        const dir = path.join(work, 'cluster', 'broker-1', `${topic}-0`);
        streamRead.push((RECORDS + 1) / (await readSegments(dir)));
        process.stderr.write(`bench: ${size} B run ${run + 1}/${RUNS} done (${(segmentBytes(dir) / 1e6).toFixed(0)} MB on disk)\n`);
      }
      const add = (name: string, value: number[], baselineName: string, base: number[]) => {
        const v = summarize(value);
        const b = summarize(base);
        figures.push({ name, unit: 'records/s', value: v, baselineName, baseline: b, ratio: v.median / b.median });
      };
      add(`produce_rf1 ${size}B (kcat, acks=1)`, engine, 'null broker', baseline);
      add(`consume ${size}B (kcat)`, consume, 'segment files via Node stream', streamRead);
    }
  } finally {
    await cluster.stop();
    await nullBroker.close();
  }
  const rows = figures.map((f) => ({
    figure: f.name,
    'median records/s': Math.round(f.value.median),
    'MB/s': ((f.value.median * Number(/(\d+)B/.exec(f.name)![1])) / 1e6).toFixed(1),
    spread: `${(f.value.spread * 100).toFixed(0)}%`,
    baseline: f.baselineName,
    'baseline records/s': Math.round(f.baseline.median),
    ratio: f.ratio.toFixed(2),
  }));
  console.table(rows);
  const result = { date: new Date().toISOString(), machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.cpus()[0]?.model ?? ''}`, records: RECORDS, runs: RUNS, figures };
  fs.writeFileSync(path.join(root, 'bench-results.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
  fs.rmSync(work, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
