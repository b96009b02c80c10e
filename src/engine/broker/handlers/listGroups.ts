// ListGroups (API 16): the groups this broker coordinates (clients ask every broker and merge
// the answers). v3 flexible encoding, v4 a states filter and each group's state (KIP-518).
// While a partition is still loading the answer carries COORDINATOR_LOAD_IN_PROGRESS along
// with the groups already loaded, as Kafka does.
import { ApiKey } from '../../../protocol/generated/apis';
import type { ListGroupsRequest } from '../../../protocol/generated/listGroupsRequest';
import { defaultListGroupsResponse } from '../../../protocol/generated/listGroupsResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';

export function listGroupsHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.ListGroups,
    minVersion: 0,
    maxVersion: 4,
    handle(request: ListGroupsRequest, context: RequestContext) {
      const result = coordinator.listGroups(context.apiVersion >= 4 ? request.statesFilter : []);
      return {
        ...defaultListGroupsResponse(),
        errorCode: result.errorCode,
        groups: result.groups.map((group) => ({ groupId: group.groupId, protocolType: group.protocolType, groupState: group.state, groupType: 'classic' })),
      };
    },
    errorResponse(_request: ListGroupsRequest, errorCode: number) {
      return { ...defaultListGroupsResponse(), errorCode };
    },
  });
}
