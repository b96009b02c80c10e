// DeleteGroups (API 42, KIP-229): deletes Empty groups with their committed offsets
// (tombstones in __consumer_offsets). A group with members answers NON_EMPTY_GROUP, an
// unknown one GROUP_ID_NOT_FOUND. v2 flexible encoding.
import { ApiKey } from '../../../protocol/generated/apis';
import type { DeleteGroupsRequest } from '../../../protocol/generated/deleteGroupsRequest';
import { defaultDeleteGroupsResponse } from '../../../protocol/generated/deleteGroupsResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { defineHandler } from '../apiHandler';

export function deleteGroupsHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.DeleteGroups,
    minVersion: 0,
    maxVersion: 2,
    async handle(request: DeleteGroupsRequest) {
      const results = await coordinator.deleteGroups(request.groupsNames);
      return { ...defaultDeleteGroupsResponse(), results };
    },
    errorResponse(request: DeleteGroupsRequest, errorCode: number) {
      return { ...defaultDeleteGroupsResponse(), results: request.groupsNames.map((groupId) => ({ groupId, errorCode })) };
    },
  });
}
