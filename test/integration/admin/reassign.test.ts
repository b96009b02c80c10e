import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatConsumeAll, kcatMetadata, kcatProduce } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// Reassignment with kafka-reassign-partitions.sh's JSON files, and leader elections, checked
// against kcat's view of replicas and leaders.

interface Assignment {
  topic: string;
  partition: number;
  replicas: number[];
}

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
});

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

async function kcatPartition(topic: string, partition: number) {
  const metadata = (await kcatMetadata(cluster.bootstrap, topic)) as unknown as {
    topics: { topic: string; partitions: { partition: number; leader: number; replicas: { id: number }[]; isrs: { id: number }[] }[] }[];
  };
  const entry = metadata.topics.find((candidate) => candidate.topic === topic)!.partitions.find((candidate) => candidate.partition === partition)!;
  return { leader: entry.leader, replicas: entry.replicas.map((replica) => replica.id), isr: entry.isrs.map((replica) => replica.id).sort() };
}

function writeJson(name: string, value: unknown): string {
  const path = join(cli.dataDir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

describe('samsa reassign', () => {
  it('a generated plan over two brokers executes, --verify says complete, kcat sees the new replicas and the data is intact', async () => {
    await cli.json(['topics', 'create', ...connection, '--topic', 'spread', '--partitions', '4', '--replication-factor', '1']);
    for (const partition of [0, 1, 2, 3]) await kcatProduce(cluster.bootstrap, 'spread', [{ key: `k${partition}`, value: `v${partition}` }], ['-p', String(partition)]);

    const topicsFile = writeJson('topics.json', { version: 1, topics: [{ topic: 'spread' }] });
    const plan = await cli.json<{ current: Assignment[]; proposed: Assignment[]; replicasToMove: number }>(['reassign', ...connection, '--generate', '--topics-to-move-json-file', topicsFile, '--broker-list', '1,2']);
    expect(plan.proposed.flatMap((entry) => entry.replicas).every((id) => id === 1 || id === 2)).toBe(true);
    // Balanced: each of the two brokers gets two of the four replicas.
    expect(plan.proposed.filter((entry) => entry.replicas[0] === 1)).toHaveLength(2);
    // Minimal: replicas already on broker 1 or 2 stay there (up to each broker's share).
    const onThree = plan.current.filter((entry) => entry.replicas[0] === 3).length;
    expect(plan.replicasToMove).toBe(onThree);

    const planFile = writeJson('plan.json', { version: 1, partitions: plan.proposed });
    const started = await cli.json<{ before: Assignment[] }>(['reassign', ...connection, '--execute', '--reassignment-json-file', planFile]);
    expect(started.before).toEqual(plan.current);

    const verified = await waitFor(
      'the reassignment to complete',
      async () => {
        const result = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', planFile, '--json']);
        const rows = (JSON.parse(result.stdout) as { partitions: { status: string }[] }).partitions;
        return result.exitCode === 0 && rows.every((row) => row.status === 'complete') ? rows : undefined;
      },
      30_000,
      500,
    );
    expect(verified).toHaveLength(4);
    for (const entry of plan.proposed) expect((await kcatPartition('spread', entry.partition)).replicas).toEqual(entry.replicas);
    const consumed = await kcatConsumeAll(cluster.bootstrap, 'spread');
    expect(consumed.map((line) => `${line.partition}:${line.key}`).sort()).toEqual(['0:k0', '1:k1', '2:k2', '3:k3']);
  });

  it('--cancel of a reassignment stuck on a stopped broker restores the original replicas', async () => {
    await cli.json(['topics', 'create', ...connection, '--topic', 'stuck', '--partitions', '1', '--replication-factor', '1']);
    const original = await kcatPartition('stuck', 0);
    const target = [1, 2, 3].filter((id) => !original.replicas.includes(id));
    await cluster.brokerAction(target[1]!, 'stop');
    try {
      const planFile = writeJson('stuck.json', { version: 1, partitions: [{ topic: 'stuck', partition: 0, replicas: target }] });
      await cli.json(['reassign', ...connection, '--execute', '--reassignment-json-file', planFile]);
      const ongoing = await cli.json<{ topic: string; addingReplicas: number[]; removingReplicas: number[] }[]>(['reassign', ...connection, '--list']);
      expect(ongoing).toEqual([expect.objectContaining({ topic: 'stuck', addingReplicas: target, removingReplicas: original.replicas })]);
      const inProgress = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', planFile]);
      expect(inProgress.exitCode).toBe(2);
      expect(inProgress.stdout).toContain('in-progress');

      await cli.json(['reassign', ...connection, '--cancel', '--reassignment-json-file', planFile]);
      expect(await cli.json(['reassign', ...connection, '--list'])).toEqual([]);
      expect((await kcatPartition('stuck', 0)).replicas).toEqual(original.replicas);
      const kinds = cli.auditLog().trim().split('\n').map((line) => (JSON.parse(line) as { change: { kind: string } }).change.kind);
      expect(kinds.slice(-2)).toEqual(['reassign-partitions', 'cancel-reassignment']);
    } finally {
      await cluster.brokerAction(target[1]!, 'start');
    }
  });

  it('malformed or contradictory reassignment files are refused before anything is sent', async () => {
    const bad = writeJson('bad.json', { version: 1, partitions: [{ topic: 'spread', partition: 0, replicas: [1, 1] }] });
    const refused = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', bad]);
    expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
    expect(refused.stderr).toMatch(/bad.json partitions\[0\]: "replicas" lists a broker twice \(1,1\)/);
    const noAction = await cli.run(['reassign', ...connection]);
    expect(noAction.stderr).toMatch(/give exactly one of --generate, --execute, --verify, --cancel, --list/);
  });
});

describe('samsa leader-election', () => {
  it('a preferred election moves leadership back to the first replica after it restarts', async () => {
    await cli.json(['topics', 'create', ...connection, '--topic', 'elect', '--partitions', '1', '--replication-factor', '3']);
    const { replicas } = await kcatPartition('elect', 0);
    const preferred = replicas[0]!;
    await cluster.brokerAction(preferred, 'stop');
    await waitFor('a new leader', async () => ((await kcatPartition('elect', 0)).leader !== preferred ? true : undefined), 20_000, 250);
    await cluster.brokerAction(preferred, 'start');
    await waitFor('the preferred replica back in the ISR', async () => ((await kcatPartition('elect', 0)).isr.includes(preferred) ? true : undefined), 30_000, 250);
    expect((await kcatPartition('elect', 0)).leader).not.toBe(preferred);

    const results = await cli.json<{ topic: string; partition: number; outcome: string }[]>(['leader-election', ...connection, '--election-type', 'preferred', '--topic', 'elect', '--partition', '0']);
    expect(results).toEqual([{ topic: 'elect', partition: 0, outcome: 'elected', error: null }]);
    await waitFor('kcat to see the preferred leader', async () => ((await kcatPartition('elect', 0)).leader === preferred ? true : undefined), 10_000, 250);

    const again = await cli.json<{ outcome: string }[]>(['leader-election', ...connection, '--election-type', 'preferred', '--topic', 'elect', '--partition', '0']);
    expect(again.map((row) => row.outcome)).toEqual(['not-needed']);
  });
});
