import { AdminSession } from '../../../src/admin/adminSession';
import { totalLagOfGroups } from '../../../src/admin/groupLag';
import { listGroups } from '../../../src/admin/groups';
import { minInsyncReplicasByTopic } from '../../../src/admin/minInsyncReplicas';
import { describeTopics } from '../../../src/admin/topics';
import { topicRowsOf } from '../../../src/app/topicRows';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { figure, type Figure } from '../figure';
import type { LoadedCluster } from '../scaleCluster';

async function timed(operation: () => Promise<unknown>): Promise<number> {
  const started = process.hrtime.bigint();
  await operation();
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/**
 * admin_scale (issue 8): on the loaded cluster, through the admin service (src/admin) as the
 * app and the CLI use it, with one session kept open as the app keeps it, after a warm-up:
 * (a) the Topics page's two reads, its rows from one Metadata read (with ISR sizes) and
 * min.insync.replicas of every topic (its Under min ISR column, and the Overview's), and
 * every topic described with partitions, offsets, replica lag and configs (`samsa topics describe`);
 * (b) every group listed with its total lag (the Groups page, `samsa groups list`). The
 * floor, measured in the same run, is one raw Metadata request for all topics on our
 * protocol client: every admin read needs at least that.
 */
export async function adminScale(loaded: LoadedCluster, runs: number): Promise<Figure[]> {
  const { cluster, spec } = loaded;
  const bootstrapServers = cluster.bootstrap.split(',');
  const session = await AdminSession.connect({
    settings: { bootstrapServers, securityProtocol: 'PLAINTEXT', clientId: 'bench-admin-scale', connectTimeoutMs: 5_000, requestTimeoutMs: 60_000 },
    audit: null,
    operationTimeoutMs: 300_000,
  });
  const [host, port] = bootstrapServers[0]!.split(':');
  const raw = new KafkaConnection({ host: host!, port: Number(port), clientId: 'bench-admin-scale-raw', requestTimeoutMs: 60_000 });
  await raw.connect();
  await raw.negotiate();
  const metadataFloor = () => raw.send(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: null, allowAutoTopicCreation: false });
  const topicRows = async () => {
    const rows = topicRowsOf(await session.metadata());
    if (rows.length < spec.topics) throw new Error(`the topics list has ${rows.length} topics, expected ${spec.topics}`);
    return rows;
  };
  const minIsrOfEveryTopic = async () => {
    const names = (await topicRows()).map((topic) => topic.name);
    const minIsr = await minInsyncReplicasByTopic(session, names);
    if (minIsr.size !== names.length) throw new Error(`min.insync.replicas of ${minIsr.size} topics, expected ${names.length}`);
  };
  const topicDescriptions = async () => {
    const names = (await topicRows()).filter((topic) => !topic.internal).map((topic) => topic.name);
    const described = await describeTopics(session, names);
    const partitions = described.reduce((total, topic) => total + topic.partitions.length, 0);
    if (partitions !== spec.topics * spec.partitionsPerTopic) throw new Error(`described ${partitions} partitions, expected ${spec.topics * spec.partitionsPerTopic}`);
  };
  const groupsWithLag = async () => {
    const groups = await listGroups(session);
    const lag = await totalLagOfGroups(
      session,
      groups.map((group) => group.group),
    );
    const lagging = [...lag.values()].filter((value) => value > 0).length;
    if (lagging < spec.groups) throw new Error(`${lagging} groups have lag, expected ${spec.groups}`);
  };
  const samples = { floor: [] as number[], rows: [] as number[], minIsr: [] as number[], describe: [] as number[], groups: [] as number[] };
  try {
    // Warm-up: connections, kafkajs's coordinator cache and the JIT, as in an app that is running.
    await metadataFloor();
    await topicRows();
    await groupsWithLag();
    for (let run = 0; run < runs; run++) {
      samples.floor.push(await timed(metadataFloor));
      samples.rows.push(await timed(topicRows));
      samples.minIsr.push(await timed(minIsrOfEveryTopic));
      samples.describe.push(await timed(topicDescriptions));
      samples.groups.push(await timed(groupsWithLag));
      process.stderr.write(`bench: admin_scale run ${run + 1}/${runs}\n`);
    }
  } finally {
    await raw.close();
    await session.close();
  }
  const scale = `${spec.topics} topics/${spec.topics * spec.partitionsPerTopic} partitions`;
  const floorName = 'raw Metadata, all topics';
  return [
    figure(`admin_scale: topics table rows (${scale})`, 'ms', samples.rows, floorName, samples.floor),
    figure(`admin_scale: min.insync.replicas of every topic (${scale})`, 'ms', samples.minIsr, floorName, samples.floor),
    figure(`admin_scale: describe every topic (${scale})`, 'ms', samples.describe, floorName, samples.floor),
    figure(`admin_scale: list ${spec.groups} groups with lag`, 'ms', samples.groups, floorName, samples.floor),
  ];
}
