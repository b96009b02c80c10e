/**
 * Dynamic broker configs (KIP-226) as kafka-configs.sh --entity-type brokers users know them:
 * the replication throttle rates set per broker and cluster-wide with kafka-python (an
 * independent client), read back on every broker with their source, kept across a restart
 * of the whole cluster, removed again; static settings and bad values refused.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { pythonAlterConfigs, pythonConfigs } from '../../helpers/kafkaPythonConfigs';
import { samsaCli } from '../../helpers/samsaCli';

const LEADER_RATE = 'leader.replication.throttled.rate';
const FOLLOWER_RATE = 'follower.replication.throttled.rate';
const DYNAMIC_BROKER = 2;
const DYNAMIC_DEFAULT_BROKER = 3;
const DEFAULT = 5;
const UNLIMITED = '9223372036854775807';

let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);
const dataDir = mkdtempSync(join(tmpdir(), 'samsa-dynamic-configs-'));

afterAll(async () => {
  await cluster?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

const broker = (id: number) => ({ type: 'broker' as const, name: String(id) });

async function rate(brokerId: number, name: string): Promise<{ value: string | null; source: number; readOnly: boolean }> {
  const entry = (await pythonConfigs(cluster!.bootstrap, broker(brokerId))).get(name);
  if (entry === undefined) throw new Error(`broker ${brokerId} does not describe ${name}`);
  return { value: entry.value, source: entry.source, readOnly: entry.readOnly };
}

describe('dynamic broker configs', () => {
  it('sets the throttle rates per broker and cluster-wide, shows them on every broker, keeps them across a restart and removes them', async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 3, dataDir });
    const { bootstrap } = cluster;

    expect(await rate(2, LEADER_RATE)).toEqual({ value: UNLIMITED, source: DEFAULT, readOnly: false });
    expect(await pythonAlterConfigs(bootstrap, broker(2), { [LEADER_RATE]: '5000' })).toEqual({ errorCode: 0, errorMessage: null });
    expect(await pythonAlterConfigs(bootstrap, { type: 'broker', name: '' }, { [FOLLOWER_RATE]: '7000' })).toEqual({ errorCode: 0, errorMessage: null });

    // Broker 2's own value; the cluster-wide value reaches every broker.
    expect(await rate(2, LEADER_RATE)).toEqual({ value: '5000', source: DYNAMIC_BROKER, readOnly: false });
    for (const id of [1, 3]) expect(await rate(id, LEADER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
    for (const id of [1, 2, 3]) expect(await rate(id, FOLLOWER_RATE)).toMatchObject({ value: '7000', source: DYNAMIC_DEFAULT_BROKER });

    await cluster.stop();
    cluster = await startEmbeddedCluster({ brokers: 3, dataDir });
    expect(await rate(2, LEADER_RATE)).toMatchObject({ value: '5000', source: DYNAMIC_BROKER });
    for (const id of [1, 2, 3]) expect(await rate(id, FOLLOWER_RATE)).toMatchObject({ value: '7000', source: DYNAMIC_DEFAULT_BROKER });

    // AlterConfigs replaces a resource's whole set: an empty set deletes what was there.
    expect((await pythonAlterConfigs(cluster.bootstrap, broker(2), {})).errorCode).toBe(0);
    expect((await pythonAlterConfigs(cluster.bootstrap, { type: 'broker', name: '' }, {})).errorCode).toBe(0);
    for (const id of [1, 2, 3]) {
      expect(await rate(id, LEADER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
      expect(await rate(id, FOLLOWER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
    }
  }, 120_000);

  it('refuses static broker settings and invalid rates, changing nothing', async () => {
    const { bootstrap } = cluster!;
    const staticSetting = await pythonAlterConfigs(bootstrap, broker(1), { 'num.partitions': '8' });
    expect(staticSetting.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(staticSetting.errorMessage).toMatch(/Cannot update these configs dynamically: num\.partitions/);
    expect((await pythonConfigs(bootstrap, broker(1))).get('num.partitions')).toMatchObject({ value: '1', readOnly: true });

    for (const bad of ['-5', 'fast', '1.5']) {
      const refused = await pythonAlterConfigs(bootstrap, broker(1), { [LEADER_RATE]: bad });
      expect(refused.errorCode, `rate ${bad}`).toBe(ErrorCode.INVALID_CONFIG);
      expect(refused.errorMessage).toContain(LEADER_RATE);
    }
    const badName = await pythonAlterConfigs(bootstrap, { type: 'broker', name: 'one' }, { [LEADER_RATE]: '100' });
    expect(badName.errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(await rate(1, LEADER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
  }, 60_000);

  it('samsa brokers configs / alter show and change them as kafka-configs.sh --entity-type brokers does', async () => {
    const { bootstrap } = cluster!;
    const cli = samsaCli();
    const connection = ['--bootstrap-server', bootstrap];
    try {
      await cli.json(['brokers', 'alter', ...connection, '--broker', '3', '--config', `${LEADER_RATE}=1234`]);
      await cli.json(['brokers', 'alter', ...connection, '--entity-default', '--config', `${FOLLOWER_RATE}=99`]);
      expect(await rate(3, LEADER_RATE)).toMatchObject({ value: '1234', source: DYNAMIC_BROKER });
      const described = await cli.json<{ name: string; value: string; source: string }[]>(['brokers', 'configs', ...connection, '--broker', '3']);
      expect(described.find((entry) => entry.name === LEADER_RATE)).toMatchObject({ value: '1234', source: 'DYNAMIC_BROKER_CONFIG' });
      expect(described.find((entry) => entry.name === FOLLOWER_RATE)).toMatchObject({ value: '99', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG' });
      expect(described.find((entry) => entry.name === 'num.partitions')).toMatchObject({ source: 'STATIC_BROKER_CONFIG', readOnly: true });
      expect(await cli.json(['brokers', 'configs', ...connection, '--entity-default'])).toEqual([
        { name: FOLLOWER_RATE, value: '99', source: 'DYNAMIC_DEFAULT_BROKER_CONFIG', readOnly: false, sensitive: false },
      ]);

      const refused = await cli.run(['brokers', 'alter', ...connection, '--broker', '3', '--config', 'num.partitions=2']);
      expect(refused).toMatchObject({ exitCode: 1, stdout: '' });
      expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      expect(refused.stderr).toContain('Cannot update these configs dynamically: num.partitions');

      await cli.json(['brokers', 'alter', ...connection, '--broker', '3', '--delete-config', LEADER_RATE]);
      await cli.json(['brokers', 'alter', ...connection, '--entity-default', '--delete-config', FOLLOWER_RATE]);
      expect(await rate(3, LEADER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
      expect(await rate(3, FOLLOWER_RATE)).toMatchObject({ value: UNLIMITED, source: DEFAULT });
      const kinds = cli.auditLog().trim().split('\n').map((line) => JSON.parse(line) as { change: { kind: string }; outcome: string; kafkaCommand: string });
      expect(kinds.map((entry) => `${entry.change.kind} ${entry.outcome}`)).toEqual([
        'alter-broker-configs done',
        'alter-broker-configs done',
        'alter-broker-configs failed',
        'alter-broker-configs done',
        'alter-broker-configs done',
      ]);
      expect(kinds[0]!.kafkaCommand).toBe(`kafka-configs.sh --bootstrap-server ${bootstrap} --alter --entity-type brokers --entity-name 3 --add-config ${LEADER_RATE}=1234`);
    } finally {
      cli.cleanUp();
    }
  }, 90_000);
});
