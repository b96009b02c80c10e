// FindCoordinator (API 10), 0-4. The coordinator of a group (key type 0) or transactional id
// (key type 1) is the leader of partition abs(hash(key)) % N of `__consumer_offsets` or
// `__transaction_state`. Like Kafka, the internal topic is created on first use, and until it
// has a leader the answer is COORDINATOR_NOT_AVAILABLE, which clients retry. v4 batches keys.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { FindCoordinatorRequest } from '../../../protocol/generated/findCoordinatorRequest';
import {
  defaultFindCoordinatorResponse,
  defaultFindCoordinatorResponseCoordinator,
  type FindCoordinatorResponse,
} from '../../../protocol/generated/findCoordinatorResponse';
import { coordinatorPartitionFor } from '../../coordinator/coordinatorPartition';
import { NO_LEADER } from '../../metadata/records';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

type Coordinator = FindCoordinatorResponse['coordinators'][number];

export const GROUP_KEY_TYPE = 0;
export const TRANSACTION_KEY_TYPE = 1;

export interface InternalTopicSpec {
  name: string;
  partitions: number;
  replicationFactor: number;
  configs: Record<string, string>;
}

export function internalTopicSpecs(services: BrokerServices): Record<number, InternalTopicSpec> {
  const { config } = services;
  return {
    [GROUP_KEY_TYPE]: {
      name: '__consumer_offsets',
      partitions: config.offsetsTopicNumPartitions,
      replicationFactor: config.offsetsTopicReplicationFactor,
      configs: { 'cleanup.policy': 'compact', 'compression.type': 'producer', 'segment.bytes': '104857600' },
    },
    [TRANSACTION_KEY_TYPE]: {
      name: '__transaction_state',
      partitions: config.transactionStateLogNumPartitions,
      replicationFactor: config.transactionStateLogReplicationFactor,
      configs: { 'cleanup.policy': 'compact', 'compression.type': 'uncompressed', 'segment.bytes': '104857600', 'min.insync.replicas': '1' },
    },
  };
}

export function findCoordinatorHandler(services: BrokerServices) {
  const { metadata, controller, log } = services;
  const specs = internalTopicSpecs(services);
  const creating = new Map<string, Promise<void>>();

  /** Creates the internal topic once, with its replication factor capped by the live brokers (as Kafka does). */
  function ensureTopic(spec: InternalTopicSpec): Promise<void> {
    let pending = creating.get(spec.name);
    if (pending === undefined) {
      const replicationFactor = Math.max(1, Math.min(spec.replicationFactor, metadata.liveBrokers().length));
      pending = controller
        .call('createTopics', [{ name: spec.name, numPartitions: spec.partitions, replicationFactor, assignments: [], configs: spec.configs }])
        .then(([result]) => {
          if (result !== undefined && result.errorCode !== ErrorCode.NONE && result.errorCode !== ErrorCode.TOPIC_ALREADY_EXISTS) {
            log.warn(`creating ${spec.name} failed: ${result.errorMessage ?? result.errorCode}`);
          }
        })
        .finally(() => creating.delete(spec.name));
      creating.set(spec.name, pending);
    }
    return pending;
  }

  async function locate(key: string, keyType: number): Promise<Coordinator> {
    const base: Coordinator = { ...defaultFindCoordinatorResponseCoordinator(), key };
    const spec = specs[keyType];
    if (spec === undefined) return { ...base, errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Unknown coordinator key type ${keyType}` };
    if (keyType === GROUP_KEY_TYPE && key === '') return { ...base, errorCode: ErrorCode.INVALID_GROUP_ID, errorMessage: 'The group id is empty' };
    if (!metadata.topicsByName.has(spec.name)) await ensureTopic(spec);
    const topic = metadata.topicsByName.get(spec.name);
    const partition = topic?.partitions[coordinatorPartitionFor(key, topic.partitions.length)];
    const broker = partition === undefined || partition.leader === NO_LEADER ? undefined : metadata.brokers.get(partition.leader);
    if (broker === undefined || broker.fenced) {
      return { ...base, errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, errorMessage: `The coordinator for "${key}" is not available yet` };
    }
    return { ...base, nodeId: broker.brokerId, host: broker.host, port: broker.port, errorCode: ErrorCode.NONE, errorMessage: null };
  }

  return defineHandler({
    apiKey: ApiKey.FindCoordinator,
    minVersion: 0,
    maxVersion: 4,
    async handle(request: FindCoordinatorRequest, context) {
      if (context.apiVersion >= 4) {
        return { ...defaultFindCoordinatorResponse(), coordinators: await Promise.all(request.coordinatorKeys.map((key) => locate(key, request.keyType))) };
      }
      const found = await locate(request.key, context.apiVersion === 0 ? GROUP_KEY_TYPE : request.keyType);
      return {
        ...defaultFindCoordinatorResponse(),
        errorCode: found.errorCode,
        errorMessage: context.apiVersion >= 1 ? found.errorMessage : null,
        nodeId: found.nodeId,
        host: found.host,
        port: found.port,
      };
    },
    errorResponse(request: FindCoordinatorRequest, errorCode: number, context) {
      if (context.apiVersion >= 4) {
        return { ...defaultFindCoordinatorResponse(), coordinators: request.coordinatorKeys.map((key) => ({ ...defaultFindCoordinatorResponseCoordinator(), key, errorCode })) };
      }
      return { ...defaultFindCoordinatorResponse(), errorCode };
    },
  });
}
