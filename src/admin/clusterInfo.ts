import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import type { AdminSession } from './adminSession';
import { describeLogDirs, type LogDirInfo } from './logDirs';

/**
 * The cluster and its brokers, from Metadata (which, unlike kafkajs's describeCluster,
 * carries racks) plus DescribeLogDirs for disk usage when the cluster serves it.
 */
export interface BrokerInfo {
  id: number;
  host: string;
  port: number;
  rack: string | null;
  isController: boolean;
}

export interface ClusterDescription {
  clusterId: string | null;
  controllerId: number | null;
  brokers: BrokerInfo[];
  topicCount: number;
  partitionCount: number;
}

export interface BrokerDescription extends BrokerInfo {
  /** Replicas this broker holds, and how many of those it leads. */
  replicas: number;
  leaders: number;
  /** Partitions whose replica on this broker is out of the ISR. */
  outOfSyncReplicas: number;
  logDirs: LogDirInfo[] | null;
  /** Why logDirs is null: the cluster lacks DescribeLogDirs, or this broker did not answer. */
  logDirsUnavailable?: string;
}

export async function describeCluster(session: AdminSession): Promise<ClusterDescription> {
  return session.run('describe cluster', async () => {
    const metadata = await session.metadata();
    return {
      clusterId: metadata.clusterId,
      controllerId: metadata.controllerId >= 0 ? metadata.controllerId : null,
      brokers: brokersOf(metadata),
      topicCount: metadata.topics.length,
      partitionCount: metadata.topics.reduce((sum, topic) => sum + topic.partitions.length, 0),
    };
  });
}

export async function describeBrokers(session: AdminSession): Promise<BrokerDescription[]> {
  return session.run('describe brokers', async () => {
    const metadata = await session.metadata();
    const brokers = brokersOf(metadata);
    const logDirs = await describeLogDirs(
      session,
      brokers.map((broker) => broker.id),
      null,
    );
    return brokers.map((broker) => {
      let replicas = 0;
      let leaders = 0;
      let outOfSyncReplicas = 0;
      for (const topic of metadata.topics) {
        for (const partition of topic.partitions) {
          if (!partition.replicaNodes.includes(broker.id)) continue;
          replicas++;
          if (partition.leaderId === broker.id) leaders++;
          if (!partition.isrNodes.includes(broker.id)) outOfSyncReplicas++;
        }
      }
      const description: BrokerDescription = { ...broker, replicas, leaders, outOfSyncReplicas, logDirs: null };
      if (!logDirs.available) {
        description.logDirsUnavailable = logDirs.reason;
      } else {
        const result = logDirs.brokers.get(broker.id);
        if (result === undefined || result instanceof Error) description.logDirsUnavailable = result?.message ?? 'no answer';
        else description.logDirs = result.dirs;
      }
      return description;
    });
  });
}

function brokersOf(metadata: MetadataResponse): BrokerInfo[] {
  return metadata.brokers
    .map((broker) => ({ id: broker.nodeId, host: broker.host, port: broker.port, rack: broker.rack, isController: broker.nodeId === metadata.controllerId }))
    .sort((a, b) => a.id - b.id);
}
