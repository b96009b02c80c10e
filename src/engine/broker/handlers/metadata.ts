// Metadata (API 3): brokers, topics and partition leadership from this broker's metadata
// image. Unknown topics are auto-created when both the request (v4+) and
// auto.create.topics.enable allow it. The controller's records reach this broker before the
// creation result does (one ordered channel), so the topic is answered with its partitions
// right away; Kafka answers LEADER_NOT_AVAILABLE instead, which costs clients a metadata
// refresh interval (about a second in librdkafka). v10+ may name topics by id.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { MetadataRequest } from '../../../protocol/generated/metadataRequest';
import { defaultMetadataResponse, type MetadataResponse } from '../../../protocol/generated/metadataResponse';
import { topicNameProblem } from '../../controller/controller';
import type { TopicInfo } from '../../metadata/metadataImage';
import { NO_LEADER } from '../../metadata/records';
import { defineHandler } from '../apiHandler';
import { INTERNAL_TOPICS, type BrokerServices } from '../brokerServices';
import { ZERO_UUID } from '../../../protocol/primitives/byteReader';

type TopicEntry = MetadataResponse['topics'][number];
/** Authorized operations are not computed (no ACLs yet): Kafka's "not requested" value. */
const OPERATIONS_NOT_PROVIDED = -2147483648;

export function metadataHandler(services: BrokerServices) {
  const { metadata, config, controller, log } = services;

  const describeTopic = (topic: TopicInfo): TopicEntry => ({
    errorCode: ErrorCode.NONE,
    name: topic.name,
    topicId: topic.topicId,
    isInternal: INTERNAL_TOPICS.has(topic.name),
    topicAuthorizedOperations: OPERATIONS_NOT_PROVIDED,
    partitions: topic.partitions.map((state) => ({
      errorCode: state.leader === NO_LEADER ? ErrorCode.LEADER_NOT_AVAILABLE : ErrorCode.NONE,
      partitionIndex: state.partition,
      leaderId: state.leader,
      leaderEpoch: state.leaderEpoch,
      replicaNodes: state.replicas,
      isrNodes: state.isr,
      offlineReplicas: metadata.offlineReplicas(state),
    })),
  });

  const missingTopic = (name: string | null, topicId: string, errorCode: number): TopicEntry => ({
    errorCode,
    name,
    topicId,
    isInternal: false,
    partitions: [],
    topicAuthorizedOperations: OPERATIONS_NOT_PROVIDED,
  });

  async function resolveByName(name: string, allowAutoCreate: boolean): Promise<TopicEntry> {
    const topic = metadata.topicsByName.get(name);
    if (topic !== undefined) return describeTopic(topic);
    if (topicNameProblem(name) !== undefined) return missingTopic(name, ZERO_UUID, ErrorCode.INVALID_TOPIC_EXCEPTION);
    if (!allowAutoCreate || !config.autoCreateTopicsEnable || INTERNAL_TOPICS.has(name)) {
      return missingTopic(name, ZERO_UUID, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
    }
    const [result] = await controller.call('createTopics', [{ name, numPartitions: -1, replicationFactor: -1, assignments: [], configs: {} }]);
    if (result !== undefined && result.errorCode !== ErrorCode.NONE && result.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) {
      log.warn(`auto-creating topic ${name} failed: ${result.errorMessage ?? result.errorCode}`);
      return missingTopic(name, ZERO_UUID, result.errorCode);
    }
    const created = metadata.topicsByName.get(name);
    if (created !== undefined) return describeTopic(created);
    return missingTopic(name, result?.topicId ?? ZERO_UUID, ErrorCode.LEADER_NOT_AVAILABLE);
  }

  /**
   * The topics a request names, in its order. Existing topics are answered at once; only a
   * topic that may be auto-created waits (an admin view names every topic of the cluster).
   */
  async function namedTopics(wanted: NonNullable<MetadataRequest['topics']>, allowAutoCreate: boolean): Promise<TopicEntry[]> {
    const pending: Promise<unknown>[] = [];
    const topics = wanted.map((entry, index): TopicEntry | null => {
      if (entry.name === null) {
        const topic = metadata.topicsById.get(entry.topicId);
        return topic !== undefined ? describeTopic(topic) : missingTopic(null, entry.topicId, ErrorCode.UNKNOWN_TOPIC_ID);
      }
      const topic = metadata.topicsByName.get(entry.name);
      if (topic !== undefined) return describeTopic(topic);
      pending.push(resolveByName(entry.name, allowAutoCreate).then((resolved) => (topics[index] = resolved)));
      return null;
    });
    await Promise.all(pending);
    return topics as TopicEntry[];
  }

  return defineHandler({
    apiKey: ApiKey.Metadata,
    minVersion: 0,
    maxVersion: 12,
    async handle(request: MetadataRequest, context) {
      // v0 had no null: an empty list meant "all topics".
      const allTopics = request.topics === null || (context.apiVersion === 0 && request.topics.length === 0);
      const allowAutoCreate = context.apiVersion < 4 ? true : request.allowAutoTopicCreation;
      const topics: TopicEntry[] = allTopics ? [...metadata.topicsByName.values()].map(describeTopic) : await namedTopics(request.topics ?? [], allowAutoCreate);
      const brokers = metadata.liveBrokers();
      return {
        ...defaultMetadataResponse(),
        brokers: brokers.map((broker) => ({ nodeId: broker.brokerId, host: broker.host, port: broker.port, rack: broker.rack })),
        clusterId: config.clusterId,
        // KRaft controllers are not reachable by clients; like Kafka we name a live broker.
        controllerId: brokers[0]?.brokerId ?? -1,
        topics,
        clusterAuthorizedOperations: OPERATIONS_NOT_PROVIDED,
      };
    },
    errorResponse(request: MetadataRequest, errorCode: number) {
      return {
        ...defaultMetadataResponse(),
        topics: (request.topics ?? []).map((t) => missingTopic(t.name, t.topicId, errorCode)),
      };
    },
  });
}
