import fs from 'node:fs';
import path from 'node:path';
import { startCluster, type BenchCluster } from '../cluster';
import { figure, type Figure } from '../figure';
import { consumeKcat, type KcatConsume, payloadFile, produceArgs, timeKcat } from '../kcat';
import { startMemoryBroker } from '../memoryBroker';
import { startNullBroker } from '../nullBroker';
import { summarize } from '../stats';

const median = (samples: number[]) => summarize(samples).median;

function segmentFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((n) => n.endsWith('.log'))
    .sort()
    .map((n) => path.join(dir, n));
}

async function readSegments(dir: string): Promise<number> {
  const started = process.hrtime.bigint();
  for (const file of segmentFiles(dir)) {
    for await (const _chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
      // Reading is the whole measurement.
    }
  }
  return Number(process.hrtime.bigint() - started) / 1e9;
}

/** Rates of repeated consumes of one stored partition, by kcat from the engine and from its baselines. */
interface ConsumeSamples {
  /** kcat from the engine, over its fetches (records/s). */
  kcat: number[];
  /** The same kcat runs, process start to exit. */
  kcatWall: number[];
  kcatFetches: number[];
  /** kcat from the same bytes served from memory (records/s, over its fetches). */
  memory: number[];
  /** The segment files read with a Node stream. */
  stream: number[];
}

const emptySamples = (): ConsumeSamples => ({ kcat: [], kcatWall: [], kcatFetches: [], memory: [], stream: [] });

/**
 * One round of each consume measurement of `topic` (partition 0, offsets 0 to `endOffset`)
 * on the one-broker cluster: kcat from the engine, kcat from the same bytes in memory, and the
 * segment files through a Node stream.
 */
async function measureConsume(single: BenchCluster, topic: string, endOffset: number, samples: ConsumeSamples): Promise<void> {
  const engine = await consumeKcat(single.bootstrap, topic, endOffset);
  samples.kcat.push(endOffset / engine.fetchSeconds);
  samples.kcatWall.push(endOffset / engine.wallSeconds);
  samples.kcatFetches.push(engine.fetches);
  const dir = path.join(single.dataDir, 'broker-1', `${topic}-0`);
  const memoryBroker = await startMemoryBroker(topic, Buffer.concat(segmentFiles(dir).map((file) => fs.readFileSync(file))));
  try {
    const fromMemory = await consumeKcat(`127.0.0.1:${memoryBroker.port}`, topic, endOffset);
    samples.memory.push(endOffset / fromMemory.fetchSeconds);
    const seconds = (run: KcatConsume) => `fetches ${run.fetchSeconds.toFixed(3)} s (${run.fetches}), startup ${run.startupSeconds.toFixed(3)} s, wall ${run.wallSeconds.toFixed(3)} s`;
    process.stderr.write(`bench: kcat from the engine: ${seconds(engine)}; from memory: ${seconds(fromMemory)}\n`);
  } finally {
    await memoryBroker.close();
  }
  samples.stream.push(endOffset / (await readSegments(dir)));
}

function consumeFigures(size: number, samples: ConsumeSamples): Figure[] {
  const kcat = median(samples.kcat);
  const details = {
    'MB/s': (kcat * size) / 1e6,
    'wall rec/s': median(samples.kcatWall),
    'fetches': median(samples.kcatFetches),
  };
  return [
    figure(`consume ${size}B (kcat)`, 'records/s', samples.kcat, 'segment files via Node stream', samples.stream, details),
    figure(`consume ${size}B (kcat), engine share`, 'records/s', samples.kcat, 'kcat from the same bytes in memory', samples.memory),
  ];
}

/**
 * kcat (librdkafka) produce and consume throughput: RF 1 acks=1 against a null broker that
 * stores nothing (the cost of the engine itself), RF 3 acks=all with idempotence against RF 1
 * (the cost of replication), and consume against reading the same segment bytes from disk
 * and against kcat fetching the same bytes from memory (the client's own limit).
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
      const consume = emptySamples();
      for (let run = 0; run < runs; run++) {
        const topic = `bench-${size}-${run}`;
        // Create the topics first (one record): the timed runs measure throughput, not creation.
        await timeKcat(['-P', '-b', single.bootstrap, '-t', topic, '-p', '0', '-l', warmup]);
        await timeKcat(['-P', '-b', triple.bootstrap, '-t', topic, '-p', '0', '-l', warmup, '-X', 'acks=all']);
        nullRates.push(records / (await timeKcat(produceArgs(`127.0.0.1:${nullBroker.port}`, topic, file, ['-X', 'acks=1']))));
        rf1.push(records / (await timeKcat(produceArgs(single.bootstrap, topic, file, ['-X', 'acks=1']))));
        rf3.push(records / (await timeKcat(produceArgs(triple.bootstrap, topic, file, ['-X', 'acks=all', '-X', 'enable.idempotence=true']))));
        await measureConsume(single, topic, records + 1, consume);
        process.stderr.write(`bench: throughput ${size} B run ${run + 1}/${runs}\n`);
      }
      const mb = (rates: number[]) => ({ 'MB/s': (median(rates) * size) / 1e6 });
      figures.push(figure(`produce_rf1 ${size}B (kcat, acks=1)`, 'records/s', rf1, 'null broker (same client, nothing stored)', nullRates, mb(rf1)));
      figures.push(figure(`produce_rf3_acks_all ${size}B (kcat, idempotent)`, 'records/s', rf3, `produce_rf1 ${size}B`, rf1, mb(rf3)));
      figures.push(...consumeFigures(size, consume));
    }
  } finally {
    await Promise.all([single.stop(), triple.stop(), nullBroker.close()]);
  }
  return figures;
}

/**
 * The consume figures alone (`--only=consume`): `records` records stored once per size on a
 * one-broker cluster, then consumed `runs` times, each run alternating kcat from the engine,
 * kcat from memory and the Node stream.
 */
export async function consume(work: string, records: number, runs: number): Promise<Figure[]> {
  const figures: Figure[] = [];
  const single = await startCluster(path.join(work, 'consume'), 1);
  try {
    for (const size of [100, 1024]) {
      const topic = `consume-${size}`;
      await timeKcat(['-P', '-b', single.bootstrap, '-t', topic, '-p', '0', '-l', payloadFile(work, size, 1, 'warmup')]);
      await timeKcat(produceArgs(single.bootstrap, topic, payloadFile(work, size, records), ['-X', 'acks=1']));
      const samples = emptySamples();
      for (let run = 0; run < runs; run++) {
        await measureConsume(single, topic, records + 1, samples);
        process.stderr.write(`bench: consume ${size} B run ${run + 1}/${runs}\n`);
      }
      figures.push(...consumeFigures(size, samples));
    }
  } finally {
    await single.stop();
  }
  return figures;
}
