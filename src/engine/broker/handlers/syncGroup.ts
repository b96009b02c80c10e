// SyncGroup (API 14): the leader hands in the assignment computed from the JoinGroup member
// list; every member (leader included) waits for its own part. v3 added group.instance.id
// (KIP-345), v4 flexible encoding, v5 ProtocolType/ProtocolName in both directions so the
// client can check the coordinator selected what it expects (KIP-559).
import { ApiKey } from '../../../protocol/generated/apis';
import type { SyncGroupRequest } from '../../../protocol/generated/syncGroupRequest';
import { defaultSyncGroupResponse, type SyncGroupResponse } from '../../../protocol/generated/syncGroupResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { syncError, type SyncGroupResult } from '../../coordinator/groupResults';
import { defineHandler, type RequestContext } from '../apiHandler';

function toResponse(result: SyncGroupResult): SyncGroupResponse {
  return {
    ...defaultSyncGroupResponse(),
    errorCode: result.errorCode,
    protocolType: result.protocolType,
    protocolName: result.protocolName,
    assignment: result.assignment,
  };
}

export function syncGroupHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.SyncGroup,
    minVersion: 0,
    maxVersion: 5,
    async handle(request: SyncGroupRequest, context: RequestContext) {
      const version = context.apiVersion;
      const result = await coordinator.syncGroup({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: version >= 3 ? request.groupInstanceId : null,
        protocolType: version >= 5 ? request.protocolType : null,
        protocolName: version >= 5 ? request.protocolName : null,
        assignments: request.assignments.map((a) => ({ memberId: a.memberId, assignment: a.assignment })),
      });
      return toResponse(result);
    },
    errorResponse(_request: SyncGroupRequest, errorCode: number) {
      return toResponse(syncError(errorCode));
    },
  });
}
