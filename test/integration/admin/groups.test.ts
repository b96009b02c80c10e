import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatProduce, runPython } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// Consumer groups: offsets committed by kafka-python (an independent client) are what
// `samsa groups describe` shows, and what `reset-offsets --execute` writes is what kafka-python
// reads back. A group with a live kafkajs consumer refuses a reset.

const { Kafka, logLevel } = kafkajs;

/** Commits `offsets` for the group (when given) and prints committed() for every partition. */
const KAFKA_PYTHON_OFFSETS = `
import json, sys
from kafka import KafkaConsumer, TopicPartition
from kafka.structs import OffsetAndMetadata
p = json.load(sys.stdin)
c = KafkaConsumer(bootstrap_servers=p['bootstrap'].split(','), group_id=p['group'], enable_auto_commit=False, request_timeout_ms=15000)
if p.get('offsets'):
    c.commit({TopicPartition(p['topic'], int(k)): OffsetAndMetadata(v, None) for k, v in p['offsets'].items()})
print(json.dumps({str(partition): c.committed(TopicPartition(p['topic'], partition)) for partition in range(p['partitions'])}))
c.close()
`;

interface OffsetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  logEndOffset: number;
  lag: number | null;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

interface PlanRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  newOffset: number;
  messagesReread: number | null;
  messagesSkipped: number | null;
}

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

// kafka-python joins no group here (it never polls), so reading does not disturb live members.
const committedByKafkaPython = (group: string, offsets?: Record<string, number>) =>
  runPython<Record<string, number | null>>('kafka-python offsets', KAFKA_PYTHON_OFFSETS, { bootstrap: cluster.bootstrap, group, topic: 'payments', partitions: 3, offsets });

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
  await cli.json(['topics', 'create', ...connection, '--topic', 'payments', '--partitions', '3']);
  for (const partition of [0, 1, 2]) {
    const records = Array.from({ length: 10 * (partition + 1) }, (_, index) => ({ key: `k${index}`, value: `v${index}` }));
    await kcatProduce(cluster.bootstrap, 'payments', records, ['-p', String(partition)]);
  }
});

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

describe('samsa groups', () => {
  it('describe shows the offsets kafka-python committed, the log end offsets and the lag', async () => {
    expect(await committedByKafkaPython('billing', { 0: 4, 1: 20, 2: 0 })).toEqual({ 0: 4, 1: 20, 2: 0 });

    const rows = await cli.json<OffsetRow[]>(['groups', 'describe', ...connection, '--group', 'billing']);
    expect(rows).toEqual([
      { group: 'billing', topic: 'payments', partition: 0, currentOffset: 4, logEndOffset: 10, lag: 6, consumerId: null, host: null, clientId: null },
      { group: 'billing', topic: 'payments', partition: 1, currentOffset: 20, logEndOffset: 20, lag: 0, consumerId: null, host: null, clientId: null },
      { group: 'billing', topic: 'payments', partition: 2, currentOffset: 0, logEndOffset: 30, lag: 30, consumerId: null, host: null, clientId: null },
    ]);
    const list = await cli.json<{ group: string; state: string }[]>(['groups', 'list', ...connection]);
    expect(list).toContainEqual(expect.objectContaining({ group: 'billing', state: 'Empty' }));
  });

  it('reset-offsets --dry-run (the default) prints the plan and changes nothing', async () => {
    const auditBefore = cli.auditLog();
    const dryRun = await cli.json<{ executed: boolean; plan: PlanRow[]; kafkaCommand: string }>(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--topic', 'payments:0,2', '--shift-by', '-3']);
    expect(dryRun.executed).toBe(false);
    expect(dryRun.plan.map((row) => [row.partition, row.currentOffset, row.newOffset, row.messagesReread, row.messagesSkipped])).toEqual([
      [0, 4, 1, 3, 0],
      [2, 0, 0, 0, 0],
    ]);
    expect(dryRun.kafkaCommand).toBe(`kafka-consumer-groups.sh --bootstrap-server ${cluster.bootstrap} --group billing --reset-offsets --shift-by -3 --topic payments:0,2 --dry-run`);
    expect(await committedByKafkaPython('billing')).toEqual({ 0: 4, 1: 20, 2: 0 });
    expect(cli.auditLog()).toBe(auditBefore);
  });

  it('reset-offsets --execute commits the plan, which kafka-python then reads, and the audit log keeps the old offsets', async () => {
    const executed = await cli.json<{ executed: boolean; plan: PlanRow[] }>(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--all-topics', '--to-offset', '15', '--execute']);
    expect(executed.executed).toBe(true);
    // Clamped to each partition's log end: partition 0 ends at 10.
    expect(executed.plan.map((row) => row.newOffset)).toEqual([10, 15, 15]);
    expect(await committedByKafkaPython('billing')).toEqual({ 0: 10, 1: 15, 2: 15 });

    const entry = JSON.parse(cli.auditLog().trim().split('\n').at(-1)!) as { change: { kind: string }; before: unknown; after: unknown };
    expect(entry.change.kind).toBe('reset-offsets');
    expect(entry.before).toEqual({ 'payments-0': 4, 'payments-1': 20, 'payments-2': 0 });
    expect(entry.after).toEqual({ 'payments-0': 10, 'payments-1': 15, 'payments-2': 15 });
  });

  it('--export writes Kafka\'s CSV, which --from-file applies', async () => {
    const exported = await cli.run(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--topic', 'payments', '--to-earliest', '--export']);
    expect(exported).toMatchObject({ exitCode: 0, stdout: 'payments,0,0\npayments,1,0\npayments,2,0\n' });
    const file = join(cli.dataDir, 'plan.csv');
    writeFileSync(file, 'payments,1,7\npayments,2,8\n');
    await cli.json(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--from-file', file, '--execute']);
    expect(await committedByKafkaPython('billing')).toEqual({ 0: 10, 1: 7, 2: 8 });
  });

  it('time-based resets go to the first offset at or after the time', async () => {
    const future = new Date(Date.now() + 3_600_000).toISOString();
    const toFuture = await cli.json<{ plan: PlanRow[] }>(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--topic', 'payments', '--to-datetime', future]);
    expect(toFuture.plan.map((row) => row.newOffset)).toEqual([10, 20, 30]);
    const lastDay = await cli.json<{ plan: PlanRow[] }>(['groups', 'reset-offsets', ...connection, '--group', 'billing', '--topic', 'payments', '--by-duration', 'P1D']);
    expect(lastDay.plan.map((row) => row.newOffset)).toEqual([0, 0, 0]);
  });

  it('a reset of a group with an active kafkajs consumer is refused, naming the member, and changes nothing', async () => {
    const kafka = new Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'busy-worker', logLevel: logLevel.NOTHING });
    const consumer = kafka.consumer({ groupId: 'busy', sessionTimeout: 10_000 });
    await consumer.connect();
    try {
      await consumer.subscribe({ topic: 'payments', fromBeginning: true });
      await consumer.run({ eachMessage: async () => undefined });
      const rows = await waitFor('the kafkajs consumer to own partitions', async () => {
        const described = await cli.json<OffsetRow[]>(['groups', 'describe', ...connection, '--group', 'busy']).catch(() => []);
        return described.length === 3 && described.every((row) => row.clientId === 'busy-worker') ? described : undefined;
      }, 30_000, 250);
      expect(rows.every((row) => row.consumerId !== null)).toBe(true);

      const before = await committedByKafkaPython('busy');
      const refused = await cli.run(['groups', 'reset-offsets', ...connection, '--group', 'busy', '--all-topics', '--to-earliest', '--execute']);
      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toMatch(/group "busy" is Stable with 1 active member: busy-worker \(.+\); stop them before resetting its offsets/);
      expect(await committedByKafkaPython('busy')).toEqual(before);
    } finally {
      await consumer.disconnect();
    }
  });

  it('delete-offsets forgets a partition\'s offset and delete removes the group', async () => {
    await cli.json(['groups', 'delete-offsets', ...connection, '--group', 'billing', '--topic', 'payments:2']);
    expect(await committedByKafkaPython('billing')).toEqual({ 0: 10, 1: 7, 2: null });

    const deleted = await cli.run(['groups', 'delete', ...connection, '--group', 'billing']);
    expect(deleted).toMatchObject({ exitCode: 0, stdout: 'Deleted group billing.\n' });
    expect(await committedByKafkaPython('billing')).toEqual({ 0: null, 1: null, 2: null });
    const missing = await cli.run(['groups', 'describe', ...connection, '--group', 'billing']);
    expect(missing).toMatchObject({ exitCode: 1, stdout: '', stderr: 'samsa: consumer group "billing" does not exist\n' });
  });
});
