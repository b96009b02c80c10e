// DescribeProducers (API 61), 0 (KIP-664): the active producers of partitions this broker
// leads, from the partition's producer state (epoch, last sequence, last timestamp) and its
// log's open transactions (the first offset of each producer's open transaction, which is
// what holds the LSO back: the tool to find a hanging transaction), and the coordinator
// epoch of the last transaction marker written for the producer (-1 before any).
import { isKafkaError, ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeProducersRequest } from '../../../protocol/generated/describeProducersRequest';
import { defaultDescribeProducersResponse, type DescribeProducersResponse } from '../../../protocol/generated/describeProducersResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

type PartitionResponse = DescribeProducersResponse['topics'][number]['partitions'][number];

export function describeProducersHandler(services: BrokerServices) {
  const { replicas } = services;

  function describePartition(topic: string, partitionIndex: number): PartitionResponse {
    try {
      const partition = replicas.leader(topic, partitionIndex);
      const open = partition.log.openTransactions;
      return {
        partitionIndex,
        errorCode: ErrorCode.NONE,
        errorMessage: null,
        activeProducers: partition.producers.producersView().map((producer) => ({
          producerId: BigInt(producer.producerId),
          producerEpoch: producer.producerEpoch,
          lastSequence: producer.lastSequence,
          lastTimestamp: BigInt(producer.lastTimestamp),
          coordinatorEpoch: producer.coordinatorEpoch,
          currentTxnStartOffset: BigInt(open.get(BigInt(producer.producerId)) ?? -1),
        })),
      };
    } catch (error) {
      if (!isKafkaError(error)) throw error;
      return { partitionIndex, errorCode: error.code, errorMessage: error.message, activeProducers: [] };
    }
  }

  return defineHandler({
    apiKey: ApiKey.DescribeProducers,
    minVersion: 0,
    maxVersion: 0,
    handle(request: DescribeProducersRequest) {
      return {
        ...defaultDescribeProducersResponse(),
        topics: request.topics.map((topic) => ({ name: topic.name, partitions: topic.partitionIndexes.map((index) => describePartition(topic.name, index)) })),
      };
    },
    errorResponse(request: DescribeProducersRequest, errorCode: number) {
      return {
        ...defaultDescribeProducersResponse(),
        topics: request.topics.map((topic) => ({
          name: topic.name,
          partitions: topic.partitionIndexes.map((partitionIndex) => ({ partitionIndex, errorCode, errorMessage: null, activeProducers: [] })),
        })),
      };
    },
  });
}
