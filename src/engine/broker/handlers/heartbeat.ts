// Heartbeat (API 12): keeps a member's session alive and tells it when to rejoin
// (REBALANCE_IN_PROGRESS), or that it lost its place (ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID,
// FENCED_INSTANCE_ID). v3 added group.instance.id (KIP-345), v4 flexible encoding.
import { ApiKey } from '../../../protocol/generated/apis';
import type { HeartbeatRequest } from '../../../protocol/generated/heartbeatRequest';
import { defaultHeartbeatResponse } from '../../../protocol/generated/heartbeatResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';

export function heartbeatHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.Heartbeat,
    minVersion: 0,
    maxVersion: 4,
    handle(request: HeartbeatRequest, context: RequestContext) {
      const errorCode = coordinator.heartbeat({
        groupId: request.groupId,
        generationId: request.generationId,
        memberId: request.memberId,
        groupInstanceId: context.apiVersion >= 3 ? request.groupInstanceId : null,
      });
      return { ...defaultHeartbeatResponse(), errorCode };
    },
    errorResponse(_request: HeartbeatRequest, errorCode: number) {
      return { ...defaultHeartbeatResponse(), errorCode };
    },
  });
}
