import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Kafka } from 'kafkajs';
import { expect } from 'vitest';
import type { ConsumedLine } from './externalClients';
import { runPython } from './externalClients';

/**
 * Producers that keep writing numbered records while a test injects faults, and the
 * Jepsen-style check of what they were told against what a consumer reads back
 * (kafka-semantics.md section 6): every acknowledged record is there, offsets strictly
 * increase, and with idempotence nothing appears twice.
 */

export interface ProduceReport {
  /** Values whose send the client reported as successful (acknowledged). */
  acknowledged: string[];
  /** Values whose send the client reported as failed, with the error it gave. */
  failed: { value: string; error: string }[];
}

export interface RunningProducer {
  /** Values sent so far (acknowledged or not yet known). */
  sent(): number;
  /** Stops sending, waits for outstanding sends to settle, and reports. */
  stop(): Promise<ProduceReport>;
}

/**
 * confluent-kafka (librdkafka) producer in /usr/bin/python3. It sends `${prefix}-<n>` every
 * `intervalMs` until told to stop (a stop file appears) or a bound is hit, then flushes
 * and prints which values were delivered and which failed.
 */
const CONFLUENT_PRODUCER = `
import json, os, sys, time
from confluent_kafka import Producer
params = json.load(sys.stdin)
conf = {
    'bootstrap.servers': params['bootstrap'],
    'acks': params['acks'],
    'enable.idempotence': params['idempotent'],
    'linger.ms': 5,
    'message.timeout.ms': params['messageTimeoutMs'],
    'retry.backoff.ms': 50,
    'reconnect.backoff.ms': 50,
    'reconnect.backoff.max.ms': 500,
    'topic.metadata.refresh.interval.ms': 1000,
}
if not params['idempotent']:
    conf['retries'] = 1000000
producer = Producer(conf)
acked, failed = [], []
def delivered(err, msg):
    value = msg.value().decode()
    if err is None:
        acked.append(value)
    else:
        failed.append({'value': value, 'error': str(err)})
deadline = time.time() + params['maxSeconds']
sent = 0
while sent < params['maxMessages'] and time.time() < deadline and not os.path.exists(params['stopFile']):
    value = '%s-%d' % (params['prefix'], sent)
    while True:
        try:
            producer.produce(params['topic'], key=value.encode(), value=value.encode(), on_delivery=delivered)
            break
        except BufferError:
            producer.poll(0.05)
    sent += 1
    with open(params['progressFile'], 'w') as progress:
        progress.write(str(sent))
    producer.poll(0)
    time.sleep(params['intervalMs'] / 1000.0)
remaining = producer.flush(params['flushSeconds'])
print(json.dumps({'acknowledged': acked, 'failed': failed, 'unflushed': remaining}))
`;

export function startConfluentProducer(options: {
  bootstrap: string;
  topic: string;
  prefix: string;
  idempotent: boolean;
  acks?: 'all' | '1';
  intervalMs?: number;
  maxMessages?: number;
  maxSeconds?: number;
}): RunningProducer {
  const dir = mkdtempSync(join(tmpdir(), 'samsa-it-producer-'));
  const stopFile = join(dir, 'stop');
  const progressFile = join(dir, 'progress');
  const flushSeconds = 40;
  const maxSeconds = options.maxSeconds ?? 90;
  const run = runPython<ProduceReport & { unflushed: number }>(
    `confluent-kafka producer on ${options.topic}`,
    CONFLUENT_PRODUCER,
    {
      bootstrap: options.bootstrap,
      topic: options.topic,
      prefix: options.prefix,
      idempotent: options.idempotent,
      acks: options.acks ?? 'all',
      intervalMs: options.intervalMs ?? 10,
      maxMessages: options.maxMessages ?? 5_000,
      maxSeconds,
      messageTimeoutMs: 30_000,
      flushSeconds,
      stopFile,
      progressFile,
    },
    (maxSeconds + flushSeconds + 10) * 1000,
  );
  // Keep an early crash from surfacing as an unhandled rejection before stop() awaits it.
  run.catch(() => undefined);
  return {
    sent: () => {
      try {
        return Number(readFileSync(progressFile, 'utf8')) || 0;
      } catch {
        return 0;
      }
    },
    async stop() {
      writeFileSync(stopFile, '');
      try {
        const report = await run;
        expect(report.unflushed, 'records the producer could not deliver or fail within its flush').toBe(0);
        return { acknowledged: report.acknowledged, failed: report.failed };
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * kafkajs producer sending one record per request, `${prefix}-<n>`, until stopped (bounded
 * in count and time). kafkajs retries retriable errors (NOT_LEADER, NOT_ENOUGH_REPLICAS,
 * lost connections) itself; a send it finally gives up on counts as failed.
 */
export function startKafkajsProducer(kafka: Kafka, options: { topic: string; prefix: string; acks: -1 | 1; idempotent?: boolean; maxMessages?: number; maxMs?: number; pauseMs?: number }): RunningProducer {
  const report: ProduceReport = { acknowledged: [], failed: [] };
  const producer = kafka.producer({
    allowAutoTopicCreation: false,
    idempotent: options.idempotent ?? false,
    maxInFlightRequests: options.idempotent ? 1 : undefined,
    retry: { retries: 40, initialRetryTime: 100, maxRetryTime: 500 },
  });
  let stopping = false;
  let sent = 0;
  const loop = (async () => {
    await producer.connect();
    const deadline = Date.now() + (options.maxMs ?? 90_000);
    while (!stopping && sent < (options.maxMessages ?? 5_000) && Date.now() < deadline) {
      const value = `${options.prefix}-${sent++}`;
      try {
        await producer.send({ topic: options.topic, acks: options.acks, timeout: 10_000, messages: [{ key: value, value }] });
        report.acknowledged.push(value);
      } catch (error) {
        report.failed.push({ value, error: error instanceof Error ? error.message : String(error) });
      }
      if (options.pauseMs) await new Promise((resolve) => setTimeout(resolve, options.pauseMs));
    }
  })();
  loop.catch(() => undefined);
  return {
    sent: () => sent,
    async stop() {
      stopping = true;
      try {
        await loop;
      } finally {
        await producer.disconnect().catch(() => undefined);
      }
      return report;
    },
  };
}

/**
 * The pass criteria on a topic partition read from the beginning: offsets strictly
 * increase, every acknowledged value is present, and (with idempotence) no value appears
 * twice. Values not acknowledged may or may not be there (their fate was unknown).
 */
export function expectDelivered(consumed: readonly ConsumedLine[], report: ProduceReport, options: { idempotent: boolean; prefix: string }): void {
  for (let i = 1; i < consumed.length; i++) {
    if (consumed[i]!.partition === consumed[i - 1]!.partition && consumed[i]!.offset <= consumed[i - 1]!.offset) {
      throw new Error(`offsets not strictly increasing at ${consumed[i - 1]!.offset} -> ${consumed[i]!.offset}`);
    }
  }
  const mine = consumed.filter((line) => line.value.startsWith(`${options.prefix}-`));
  const seen = new Map<string, number>();
  for (const line of mine) seen.set(line.value, (seen.get(line.value) ?? 0) + 1);
  const missing = report.acknowledged.filter((value) => !seen.has(value));
  expect(missing, `acknowledged but not consumed (of ${report.acknowledged.length} acknowledged)`).toEqual([]);
  if (options.idempotent) {
    const duplicates = [...seen.entries()].filter(([, count]) => count > 1).map(([value]) => value);
    expect(duplicates, 'duplicates written by an idempotent producer').toEqual([]);
  }
}
