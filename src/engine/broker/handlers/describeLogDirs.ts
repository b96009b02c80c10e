// DescribeLogDirs (API 35), 1-4: this broker's log directory with the size of every local
// replica and its offset lag: 0 for a leader; for a follower, how far its log end trails
// the high watermark it last heard from the leader (Kafka reports max(HW - LEO, 0)).
import fs from 'node:fs';
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeLogDirsRequest } from '../../../protocol/generated/describeLogDirsRequest';
import { defaultDescribeLogDirsResponse, defaultDescribeLogDirsResponseDescribeLogDirsResult } from '../../../protocol/generated/describeLogDirsResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

function diskSpace(dir: string): { totalBytes: bigint; usableBytes: bigint } {
  try {
    const stats = fs.statfsSync(dir);
    return { totalBytes: BigInt(stats.blocks * stats.bsize), usableBytes: BigInt(stats.bavail * stats.bsize) };
  } catch {
    return { totalBytes: -1n, usableBytes: -1n };
  }
}

export function describeLogDirsHandler(services: BrokerServices) {
  const { replicas, config } = services;
  return defineHandler({
    apiKey: ApiKey.DescribeLogDirs,
    minVersion: 1,
    maxVersion: 4,
    handle(request: DescribeLogDirsRequest, context) {
      const wanted = request.topics === null ? null : new Map(request.topics.map((t) => [t.topic, new Set(t.partitions)]));
      const byTopic = new Map<string, { partitionIndex: number; partitionSize: bigint; offsetLag: bigint; isFutureKey: boolean }[]>();
      for (const partition of replicas.allPartitions()) {
        if (wanted !== null && !wanted.get(partition.topic)?.has(partition.index)) continue;
        byTopic.set(partition.topic, [
          ...(byTopic.get(partition.topic) ?? []),
          { partitionIndex: partition.index, partitionSize: BigInt(partition.log.sizeInBytes), offsetLag: BigInt(partition.offsetLag), isFutureKey: false },
        ]);
      }
      const space = context.apiVersion >= 4 ? diskSpace(config.dataDir) : { totalBytes: -1n, usableBytes: -1n };
      return {
        ...defaultDescribeLogDirsResponse(),
        results: [
          {
            ...defaultDescribeLogDirsResponseDescribeLogDirsResult(),
            errorCode: ErrorCode.NONE,
            logDir: config.dataDir,
            topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions: partitions.sort((a, b) => a.partitionIndex - b.partitionIndex) })),
            ...space,
          },
        ],
      };
    },
    errorResponse(_request: DescribeLogDirsRequest, errorCode: number, context) {
      return { ...defaultDescribeLogDirsResponse(), errorCode: context.apiVersion >= 3 ? errorCode : 0 };
    },
  });
}
