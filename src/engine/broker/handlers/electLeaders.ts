// ElectLeaders (API 43), 0-2: preferred (move leadership back to the first assigned replica
// when it is alive and in sync) or unclean (give a leaderless partition any live replica,
// accepting data loss) elections, decided by the controller. v0 is always preferred.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { ElectLeadersRequest } from '../../../protocol/generated/electLeadersRequest';
import { defaultElectLeadersResponse } from '../../../protocol/generated/electLeadersResponse';
import type { ElectionResult } from '../../controller/controller';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

const ELECTION_TYPES = { 0: 'preferred', 1: 'unclean' } as const;

function groupByTopic(results: readonly ElectionResult[]) {
  const byTopic = new Map<string, { partitionId: number; errorCode: number; errorMessage: string | null }[]>();
  for (const r of results) {
    byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), { partitionId: r.partition, errorCode: r.errorCode, errorMessage: r.errorMessage }]);
  }
  return [...byTopic.entries()].map(([topic, partitionResult]) => ({ topic, partitionResult }));
}

export function electLeadersHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.ElectLeaders,
    minVersion: 0,
    maxVersion: 2,
    async handle(request: ElectLeadersRequest, context) {
      const type = context.apiVersion === 0 ? 'preferred' : ELECTION_TYPES[request.electionType as 0 | 1];
      if (type === undefined) {
        return { ...defaultElectLeadersResponse(), errorCode: ErrorCode.INVALID_REQUEST };
      }
      const partitions = request.topicPartitions === null ? null : request.topicPartitions.flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition })));
      const results = await services.controller.call('electLeaders', type, partitions);
      return { ...defaultElectLeadersResponse(), replicaElectionResults: groupByTopic(results) };
    },
    errorResponse(request: ElectLeadersRequest, errorCode: number, context) {
      const partitions = (request.topicPartitions ?? []).flatMap((t) => t.partitions.map((partition) => ({ topic: t.topic, partition, errorCode, errorMessage: null })));
      return { ...defaultElectLeadersResponse(), errorCode: context.apiVersion >= 1 ? errorCode : 0, replicaElectionResults: groupByTopic(partitions) };
    },
  });
}
