import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';

/**
 * Independent clients for the e2e tests: kcat (librdkafka) and kafkajs read and write the
 * embedded cluster directly, so what the UI shows is checked against what Kafka clients see.
 */
const { Kafka, logLevel } = kafkajs;
const run = promisify(execFile);

export interface KcatTopic {
  topic: string;
  partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[];
}

/** `kcat -L -J`: the cluster's metadata as librdkafka sees it. */
export async function kcatMetadata(bootstrap: string): Promise<{ brokers: { id: number }[]; topics: KcatTopic[] }> {
  const { stdout } = await run('kcat', ['-b', bootstrap, '-L', '-J', '-m', '10'], { timeout: 20_000 });
  return JSON.parse(stdout) as { brokers: { id: number }[]; topics: KcatTopic[] };
}

function client(bootstrap: string, clientId: string) {
  return new Kafka({ brokers: bootstrap.split(','), clientId, logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });
}

/** Produces `count` messages to each listed partition with acks=all, then disconnects. */
export async function produce(bootstrap: string, topic: string, perPartition: Record<number, number>): Promise<void> {
  const producer = client(bootstrap, 'e2e-producer').producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const [partition, count] of Object.entries(perPartition)) {
      await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, index) => ({ partition: Number(partition), key: `k${index}`, value: `message ${index} of partition ${partition}` })),
      });
    }
  } finally {
    await producer.disconnect();
  }
}

/**
 * Runs a consumer in `group` until it has committed `expected` messages of `topic` in total,
 * then leaves the group, so its committed offsets stay behind as the group's position.
 */
export async function consumeAndCommit(bootstrap: string, group: string, topic: string, expected: number, timeoutMs = 60_000): Promise<void> {
  const kafka = client(bootstrap, 'e2e-consumer');
  const consumer = kafka.consumer({ groupId: group, sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  const admin = kafka.admin();
  await Promise.all([consumer.connect(), admin.connect()]);
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    await consumer.run({ autoCommitInterval: 200, eachMessage: async () => {} });
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      const committed = (offsets?.partitions ?? []).reduce((sum, entry) => sum + Math.max(0, Number(entry.offset)), 0);
      if (committed >= expected) return;
      if (Date.now() > deadline) throw new Error(`group ${group} committed ${committed} of ${expected} messages within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  } finally {
    await consumer.disconnect();
    await admin.disconnect();
  }
}

/**
 * Commits offsets for many groups that never join (OffsetCommit of an empty group, as
 * kafka-python's commit() does without a subscription), all from one kafka-python process:
 * how tests make dozens of groups with known lag fast.
 */
const KAFKA_PYTHON_COMMIT_MANY = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
p = json.load(sys.stdin)
for commit in p['commits']:
    c = KafkaConsumer(bootstrap_servers=p['bootstrap'].split(','), group_id=commit['group'], enable_auto_commit=False, api_version=(2, 5, 0), request_timeout_ms=15000)
    c.commit({TopicPartition(commit['topic'], int(k)): OffsetAndMetadata(v, None) for k, v in commit['offsets'].items()})
    c.close()
`;

export async function commitGroupOffsets(bootstrap: string, commits: readonly { group: string; topic: string; offsets: Record<number, number> }[]): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const child = execFile('/usr/bin/python3', ['-c', KAFKA_PYTHON_COMMIT_MANY], { timeout: 120_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`kafka-python commits failed: ${error.message}\n${stderr}`)) : resolve(),
    );
    child.stdin!.end(JSON.stringify({ bootstrap, commits }));
  });
}
