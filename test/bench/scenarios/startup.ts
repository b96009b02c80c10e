import { spawn } from 'node:child_process';
import { once } from 'node:events';
import path from 'node:path';
import { clusterRssMiB, startCluster } from '../cluster';
import { figure, type Figure } from '../figure';

/** Four bare Node processes (a host and three brokers' worth) printing a line: the floor. */
async function bareNodeStartup(): Promise<{ ms: number; rssMiB: number }> {
  const started = process.hrtime.bigint();
  const children = Array.from({ length: 4 }, () =>
    spawn(process.execPath, ['-e', "process.stdout.write(String(process.memoryUsage().rss)+'\\n')"], { stdio: ['ignore', 'pipe', 'ignore'] }),
  );
  const rss = await Promise.all(
    children.map(async (child) => {
      let text = '';
      child.stdout.on('data', (chunk: Buffer) => (text += chunk.toString()));
      await once(child, 'exit');
      return Number(text.trim()) / 2 ** 20;
    }),
  );
  return { ms: Number(process.hrtime.bigint() - started) / 1e6, rssMiB: rss.reduce((a, b) => a + b, 0) };
}

/** `samsa cluster --brokers 3` to its ready line, and the cluster's resident memory when idle. */
export async function startup(work: string, runs: number): Promise<Figure[]> {
  const times: number[] = [];
  const memory: number[] = [];
  const bareTimes: number[] = [];
  const bareMemory: number[] = [];
  for (let run = 0; run < runs; run++) {
    const cluster = await startCluster(path.join(work, `startup-${run}`), 3);
    times.push(cluster.startupMs);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    memory.push(await clusterRssMiB(cluster));
    await cluster.stop();
    const bare = await bareNodeStartup();
    bareTimes.push(bare.ms);
    bareMemory.push(bare.rssMiB);
  }
  return [
    figure('startup 3 brokers (to ready)', 'ms', times, '4 bare Node processes', bareTimes),
    figure('idle memory 3 brokers + host (RSS)', 'MiB', memory, '4 bare Node processes', bareMemory),
  ];
}
