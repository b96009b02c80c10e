// OffsetForLeaderEpoch (API 23), 2-4: the end offset of a leader epoch in the leader's log
// (the start of the next epoch, or the LEO for the latest one), with the largest epoch not
// above the requested one (KIP-101, KIP-279). Consumers use it to detect that their
// position lies beyond a truncation after a leader change (KIP-320); followers to truncate.
import { ErrorCode, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { OffsetForLeaderEpochRequest } from '../../../protocol/generated/offsetForLeaderEpochRequest';
import { defaultOffsetForLeaderEpochResponse, defaultOffsetForLeaderEpochResponseEpochEndOffset } from '../../../protocol/generated/offsetForLeaderEpochResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

export function offsetForLeaderEpochHandler(services: BrokerServices) {
  const { replicas } = services;
  return defineHandler({
    apiKey: ApiKey.OffsetForLeaderEpoch,
    minVersion: 2,
    maxVersion: 4,
    handle(request: OffsetForLeaderEpochRequest) {
      return {
        ...defaultOffsetForLeaderEpochResponse(),
        topics: request.topics.map((topic) => ({
          topic: topic.topic,
          partitions: topic.partitions.map((wanted) => {
            const base = { ...defaultOffsetForLeaderEpochResponseEpochEndOffset(), partition: wanted.partition };
            try {
              const partition = replicas.leader(topic.topic, wanted.partition);
              if (wanted.currentLeaderEpoch >= 0 && wanted.currentLeaderEpoch !== partition.leaderEpoch) {
                return { ...base, errorCode: wanted.currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH };
              }
              const end = partition.log.endOffsetForEpoch(wanted.leaderEpoch);
              return { ...base, leaderEpoch: end.epoch, endOffset: BigInt(end.endOffset) };
            } catch (error) {
              if (isKafkaError(error)) return { ...base, errorCode: error.code };
              throw error;
            }
          }),
        })),
      };
    },
    errorResponse(request: OffsetForLeaderEpochRequest, errorCode: number) {
      return {
        ...defaultOffsetForLeaderEpochResponse(),
        topics: request.topics.map((topic) => ({
          topic: topic.topic,
          partitions: topic.partitions.map((p) => ({ ...defaultOffsetForLeaderEpochResponseEpochEndOffset(), partition: p.partition, errorCode })),
        })),
      };
    },
  });
}
