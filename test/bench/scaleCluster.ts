import path from 'node:path';
import { KafkaConnection } from '../../src/protocol/client';
import { ErrorCode } from '../../src/protocol/errors';
import { ApiKey } from '../../src/protocol/generated/apis';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../src/protocol/generated/createTopicsRequest';
import { defaultMetadataRequest } from '../../src/protocol/generated/metadataRequest';
import type { MetadataResponse } from '../../src/protocol/generated/metadataResponse';
import { defaultOffsetCommitRequest, defaultOffsetCommitRequestPartition } from '../../src/protocol/generated/offsetCommitRequest';
import { defaultProduceRequest } from '../../src/protocol/generated/produceRequest';
import { encodeRecordBatch } from '../../src/protocol/records/recordBatch';
import { clusterRssMiB, startCluster, type BenchCluster } from './cluster';

/**
 * A cluster the size of a large production one (issue 8, admin_scale and ui_scale): many
 * topics of several partitions, a few records in each partition, and consumer groups with
 * committed offsets that trail those records, so every group has lag. Groups are made with
 * OffsetCommit alone (generation -1, no member id, as kafka-consumer-groups.sh
 * --reset-offsets does for an empty group), not with thousands of live consumers.
 */
export interface ScaleSpec {
  brokers: number;
  topics: number;
  partitionsPerTopic: number;
  groups: number;
  /** Each group commits offsets for all partitions of this many topics. */
  topicsPerGroup: number;
  /** Records written to every partition; groups commit half of them. */
  recordsPerPartition: number;
}

export const FULL_SCALE: ScaleSpec = { brokers: 3, topics: 10_000, partitionsPerTopic: 10, groups: 2_000, topicsPerGroup: 5, recordsPerPartition: 4 };

/** The same shape at `fraction` of the size (`--scale=F`; `--quick` defaults to 0.01). */
export function scaledSpec(fraction: number): ScaleSpec {
  return { ...FULL_SCALE, topics: Math.max(1, Math.round(FULL_SCALE.topics * fraction)), groups: Math.max(1, Math.round(FULL_SCALE.groups * fraction)) };
}

/** The baseline for the UI: an almost empty cluster, named the same way. */
export const TINY_SCALE: ScaleSpec = { brokers: 1, topics: 3, partitionsPerTopic: 1, groups: 3, topicsPerGroup: 1, recordsPerPartition: 4 };

export interface LoadedCluster {
  cluster: BenchCluster;
  spec: ScaleSpec;
  /** ms per loading step and in total. */
  timings: { startup: number; createTopics: number; produce: number; commitOffsets: number; total: number };
  /** Host plus brokers, after loading. */
  rssMiB: number;
  /** Host plus brokers, right after startup. */
  idleRssMiB: number;
}

const TOPICS_PER_CREATE = 1_000;
const PARTITIONS_PER_PRODUCE = 2_000;
const GROUPS_IN_FLIGHT = 64;
/** REQUEST_TIMED_OUT, COORDINATOR_LOAD_IN_PROGRESS, COORDINATOR_NOT_AVAILABLE, NOT_COORDINATOR. */
const RETRIABLE_COMMIT_ERRORS = new Set([7, 14, 15, 16]);

export const scaleTopicName = (index: number) => `scale-topic-${String(index).padStart(5, '0')}`;
export const scaleGroupName = (index: number) => `scale-group-${String(index).padStart(4, '0')}`;

async function connect(address: string): Promise<KafkaConnection> {
  const [host, port] = address.split(':');
  const connection = new KafkaConnection({ host: host!, port: Number(port), clientId: 'bench-scale-loader', connectTimeoutMs: 5_000, requestTimeoutMs: 300_000 });
  await connection.connect();
  await connection.negotiate();
  return connection;
}

function elapsed(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

async function allMetadata(connection: KafkaConnection): Promise<MetadataResponse> {
  return connection.send(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: null, allowAutoTopicCreation: false });
}

async function createTopics(admin: KafkaConnection, spec: ScaleSpec): Promise<void> {
  for (let start = 0; start < spec.topics; start += TOPICS_PER_CREATE) {
    const names = Array.from({ length: Math.min(TOPICS_PER_CREATE, spec.topics - start) }, (_, i) => scaleTopicName(start + i));
    const response = await admin.send(ApiKey.CreateTopics, {
      ...defaultCreateTopicsRequest(),
      timeoutMs: 300_000,
      topics: names.map((name) => ({ ...defaultCreateTopicsRequestCreatableTopic(), name, numPartitions: spec.partitionsPerTopic, replicationFactor: 1 })),
    });
    const failed = response.topics.find((topic) => topic.errorCode !== ErrorCode.NONE);
    if (failed) throw new Error(`create topic ${failed.name}: error ${failed.errorCode} ${failed.errorMessage ?? ''}`);
  }
}

/** Waits until every partition of the scale topics has a leader, so produce and commits land. */
async function awaitLeaders(admin: KafkaConnection, spec: ScaleSpec): Promise<MetadataResponse> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const metadata = await allMetadata(admin);
    const partitions = metadata.topics.filter((topic) => topic.name?.startsWith('scale-topic-')).flatMap((topic) => topic.partitions);
    if (partitions.length === spec.topics * spec.partitionsPerTopic && partitions.every((partition) => partition.leaderId >= 0)) return metadata;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('the scale topics did not all get leaders within 60 s');
}

/** Attempts per produce request while leaders are still applying their new partitions (200 ms apart). */
const PRODUCE_ATTEMPTS = 150;

async function produceEverywhere(metadata: MetadataResponse, connections: Map<number, KafkaConnection>, spec: ScaleSpec): Promise<void> {
  const records = await encodeRecordBatch({ records: Array.from({ length: spec.recordsPerPartition }, (_, i) => ({ value: Buffer.from(`scale record ${i}`) })) });
  const byLeader = new Map<number, { name: string; partition: number }[]>();
  for (const topic of metadata.topics) {
    if (!topic.name?.startsWith('scale-topic-')) continue;
    for (const partition of topic.partitions) {
      let list = byLeader.get(partition.leaderId);
      if (!list) byLeader.set(partition.leaderId, (list = []));
      list.push({ name: topic.name, partition: partition.partitionIndex });
    }
  }
  await Promise.all(
    [...byLeader].map(async ([leader, partitions]) => {
      const connection = connections.get(leader)!;
      for (let start = 0; start < partitions.length; start += PARTITIONS_PER_PRODUCE) {
        // A leader that has not applied its new partitions yet answers UNKNOWN_TOPIC_OR_PARTITION
        // (or NOT_LEADER_OR_FOLLOWER): retried as a client would.
        let pending = partitions.slice(start, start + PARTITIONS_PER_PRODUCE);
        for (let attempt = 0; pending.length > 0; attempt++) {
          const topics = new Map<string, { index: number; records: Buffer }[]>();
          for (const entry of pending) {
            let list = topics.get(entry.name);
            if (!list) topics.set(entry.name, (list = []));
            list.push({ index: entry.partition, records });
          }
          const response = await connection.send(ApiKey.Produce, {
            ...defaultProduceRequest(),
            acks: 1,
            timeoutMs: 60_000,
            topicData: [...topics].map(([name, partitionData]) => ({ name, partitionData })),
          });
          const retry: { name: string; partition: number }[] = [];
          for (const topic of response.responses) {
            for (const partition of topic.partitionResponses) {
              if (partition.errorCode === ErrorCode.NONE) continue;
              const retriable = partition.errorCode === ErrorCode.UNKNOWN_TOPIC_OR_PARTITION || partition.errorCode === ErrorCode.NOT_LEADER_OR_FOLLOWER;
              if (!retriable || attempt >= PRODUCE_ATTEMPTS) throw new Error(`produce to ${topic.name}-${partition.index}: error ${partition.errorCode}`);
              retry.push({ name: topic.name, partition: partition.index });
            }
          }
          pending = retry;
          if (pending.length > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        }
      }
    }),
  );
}

/** The topics group `index` commits on: consecutive, wrapping, so every topic has some group. */
export function groupTopics(spec: ScaleSpec, index: number): string[] {
  return Array.from({ length: spec.topicsPerGroup }, (_, i) => scaleTopicName((index * spec.topicsPerGroup + i) % spec.topics));
}

async function commitOffsets(admin: KafkaConnection, connections: Map<number, KafkaConnection>, spec: ScaleSpec): Promise<void> {
  const groups = Array.from({ length: spec.groups }, (_, i) => scaleGroupName(i));
  const coordinators = new Map<string, number>();
  for (let attempt = 0; coordinators.size < groups.length && attempt < 100; attempt++) {
    const response = await admin.send(ApiKey.FindCoordinator, { key: '', keyType: 0, coordinatorKeys: groups.filter((group) => !coordinators.has(group)) });
    for (const coordinator of response.coordinators) if (coordinator.errorCode === ErrorCode.NONE) coordinators.set(coordinator.key, coordinator.nodeId);
    if (coordinators.size < groups.length) await new Promise((resolve) => setTimeout(resolve, 200));
  }
  if (coordinators.size < groups.length) throw new Error('some groups found no coordinator within 20 s');
  const committed = Math.floor(spec.recordsPerPartition / 2);
  let next = 0;
  const worker = async () => {
    while (next < groups.length) {
      const index = next++;
      const group = groups[index]!;
      const connection = connections.get(coordinators.get(group)!)!;
      for (let attempt = 1; ; attempt++) {
        const failed = await commitGroup(connection, group, index);
        if (failed === null) break;
        // A coordinator still loading or slow to replicate the commit answers with a retriable error.
        if (attempt >= 5 || !RETRIABLE_COMMIT_ERRORS.has(failed.errorCode)) throw new Error(`commit of ${group}: ${failed.what}: error ${failed.errorCode}`);
        await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
      }
    }
  };
  const commitGroup = async (connection: KafkaConnection, group: string, index: number): Promise<{ what: string; errorCode: number } | null> => {
      const response = await connection.send(ApiKey.OffsetCommit, {
        ...defaultOffsetCommitRequest(),
        groupId: group,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        topics: groupTopics(spec, index).map((name) => ({
          name,
          partitions: Array.from({ length: spec.partitionsPerTopic }, (_, partition) => ({
            ...defaultOffsetCommitRequestPartition(),
            partitionIndex: partition,
            committedOffset: BigInt(committed),
          })),
        })),
      });
      for (const topic of response.topics) {
        const failed = topic.partitions.find((partition) => partition.errorCode !== ErrorCode.NONE);
        if (failed) return { what: `${topic.name}-${failed.partitionIndex}`, errorCode: failed.errorCode };
      }
      return null;
  };
  await Promise.all(Array.from({ length: GROUPS_IN_FLIGHT }, worker));
}

/** Starts a cluster and loads it; the caller stops it. */
export async function loadScaleCluster(work: string, spec: ScaleSpec): Promise<LoadedCluster> {
  const started = process.hrtime.bigint();
  const cluster = await startCluster(path.join(work, `scale-${spec.topics}-${spec.brokers}`), spec.brokers);
  const connections = new Map<number, KafkaConnection>();
  try {
    const idleRssMiB = await clusterRssMiB(cluster);
    const admin = await connect(cluster.bootstrap.split(',')[0]!);
    connections.set(-1, admin);
    for (const broker of (await allMetadata(admin)).brokers) connections.set(broker.nodeId, await connect(`${broker.host}:${broker.port}`));
    let step = process.hrtime.bigint();
    await createTopics(admin, spec);
    const metadata = await awaitLeaders(admin, spec);
    const createMs = elapsed(step);
    process.stderr.write(`bench: created ${spec.topics} topics in ${Math.round(createMs)} ms\n`);
    step = process.hrtime.bigint();
    await produceEverywhere(metadata, connections, spec);
    const produceMs = elapsed(step);
    process.stderr.write(`bench: produced to ${spec.topics * spec.partitionsPerTopic} partitions in ${Math.round(produceMs)} ms\n`);
    step = process.hrtime.bigint();
    await commitOffsets(admin, connections, spec);
    const commitMs = elapsed(step);
    process.stderr.write(`bench: committed offsets of ${spec.groups} groups in ${Math.round(commitMs)} ms\n`);
    return {
      cluster,
      spec,
      timings: { startup: cluster.startupMs, createTopics: createMs, produce: produceMs, commitOffsets: commitMs, total: elapsed(started) },
      rssMiB: await clusterRssMiB(cluster),
      idleRssMiB,
    };
  } catch (error) {
    await cluster.stop();
    throw new Error(`loading the scale cluster failed: ${error instanceof Error ? error.message : String(error)}; the cluster's stderr ends with: ${cluster.stderrTail()}`, { cause: error });
  } finally {
    await Promise.all([...connections.values()].map((connection) => connection.close()));
  }
}
