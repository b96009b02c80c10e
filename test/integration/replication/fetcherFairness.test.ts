/**
 * A follower copying several partitions from one leader shares its fetches among them. Six
 * partitions of ~1.5 MB each move to a second broker with `samsa reassign --throttle`, so the
 * follower's fetcher has a little credit per fetch to hand out: it must give every partition
 * a turn rather than spend it all on the partition it lists first until that one is done
 * (Kafka's fetcher moves partitions that got data to the back of the next request). Checked on
 * the files of the new replicas while the copy runs.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { printClusterLogsOnFailure, segmentFiles, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

const PARTITIONS = 6;
const RECORDS_PER_PARTITION = 1500;
/** Bytes per second: the copy of ~9 MB takes several seconds, a few dozen fetches. */
const RATE = 1_500_000;

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 2 });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
  const kafka = new Kafka({ clientId: 'samsa-it-fairness', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({
    topics: [{ topic: 'wide', replicaAssignment: Array.from({ length: PARTITIONS }, (_, partition) => ({ partition, replicas: [1] })) }],
    waitForLeaders: true,
  });
  await admin.disconnect();
  const input = Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => `${String(i).padStart(6, '0')}${'x'.repeat(994)}\n`).join('');
  for (let partition = 0; partition < PARTITIONS; partition++) {
    expectSuccess(
      `kcat produce to wide-${partition}`,
      await kcat(cluster.bootstrap, ['-P', '-t', 'wide', '-p', String(partition), '-X', 'batch.size=65536', '-X', 'acks=all'], { input, timeoutMs: 60_000 }),
    );
  }
}, 120_000);

printClusterLogsOnFailure(() => cluster);

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

function logBytes(brokerId: number, partition: number): number {
  const dir = cluster.partitionDir(brokerId, 'wide', partition);
  if (!existsSync(dir)) return 0;
  return segmentFiles(dir).reduce((sum, file) => sum + statSync(file).size, 0);
}

describe('a follower copying many partitions from one leader', () => {
  it('gives every partition a share of its fetches instead of finishing them one by one', async () => {
    const leaderBytes = Array.from({ length: PARTITIONS }, (_, partition) => logBytes(1, partition));
    expect(Math.min(...leaderBytes)).toBeGreaterThan(1_400_000);
    const plan = join(cli.dataDir, 'wide-plan.json');
    writeFileSync(plan, JSON.stringify({ version: 1, partitions: Array.from({ length: PARTITIONS }, (_, partition) => ({ topic: 'wide', partition, replicas: [1, 2] })) }));
    const started = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', plan, '--throttle', String(RATE)]);
    expect(started.exitCode, started.stderr).toBe(0);

    // Sample the new replicas until the first of them has all of its leader's bytes.
    let copied: number[];
    const deadline = Date.now() + 90_000;
    for (;;) {
      copied = Array.from({ length: PARTITIONS }, (_, partition) => logBytes(2, partition));
      if (copied.some((bytes, partition) => bytes >= leaderBytes[partition]!)) break;
      if (Date.now() > deadline) throw new Error(`no partition finished copying: ${copied.join(', ')} of ${leaderBytes.join(', ')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    // Served one after the other, the rest would still be empty when the first is complete.
    expect(copied.every((bytes) => bytes > 0), `bytes copied per partition when the first was complete: ${copied.join(', ')}`).toBe(true);

    // And the copy completes: the throttle only spaces it out.
    const raised = await cli.run(['reassign', ...connection, '--execute', '--reassignment-json-file', plan, '--throttle', '1000000000']);
    expect(raised.exitCode, raised.stderr).toBe(0);
    for (let i = 0; ; i++) {
      const verify = await cli.run(['reassign', ...connection, '--verify', '--reassignment-json-file', plan]);
      if (verify.exitCode === 0) break;
      if (i > 300) throw new Error(`reassignment did not complete: ${verify.stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(Array.from({ length: PARTITIONS }, (_, partition) => logBytes(2, partition))).toEqual(leaderBytes);
  }, 180_000);
});
