import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type AnyApiHandler, type ApiHandler, type RequestContext } from '../../../../src/engine/broker/apiHandler';
import { clientHostOf } from '../../../../src/engine/broker/handlers/joinGroup';
import { groupHandlers } from '../../../../src/engine/broker/handlers/groupHandlers';
import { ErrorCode } from '../../../../src/protocol/errors';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../../../../src/protocol/generated/apis';
import { defaultDeleteGroupsRequest } from '../../../../src/protocol/generated/deleteGroupsRequest';
import { defaultDescribeGroupsRequest } from '../../../../src/protocol/generated/describeGroupsRequest';
import { defaultHeartbeatRequest } from '../../../../src/protocol/generated/heartbeatRequest';
import { defaultJoinGroupRequest } from '../../../../src/protocol/generated/joinGroupRequest';
import { defaultLeaveGroupRequest } from '../../../../src/protocol/generated/leaveGroupRequest';
import { defaultListGroupsRequest } from '../../../../src/protocol/generated/listGroupsRequest';
import { defaultOffsetCommitRequest } from '../../../../src/protocol/generated/offsetCommitRequest';
import { defaultOffsetDeleteRequest } from '../../../../src/protocol/generated/offsetDeleteRequest';
import { defaultOffsetFetchRequest } from '../../../../src/protocol/generated/offsetFetchRequest';
import { defaultSyncGroupRequest } from '../../../../src/protocol/generated/syncGroupRequest';
import { encodeResponseFrame } from '../../../../src/protocol/requestFrame';
import { startCoordinator, type CoordinatorFixture } from './coordinatorFixture';

let fixture: CoordinatorFixture;
let handlers: AnyApiHandler[];
beforeEach(async () => {
  fixture = await startCoordinator();
  handlers = groupHandlers(fixture.coordinator, { partitionExists: (topic) => topic !== 'no-such-topic' });
});
afterEach(() => fixture.cleanup());

const context = (apiVersion: number): RequestContext => ({ apiVersion, correlationId: 1, clientId: 'rdkafka', clientAddress: '127.0.0.1:51234', connectionId: 1 });

function handlerFor<K extends ApiKeyValue>(apiKey: K): ApiHandler<K> {
  const handler = handlers.find((h) => h.apiKey === apiKey);
  if (handler === undefined) throw new Error(`no handler for API ${apiKey}`);
  return handler as unknown as ApiHandler<K>;
}

/** Runs the handler and checks that its answer encodes at that version, as the broker would send it. */
async function call<K extends ApiKeyValue>(apiKey: K, version: number, request: RequestByKey[K]): Promise<ResponseByKey[K]> {
  const response = await handlerFor(apiKey).handle(request, context(version));
  if (typeof response === 'symbol') throw new Error('group APIs always answer');
  expect(() => encodeResponseFrame(apiKey, version, 1, response)).not.toThrow();
  return response;
}

const protocols = [{ name: 'range', metadata: Buffer.from([0, 1]) }];
const joinRequest = (groupId: string, memberId = '') => ({
  ...defaultJoinGroupRequest(),
  groupId,
  memberId,
  sessionTimeoutMs: 10_000,
  rebalanceTimeoutMs: 10_000,
  protocolType: 'consumer',
  protocols,
});

describe('group API handlers', () => {
  it('runs a librdkafka-style consumer through JoinGroup v5 (MEMBER_ID_REQUIRED), SyncGroup, Heartbeat and LeaveGroup', async () => {
    const first = await call(ApiKey.JoinGroup, 5, joinRequest('rd'));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^rdkafka-/);

    const joined = await call(ApiKey.JoinGroup, 5, joinRequest('rd', first.memberId));
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range', leader: first.memberId, memberId: first.memberId });
    expect(joined.members).toEqual([{ memberId: first.memberId, groupInstanceId: null, metadata: Buffer.from([0, 1]) }]);

    const synced = await call(ApiKey.SyncGroup, 5, {
      ...defaultSyncGroupRequest(),
      groupId: 'rd',
      generationId: 1,
      memberId: first.memberId,
      protocolType: 'consumer',
      protocolName: 'range',
      assignments: [{ memberId: first.memberId, assignment: Buffer.from('mine') }],
    });
    expect(synced).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: 'range' });
    expect(synced.assignment.toString()).toBe('mine');

    const beat = await call(ApiKey.Heartbeat, 4, { ...defaultHeartbeatRequest(), groupId: 'rd', generationId: 1, memberId: first.memberId });
    expect(beat.errorCode).toBe(ErrorCode.NONE);

    const described = await call(ApiKey.DescribeGroups, 5, { ...defaultDescribeGroupsRequest(), groups: ['rd'], includeAuthorizedOperations: true });
    expect(described.groups[0]).toMatchObject({ groupState: 'Stable', protocolType: 'consumer', protocolData: 'range' });
    expect(described.groups[0]!.members[0]).toMatchObject({ clientId: 'rdkafka', clientHost: '/127.0.0.1', memberId: first.memberId });
    expect(described.groups[0]!.members[0]!.memberAssignment.toString()).toBe('mine');

    const left = await call(ApiKey.LeaveGroup, 1, { ...defaultLeaveGroupRequest(), groupId: 'rd', memberId: first.memberId });
    expect(left.errorCode).toBe(ErrorCode.NONE);
    const gone = await call(ApiKey.LeaveGroup, 1, { ...defaultLeaveGroupRequest(), groupId: 'rd', memberId: first.memberId });
    expect(gone.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('joins directly before JoinGroup v4 and uses the session timeout as rebalance timeout at v0', async () => {
    const joined = await call(ApiKey.JoinGroup, 0, { ...joinRequest('old'), rebalanceTimeoutMs: -1 });
    expect(joined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, protocolName: 'range' });
    const failed = await call(ApiKey.JoinGroup, 7, { ...joinRequest('old'), protocolType: 'other' });
    expect(failed).toMatchObject({ errorCode: ErrorCode.INCONSISTENT_GROUP_PROTOCOL, protocolName: null });
  });

  it('checks SyncGroup v5 protocol names against the selected protocol', async () => {
    const joined = await call(ApiKey.JoinGroup, 3, joinRequest('named'));
    const synced = await call(ApiKey.SyncGroup, 5, {
      ...defaultSyncGroupRequest(),
      groupId: 'named',
      generationId: joined.generationId,
      memberId: joined.memberId,
      protocolType: 'consumer',
      protocolName: 'roundrobin',
    });
    expect(synced.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('removes a batch of members with per-member errors from LeaveGroup v3', async () => {
    const joined = await call(ApiKey.JoinGroup, 3, joinRequest('batch'));
    const left = await call(ApiKey.LeaveGroup, 4, {
      ...defaultLeaveGroupRequest(),
      groupId: 'batch',
      members: [
        { memberId: joined.memberId, groupInstanceId: null, reason: null },
        { memberId: 'stranger', groupInstanceId: null, reason: null },
      ],
    });
    expect(left.errorCode).toBe(ErrorCode.NONE);
    expect(left.members.map((m) => [m.memberId, m.errorCode])).toEqual([
      [joined.memberId, ErrorCode.NONE],
      ['stranger', ErrorCode.UNKNOWN_MEMBER_ID],
    ]);
  });

  it('commits manually with OffsetCommit v2 and reads back with OffsetFetch v1 and a v8 batch of groups', async () => {
    const committed = await call(ApiKey.OffsetCommit, 2, {
      ...defaultOffsetCommitRequest(),
      groupId: 'kcat',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      topics: [
        {
          name: 'orders',
          partitions: [
            { partitionIndex: 0, committedOffset: 12n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null },
            { partitionIndex: 1, committedOffset: 13n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: 'm' },
          ],
        },
        { name: 'no-such-topic', partitions: [{ partitionIndex: 0, committedOffset: 1n, committedLeaderEpoch: -1, commitTimestamp: -1n, committedMetadata: null }] },
      ],
    });
    expect(committed.topics).toEqual([
      { name: 'orders', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.NONE }, { partitionIndex: 1, errorCode: ErrorCode.NONE }] },
      { name: 'no-such-topic', partitions: [{ partitionIndex: 0, errorCode: ErrorCode.UNKNOWN_TOPIC_OR_PARTITION }] },
    ]);

    const v1 = await call(ApiKey.OffsetFetch, 1, { ...defaultOffsetFetchRequest(), groupId: 'kcat', topics: [{ name: 'orders', partitionIndexes: [1, 2] }] });
    expect(v1.topics[0]!.partitions.map((p) => [p.partitionIndex, p.committedOffset, p.metadata])).toEqual([
      [1, 13n, 'm'],
      [2, -1n, ''],
    ]);

    const v8 = await call(ApiKey.OffsetFetch, 8, {
      ...defaultOffsetFetchRequest(),
      groups: [
        { groupId: 'kcat', memberId: null, memberEpoch: -1, topics: null },
        { groupId: 'nobody', memberId: null, memberEpoch: -1, topics: [{ name: 'orders', partitionIndexes: [0] }] },
      ],
    });
    expect(v8.groups.map((g) => [g.groupId, g.errorCode, g.topics.flatMap((t) => t.partitions.map((p) => p.committedOffset))])).toEqual([
      ['kcat', ErrorCode.NONE, [12n, 13n]],
      ['nobody', ErrorCode.NONE, [-1n]],
    ]);
  });

  it('lists groups with a states filter at v4, deletes offsets and groups', async () => {
    await call(ApiKey.OffsetCommit, 8, {
      ...defaultOffsetCommitRequest(),
      groupId: 'idle',
      topics: [{ name: 'orders', partitions: [{ partitionIndex: 0, committedOffset: 5n, committedLeaderEpoch: 2, commitTimestamp: -1n, committedMetadata: '' }] }],
    });
    await call(ApiKey.JoinGroup, 3, joinRequest('busy'));

    const all = await call(ApiKey.ListGroups, 4, defaultListGroupsRequest());
    expect(all.groups.map((g) => [g.groupId, g.groupState])).toEqual([
      ['busy', 'CompletingRebalance'],
      ['idle', 'Empty'],
    ]);
    const empty = await call(ApiKey.ListGroups, 4, { ...defaultListGroupsRequest(), statesFilter: ['empty'] });
    expect(empty.groups.map((g) => g.groupId)).toEqual(['idle']);
    // v0-3 have no filter field: whatever the decoded request holds is ignored.
    const v2 = await call(ApiKey.ListGroups, 2, { ...defaultListGroupsRequest(), statesFilter: ['empty'] });
    expect(v2.groups).toHaveLength(2);

    const deleteBusy = await call(ApiKey.OffsetDelete, 0, { ...defaultOffsetDeleteRequest(), groupId: 'busy', topics: [{ name: 'orders', partitions: [{ partitionIndex: 0 }] }] });
    expect(deleteBusy.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC);

    const deleted = await call(ApiKey.DeleteGroups, 2, { ...defaultDeleteGroupsRequest(), groupsNames: ['idle', 'busy', 'never'] });
    expect(deleted.results).toEqual([
      { groupId: 'idle', errorCode: ErrorCode.NONE },
      { groupId: 'busy', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'never', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
  });

  it('answers NOT_COORDINATOR in every version when the group belongs to another broker', async () => {
    fixture.coordinator.onResign(fixture.coordinator.partitionFor('elsewhere'));
    expect((await call(ApiKey.JoinGroup, 7, joinRequest('elsewhere'))).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const v1 = await call(ApiKey.OffsetFetch, 1, { ...defaultOffsetFetchRequest(), groupId: 'elsewhere', topics: [{ name: 't', partitionIndexes: [0] }] });
    expect(v1.topics[0]!.partitions[0]!.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    const v7 = await call(ApiKey.OffsetFetch, 7, { ...defaultOffsetFetchRequest(), groupId: 'elsewhere', topics: null });
    expect(v7.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('builds an encodable error response for every advertised version of every group API', () => {
    const requests: { [K in ApiKeyValue]?: RequestByKey[K] } = {
      [ApiKey.JoinGroup]: joinRequest('g'),
      [ApiKey.SyncGroup]: defaultSyncGroupRequest(),
      [ApiKey.Heartbeat]: defaultHeartbeatRequest(),
      [ApiKey.LeaveGroup]: { ...defaultLeaveGroupRequest(), members: [{ memberId: 'm', groupInstanceId: null, reason: null }] },
      [ApiKey.OffsetCommit]: defaultOffsetCommitRequest(),
      [ApiKey.OffsetFetch]: { ...defaultOffsetFetchRequest(), topics: [{ name: 't', partitionIndexes: [0] }] },
      [ApiKey.OffsetDelete]: defaultOffsetDeleteRequest(),
      [ApiKey.DescribeGroups]: { ...defaultDescribeGroupsRequest(), groups: ['g'] },
      [ApiKey.ListGroups]: defaultListGroupsRequest(),
      [ApiKey.DeleteGroups]: { ...defaultDeleteGroupsRequest(), groupsNames: ['g'] },
    };
    expect(handlers.map((h) => h.apiKey).sort((a, b) => a - b)).toEqual(Object.keys(requests).map(Number).sort((a, b) => a - b));
    for (const handler of handlers) {
      const typed = handler as unknown as ApiHandler<ApiKeyValue>;
      const request = requests[handler.apiKey] as RequestByKey[ApiKeyValue];
      for (let version = handler.minVersion; version <= handler.maxVersion; version++) {
        const response = typed.errorResponse(request, ErrorCode.COORDINATOR_NOT_AVAILABLE, context(version));
        expect(() => encodeResponseFrame(handler.apiKey, version, 1, response), `API ${handler.apiKey} v${version}`).not.toThrow();
      }
    }
  });

  it('advertises the versions real clients need (librdkafka requires v0 of the membership APIs)', () => {
    const ranges = Object.fromEntries(handlers.map((h) => [h.apiKey, [h.minVersion, h.maxVersion]]));
    expect(ranges).toEqual({
      [ApiKey.OffsetCommit]: [2, 8],
      [ApiKey.OffsetFetch]: [1, 8],
      [ApiKey.JoinGroup]: [0, 7],
      [ApiKey.Heartbeat]: [0, 4],
      [ApiKey.LeaveGroup]: [0, 5],
      [ApiKey.SyncGroup]: [0, 5],
      [ApiKey.DescribeGroups]: [0, 5],
      [ApiKey.ListGroups]: [0, 4],
      [ApiKey.DeleteGroups]: [0, 2],
      [ApiKey.OffsetDelete]: [0, 0],
    });
  });

  it('records member hosts the way Kafka prints them', () => {
    expect(clientHostOf('127.0.0.1:51234')).toBe('/127.0.0.1');
    expect(clientHostOf('[::1]:9092')).toBe('/::1');
  });
});
