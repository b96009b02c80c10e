// AlterPartitionReassignments (API 45) and ListPartitionReassignments (API 46), v0 (KIP-455):
// start, change or cancel (null replicas) reassignments, and list the ongoing ones with
// their adding and removing replicas. The controller runs them; brokers just follow the
// replica sets in the metadata log (new replicas fetch, removed ones delete their data).
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { AlterPartitionReassignmentsRequest } from '../../../protocol/generated/alterPartitionReassignmentsRequest';
import { defaultAlterPartitionReassignmentsResponse } from '../../../protocol/generated/alterPartitionReassignmentsResponse';
import type { ListPartitionReassignmentsRequest } from '../../../protocol/generated/listPartitionReassignmentsRequest';
import { defaultListPartitionReassignmentsResponse } from '../../../protocol/generated/listPartitionReassignmentsResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

export function alterPartitionReassignmentsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.AlterPartitionReassignments,
    minVersion: 0,
    maxVersion: 0,
    async handle(request: AlterPartitionReassignmentsRequest) {
      const wanted = request.topics.flatMap((t) => t.partitions.map((p) => ({ topic: t.name, partition: p.partitionIndex, replicas: p.replicas })));
      const results = await services.controller.call('alterPartitionReassignments', wanted);
      return {
        ...defaultAlterPartitionReassignmentsResponse(),
        responses: request.topics.map((t) => ({
          name: t.name,
          partitions: t.partitions.map((p) => {
            const result = results.find((r) => r.topic === t.name && r.partition === p.partitionIndex);
            return { partitionIndex: p.partitionIndex, errorCode: result?.errorCode ?? ErrorCode.UNKNOWN_SERVER_ERROR, errorMessage: result?.errorMessage ?? null };
          }),
        })),
      };
    },
    errorResponse(_request: AlterPartitionReassignmentsRequest, errorCode: number) {
      return { ...defaultAlterPartitionReassignmentsResponse(), errorCode };
    },
  });
}

export function listPartitionReassignmentsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.ListPartitionReassignments,
    minVersion: 0,
    maxVersion: 0,
    async handle(request: ListPartitionReassignmentsRequest) {
      const wanted = request.topics === null ? null : request.topics.flatMap((t) => t.partitionIndexes.map((partition) => ({ topic: t.name, partition })));
      const ongoing = await services.controller.call('listPartitionReassignments', wanted);
      const byTopic = new Map<string, { partitionIndex: number; replicas: number[]; addingReplicas: number[]; removingReplicas: number[] }[]>();
      for (const r of ongoing) {
        byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { partitionIndex: r.partition, replicas: r.replicas, addingReplicas: r.addingReplicas, removingReplicas: r.removingReplicas }]);
      }
      return { ...defaultListPartitionReassignmentsResponse(), topics: [...byTopic.entries()].map(([name, partitions]) => ({ name, partitions })) };
    },
    errorResponse(_request: ListPartitionReassignmentsRequest, errorCode: number) {
      return { ...defaultListPartitionReassignmentsResponse(), errorCode };
    },
  });
}
