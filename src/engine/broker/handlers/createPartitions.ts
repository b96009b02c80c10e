// CreatePartitions (API 37), 0-3: grows a topic to Count partitions, with an optional
// manual assignment for the new ones; validateOnly checks without changing anything.
import { ApiKey } from '../../../protocol/generated/apis';
import type { CreatePartitionsRequest } from '../../../protocol/generated/createPartitionsRequest';
import { defaultCreatePartitionsResponse } from '../../../protocol/generated/createPartitionsResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

export function createPartitionsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.CreatePartitions,
    minVersion: 0,
    maxVersion: 3,
    async handle(request: CreatePartitionsRequest) {
      const results = [];
      for (const topic of request.topics) {
        const assignments = topic.assignments === null ? null : topic.assignments.map((a) => a.brokerIds);
        const result = await services.controller.call('createPartitions', topic.name, topic.count, assignments, request.validateOnly);
        results.push({ name: topic.name, errorCode: result.errorCode, errorMessage: result.errorMessage });
      }
      return { ...defaultCreatePartitionsResponse(), results };
    },
    errorResponse(request: CreatePartitionsRequest, errorCode: number) {
      return {
        ...defaultCreatePartitionsResponse(),
        results: request.topics.map((t) => ({ name: t.name, errorCode, errorMessage: null })),
      };
    },
  });
}
