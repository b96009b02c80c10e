import { spawn } from 'node:child_process';
import { Kafka, logLevel, type Consumer } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { KCAT, SYSTEM_PYTHON, kcatProduce, runProcess } from '../../helpers/externalClients';

let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);

describe('consumer groups with several members, real clients', () => {
  let kafka: Kafka;

  beforeAll(async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 2, extraArgs: ['--group-initial-rebalance-delay-ms', '200'] });
    kafka = new Kafka({ brokers: cluster.bootstrap.split(','), clientId: 'groups-test', logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: 'shared', numPartitions: 6 }, { topic: 'kcat-shared', numPartitions: 4 }, { topic: 'manual', numPartitions: 1 }] });
    await admin.disconnect();
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it('gives each partition to exactly one kafkajs member, and hands a leaving member’s partitions to the others', async () => {
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic: 'shared', messages: Array.from({ length: 60 }, (_, i) => ({ key: `k${i}`, value: `m${i}` })) });
    const seen = new Map<string, number>();
    const members: Consumer[] = [];
    for (let i = 0; i < 3; i++) {
      const consumer = kafka.consumer({ groupId: 'three-members', sessionTimeout: 10_000, heartbeatInterval: 500 });
      await consumer.connect();
      await consumer.subscribe({ topic: 'shared', fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void seen.set(message.value!.toString(), (seen.get(message.value!.toString()) ?? 0) + 1) });
      members.push(consumer);
    }
    const admin = kafka.admin();
    await admin.connect();
    await waitFor('three members in a stable group', async () => {
      const group = (await admin.describeGroups(['three-members'])).groups[0]!;
      return group.state === 'Stable' && group.members.length === 3 ? group : undefined;
    }, 30_000, 200);
    await waitFor('all 60 messages consumed', () => (seen.size === 60 ? true : undefined), 30_000, 100);
    const owners = await ownersOf(admin, 'three-members');
    expect(owners.size).toBe(6);
    expect(new Set(owners.values()).size).toBe(3);

    await members[0]!.disconnect();
    await waitFor('two members after one left', async () => {
      const group = (await admin.describeGroups(['three-members'])).groups[0]!;
      return group.state === 'Stable' && group.members.length === 2 ? true : undefined;
    }, 30_000, 200);
    const after = await ownersOf(admin, 'three-members');
    expect(after.size).toBe(6);
    expect(new Set(after.values()).size).toBe(2);

    await producer.send({ topic: 'shared', messages: Array.from({ length: 30 }, (_, i) => ({ value: `late${i}` })) });
    await waitFor('the remaining members consume every partition', () => (seen.size === 90 ? true : undefined), 30_000, 100);
    await Promise.all([members[1]!.disconnect(), members[2]!.disconnect(), producer.disconnect()]);
    await admin.disconnect();
  });

  it('balances a topic between two kcat (librdkafka) group members', async () => {
    await kcatProduce(cluster!.bootstrap, 'kcat-shared', Array.from({ length: 40 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const runMember = () => {
      const child = spawn(KCAT, ['-b', cluster!.bootstrap, '-G', 'kcat-group', 'kcat-shared', '-o', 'beginning', '-q', '-u', '-f', '%p %s\\n'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      return { child, lines: () => output.trim().split('\n').filter(Boolean) };
    };
    const first = runMember();
    const second = runMember();
    try {
      await waitFor('both kcat members to read all 40 records', () => (first.lines().length + second.lines().length >= 40 ? true : undefined), 45_000, 200);
      const partitionsOf = (lines: string[]) => new Set(lines.map((line) => line.split(' ')[0]));
      const all = [...first.lines(), ...second.lines()].map((line) => line.split(' ')[1]);
      expect(new Set(all).size).toBe(40);
      // Two members of one group never read the same partition.
      const overlap = [...partitionsOf(first.lines())].filter((p) => partitionsOf(second.lines()).has(p));
      expect(overlap).toEqual([]);
    } finally {
      first.child.kill();
      second.child.kill();
    }
  });

  it('resumes a kafka-python consumer from the offsets it committed by hand', async () => {
    await kcatProduce(cluster!.bootstrap, 'manual', Array.from({ length: 10 }, (_, i) => ({ key: `k${i}`, value: `v${i}` })));
    const script = (take: number) =>
      [
        'from kafka import KafkaConsumer',
        `c = KafkaConsumer('manual', bootstrap_servers=${JSON.stringify(cluster!.bootstrap.split(','))}, group_id='py-manual', auto_offset_reset='earliest', enable_auto_commit=False, consumer_timeout_ms=8000)`,
        'values = []',
        'for m in c:',
        '    values.append(m.value.decode())',
        `    if len(values) == ${take}:`,
        '        break',
        'c.commit()',
        "print(','.join(values))",
        'c.close()',
      ].join('\n');
    const firstRun = await runProcess(SYSTEM_PYTHON, ['-c', script(4)], { timeoutMs: 40_000 });
    expect(firstRun.stdout.trim(), firstRun.stderr).toBe('v0,v1,v2,v3');
    const secondRun = await runProcess(SYSTEM_PYTHON, ['-c', script(6)], { timeoutMs: 40_000 });
    expect(secondRun.stdout.trim(), secondRun.stderr).toBe('v4,v5,v6,v7,v8,v9');
  });
});

/** partition -> member id, from DescribeGroups' assignments (consumer protocol, decoded by kafkajs's AssignerProtocol). */
async function ownersOf(admin: ReturnType<Kafka['admin']>, groupId: string): Promise<Map<number, string>> {
  const { AssignerProtocol } = await import('kafkajs');
  const group = (await admin.describeGroups([groupId])).groups[0]!;
  const owners = new Map<number, string>();
  for (const member of group.members) {
    const assignment = AssignerProtocol.MemberAssignment.decode(member.memberAssignment as Buffer);
    for (const partition of assignment?.assignment['shared'] ?? []) {
      expect(owners.has(partition)).toBe(false);
      owners.set(partition, member.memberId);
    }
  }
  return owners;
}
