// AlterConfigs (API 33, 0-2) replaces a topic's whole set of overrides; IncrementalAlterConfigs
// (API 44, 0-1, KIP-339) applies SET/DELETE/APPEND/SUBTRACT to single keys. Both are
// all-or-nothing per resource and validated by the controller with Kafka's rules
// (INVALID_CONFIG names the offending key). Broker resources (a broker id, or "" for the
// cluster-wide default) accept only the dynamic broker configs (dynamicBrokerConfigs.ts).
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { AlterConfigsRequest } from '../../../protocol/generated/alterConfigsRequest';
import { defaultAlterConfigsResponse } from '../../../protocol/generated/alterConfigsResponse';
import type { IncrementalAlterConfigsRequest } from '../../../protocol/generated/incrementalAlterConfigsRequest';
import { defaultIncrementalAlterConfigsResponse } from '../../../protocol/generated/incrementalAlterConfigsResponse';
import type { ConfigOperation } from '../../config/configOperations';
import type { OperationResult } from '../../controller/controller';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';
import { ResourceType } from './resourceType';

const INCREMENTAL_OPERATIONS: Record<number, ConfigOperation['op']> = { 0: 'set', 1: 'delete', 2: 'append', 3: 'subtract' };

interface ResourceChange {
  resourceType: number;
  resourceName: string;
  operations: ConfigOperation[] | { invalid: string };
}

async function applyChange(services: BrokerServices, change: ResourceChange, replace: boolean, validateOnly: boolean): Promise<OperationResult> {
  if ('invalid' in change.operations) return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: change.operations.invalid };
  switch (change.resourceType) {
    case ResourceType.Topic:
      return services.controller.call('alterTopicConfigs', change.resourceName, change.operations, replace, validateOnly);
    case ResourceType.Broker:
      return services.controller.call('alterBrokerConfigs', change.resourceName, change.operations, replace, validateOnly);
    default:
      return { errorCode: ErrorCode.INVALID_REQUEST, errorMessage: `Resource type ${change.resourceType} has no alterable configs here` };
  }
}

async function respond(services: BrokerServices, changes: ResourceChange[], replace: boolean, validateOnly: boolean) {
  const responses = [];
  for (const change of changes) {
    const result = await applyChange(services, change, replace, validateOnly);
    responses.push({ ...result, resourceType: change.resourceType, resourceName: change.resourceName });
  }
  return responses;
}

export function alterConfigsHandler(services: BrokerServices) {
  const changesOf = (request: AlterConfigsRequest): ResourceChange[] =>
    request.resources.map((r) => ({
      resourceType: r.resourceType,
      resourceName: r.resourceName,
      operations: r.configs.map((c) => ({ name: c.name, op: c.value === null ? ('delete' as const) : ('set' as const), value: c.value })),
    }));
  return defineHandler({
    apiKey: ApiKey.AlterConfigs,
    minVersion: 0,
    maxVersion: 2,
    async handle(request: AlterConfigsRequest) {
      return { ...defaultAlterConfigsResponse(), responses: await respond(services, changesOf(request), true, request.validateOnly) };
    },
    errorResponse(request: AlterConfigsRequest, errorCode: number) {
      return {
        ...defaultAlterConfigsResponse(),
        responses: request.resources.map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
      };
    },
  });
}

export function incrementalAlterConfigsHandler(services: BrokerServices) {
  const changesOf = (request: IncrementalAlterConfigsRequest): ResourceChange[] =>
    request.resources.map((r) => {
      const operations: ConfigOperation[] = [];
      for (const c of r.configs) {
        const op = INCREMENTAL_OPERATIONS[c.configOperation];
        if (op === undefined) return { resourceType: r.resourceType, resourceName: r.resourceName, operations: { invalid: `Unknown config operation ${c.configOperation} for ${c.name}` } };
        operations.push({ name: c.name, op, value: c.value });
      }
      return { resourceType: r.resourceType, resourceName: r.resourceName, operations };
    });
  return defineHandler({
    apiKey: ApiKey.IncrementalAlterConfigs,
    minVersion: 0,
    maxVersion: 1,
    async handle(request: IncrementalAlterConfigsRequest) {
      return { ...defaultIncrementalAlterConfigsResponse(), responses: await respond(services, changesOf(request), false, request.validateOnly) };
    },
    errorResponse(request: IncrementalAlterConfigsRequest, errorCode: number) {
      return {
        ...defaultIncrementalAlterConfigsResponse(),
        responses: request.resources.map((r) => ({ errorCode, errorMessage: null, resourceType: r.resourceType, resourceName: r.resourceName })),
      };
    },
  });
}
