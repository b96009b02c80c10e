import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { brokerAction, startCluster, type BenchCluster } from '../cluster';
import { figure, type Figure } from '../figure';
import { payloadFile, produceArgs, timeKcat } from '../kcat';

const TOPIC = 'recovery';
const RECORD_BYTES = 1024;
/** Records per kcat run while filling; the log grows by repeating the same file. */
const FILL_RECORDS = 100_000;

async function timed(action: () => Promise<void>): Promise<number> {
  const started = process.hrtime.bigint();
  await action();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** The partition's log end offset as a client sees it (kcat -Q, latest offset). */
function logEndOffset(cluster: BenchCluster): number {
  const output = execFileSync('kcat', ['-Q', '-b', cluster.bootstrap, '-t', `${TOPIC}:0:-1`], { encoding: 'utf8' });
  const match = /offset (\d+)/.exec(output);
  if (match === null) throw new Error(`kcat -Q answered: ${output}`);
  return Number(match[1]);
}

/**
 * Time to ready after kill -9 of a broker holding `logBytes` of log in one partition (one
 * segment at the default segment.bytes of 1 GiB: the active segment a crash leaves
 * unflushed), from the start request to the broker serving again. The baseline is the same
 * broker restarted after a clean shutdown, on the same log, in the same run.
 */
export async function recovery(work: string, logBytes: number, runs: number): Promise<Figure[]> {
  const cluster = await startCluster(path.join(work, 'recovery'), 1);
  const crashed: number[] = [];
  const clean: number[] = [];
  let records = 0;
  try {
    const file = payloadFile(work, RECORD_BYTES, FILL_RECORDS, 'recovery');
    while (records * RECORD_BYTES < logBytes) {
      await timeKcat(produceArgs(cluster.bootstrap, TOPIC, file, ['-X', 'acks=1']));
      records += FILL_RECORDS;
    }
    const partitionDir = path.join(cluster.dataDir, 'broker-1', `${TOPIC}-0`);
    const onDisk = fs.readdirSync(partitionDir).filter((name) => name.endsWith('.log')).reduce((total, name) => total + fs.statSync(path.join(partitionDir, name)).size, 0);
    for (let run = 0; run < runs; run++) {
      await brokerAction(cluster, 1, 'stop');
      clean.push(await timed(() => brokerAction(cluster, 1, 'start')));
      await brokerAction(cluster, 1, 'kill');
      crashed.push(await timed(() => brokerAction(cluster, 1, 'start')));
      // Recovery that loses or invents records is no recovery: every record is still there.
      const end = logEndOffset(cluster);
      if (end !== records) throw new Error(`after recovery the log ends at ${end}, expected ${records}`);
      process.stderr.write(`bench: recovery run ${run + 1}/${runs}\n`);
    }
    return [
      figure(`recovery after kill -9, ${(onDisk / 2 ** 20).toFixed(0)} MiB log (to ready)`, 'ms', crashed, 'clean restart, same log', clean, { 'log MiB': onDisk / 2 ** 20, records }),
    ];
  } finally {
    await cluster.stop();
  }
}
