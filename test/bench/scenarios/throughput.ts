import fs from 'node:fs';
import path from 'node:path';
import { startCluster } from '../cluster';
import { figure, type Figure } from '../figure';
import { payloadFile, produceArgs, timeKcat } from '../kcat';
import { startNullBroker } from '../nullBroker';

async function readSegments(dir: string): Promise<number> {
  const started = process.hrtime.bigint();
  for (const name of fs.readdirSync(dir).filter((n) => n.endsWith('.log')).sort()) {
    for await (const _chunk of fs.createReadStream(path.join(dir, name), { highWaterMark: 1 << 20 })) {
      // Reading is the whole measurement.
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/**
 * kcat (librdkafka) produce and consume throughput: RF 1 acks=1 against a null broker that
 * stores nothing (the cost of the engine itself), RF 3 acks=all with idempotence against RF 1
 * (the cost of replication), and consume against reading the same segment bytes from disk.
 */
export async function throughput(work: string, records: number, runs: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  const nullBroker = await startNullBroker(1);
  const single = await startCluster(path.join(work, 'rf1'), 1);
  const triple = await startCluster(path.join(work, 'rf3'), 3, ['--default-replication-factor', '3', '--config', 'min.insync.replicas=2']);
  try {
    for (const size of [100, 1024]) {
      const file = payloadFile(work, size, records);
      const warmup = payloadFile(work, size, 1, 'warmup');
      const nullRates: number[] = [];
      const rf1: number[] = [];
      const rf3: number[] = [];
      const consume: number[] = [];
      const streamRead: number[] = [];
      for (let run = 0; run < runs; run++) {
        const topic = `bench-${size}-${run}`;
        // Create the topics first (one record): the timed runs measure throughput, not creation.
        await timeKcat(['-P', '-b', single.bootstrap, '-t', topic, '-p', '0', '-l', warmup]);
        await timeKcat(['-P', '-b', triple.bootstrap, '-t', topic, '-p', '0', '-l', warmup, '-X', 'acks=all']);
        nullRates.push(records / (await timeKcat(produceArgs(`127.0.0.1:${nullBroker.port}`, topic, file, ['-X', 'acks=1']))));
        rf1.push(records / (await timeKcat(produceArgs(single.bootstrap, topic, file, ['-X', 'acks=1']))));
        rf3.push(records / (await timeKcat(produceArgs(triple.bootstrap, topic, file, ['-X', 'acks=all', '-X', 'enable.idempotence=true']))));
        // -e stops at the first empty fetch, which waits fetch.wait.max.ms (500 ms by default):
        // a fixed cost of detecting the end, not throughput, so keep it short.
        consume.push((records + 1) / (await timeKcat(['-C', '-b', single.bootstrap, '-t', topic, '-p', '0', '-o', 'beginning', '-e', '-q', '-X', 'fetch.wait.max.ms=20', '-f', '%o\n'])));
        streamRead.push((records + 1) / (await readSegments(path.join(single.dataDir, 'broker-1', `${topic}-0`))));
        process.stderr.write(`bench: throughput ${size} B run ${run + 1}/${runs}\n`);
      }
      const mb = (rates: number[]) => ({ 'MB/s': (rates.slice().sort((a, b) => a - b)[Math.floor(rates.length / 2)]! * size) / 1e6 });
      figures.push(figure(`produce_rf1 ${size}B (kcat, acks=1)`, 'records/s', rf1, 'null broker (same client, nothing stored)', nullRates, mb(rf1)));
      figures.push(figure(`produce_rf3_acks_all ${size}B (kcat, idempotent)`, 'records/s', rf3, `produce_rf1 ${size}B`, rf1, mb(rf3)));
      figures.push(figure(`consume ${size}B (kcat)`, 'records/s', consume, 'segment files via Node stream', streamRead, mb(consume)));
    }
  } finally {
    await Promise.all([single.stop(), triple.stop(), nullBroker.close()]);
  }
  return figures;
}
