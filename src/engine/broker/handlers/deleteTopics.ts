// DeleteTopics (API 20), 0-6: by name, or (v6+) by name or topic id. The controller removes
// the topic from the metadata log; every replica's broker then deletes its directory.
import { ApiKey } from '../../../protocol/generated/apis';
import type { DeleteTopicsRequest } from '../../../protocol/generated/deleteTopicsRequest';
import { defaultDeleteTopicsResponse, defaultDeleteTopicsResponseDeletableTopicResult } from '../../../protocol/generated/deleteTopicsResponse';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';
import { ZERO_UUID } from '../../../protocol/primitives/byteReader';


function wantedTopics(request: DeleteTopicsRequest, version: number): { name: string | null; topicId: string | null }[] {
  if (version < 6) return request.topicNames.map((name) => ({ name, topicId: null }));
  return request.topics.map((t) => ({ name: t.name, topicId: t.topicId === ZERO_UUID ? null : t.topicId }));
}

export function deleteTopicsHandler(services: BrokerServices) {
  return defineHandler({
    apiKey: ApiKey.DeleteTopics,
    minVersion: 0,
    maxVersion: 6,
    async handle(request: DeleteTopicsRequest, context) {
      const responses = [];
      for (const wanted of wantedTopics(request, context.apiVersion)) {
        const result = await services.controller.call('deleteTopic', wanted);
        responses.push({
          ...defaultDeleteTopicsResponseDeletableTopicResult(),
          name: result.name,
          topicId: result.topicId ?? ZERO_UUID,
          errorCode: result.errorCode,
          errorMessage: result.errorMessage,
        });
      }
      return { ...defaultDeleteTopicsResponse(), responses };
    },
    errorResponse(request: DeleteTopicsRequest, errorCode: number, context) {
      return {
        ...defaultDeleteTopicsResponse(),
        responses: wantedTopics(request, context.apiVersion).map((t) => ({
          ...defaultDeleteTopicsResponseDeletableTopicResult(),
          name: t.name,
          topicId: t.topicId ?? ZERO_UUID,
          errorCode,
        })),
      };
    },
  });
}
