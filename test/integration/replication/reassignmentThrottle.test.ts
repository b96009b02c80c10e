/**
 * `samsa reassign --execute --throttle` (KIP-73, kafka-reassign-partitions.sh --throttle) on a
 * 3-broker cluster of separate processes: a partition holding a few MB moves to a new broker
 * at 50 KB/s. While throttled, the bytes the new replica has copied stay within
 * rate × elapsed + one fetch, the move is still running, and acks=all produce to an
 * unthrottled partition works; --verify leaves the throttle while it runs; re-executing with
 * a high throttle lets it finish; --verify then removes the throttle configs, as kafka-python
 * sees them. Bad --throttle values are refused without changing anything.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, segmentFiles, startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat, kcatConsumeAll, kcatMetadata } from '../../helpers/externalClients';
import { pythonConfigs } from '../../helpers/kafkaPythonConfigs';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

const RATE = 50_000;
/** The most one follower fetch returns for a partition (the replica fetcher's partition max bytes). */
const ONE_FETCH = 1 << 20;
const RECORDS = 4000;
const UNLIMITED = '9223372036854775807';
const DYNAMIC_BROKER = 2;
const DYNAMIC_TOPIC = 1;
const DEFAULT = 5;

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: ['--replica-lag-time-max-ms', '5000'] });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
  const kafka = new Kafka({ clientId: 'samsa-it-throttle', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [
      { topic: 'heavy', replicaAssignment: [{ partition: 0, replicas: [1] }] },
      { topic: 'busy', numPartitions: 3, replicationFactor: 3 },
    ],
    waitForLeaders: true,
  });
  await admin.disconnect();
  // ~4 MB in 64 KB batches.
  const input = Array.from({ length: RECORDS }, (_, i) => `k${i}:${String(i).padStart(6, '0')}${'x'.repeat(994)}\n`).join('');
  expectSuccess('kcat produce to heavy', await kcat(cluster.bootstrap, ['-P', '-t', 'heavy', '-p', '0', '-K:', '-X', 'batch.size=65536', '-X', 'acks=all'], { input, timeoutMs: 60_000 }));
}, 90_000);

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

function copiedBytes(brokerId: number): number {
  const dir = cluster.partitionDir(brokerId, 'heavy', 0);
  if (!existsSync(dir)) return 0;
  return segmentFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
}

function planFile(replicas: number[]): string {
  const path = join(cli.dataDir, 'heavy-plan.json');
  writeFileSync(path, JSON.stringify({ version: 1, partitions: [{ topic: 'heavy', partition: 0, replicas }] }));
  return path;
}

async function throttleConfigs() {
  const heavy = await pythonConfigs(cluster.bootstrap, { type: 'topic', name: 'heavy' });
  const rates = async (id: number) => {
    const configs = await pythonConfigs(cluster.bootstrap, { type: 'broker', name: String(id) });
    return {
      leader: { value: configs.get('leader.replication.throttled.rate')?.value, source: configs.get('leader.replication.throttled.rate')?.source },
      follower: { value: configs.get('follower.replication.throttled.rate')?.value, source: configs.get('follower.replication.throttled.rate')?.source },
    };
  };
  const pick = (name: string) => ({ value: heavy.get(name)?.value, source: heavy.get(name)?.source });
  return {
    leaderReplicas: pick('leader.replication.throttled.replicas'),
    followerReplicas: pick('follower.replication.throttled.replicas'),
    broker1: await rates(1),
    broker2: await rates(2),
    broker3: await rates(3),
  };
}

const rateEntry = (value: number) => ({ value: String(value), source: DYNAMIC_BROKER });
const unlimited = { value: UNLIMITED, source: DEFAULT };

describe('reassign --throttle', () => {
  it('paces the copy to the new broker, keeps it while in progress, changes it on re-execute and is removed by --verify once complete', async () => {
    const plan = planFile([2]);
    const startedAt = Date.now();
    const started = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', plan, '--throttle', String(RATE)]);
    expect(started.exitCode, started.stderr).toBe(0);
    expect(started.stdout).toContain(`The throttle limit was set to ${RATE} B/s`);

    // The copy progresses, and at every look it is within what the rate allows so far.
    const samples: { elapsedMs: number; bytes: number }[] = [];
    await waitFor(
      'the new replica to copy 150 KB under the throttle',
      () => {
        const bytes = copiedBytes(2);
        samples.push({ elapsedMs: Date.now() - startedAt, bytes });
        return bytes >= 150_000 ? true : undefined;
      },
      60_000,
      200,
    );
    const overLimit = samples.filter((sample) => sample.bytes > (RATE * sample.elapsedMs) / 1000 + ONE_FETCH);
    expect(overLimit, `samples: ${JSON.stringify(samples)}`).toEqual([]);
    // As kafka-reassign-partitions.sh sets it: the rates on the old and new replicas' brokers,
    // the current replica as throttled leader and the added one as throttled follower.
    expect(await throttleConfigs()).toEqual({
      leaderReplicas: { value: '0:1', source: DYNAMIC_TOPIC },
      followerReplicas: { value: '0:2', source: DYNAMIC_TOPIC },
      broker1: { leader: rateEntry(RATE), follower: rateEntry(RATE) },
      broker2: { leader: rateEntry(RATE), follower: rateEntry(RATE) },
      broker3: { leader: unlimited, follower: unlimited },
    });

    const total = statSync(segmentFiles(cluster.partitionDir(1, 'heavy', 0))[0]!).size;
    expect(total).toBeGreaterThan(3_500_000);
    expect(await cli.json(['reassign', ...connection, '--list'])).toEqual([{ topic: 'heavy', partition: 0, replicas: [2, 1], addingReplicas: [2], removingReplicas: [1] }]);

    // In-sync replicas are never throttled: acks=all produce to a replicated topic works.
    const busy = Array.from({ length: 200 }, (_, i) => `b${i}:busy-${i}\n`).join('');
    expectSuccess('acks=all produce to busy', await kcat(cluster.bootstrap, ['-P', '-t', 'busy', '-K:', '-X', 'acks=all'], { input: busy }));
    expect(await kcatConsumeAll(cluster.bootstrap, 'busy')).toHaveLength(200);

    const inProgress = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', plan]);
    expect(inProgress.exitCode).toBe(2);
    expect(inProgress.stdout).toContain('in-progress');
    expect(inProgress.stdout).not.toContain('Throttle was removed');
    expect((await throttleConfigs()).broker2.follower).toEqual(rateEntry(RATE));
    expect(copiedBytes(2)).toBeLessThanOrEqual((RATE * (Date.now() - startedAt)) / 1000 + ONE_FETCH);

    // Re-executing while it runs changes the rate, as Kafka's tool allows.
    const faster = 100_000_000;
    const again = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', plan, '--throttle', String(faster)]);
    expect(again.exitCode, again.stderr).toBe(0);
    const raised = await throttleConfigs();
    expect([raised.broker1.leader, raised.broker2.follower]).toEqual([rateEntry(faster), rateEntry(faster)]);
    expect(raised.leaderReplicas.value).toBe('0:1');
    expect(raised.followerReplicas.value).toBe('0:2');

    const completed = await waitFor(
      'the reassignment to complete',
      async () => {
        const result = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', plan]);
        return result.exitCode === 0 ? result : undefined;
      },
      60_000,
      500,
    );
    expect(completed.stdout).toContain('complete');
    expect(completed.stdout).toContain('Throttle was removed.');
    expect(await throttleConfigs()).toEqual({
      leaderReplicas: { value: '', source: DEFAULT },
      followerReplicas: { value: '', source: DEFAULT },
      broker1: { leader: unlimited, follower: unlimited },
      broker2: { leader: unlimited, follower: unlimited },
      broker3: { leader: unlimited, follower: unlimited },
    });
    const verifiedAgain = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', plan]);
    expect(verifiedAgain.exitCode).toBe(0);
    expect(verifiedAgain.stdout).not.toContain('Throttle was removed');

    const metadata = await kcatMetadata(cluster.bootstrap, 'heavy');
    expect((metadata.topics[0]!.partitions as unknown as { replicas: { id: number }[] }[])[0]!.replicas.map((r) => r.id)).toEqual([2]);
    const records = await kcatConsumeAll(cluster.bootstrap, 'heavy');
    expect(records).toHaveLength(RECORDS);
    expect(records.map((record) => record.offset)).toEqual(Array.from({ length: RECORDS }, (_, i) => i));

    const audit = cli.auditLog().trim().split('\n').map((line) => JSON.parse(line) as { change: { kind: string; throttleBytesPerSec?: number }; kafkaCommand: string });
    expect(audit.map((entry) => [entry.change.kind, entry.change.throttleBytesPerSec])).toEqual([
      ['reassign-partitions', RATE],
      ['reassign-partitions', faster],
      ['remove-reassignment-throttle', undefined],
    ]);
    expect(audit[0]!.kafkaCommand).toContain(`--execute --throttle ${RATE}`);
  }, 180_000);

  it('refuses a --throttle that is not a positive whole number in one line, changing nothing', async () => {
    const plan = planFile([3]);
    for (const bad of ['abc', '-5', '0', '1.5']) {
      const refused = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', plan, '--throttle', bad]);
      expect(refused.exitCode, `--throttle ${bad}`).toBe(1);
      expect(refused.stdout).toBe('');
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('--throttle takes a whole number of bytes per second');
    }
    const withVerify = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', plan, '--throttle', '1000']);
    expect(withVerify).toMatchObject({ exitCode: 1, stdout: '' });
    expect(withVerify.stderr).toContain('--throttle only goes with --execute');
    expect(await cli.json(['reassign', ...connection, '--list'])).toEqual([]);
    const configs = await throttleConfigs();
    expect(configs.broker3).toEqual({ leader: unlimited, follower: unlimited });
    expect(configs.followerReplicas).toEqual({ value: '', source: DEFAULT });
  }, 60_000);
});
