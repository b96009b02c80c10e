import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode, errorInfo } from '../protocol/errors';
import { AdminError } from './adminError';
import type { AdminSession } from './adminSession';
import { partitionKey } from './topicMetadata';

/**
 * DescribeLogDirs (API 35), asked of each broker about its own disks: log directory sizes
 * and usage for the brokers view. (Per-replica lag comes from replicaLag.ts instead.)
 */
export interface LogDirInfo {
  path: string;
  /** null when the directory is offline (its error says why). */
  error: string | null;
  sizeBytes: number;
  /** -1 when the broker does not report it (DescribeLogDirs before v4). */
  totalBytes: number;
  usableBytes: number;
}

export interface BrokerLogDirs {
  dirs: LogDirInfo[];
  /** Bytes of each partition's replica on this broker, keyed by partitionKey(topic, partition). */
  partitionSizes: Map<string, number>;
}

export type LogDirsResult =
  | { available: true; brokers: Map<number, BrokerLogDirs | AdminError> }
  | { available: false; reason: string };

/** `topics` null asks about every partition; otherwise only the given topics' partitions. */
export async function describeLogDirs(session: AdminSession, brokerIds: number[], topics: { topic: string; partitions: number[] }[] | null): Promise<LogDirsResult> {
  if (brokerIds.length === 0) return { available: true, brokers: new Map() };
  const version = await session.router.versionOn({ broker: brokerIds[0]! }, ApiKey.DescribeLogDirs).catch(() => null);
  if (version === null) {
    return { available: false, reason: 'the cluster does not serve DescribeLogDirs (API 35), which reports per-replica lag and disk usage' };
  }
  const responses = await session.router.sendToBrokers(brokerIds, ApiKey.DescribeLogDirs, () => ({ topics }));
  const brokers = new Map<number, BrokerLogDirs | AdminError>();
  for (const [brokerId, response] of responses) {
    if (response instanceof AdminError) {
      brokers.set(brokerId, response);
      continue;
    }
    if (response.errorCode !== ErrorCode.NONE) {
      brokers.set(brokerId, new AdminError('kafka', `broker ${brokerId}: DescribeLogDirs: ${errorInfo(response.errorCode).name}`, errorInfo(response.errorCode).name));
      continue;
    }
    const partitionSizes = new Map<string, number>();
    const dirs = response.results.map((dir) => {
      let sizeBytes = 0;
      for (const topic of dir.topics) {
        for (const partition of topic.partitions) {
          sizeBytes += Number(partition.partitionSize);
          partitionSizes.set(partitionKey(topic.name, partition.partitionIndex), Number(partition.partitionSize));
        }
      }
      return {
        path: dir.logDir,
        error: dir.errorCode === ErrorCode.NONE ? null : errorInfo(dir.errorCode).name,
        sizeBytes,
        totalBytes: Number(dir.totalBytes),
        usableBytes: Number(dir.usableBytes),
      };
    });
    brokers.set(brokerId, { dirs, partitionSizes });
  }
  return { available: true, brokers };
}
