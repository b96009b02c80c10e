import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { root } from './cluster';
import type { Figure } from './figure';
import { startMachineShare } from './machineShare';
import { failover } from './scenarios/failover';
import { latency } from './scenarios/latency';
import { recovery } from './scenarios/recovery';
import { scale } from './scenarios/scale';
import { startup } from './scenarios/startup';
import { consume, throughput } from './scenarios/throughput';

/**
 * `npm run bench [-- --quick] [-- --only=name,...] [-- --scale=F]` (names: startup, throughput,
 * consume, failover, latency, recovery, admin_scale, ui_scale; throughput includes consume):
 * every figure is a median over several runs with its spread, next to a baseline measured in
 * the same run, so it is also a ratio.
 * Prints a table and JSON, and writes bench-results.json.
 */
const quick = process.argv.includes('--quick');
const onlyArg = process.argv.find((arg) => arg.startsWith('--only='));
const scaleArg = process.argv.find((arg) => arg.startsWith('--scale='));
/** Fraction of the admin/UI scale to load (the full load takes many minutes). */
const scaleFraction = scaleArg === undefined ? (quick ? 0.01 : 1) : Number(scaleArg.slice('--scale='.length));
const only = onlyArg === undefined ? null : new Set(onlyArg.slice('--only='.length).split(','));
const wanted = (name: string) => only === null || only.has(name);

async function main(): Promise<void> {
  if (!fs.existsSync(path.join(root, 'dist/node/samsa.js'))) throw new Error('run `npm run build` first');
  if (!(scaleFraction > 0 && scaleFraction <= 1)) throw new Error(`--scale must be a fraction in (0, 1], got ${scaleArg}`);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-bench-'));
  const figures: Figure[] = [];
  try {
    /** Runs one scenario and adds to each of its figures the machine's idle and stolen CPU share meanwhile. */
    const measured = async (scenario: () => Promise<Figure[]>): Promise<void> => {
      const machine = startMachineShare();
      const results = await scenario();
      const share = machine.stop();
      for (const result of results) {
        figures.push(share === null ? result : { ...result, details: { ...result.details, 'machine idle %': share.idlePercent, 'machine steal %': share.stealPercent } });
      }
    };
    if (wanted('startup')) await measured(() => startup(work, quick ? 3 : 5));
    if (wanted('throughput')) await measured(() => throughput(work, quick ? 200_000 : 1_000_000, quick ? 3 : 5));
    // The consume figures alone, on the 1,000,000 stored records in quick mode too
    // (storing them once takes seconds; 200,000 records are consumed in a fifth of a second).
    else if (only?.has('consume') === true) await measured(() => consume(work, 1_000_000, quick ? 3 : 5));
    if (wanted('failover')) await measured(() => failover(work, quick ? 3 : 5));
    if (wanted('latency')) await measured(() => latency(work, quick ? 5 : 10, quick ? 1 : 3));
    // Quick mode fills a quarter of the 1 GiB so the whole quick run stays short.
    if (wanted('recovery')) await measured(() => recovery(work, quick ? 256 * 2 ** 20 : 2 ** 30, 3));
    if (wanted('admin_scale') || wanted('ui_scale')) await measured(() => scale(work, quick, scaleFraction, { admin: wanted('admin_scale'), ui: wanted('ui_scale') }));
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  const round = (n: number) => (Math.abs(n) >= 100 ? Math.round(n) : Number(n.toFixed(2)));
  console.table(
    figures.map((f) => ({
      figure: f.name,
      median: `${round(f.value.median)} ${f.unit}`,
      spread: `${(f.value.spread * 100).toFixed(0)}%`,
      baseline: `${f.baselineName}: ${round(f.baseline.median)}`,
      ratio: f.ratio.toFixed(2),
      details: f.details === undefined ? '' : Object.entries(f.details).map(([k, v]) => `${k}=${round(v)}`).join(' '),
    })),
  );
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const result = { date: new Date().toISOString(), machine: `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${cpu}`, quick, figures };
  fs.writeFileSync(path.join(root, 'bench-results.json'), JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result));
}

main().catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}\n`);
  process.exit(1);
});
