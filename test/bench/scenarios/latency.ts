import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { startCluster } from '../cluster';
import { figure, type Figure } from '../figure';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/**
 * End-to-end latency, produce to consume, at a fixed rate (10,000 records/s in 100-record
 * batches every 10 ms) with kafkajs, the app's own client. Measured RF 3 acks=all against
 * the same workload on RF 1 acks=1 in the same run.
 */
async function measure(bootstrap: string, topic: string, rf: number, acks: number, seconds: number): Promise<number[]> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'bench-latency', logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 1, replicationFactor: rf }] });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `latency-${topic}`, maxWaitTimeInMs: 100 });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  const latencies: number[] = [];
  await Promise.all([consumer.connect(), producer.connect()]);
  await consumer.subscribe({ topic, fromBeginning: true });
  let joined = false;
  consumer.on(consumer.events.GROUP_JOIN, () => {
    joined = true;
  });
  await consumer.run({
    eachBatch: async ({ batch }) => {
      const now = Date.now();
      for (const message of batch.messages) latencies.push(now - Number(message.value!.toString()));
    },
  });
  for (let i = 0; i < 200 && !joined; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  const sends: Promise<unknown>[] = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    const tick = Date.now();
    sends.push(producer.send({ topic, acks, messages: Array.from({ length: 100 }, () => ({ value: String(Date.now()) })) }));
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 10 - (Date.now() - tick))));
  }
  await Promise.all(sends);
  const expected = sends.length * 100;
  for (let i = 0; i < 200 && latencies.length < expected; i++) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.all([consumer.disconnect(), producer.disconnect()]);
  return latencies.sort((a, b) => a - b);
}

export async function latency(work: string, seconds: number): Promise<Figure[]> {
  const cluster = await startCluster(path.join(work, 'latency'), 3, ['--group-initial-rebalance-delay-ms', '0']);
  try {
    const replicated = await measure(cluster.bootstrap, 'latency-rf3', 3, -1, seconds);
    const single = await measure(cluster.bootstrap, 'latency-rf1', 1, 1, seconds);
    const details = (sorted: number[]) => ({ p50: percentile(sorted, 50), p99: percentile(sorted, 99), p999: percentile(sorted, 99.9), samples: sorted.length });
    return [
      figure('latency p99 RF3 acks=all @10k rec/s (kafkajs)', 'ms', [percentile(replicated, 99)], 'p99 RF1 acks=1, same rate', [percentile(single, 99)], {
        ...Object.fromEntries(Object.entries(details(replicated)).map(([k, v]) => [`rf3 ${k}`, v])),
        ...Object.fromEntries(Object.entries(details(single)).map(([k, v]) => [`rf1 ${k}`, v])),
      }),
    ];
  } finally {
    await cluster.stop();
  }
}
