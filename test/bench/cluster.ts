import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';

export const root = path.resolve(import.meta.dirname, '../..');

export interface BenchCluster {
  bootstrap: string;
  control: string;
  dataDir: string;
  /** ms from spawn to the ready line. */
  startupMs: number;
  process: ChildProcess;
  /** The end of what the cluster wrote to stderr, for failure messages. */
  stderrTail: () => string;
  stop: () => Promise<void>;
}

/** Starts `samsa cluster` as users do (a separate process) and waits for its ready line. */
export async function startCluster(dataDir: string, brokers: number, extraArgs: string[] = []): Promise<BenchCluster> {
  const started = process.hrtime.bigint();
  // SAMSA_BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof") profiles the host and,
  // since brokers inherit the host's Node options, every broker too.
  const nodeArgs = (process.env.SAMSA_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');
  const child = spawn(process.execPath, [...nodeArgs, path.join(root, 'dist/node/samsa.js'), 'cluster', '--brokers', String(brokers), '--port', '0', '--data-dir', dataDir, ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let errors = '';
  child.stderr.on('data', (chunk: Buffer) => {
    errors = (errors + chunk.toString()).slice(-4000);
  });
  const ready = await new Promise<RegExpExecArray>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /ready bootstrap=(\S+) control=(\S+)/.exec(output);
      if (match) resolve(match);
    });
    child.on('exit', () => reject(new Error(`the cluster exited before it was ready: ${errors}`)));
    setTimeout(() => reject(new Error(`the cluster was not ready within 30 s: ${errors}`)), 30_000).unref();
  });
  const startupMs = Number(process.hrtime.bigint() - started) / 1e6;
  return {
    bootstrap: ready[1]!,
    control: ready[2]!,
    dataDir,
    startupMs,
    process: child,
    stderrTail: () => errors,
    stop: async () => {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export async function brokerAction(cluster: BenchCluster, id: number, action: string): Promise<void> {
  const response = await fetch(`${cluster.control}/v1/brokers/${id}/${action}`, { method: 'POST' });
  if (!response.ok) throw new Error(`${action} broker ${id}: ${await response.text()}`);
}

/** Resident memory (MiB) of the cluster host and its broker processes, from /proc. */
export async function clusterRssMiB(cluster: BenchCluster): Promise<number> {
  const status = (await (await fetch(`${cluster.control}/v1/cluster`)).json()) as { brokers: { pid: number | null }[] };
  const pids = [cluster.process.pid, ...status.brokers.map((b) => b.pid)].filter((pid): pid is number => typeof pid === 'number');
  let kib = 0;
  for (const pid of pids) {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    kib += Number(match?.[1] ?? 0);
  }
  return kib / 1024;
}
