// JoinGroup (API 11): a member joins (or rejoins) a classic group and waits until the join
// phase of the rebalance completes. v1 added the rebalance timeout (v0 uses the session
// timeout for both), v4 the MEMBER_ID_REQUIRED round trip (KIP-394), v5 static membership
// (group.instance.id, KIP-345), v6 flexible encoding, v7 ProtocolType in the response (KIP-559).
import { ApiKey } from '../../../protocol/generated/apis';
import type { JoinGroupRequest } from '../../../protocol/generated/joinGroupRequest';
import { defaultJoinGroupResponse, type JoinGroupResponse } from '../../../protocol/generated/joinGroupResponse';
import type { GroupCoordinator } from '../../coordinator/groupCoordinator';
import { joinError, type JoinGroupResult } from '../../coordinator/groupResults';
import { defineHandler, type RequestContext } from '../apiHandler';

/**
 * Kafka records a member's host as Java's InetAddress.toString(), "/127.0.0.1", and its
 * tools show it that way; RequestContext carries "host:port".
 */
export function clientHostOf(clientAddress: string): string {
  const bracketed = /^\[(.*)\]:\d+$/.exec(clientAddress);
  if (bracketed !== null) return `/${bracketed[1]}`;
  const colon = clientAddress.lastIndexOf(':');
  const host = colon > 0 && clientAddress.indexOf(':') === colon ? clientAddress.slice(0, colon) : clientAddress;
  return `/${host}`;
}

function toResponse(result: JoinGroupResult, version: number): JoinGroupResponse {
  return {
    ...defaultJoinGroupResponse(),
    errorCode: result.errorCode,
    generationId: result.generationId,
    protocolType: result.protocolType,
    // Nullable from v7; older versions carry '' when no protocol was selected.
    protocolName: result.protocolName ?? (version >= 7 ? null : ''),
    leader: result.leaderId,
    memberId: result.memberId,
    members: result.members.map((member) => ({ memberId: member.memberId, groupInstanceId: member.groupInstanceId, metadata: member.metadata })),
  };
}

export function joinGroupHandler(coordinator: GroupCoordinator) {
  return defineHandler({
    apiKey: ApiKey.JoinGroup,
    minVersion: 0,
    maxVersion: 7,
    async handle(request: JoinGroupRequest, context: RequestContext) {
      const version = context.apiVersion;
      const result = await coordinator.joinGroup({
        groupId: request.groupId,
        memberId: request.memberId,
        groupInstanceId: version >= 5 ? request.groupInstanceId : null,
        clientId: context.clientId ?? '',
        clientHost: clientHostOf(context.clientAddress),
        sessionTimeoutMs: request.sessionTimeoutMs,
        rebalanceTimeoutMs: version >= 1 ? request.rebalanceTimeoutMs : request.sessionTimeoutMs,
        protocolType: request.protocolType,
        protocols: request.protocols.map((p) => ({ name: p.name, metadata: p.metadata })),
        requireKnownMemberId: version >= 4,
      });
      return toResponse(result, version);
    },
    errorResponse(request: JoinGroupRequest, errorCode: number, context: RequestContext) {
      return toResponse(joinError(request.memberId, errorCode), context.apiVersion);
    },
  });
}
