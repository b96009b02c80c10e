import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode } from '../protocol/errors';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import { defaultCreatePartitionsRequest } from '../protocol/generated/createPartitionsRequest';
import { defaultDeleteTopicsRequest, defaultDeleteTopicsRequestDeleteTopicState } from '../protocol/generated/deleteTopicsRequest';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { logRanges } from './logOffsets';
import { replicaLag } from './replicaLag';
import { alterTopicConfigs, describeConfigsOfTopics, describeTopicConfigs, topicOverrides, type ConfigEntry } from './topicConfigs';
import { findTopic, findTopics, groupByLeader, selectPartitions, topicMetadata, type TopicMetadata } from './topicMetadata';

/**
 * Topics: list, describe with partition health, and the topic changes (create, delete, add
 * partitions, alter configs, delete records). Every change goes through session.change(), so
 * it is audited and has its Kafka CLI equivalent.
 */
export interface TopicSummary {
  name: string;
  internal: boolean;
  partitions: number;
  replicationFactor: number;
  underReplicatedPartitions: number;
  offlinePartitions: number;
}

export interface PartitionDescription {
  partition: number;
  leader: number | null;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
  offlineReplicas: number[];
  logStartOffset: number;
  highWatermark: number;
  /** Broker id -> offsets its log end trails the leader's (replicaLag.ts); null for a broker that did not answer. */
  replicaLag: Record<string, number | null>;
  underReplicated: boolean;
  /** ISR size against the topic's min.insync.replicas: below it producers with acks=all fail. */
  minIsr: 'under' | 'at' | 'above';
}

export interface TopicDescription {
  name: string;
  topicId: string;
  internal: boolean;
  minInsyncReplicas: number;
  partitions: PartitionDescription[];
  configs: ConfigEntry[];
  /** Set when some replicaLag entries are null, saying which brokers did not answer. */
  replicaLagUnavailable?: string;
}

export async function listTopics(session: AdminSession, options: { includeInternal?: boolean } = {}): Promise<TopicSummary[]> {
  return session.run('list topics', async () => {
    const metadata = await session.metadata();
    return metadata.topics
      .filter((topic): topic is TopicMetadata => topic.name !== null && (options.includeInternal || !topic.isInternal))
      .map(summarizeTopic)
      .sort((a, b) => a.name.localeCompare(b.name));
  });
}

export async function describeTopic(session: AdminSession, name: string): Promise<TopicDescription> {
  return session.run(`describe topic ${name}`, async () => {
    const response = await session.router.refreshMetadata([name]);
    return (await describeMetadataOf(session, [findTopic(response, name)], response))[0]!;
  });
}

/**
 * Several topics described at once (`samsa topics describe` without --topic: every topic):
 * one Metadata read, DescribeConfigs in batches, and one ListOffsets per broker for each
 * kind of offset, whatever the number of topics.
 */
export async function describeTopics(session: AdminSession, names: string[]): Promise<TopicDescription[]> {
  return session.run(`describe ${names.length} topics`, async () => {
    if (names.length === 0) return [];
    const response = await session.router.refreshMetadata(names);
    return describeMetadataOf(
      session,
      findTopics(response, names),
      response,
    );
  });
}

/** `metadata` is the response `topics` come from: ListOffsets goes to the leaders it names. */
async function describeMetadataOf(session: AdminSession, topics: TopicMetadata[], metadata: MetadataResponse): Promise<TopicDescription[]> {
  const sorted = topics.map((topic) => ({ topic, partitions: [...topic.partitions].sort((a, b) => a.partitionIndex - b.partitionIndex) }));
  const led = sorted.flatMap(({ topic, partitions }) => partitions.filter((partition) => partition.leaderId >= 0).map((partition) => ({ topic: topic.name, partition: partition.partitionIndex })));
  const placements = sorted.flatMap(({ topic, partitions }) =>
    partitions.map((partition) => ({ topic: topic.name, partition: partition.partitionIndex, leader: partition.leaderId >= 0 ? partition.leaderId : null, replicas: partition.replicaNodes })),
  );
  const [configs, ranges, lags] = await Promise.all([
    describeConfigsOfTopics(
      session,
      topics.map((topic) => topic.name),
    ),
    logRanges(session, led, metadata),
    replicaLag(session, placements),
  ]);
  return sorted.map(({ topic, partitions }) => {
    const topicConfigs = configs.get(topic.name)!;
    const minInsyncReplicas = Number(topicConfigs.find((entry) => entry.name === 'min.insync.replicas')?.value ?? '1');
    const rangesOfTopic = ranges.get(topic.name);
    const lagsOfTopic = lags.byPartition.get(topic.name)!;
    const description: TopicDescription = {
      name: topic.name,
      topicId: topic.topicId,
      internal: topic.isInternal,
      minInsyncReplicas,
      configs: topicConfigs,
      partitions: partitions.map((partition) => {
        const range = rangesOfTopic?.get(partition.partitionIndex);
        const isrSize = partition.isrNodes.length;
        return {
          partition: partition.partitionIndex,
          leader: partition.leaderId >= 0 ? partition.leaderId : null,
          leaderEpoch: partition.leaderEpoch,
          replicas: partition.replicaNodes,
          isr: partition.isrNodes,
          offlineReplicas: partition.offlineReplicas,
          // An offline partition has no leader to ask: -1 says "unknown" in both offsets.
          logStartOffset: range?.logStartOffset ?? -1,
          highWatermark: range?.highWatermark ?? -1,
          replicaLag: lagsOfTopic.get(partition.partitionIndex)!,
          underReplicated: isrSize < partition.replicaNodes.length,
          minIsr: isrSize < minInsyncReplicas ? 'under' : isrSize === minInsyncReplicas ? 'at' : 'above',
        };
      }),
    };
    if (lags.unknownBecause) description.replicaLagUnavailable = lags.unknownBecause;
    return description;
  });
}

export interface CreateTopicInput {
  topic: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export async function createTopic(session: AdminSession, input: CreateTopicInput) {
  return session.run(`create topic ${input.topic}`, () =>
    session.change(
      { kind: 'create-topic', ...input },
      {
        before: async () => null,
        apply: async () => {
          const admin = await session.admin();
          const created = await admin.createTopics({
            waitForLeaders: true,
            timeout: session.operationTimeoutMs,
            topics: [
              {
                topic: input.topic,
                numPartitions: input.partitions,
                replicationFactor: input.replicationFactor,
                configEntries: Object.entries(input.configs).map(([name, value]) => ({ name, value })),
              },
            ],
          });
          // kafkajs reports TOPIC_ALREADY_EXISTS as `false` rather than an error.
          if (!created) throw new AdminError('kafka', `topic "${input.topic}" already exists`, 'TOPIC_ALREADY_EXISTS');
        },
        after: async () => summaryOf(session, input.topic),
      },
    ),
  );
}

export async function deleteTopic(session: AdminSession, topic: string) {
  return session.run(`delete topic ${topic}`, () =>
    session.change(
      { kind: 'delete-topic', topic },
      {
        before: async () => ({ ...(await summaryOf(session, topic)), overrides: topicOverrides(await describeTopicConfigs(session, topic)) }),
        // Straight to the controller: kafkajs's deleteTopics first reads the metadata of every
        // topic and gives up when any partition is offline, which is when admins delete most.
        apply: async () => {
          const response = await session.router.send('controller', ApiKey.DeleteTopics, {
            ...defaultDeleteTopicsRequest(),
            topics: [{ ...defaultDeleteTopicsRequestDeleteTopicState(), name: topic }],
            topicNames: [topic],
            timeoutMs: session.operationTimeoutMs,
          });
          const result = response.responses.find((entry) => entry.name === topic);
          if (result === undefined) throw new AdminError('kafka', `delete topic ${topic}: the controller did not answer for the topic`);
          if (result.errorCode !== ErrorCode.NONE) throw kafkaCodeError(result.errorCode, `delete topic ${topic}`, result.errorMessage);
        },
        after: async () => null,
      },
    ),
  );
}

export async function addPartitions(session: AdminSession, topic: string, totalPartitions: number) {
  return session.run(`add partitions to ${topic}`, async () => {
    const current = (await topicMetadata(session, topic)).partitions.length;
    if (totalPartitions <= current) {
      throw new AdminError('invalid-input', `topic "${topic}" already has ${current} partitions; --partitions must be more than that (Kafka cannot remove partitions)`, 'INVALID_PARTITIONS');
    }
    return session.change(
      { kind: 'add-partitions', topic, totalPartitions },
      {
        before: async () => ({ partitions: current }),
        // To the controller directly, for the same reason as deleteTopic.
        apply: async () => {
          const response = await session.router.send('controller', ApiKey.CreatePartitions, {
            ...defaultCreatePartitionsRequest(),
            topics: [{ name: topic, count: totalPartitions, assignments: null }],
            timeoutMs: session.operationTimeoutMs,
          });
          const result = response.results.find((entry) => entry.name === topic);
          if (result === undefined) throw new AdminError('kafka', `add partitions to ${topic}: the controller did not answer for the topic`);
          if (result.errorCode !== ErrorCode.NONE) throw kafkaCodeError(result.errorCode, `add partitions to ${topic}`, result.errorMessage);
        },
        after: async () => ({ partitions: (await topicMetadata(session, topic)).partitions.length }),
      },
    );
  });
}

export async function changeTopicConfigs(session: AdminSession, topic: string, set: Record<string, string>, remove: string[]) {
  return session.run(`alter configs of topic ${topic}`, async () => {
    await topicMetadata(session, topic);
    return session.change(
      { kind: 'alter-topic-configs', topic, set, remove },
      {
        before: async () => topicOverrides(await describeTopicConfigs(session, topic)),
        apply: () => alterTopicConfigs(session, topic, set, remove),
        after: async () => topicOverrides(await describeTopicConfigs(session, topic)),
      },
    );
  });
}

/**
 * Asks the controller to check a config change without applying it (validateOnly), so a
 * preview can show the broker's own verdict, and the Kafka command that would make it.
 * Nothing changes, so nothing is audited.
 */
export async function checkTopicConfigChange(session: AdminSession, topic: string, set: Record<string, string>, remove: string[]): Promise<{ kafkaCommand: string }> {
  return session.run(`check configs of topic ${topic}`, async () => {
    await topicMetadata(session, topic);
    await alterTopicConfigs(session, topic, set, remove, true);
    return { kafkaCommand: session.commandFor({ kind: 'alter-topic-configs', topic, set, remove }) };
  });
}

/**
 * DeleteRecords: moves each partition's log start up to the given offset (-1: the high
 * watermark, as in kafka-delete-records.sh). Offsets are checked against the log first so a
 * typo cannot be half-applied.
 */
export async function deleteRecords(session: AdminSession, topic: string, offsets: { partition: number; offset: number }[]) {
  return session.run(`delete records of ${topic}`, async () => {
    const metadata = await topicMetadata(session, topic);
    selectPartitions(
      metadata,
      offsets.map((entry) => entry.partition),
    );
    if ((await session.router.versionOn('any', ApiKey.DeleteRecords)) === null) {
      throw new AdminError('unsupported', 'the cluster does not serve DeleteRecords (API 21), so records cannot be deleted');
    }
    const refs = offsets.map((entry) => ({ topic, partition: entry.partition }));
    const ranges = await logRanges(session, refs);
    const resolved = offsets.map((entry) => {
      const range = ranges.get(topic)!.get(entry.partition)!;
      const offset = entry.offset === -1 ? range.highWatermark : entry.offset;
      if (offset < range.logStartOffset || offset > range.highWatermark) {
        throw new AdminError(
          'invalid-input',
          `offset ${offset} is out of range for ${topic}-${entry.partition} (log start ${range.logStartOffset}, high watermark ${range.highWatermark})`,
          'OFFSET_OUT_OF_RANGE',
        );
      }
      return { partition: entry.partition, offset };
    });
    const logStarts = async () => {
      const ranges = await logRanges(session, refs);
      return Object.fromEntries(refs.map((ref) => [`${topic}-${ref.partition}`, ranges.get(topic)!.get(ref.partition)!.logStartOffset]));
    };
    return session.change(
      { kind: 'delete-records', topic, offsets: resolved },
      {
        before: logStarts,
        apply: () => deleteRecordsOnLeaders(session, topic, resolved),
        after: logStarts,
      },
    );
  });
}

/** DeleteRecords to each partition's leader (kafkajs's deleteTopicRecords needs metadata it does not load). */
async function deleteRecordsOnLeaders(session: AdminSession, topic: string, offsets: { partition: number; offset: number }[]): Promise<void> {
  const leaders = groupByLeader(
    await session.router.refreshMetadata([topic]),
    offsets.map((entry) => ({ topic, ...entry })),
  );
  await Promise.all(
    [...leaders].map(async ([leader, entries]) => {
      const response = await session.router.send({ broker: leader }, ApiKey.DeleteRecords, {
        timeoutMs: session.settings.requestTimeoutMs,
        topics: [{ name: topic, partitions: entries.map((entry) => ({ partitionIndex: entry.partition, offset: BigInt(entry.offset) })) }],
      });
      for (const result of response.topics) {
        for (const partition of result.partitions) {
          if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `delete records of ${topic}-${partition.partitionIndex}`);
        }
      }
    }),
  );
}

async function summaryOf(session: AdminSession, topic: string): Promise<TopicSummary> {
  return summarizeTopic(findTopic(await session.router.refreshMetadata([topic]), topic));
}

/** Partition counts and health of one topic, from metadata alone. */
export function summarizeTopic(entry: TopicMetadata): TopicSummary {
  return {
    name: entry.name,
    internal: entry.isInternal,
    partitions: entry.partitions.length,
    replicationFactor: Math.max(0, ...entry.partitions.map((partition) => partition.replicaNodes.length)),
    underReplicatedPartitions: entry.partitions.filter((partition) => partition.isrNodes.length < partition.replicaNodes.length).length,
    offlinePartitions: entry.partitions.filter((partition) => partition.leaderId < 0).length,
  };
}
