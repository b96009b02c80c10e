import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectTestSession } from '../../helpers/adminSession';
import { CONFIG_SOURCES } from '../../../src/admin/topicConfigs';
import { minInsyncReplicasByTopic } from '../../../src/admin/minInsyncReplicas';
import { partitionsUnderMinIsr } from '../../../src/api/schemas/topics';
import { topicRowsOf } from '../../../src/app/topicRows';
import { describeTopic } from '../../../src/admin/topics';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatMetadata, kcatProduce, runPython } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// The admin CLI and service against a 3-broker embedded cluster in its own process, every read
// checked against clients that share no code with Samsa: kcat (librdkafka) and confluent-kafka.

interface PartitionJson {
  partition: number;
  minIsr: 'under' | 'at' | 'above';
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset: number;
  highWatermark: number;
  replicaLag: Record<string, number | null> | null;
  underReplicated: boolean;
}
interface TopicJson {
  name: string;
  minInsyncReplicas: number;
  partitions: PartitionJson[];
  configs: { name: string; value: string | null; source: string; readOnly: boolean }[];
}

const WATERMARKS = `
import json, sys
from confluent_kafka import Consumer, TopicPartition
p = json.load(sys.stdin)
c = Consumer({'bootstrap.servers': p['bootstrap'], 'group.id': 'samsa-it-watermarks'})
out = {}
for partition in range(p['partitions']):
    low, high = c.get_watermark_offsets(TopicPartition(p['topic'], partition), timeout=10)
    out[str(partition)] = [low, high]
c.close()
print(json.dumps(out))
`;

const TOPIC_CONFIGS = `
import json, sys
from confluent_kafka.admin import AdminClient, ConfigResource
p = json.load(sys.stdin)
admin = AdminClient({'bootstrap.servers': p['bootstrap']})
resource = ConfigResource('topic', p['topic'])
entries = admin.describe_configs([resource])[resource].result(timeout=15)
print(json.dumps({name: {'value': entry.value, 'source': entry.source, 'readOnly': entry.is_read_only} for name, entry in entries.items()}))
`;

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let bootstrap: string;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  bootstrap = cluster.bootstrap;
  cli = samsaCli();
});

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

const connection = () => ['--bootstrap-server', bootstrap];

describe('samsa topics', () => {
  it('create makes a topic that kcat sees with the asked partitions and replicas, and confluent-kafka sees its config override', async () => {
    const result = await cli.json<{ after: { partitions: number; replicationFactor: number } }>([
      'topics', 'create', ...connection(), '--topic', 'orders', '--partitions', '3', '--replication-factor', '2', '--config', 'retention.ms=3600000',
    ]);
    expect(result.after).toMatchObject({ partitions: 3, replicationFactor: 2 });

    const metadata = await kcatMetadata(bootstrap, 'orders');
    const topic = metadata.topics.find((entry) => entry.topic === 'orders')!;
    expect(topic.partitions).toHaveLength(3);
    const configs = await runPython<Record<string, { value: string; source: number }>>('describe configs', TOPIC_CONFIGS, { bootstrap, topic: 'orders' });
    expect(configs['retention.ms']!.value).toBe('3600000');
  });

  it('describe --json matches kcat -L -J (leaders, replicas, ISR) and confluent-kafka watermarks (log start, high watermark)', async () => {
    await kcatProduce(bootstrap, 'orders', [{ key: 'a', value: '1' }, { key: 'b', value: '2' }, { key: 'c', value: '3' }], ['-p', '0']);
    await kcatProduce(bootstrap, 'orders', [{ key: 'd', value: '4' }], ['-p', '2']);

    const [described] = await cli.json<TopicJson[]>(['topics', 'describe', ...connection(), '--topic', 'orders']);
    const kcat = (await kcat_L(bootstrap, 'orders')).topics.find((entry) => entry.topic === 'orders')!;
    const watermarks = await runPython<Record<string, [number, number]>>('watermarks', WATERMARKS, { bootstrap, topic: 'orders', partitions: 3 });

    expect(described!.partitions.map((partition) => partition.partition)).toEqual([0, 1, 2]);
    for (const partition of described!.partitions) {
      const theirs = kcat.partitions.find((entry) => entry.partition === partition.partition)!;
      expect(partition.leader).toBe(theirs.leader);
      expect(partition.replicas).toEqual(theirs.replicas.map((replica) => replica.id));
      expect([...partition.isr].sort()).toEqual(theirs.isrs.map((replica) => replica.id).sort());
      expect([partition.logStartOffset, partition.highWatermark]).toEqual(watermarks[String(partition.partition)]);
      expect(partition.offlineReplicas).toEqual([]);
      expect(partition.leaderEpoch).toBeGreaterThanOrEqual(0);
      expect(Object.keys(partition.replicaLag ?? {}).sort()).toEqual(partition.replicas.map(String).sort());
    }
    expect(described!.partitions[0]!.highWatermark).toBe(3);
    expect(described!.configs.find((entry) => entry.name === 'retention.ms')).toMatchObject({ value: '3600000', source: 'DYNAMIC_TOPIC_CONFIG' });
    expect(described!.configs.find((entry) => entry.name === 'cleanup.policy')).toMatchObject({ source: 'DEFAULT_CONFIG' });
  });

  it('describe shows every config with the value, source and read-only flag confluent-kafka reads', async () => {
    const [described] = await cli.json<TopicJson[]>(['topics', 'describe', ...connection(), '--topic', 'orders']);
    const theirs = await runPython<Record<string, { value: string; source: number; readOnly: boolean }>>('describe configs', TOPIC_CONFIGS, { bootstrap, topic: 'orders' });
    expect(described!.configs.map((entry) => entry.name)).toEqual(Object.keys(theirs).sort((a, b) => a.localeCompare(b)));
    for (const entry of described!.configs) {
      expect({ name: entry.name, value: entry.value, source: entry.source, readOnly: entry.readOnly }).toEqual({
        name: entry.name,
        value: theirs[entry.name]!.value,
        source: CONFIG_SOURCES[theirs[entry.name]!.source],
        readOnly: theirs[entry.name]!.readOnly,
      });
    }
  });

  it('the admin service used directly describes the topic exactly as the CLI prints it', async () => {
    const session = await connectTestSession(bootstrap);
    try {
      const fromService = await describeTopic(session, 'orders');
      const [fromCli] = await cli.json<TopicJson[]>(['topics', 'describe', ...connection(), '--topic', 'orders']);
      expect(JSON.parse(JSON.stringify(fromService))).toEqual(fromCli);
    } finally {
      await session.close();
    }
  });

  it('alter adds partitions and changes config overrides, each audited with before, after and its Kafka command', async () => {
    const results = await cli.json<{ kafkaCommand: string; before: unknown; after: unknown }[]>([
      'topics', 'alter', ...connection(), '--topic', 'orders', '--partitions', '5', '--config', 'cleanup.policy=compact,delete', '--delete-config', 'retention.ms',
    ]);
    expect(results.map((result) => result.after)).toEqual([{ partitions: 5 }, { 'cleanup.policy': 'compact,delete' }]);
    expect(results[1]!.before).toEqual({ 'retention.ms': '3600000' });

    expect((await kcatMetadata(bootstrap, 'orders')).topics.find((entry) => entry.topic === 'orders')!.partitions).toHaveLength(5);
    const configs = await runPython<Record<string, { value: string }>>('describe configs', TOPIC_CONFIGS, { bootstrap, topic: 'orders' });
    expect(configs['cleanup.policy']!.value).toBe('compact,delete');
    expect(configs['retention.ms']!.value).not.toBe('3600000');

    const audit = cli.auditLog().trim().split('\n').map((line) => JSON.parse(line) as { change: { kind: string }; outcome: string; user: string; cluster: string; kafkaCommand: string });
    expect(audit.map((entry) => entry.change.kind)).toEqual(['create-topic', 'add-partitions', 'alter-topic-configs']);
    expect(audit.every((entry) => entry.outcome === 'done' && entry.cluster === bootstrap && entry.user.length > 0)).toBe(true);
    expect(audit[2]!.kafkaCommand).toBe(
      `kafka-configs.sh --bootstrap-server ${bootstrap} --alter --entity-type topics --entity-name orders --add-config 'cleanup.policy=[compact,delete]' --delete-config retention.ms`,
    );
  });

  it('--print-command prints the equivalent Kafka command and changes nothing', async () => {
    const auditBefore = cli.auditLog();
    const result = await cli.run(['topics', 'delete', ...connection(), '--topic', 'orders', '--print-command']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe(`kafka-topics.sh --bootstrap-server ${bootstrap} --delete --topic orders\n`);
    expect((await kcatMetadata(bootstrap)).topics.map((entry) => entry.topic)).toContain('orders');
    expect(cli.auditLog()).toBe(auditBefore);
  });

  it('delete-records moves the log start up, which confluent-kafka sees, and refuses offsets beyond the high watermark', async () => {
    const result = await cli.json<{ before: Record<string, number>; after: Record<string, number> }>(['topics', 'delete-records', ...connection(), '--topic', 'orders', '--partition', '0', '--offset', '2']);
    expect(result).toMatchObject({ before: { 'orders-0': 0 }, after: { 'orders-0': 2 } });
    const watermarks = await runPython<Record<string, [number, number]>>('watermarks', WATERMARKS, { bootstrap, topic: 'orders', partitions: 1 });
    expect(watermarks['0']).toEqual([2, 3]);
    const refused = await cli.run(['topics', 'delete-records', ...connection(), '--topic', 'orders', '--partition', '0', '--offset', '4']);
    expect(refused).toMatchObject({ exitCode: 1, stdout: '', stderr: 'samsa: offset 4 is out of range for orders-0 (log start 2, high watermark 3)\n' });
  });

  it('list shows the topics kcat lists, and delete removes a topic for kcat', async () => {
    await cli.json(['topics', 'create', ...connection(), '--topic', 'doomed', '--partitions', '1']);
    const listed = await cli.json<{ name: string; partitions: number }[]>(['topics', 'list', ...connection(), '--exclude-internal']);
    const kcatTopics = (await kcatMetadata(bootstrap)).topics.map((entry) => entry.topic).filter((name) => !name.startsWith('__'));
    expect(listed.map((topic) => topic.name).sort()).toEqual(kcatTopics.sort());

    const human = await cli.run(['topics', 'delete', ...connection(), '--topic', 'doomed']);
    expect(human).toMatchObject({ exitCode: 0, stdout: 'Deleted topic doomed.\n' });
    const after = await kcatMetadata(bootstrap);
    expect(after.topics.map((entry) => entry.topic)).not.toContain('doomed');
  });
});

describe('samsa cluster describe and brokers describe', () => {
  it('show the brokers kcat sees, with the controller, and partitions and leaders per broker', async () => {
    const metadata = await kcatMetadata(bootstrap);
    const description = await cli.json<{ clusterId: string; controllerId: number; brokers: { id: number; host: string; port: number }[] }>(['cluster', 'describe', ...connection()]);
    expect(description.brokers.map((broker) => `${broker.host}:${broker.port}`)).toEqual(metadata.brokers.sort((a, b) => a.id - b.id).map((broker) => broker.name));
    expect(description.controllerId).toBe((metadata as unknown as { controllerid: number }).controllerid);

    const brokers = await cli.json<{ id: number; replicas: number; leaders: number }[]>(['brokers', 'describe', ...connection()]);
    const full = await kcat_L(bootstrap);
    for (const broker of brokers) {
      const partitions = full.topics.flatMap((topic) => topic.partitions);
      expect(broker.replicas).toBe(partitions.filter((partition) => partition.replicas.some((replica) => replica.id === broker.id)).length);
      expect(broker.leaders).toBe(partitions.filter((partition) => partition.leader === broker.id).length);
    }
  });
});

describe('samsa topics describe of every topic', () => {
  it('describing every topic at once gives each topic what describing it alone gives, and the list agrees on health', async () => {
    await cli.json(['topics', 'create', ...connection(), '--topic', 'payments', '--partitions', '4', '--replication-factor', '3', '--config', 'min.insync.replicas=4']);
    // More in-sync replicas required than the topic has: every partition is under min ISR (acks=1 can still write).
    await kcatProduce(bootstrap, 'payments', [{ key: 'x', value: '1' }, { key: 'y', value: '2' }], ['-p', '1', '-X', 'acks=1']);
    // Replica lag moves while followers catch up; the rest of a description must not differ.
    const withoutLag = (topic: TopicJson) => ({ ...topic, partitions: topic.partitions.map((partition) => ({ ...partition, replicaLag: Object.keys(partition.replicaLag ?? {}).sort() })) });
    const all = await cli.json<TopicJson[]>(['topics', 'describe', ...connection()]);
    expect(all.map((topic) => topic.name).sort()).toEqual(['orders', 'payments']);
    for (const topic of all) {
      const [alone] = await cli.json<TopicJson[]>(['topics', 'describe', ...connection(), '--topic', topic.name]);
      expect(withoutLag(topic)).toEqual(withoutLag(alone!));
    }
    const payments = all.find((topic) => topic.name === 'payments')!;
    expect(payments.minInsyncReplicas).toBe(4);
    expect(payments.partitions.map((partition) => partition.minIsr)).toEqual(['under', 'under', 'under', 'under']);
    expect(payments.partitions.map((partition) => partition.highWatermark)).toEqual([0, 2, 0, 0]);

    // The Topics page's rows (the app's topics.list: one Metadata read) and its Under min ISR
    // column (topics.minInsyncReplicas) count what describe shows.
    const session = await connectTestSession(bootstrap);
    try {
      const rows = topicRowsOf(await session.metadata());
      const required = await minInsyncReplicasByTopic(session, rows.map((row) => row.name));
      const underMinIsrOf = (name: string) => {
        const row = rows.find((entry) => entry.name === name)!;
        return partitionsUnderMinIsr(row.isrSizes, required.get(name)!);
      };
      for (const topic of all) {
        const underMinIsr = topic.partitions.filter((partition) => partition.isr.length < topic.minInsyncReplicas).length;
        const underReplicated = topic.partitions.filter((partition) => partition.underReplicated).length;
        expect(rows.find((entry) => entry.name === topic.name)).toMatchObject({ partitions: topic.partitions.length, underReplicatedPartitions: underReplicated });
        expect(underMinIsrOf(topic.name), topic.name).toBe(underMinIsr);
      }
      expect(underMinIsrOf('payments')).toBe(4);
    } finally {
      await session.close();
    }
  });
});

/** kcat -L -J with replicas and ISR, which the shared helper's type leaves out. */
async function kcat_L(bootstrapServers: string, topic?: string) {
  return (await kcatMetadata(bootstrapServers, topic)) as unknown as {
    topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
  };
}
