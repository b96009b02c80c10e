// CreateTopics (API 19), 0-7. Forwarded to the controller, which validates names, counts,
// assignments and configs and answers per topic; validateOnly checks without creating.
// v5+ returns the resulting partitions, replication factor and effective configs.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { CreateTopicsRequest } from '../../../protocol/generated/createTopicsRequest';
import { defaultCreateTopicsResponse, defaultCreateTopicsResponseCreatableTopicResult } from '../../../protocol/generated/createTopicsResponse';
import { resolveTopicConfigs } from '../../config/configDefinitions';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';
import { ZERO_UUID } from '../../../protocol/primitives/byteReader';


export function createTopicsHandler(services: BrokerServices) {
  const { controller, config } = services;
  return defineHandler({
    apiKey: ApiKey.CreateTopics,
    minVersion: 0,
    maxVersion: 7,
    async handle(request: CreateTopicsRequest, context) {
      const specs = request.topics.map((topic) => ({
        name: topic.name,
        numPartitions: topic.numPartitions,
        replicationFactor: topic.replicationFactor,
        assignments: topic.assignments.map((a) => ({ partition: a.partitionIndex, brokerIds: a.brokerIds })),
        configs: Object.fromEntries(topic.configs.filter((c) => c.value !== null).map((c) => [c.name, c.value as string])),
      }));
      const results = await controller.call('createTopics', specs, request.validateOnly);
      return {
        ...defaultCreateTopicsResponse(),
        topics: results.map((result, i) => ({
          ...defaultCreateTopicsResponseCreatableTopicResult(),
          name: result.name,
          topicId: result.topicId ?? ZERO_UUID,
          errorCode: result.errorCode,
          errorMessage: result.errorMessage,
          numPartitions: result.numPartitions,
          replicationFactor: result.replicationFactor,
          configs:
            result.errorCode === ErrorCode.NONE && context.apiVersion >= 5
              ? resolveTopicConfigs(specs[i]!.configs, config.topicDefaults).map((c) => ({
                  name: c.name,
                  value: c.value,
                  readOnly: false,
                  configSource: c.source,
                  isSensitive: false,
                }))
              : null,
        })),
      };
    },
    errorResponse(request: CreateTopicsRequest, errorCode: number) {
      return {
        ...defaultCreateTopicsResponse(),
        topics: request.topics.map((t) => ({ ...defaultCreateTopicsResponseCreatableTopicResult(), name: t.name, errorCode })),
      };
    },
  });
}
