// LeaveGroup (API 13): members leave without waiting for their session to expire, which
// starts a rebalance at once. v0-2 name one member; v3+ a batch with group.instance.id, so an
// operator can remove static members (KIP-345) and each gets its own error; v5 adds a reason.
import { ErrorCode } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { LeaveGroupRequest } from '../../../protocol/generated/leaveGroupRequest';
import { defaultLeaveGroupResponse, type LeaveGroupResponse } from '../../../protocol/generated/leaveGroupResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import type { LeaveGroupResult } from '../../coordinator/rebalance';
import { defineHandler, type RequestContext } from '../apiHandler';

function toResponse(result: LeaveGroupResult, version: number): LeaveGroupResponse {
  if (version >= 3) return { ...defaultLeaveGroupResponse(), errorCode: result.errorCode, members: result.members };
  // Before v3 the single member's error is the response's error.
  const memberError = result.members[0]?.errorCode ?? ErrorCode.NONE;
  return { ...defaultLeaveGroupResponse(), errorCode: result.errorCode !== ErrorCode.NONE ? result.errorCode : memberError };
}

export function leaveGroupHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.LeaveGroup,
    minVersion: 0,
    maxVersion: 5,
    handle(request: LeaveGroupRequest, context: RequestContext) {
      const version = context.apiVersion;
      const members =
        version >= 3
          ? request.members.map((m) => ({ memberId: m.memberId, groupInstanceId: m.groupInstanceId }))
          : [{ memberId: request.memberId, groupInstanceId: null }];
      return toResponse(coordinator.leaveGroup(request.groupId, members), version);
    },
    errorResponse(_request: LeaveGroupRequest, errorCode: number, context: RequestContext) {
      return toResponse({ errorCode, members: [] }, context.apiVersion);
    },
  });
}
