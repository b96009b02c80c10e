// DeleteRecords (API 21), 0-2: moves a partition's log start offset (offset -1 = the high
// watermark; beyond it is OFFSET_OUT_OF_RANGE) and answers once every replica has deleted up
// to there, i.e. when the low watermark reached it, or with REQUEST_TIMED_OUT.
import { ErrorCode, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { DeleteRecordsRequest } from '../../../protocol/generated/deleteRecordsRequest';
import { defaultDeleteRecordsResponse } from '../../../protocol/generated/deleteRecordsResponse';
import type { Partition } from '../../partition/partition';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

function waitForLowWatermark(partition: Partition, target: number, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const check = () => {
      if (partition.lowWatermark >= target) finish(true);
    };
    const finish = (reached: boolean) => {
      clearTimeout(timer);
      unsubscribe();
      resolve(reached);
    };
    const timer = setTimeout(() => finish(partition.lowWatermark >= target), Math.max(0, deadline - Date.now()));
    const unsubscribe = partition.onData(check);
    check();
  });
}

export function deleteRecordsHandler(services: BrokerServices) {
  const { replicas } = services;
  return defineHandler({
    apiKey: ApiKey.DeleteRecords,
    minVersion: 0,
    maxVersion: 2,
    async handle(request: DeleteRecordsRequest) {
      const deadline = Date.now() + Math.max(0, request.timeoutMs);
      const topics = await Promise.all(
        request.topics.map(async (topic) => ({
          name: topic.name,
          partitions: await Promise.all(
            topic.partitions.map(async (wanted) => {
              try {
                const partition = replicas.leader(topic.name, wanted.partitionIndex);
                const start = partition.deleteRecordsBefore(Number(wanted.offset));
                const reached = await waitForLowWatermark(partition, start, deadline);
                return { partitionIndex: wanted.partitionIndex, lowWatermark: BigInt(partition.lowWatermark), errorCode: reached ? ErrorCode.NONE : ErrorCode.REQUEST_TIMED_OUT };
              } catch (error) {
                if (isKafkaError(error)) return { partitionIndex: wanted.partitionIndex, lowWatermark: -1n, errorCode: error.code };
                throw error;
              }
            }),
          ),
        })),
      );
      return { ...defaultDeleteRecordsResponse(), topics };
    },
    errorResponse(request: DeleteRecordsRequest, errorCode: number) {
      return {
        ...defaultDeleteRecordsResponse(),
        topics: request.topics.map((t) => ({ name: t.name, partitions: t.partitions.map((p) => ({ partitionIndex: p.partitionIndex, lowWatermark: -1n, errorCode })) })),
      };
    },
  });
}
