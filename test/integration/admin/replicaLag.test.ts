import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultAction } from '../../helpers/clusterControl';
import { startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { kcatLeaderOf, kcatProduce } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// Per-replica lag, which no other Kafka GUI shows: it grows while a follower is cut off from
// its leader and returns to 0 once the follower is healed and has caught up.

interface PartitionJson {
  partition: number;
  isr: number[];
  replicaLag: Record<string, number | null>;
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

const lagOf = async (broker: number): Promise<number | null | undefined> => {
  const [topic] = await cli.json<{ partitions: PartitionJson[] }[]>(['topics', 'describe', ...connection, '--topic', 'mirrored']);
  return topic!.partitions[0]!.replicaLag[String(broker)];
};

describe('per-replica lag in topics describe', () => {
  it('grows while a follower is isolated and returns to 0 after heal', async () => {
    await cli.json(['topics', 'create', ...connection, '--topic', 'mirrored', '--partitions', '1', '--replication-factor', '3']);
    const leader = await kcatLeaderOf(cluster.bootstrap, 'mirrored', 0);
    const follower = [1, 2, 3].find((id) => id !== leader)!;
    expect(await lagOf(follower)).toBe(0);

    await faultAction(cluster, follower, 'isolate');
    const batch = Array.from({ length: 40 }, (_, index) => ({ key: `k${index}`, value: `v${index}` }));
    // acks=1: the leader acknowledges without waiting for the isolated follower.
    await kcatProduce(cluster.bootstrap, 'mirrored', batch, ['-p', '0', '-X', 'acks=1']);
    const first = await waitFor('lag on the isolated follower', async () => ((await lagOf(follower)) === 40 ? 40 : undefined), 15_000, 250);
    await kcatProduce(cluster.bootstrap, 'mirrored', batch, ['-p', '0', '-X', 'acks=1']);
    await waitFor('the lag to grow', async () => ((await lagOf(follower)) === first + 40 ? true : undefined), 15_000, 250);
    expect(await lagOf(leader)).toBe(0);

    await faultAction(cluster, follower, 'heal');
    await waitFor('the healed follower to catch up', async () => ((await lagOf(follower)) === 0 ? true : undefined), 30_000, 250);
  });
});
