import { AdminError } from './adminError';
import type { AdminSession } from './adminSession';
import { partitionSizes } from './partitionSizes';
import { formatReassignmentJson, generateReassignment, movedReplicas, type PartitionReplicas } from './reassignmentPlan';
import { currentAssignment } from './reassignments';
import { brokerLoads, changeReplicationFactor, drainBroker } from './reassignmentStrategies';
import type { TopicPartitions } from './adminChange';
import { byTopic, partitionKey, resolveSelections } from './topicMetadata';

/**
 * The reassignment wizard's back half: a plan proposed from what the user wants (spread some
 * partitions over brokers, drain a broker, change a replication factor), and the preview of
 * any plan: current -> proposed replicas, which brokers gain and lose replicas, and the bytes
 * each has to copy in (partition sizes from DescribeLogDirs).
 */
export type ReassignmentIntent =
  | { kind: 'move'; topics: TopicPartitions[]; brokers: number[] }
  | { kind: 'drain'; broker: number }
  | { kind: 'replication-factor'; topics: string[]; replicationFactor: number };

export interface PreviewRow {
  topic: string;
  partition: number;
  current: number[];
  proposed: number[];
  added: number[];
  removed: number[];
  bytes: number | null;
}

export interface BrokerChange {
  broker: number;
  gains: number;
  loses: number;
  bytesIn: number | null;
  known: boolean;
}

export interface ReassignmentPreview {
  rows: PreviewRow[];
  brokers: BrokerChange[];
  replicasToMove: number;
  bytesToMove: number | null;
  sizesUnavailable: string | null;
  planJson: string;
  rollbackJson: string;
  kafkaCommand: string;
}

/** A plan for the intent, holding only the partitions whose replicas change. */
export async function proposeReassignment(session: AdminSession, intent: ReassignmentIntent): Promise<{ current: PartitionReplicas[]; proposed: PartitionReplicas[] }> {
  return session.run('propose a reassignment', async () => {
    const metadata = await session.metadata();
    const brokers = metadata.brokers.map((broker) => ({ id: broker.nodeId, rack: broker.rack })).sort((a, b) => a.id - b.id);
    const everything = metadata.topics
      .filter((topic) => topic.name !== null)
      .flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name!, partition: partition.partitionIndex, replicas: partition.replicaNodes })));
    let current: PartitionReplicas[];
    let proposed: PartitionReplicas[];
    switch (intent.kind) {
      case 'move': {
        const known = new Set(brokers.map((broker) => broker.id));
        const unknown = intent.brokers.filter((id) => !known.has(id));
        if (unknown.length > 0) throw new AdminError('invalid-input', `broker ${unknown.join(', ')} is not in the cluster (brokers: ${[...known].join(', ')})`);
        const chosen = new Set((await resolveSelections(session, intent.topics)).map((ref) => partitionKey(ref.topic, ref.partition)));
        current = (await currentAssignment(session, [...new Set(intent.topics.map((entry) => entry.topic))])).filter((entry) => chosen.has(partitionKey(entry.topic, entry.partition)));
        proposed = generateReassignment(current, intent.brokers);
        break;
      }
      case 'drain':
        current = everything.filter((entry) => entry.replicas.includes(intent.broker));
        if (current.length === 0) throw new AdminError('invalid-input', `broker ${intent.broker} holds no replicas: there is nothing to drain`);
        proposed = drainBroker(current, intent.broker, brokerLoads(brokers, everything));
        break;
      case 'replication-factor':
        await resolveSelections(session, intent.topics.map((topic) => ({ topic })));
        current = await currentAssignment(session, intent.topics);
        proposed = changeReplicationFactor(current, intent.replicationFactor, brokerLoads(brokers, everything));
        break;
    }
    const before = new Map(current.map((entry) => [partitionKey(entry.topic, entry.partition), entry.replicas]));
    const changed = proposed.filter((entry) => !sameOrder(before.get(partitionKey(entry.topic, entry.partition)) ?? [], entry.replicas));
    const keys = new Set(changed.map((entry) => partitionKey(entry.topic, entry.partition)));
    return { current: current.filter((entry) => keys.has(partitionKey(entry.topic, entry.partition))), proposed: changed };
  });
}

export async function previewReassignment(session: AdminSession, plan: PartitionReplicas[]): Promise<ReassignmentPreview> {
  return session.run('preview a reassignment', async () => {
    await resolveSelections(session, [...byTopic(plan)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })));
    const wanted = new Set(plan.map((entry) => partitionKey(entry.topic, entry.partition)));
    const current = (await currentAssignment(session, [...byTopic(plan).keys()])).filter((entry) => wanted.has(partitionKey(entry.topic, entry.partition)));
    const now = new Map(current.map((entry) => [partitionKey(entry.topic, entry.partition), entry.replicas]));
    const live = session.router.metadata.brokers.map((broker) => broker.nodeId);
    const sizes = await partitionSizes(
      session,
      live,
      [...byTopic(plan)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })),
    );
    const rows = [...plan]
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition)
      .map((entry): PreviewRow => {
        const key = partitionKey(entry.topic, entry.partition);
        const before = now.get(key) ?? [];
        return {
          topic: entry.topic,
          partition: entry.partition,
          current: before,
          proposed: entry.replicas,
          added: entry.replicas.filter((id) => !before.includes(id)),
          removed: before.filter((id) => !entry.replicas.includes(id)),
          bytes: sizes.bytes.get(key) ?? null,
        };
      });
    const brokerIds = [...new Set([...live, ...rows.flatMap((row) => [...row.added, ...row.removed])])].sort((a, b) => a - b);
    const brokers = brokerIds
      .map((broker): BrokerChange => {
        const gaining = rows.filter((row) => row.added.includes(broker));
        return {
          broker,
          gains: gaining.length,
          loses: rows.filter((row) => row.removed.includes(broker)).length,
          bytesIn: gaining.some((row) => row.bytes === null) ? null : gaining.reduce((sum, row) => sum + row.bytes!, 0),
          known: live.includes(broker),
        };
      })
      .filter((change) => change.gains > 0 || change.loses > 0 || change.known);
    const moving = rows.filter((row) => row.added.length > 0);
    return {
      rows,
      brokers,
      replicasToMove: movedReplicas(current, plan),
      bytesToMove: moving.some((row) => row.bytes === null) ? null : moving.reduce((sum, row) => sum + row.bytes! * row.added.length, 0),
      sizesUnavailable: sizes.unknownBecause,
      planJson: formatReassignmentJson(plan),
      rollbackJson: formatReassignmentJson(current),
      kafkaCommand: session.commandFor({ kind: 'reassign-partitions', partitions: plan }),
    };
  });
}

function sameOrder(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id, index) => b[index] === id);
}
