// DescribeGroups (API 15): state, protocol and members of each group, with the members'
// subscription and assignment bytes while the group is Stable. An unknown group is reported
// as Dead without error up to v5 (v6 would say GROUP_ID_NOT_FOUND). v3 added authorized
// operations (KIP-430), v4 group.instance.id, v5 flexible encoding.
import { ApiKey } from '../../../protocol/generated/apis';
import type { DescribeGroupsRequest } from '../../../protocol/generated/describeGroupsRequest';
import { defaultDescribeGroupsResponse, type DescribeGroupsResponse } from '../../../protocol/generated/describeGroupsResponse';
import type { GroupCoordinator, GroupDescription } from '../../coordinator/groupCoordinator';
import { defineHandler, type RequestContext } from '../apiHandler';

/** Kafka's "not requested" value for authorized operations. */
const OPERATIONS_NOT_REQUESTED = -2147483648;
/**
 * READ (3), DELETE (6) and DESCRIBE (8), the operations a group supports, as a bit set: with
 * no authorizer every client may perform all of them.
 */
const ALL_GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8);

type DescribedGroup = DescribeGroupsResponse['groups'][number];

function describedGroup(description: GroupDescription, authorizedOperations: number): DescribedGroup {
  return {
    errorCode: description.errorCode,
    groupId: description.groupId,
    groupState: description.state,
    protocolType: description.protocolType,
    protocolData: description.protocolName,
    members: description.members.map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      clientId: member.clientId,
      clientHost: member.clientHost,
      memberMetadata: member.metadata,
      memberAssignment: member.assignment,
    })),
    authorizedOperations,
  };
}

export function describeGroupsHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.DescribeGroups,
    minVersion: 0,
    maxVersion: 5,
    handle(request: DescribeGroupsRequest, context: RequestContext) {
      const operations = context.apiVersion >= 3 && request.includeAuthorizedOperations ? ALL_GROUP_OPERATIONS : OPERATIONS_NOT_REQUESTED;
      return {
        ...defaultDescribeGroupsResponse(),
        groups: request.groups.map((groupId) => describedGroup(coordinator.describeGroup(groupId), operations)),
      };
    },
    errorResponse(request: DescribeGroupsRequest, errorCode: number) {
      return {
        ...defaultDescribeGroupsResponse(),
        groups: request.groups.map((groupId) =>
          describedGroup({ errorCode, groupId, state: '', protocolType: '', protocolName: '', members: [] }, OPERATIONS_NOT_REQUESTED),
        ),
      };
    },
  });
}
