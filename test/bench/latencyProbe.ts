/**
 * Development aid, not a scenario: where an RF 3 acks=all latency tail comes from. Runs the
 * latency scenario's protocol-client workload (a 100-record batch every 10 ms, one Produce and
 * one long-polling Fetch connection to the leader) and splits each batch's end-to-end time
 * into the Produce round trip (append plus replication) and what the consumer's Fetch added
 * after the answer. Prints percentiles of both and the slowest batches with their neighbours,
 * which tells a stall (consecutive batches slow together) from a lone slow round trip.
 *
 *   npm run build && npx tsx test/bench/latencyProbe.ts [seconds] [rf] [idle partitions]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ApiKey } from '../../src/protocol/generated/apis';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../src/protocol/generated/createTopicsRequest';
import { defaultFetchRequest, defaultFetchRequestFetchPartition } from '../../src/protocol/generated/fetchRequest';
import { defaultProduceRequest } from '../../src/protocol/generated/produceRequest';
import { splitBatches } from '../../src/protocol/records/batchHeader';
import { encodeRecordBatch } from '../../src/protocol/records/recordBatch';
import { startCluster } from './cluster';
import { connect, leaderWithFullIsr } from './scenarios/latency';

const seconds = Number(process.argv[2] ?? 20);
const rf = Number(process.argv[3] ?? 3);
/** Idle RF 3 partitions beside the measured one, as __consumer_offsets' 50 are in the latency scenario. */
const idlePartitions = Number(process.argv[4] ?? 0);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));


interface Batch {
  sent: number;
  acked?: number;
  fetched?: number;
}

/** CPU time (user + system, ms) of each broker process, from /proc. */
async function clusterCpuMs(control: string): Promise<Map<number, number>> {
  const status = (await (await fetch(`${control}/v1/cluster`)).json()) as { brokers: { pid: number | null }[] };
  const ticks = new Map<number, number>();
  for (const { pid } of status.brokers) {
    if (pid === null) continue;
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    ticks.set(pid, (Number(fields[11]) + Number(fields[12])) * 10);
  }
  return ticks;
}

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!.toFixed(2);

async function main(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-probe-'));
  const cluster = await startCluster(work, 3);
  try {
    const admin = await connect(cluster.bootstrap.split(',')[0]!);
    const topic = 'probe';
    await admin.send(ApiKey.CreateTopics, { ...defaultCreateTopicsRequest(), topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: topic, numPartitions: 1, replicationFactor: rf }] });
    if (idlePartitions > 0) {
      await admin.send(ApiKey.CreateTopics, { ...defaultCreateTopicsRequest(), topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: 'idle', numPartitions: idlePartitions, replicationFactor: 3 }] });
    }
    const leader = await leaderWithFullIsr(admin, topic, rf);
    await admin.close();
    const [producer, consumer] = await Promise.all([connect(leader.address), connect(leader.address)]);
    const batches = new Map<bigint, Batch>();
    let nextBase = 0n;
    let fetchOffset = 0n;
    let consuming = true;
    const consumed = (async () => {
      while (consuming) {
        const response = await consumer.send(ApiKey.Fetch, {
          ...defaultFetchRequest(),
          maxWaitMs: 100,
          minBytes: 1,
          maxBytes: 1 << 20,
          topics: [{ topic, topicId: leader.topicId, partitions: [{ ...defaultFetchRequestFetchPartition(), partition: 0, fetchOffset, partitionMaxBytes: 1 << 20 }] }],
        });
        const now = performance.now();
        for (const batch of splitBatches(response.responses[0]?.partitions[0]?.records ?? Buffer.alloc(0)).batches) {
          const base = batch.readBigInt64BE(0);
          const entry = batches.get(base);
          if (entry !== undefined) entry.fetched = now;
          fetchOffset = base + BigInt(batch.readInt32BE(23) + 1);
        }
      }
    })();
    const cpuBefore = await clusterCpuMs(cluster.control);
    const values = Array.from({ length: 100 }, (_, i) => ({ value: Buffer.from(String(i).padStart(12, '0')) }));
    const sends: Promise<unknown>[] = [];
    const start = performance.now();
    let next = start;
    while (performance.now() < start + (seconds + 1) * 1000) {
      const records = await encodeRecordBatch({ records: values });
      const entry: Batch = { sent: performance.now() };
      if (entry.sent > start + 1000) batches.set(nextBase, entry);
      nextBase += 100n;
      sends.push(
        producer.send(ApiKey.Produce, { ...defaultProduceRequest(), acks: -1, timeoutMs: 10_000, topicData: [{ name: topic, partitionData: [{ index: 0, records }] }] }).then(() => {
          entry.acked = performance.now();
        }),
      );
      next += 10;
      await sleep(Math.max(0, next - performance.now()));
    }
    await Promise.all(sends);
    const cpuAfter = await clusterCpuMs(cluster.control);
    await sleep(500);
    consuming = false;
    await consumed;
    await Promise.all([producer.close(), consumer.close()]);

    const list = [...batches.values()];
    const total = list.map((b) => b.fetched! - b.sent).sort((a, b) => a - b);
    const roundTrip = list.map((b) => b.acked! - b.sent).sort((a, b) => a - b);
    const afterAck = list.map((b) => b.fetched! - b.acked!).sort((a, b) => a - b);
    console.log(`${list.length} batches, RF ${rf}, ${idlePartitions} idle partitions, load ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    for (const [name, sorted] of [['end to end', total], ['produce round trip', roundTrip], ['fetch after ack', afterAck]] as const) {
      console.log(`${name.padEnd(20)} p50 ${pct(sorted, 50)}  p90 ${pct(sorted, 90)}  p99 ${pct(sorted, 99)}  p999 ${pct(sorted, 99.9)}  max ${sorted.at(-1)!.toFixed(2)}`);
    }
    const cpu = [...cpuAfter].map(([pid, ms]) => ((ms - (cpuBefore.get(pid) ?? 0)) / (seconds + 1) / 100).toFixed(3));
    console.log(`CPU ms per batch (100 per s), by broker process: ${cpu.join(' ')}`);
    const windows = new Map<number, number[]>();
    for (const b of list) {
      const window = Math.floor((b.sent - start) / 5000);
      windows.set(window, [...(windows.get(window) ?? []), b.fetched! - b.sent]);
    }
    console.log(`end to end by 5 s window: ${[...windows.values()].map((w) => { const s = w.sort((a, b) => a - b); return `p50 ${pct(s, 50)} p99 ${pct(s, 99)}`; }).join(' | ')}`);
    const threshold = Number(pct(total, 99));
    console.log(`batches at or over p99 (${threshold} ms): time since start, end to end, round trip, previous batch's end to end`);
    list.forEach((b, i) => {
      const t = b.fetched! - b.sent;
      if (t >= threshold) console.log(`  ${((b.sent - start) / 1000).toFixed(3)} s  ${t.toFixed(2)}  ${(b.acked! - b.sent).toFixed(2)}  prev ${i > 0 ? (list[i - 1]!.fetched! - list[i - 1]!.sent).toFixed(2) : '-'}`);
    });
  } finally {
    await cluster.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
