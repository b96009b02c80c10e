import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../../src/protocol/errors';
import { isSettled, joinInput, PROTOCOL, startCoordinator, syncInput, waitFor, type CoordinatorFixture } from './coordinatorFixture';

let fixture: CoordinatorFixture;
beforeEach(async () => {
  fixture = await startCoordinator();
});
afterEach(() => fixture.cleanup());

const state = (groupId: string) => fixture.coordinator.describeGroup(groupId).state;

/** Two dynamic members join together and reach generation 1; returns ids, leader first. */
async function stableTwoMemberGroup(groupId: string, overrides: Parameters<typeof joinInput>[1] = {}) {
  const { coordinator } = fixture;
  const [a, b] = await Promise.all([
    coordinator.joinGroup(joinInput(groupId, { clientId: 'a', ...overrides })),
    coordinator.joinGroup(joinInput(groupId, { clientId: 'b', ...overrides })),
  ]);
  const leader = a!.memberId === a!.leaderId ? a! : b!;
  const follower = leader === a ? b! : a!;
  const assignments = { [leader.memberId]: 'for-leader', [follower.memberId]: 'for-follower' };
  await Promise.all([
    coordinator.syncGroup(syncInput(groupId, leader.memberId, leader.generationId, assignments)),
    coordinator.syncGroup(syncInput(groupId, follower.memberId, follower.generationId)),
  ]);
  return { leader, follower };
}

describe('joining a group', () => {
  it('takes a single member from Empty to Stable through join and sync, and it heartbeats', async () => {
    const { coordinator } = fixture;
    const joined = await coordinator.joinGroup(joinInput('solo'));
    expect(joined.errorCode).toBe(ErrorCode.NONE);
    expect(joined.generationId).toBe(1);
    expect(joined.leaderId).toBe(joined.memberId);
    expect(joined.protocolName).toBe(PROTOCOL);
    expect(joined.members).toEqual([{ memberId: joined.memberId, groupInstanceId: null, metadata: Buffer.from('subscription') }]);
    expect(state('solo')).toBe('CompletingRebalance');

    const synced = await coordinator.syncGroup(syncInput('solo', joined.memberId, 1, { [joined.memberId]: 'partitions' }));
    expect(synced).toMatchObject({ errorCode: ErrorCode.NONE, protocolType: 'consumer', protocolName: PROTOCOL });
    expect(synced.assignment.toString()).toBe('partitions');
    expect(state('solo')).toBe('Stable');
    expect(coordinator.heartbeat({ groupId: 'solo', generationId: 1, memberId: joined.memberId, groupInstanceId: null })).toBe(ErrorCode.NONE);

    const described = coordinator.describeGroup('solo');
    expect(described.members[0]).toMatchObject({ clientId: 'client', clientHost: '/127.0.0.1' });
    expect(described.members[0]!.assignment.toString()).toBe('partitions');
  });

  it('hands out a member id with MEMBER_ID_REQUIRED first, and admits the member when it comes back with it', async () => {
    const { coordinator } = fixture;
    const first = await coordinator.joinGroup(joinInput('kip394', { clientId: 'app', requireKnownMemberId: true }));
    expect(first.errorCode).toBe(ErrorCode.MEMBER_ID_REQUIRED);
    expect(first.memberId).toMatch(/^app-[0-9a-f-]{36}$/);
    expect(state('kip394')).toBe('Empty');

    const second = await coordinator.joinGroup(joinInput('kip394', { clientId: 'app', memberId: first.memberId, requireKnownMemberId: true }));
    expect(second).toMatchObject({ errorCode: ErrorCode.NONE, memberId: first.memberId, generationId: 1, leaderId: first.memberId });
  });

  it('gives all members joining together one generation; the leader alone gets the member list', async () => {
    const { coordinator } = fixture;
    const [a, b] = await Promise.all([coordinator.joinGroup(joinInput('pair', { clientId: 'a' })), coordinator.joinGroup(joinInput('pair', { clientId: 'b' }))]);
    expect(a!.generationId).toBe(1);
    expect(b!.generationId).toBe(1);
    expect(a!.leaderId).toBe(b!.leaderId);
    const leader = a!.leaderId === a!.memberId ? a! : b!;
    const follower = leader === a ? b! : a!;
    expect(leader.members.map((m) => m.memberId).sort()).toEqual([a!.memberId, b!.memberId].sort());
    expect(follower.members).toEqual([]);

    // The follower's SyncGroup waits for the leader's assignment.
    const followerSync = coordinator.syncGroup(syncInput('pair', follower.memberId, 1));
    expect(await isSettled(followerSync)).toBe(false);
    const leaderSync = await coordinator.syncGroup(syncInput('pair', leader.memberId, 1, { [leader.memberId]: 'L', [follower.memberId]: 'F' }));
    expect(leaderSync.assignment.toString()).toBe('L');
    expect((await followerSync).assignment.toString()).toBe('F');
    expect(state('pair')).toBe('Stable');
  });

  it('selects the protocol most members prefer among those all of them support', async () => {
    const { coordinator } = fixture;
    const meta = Buffer.alloc(0);
    const results = await Promise.all([
      coordinator.joinGroup(joinInput('vote', { protocols: [{ name: 'sticky', metadata: meta }, { name: 'range', metadata: meta }] })),
      coordinator.joinGroup(joinInput('vote', { protocols: [{ name: 'range', metadata: meta }, { name: 'sticky', metadata: meta }] })),
      coordinator.joinGroup(joinInput('vote', { protocols: [{ name: 'roundrobin', metadata: meta }, { name: 'range', metadata: meta }, { name: 'sticky', metadata: meta }] })),
    ]);
    // sticky: 1 vote, range: 2 votes (roundrobin is not supported by everyone).
    expect(results.map((r) => r.protocolName)).toEqual(['range', 'range', 'range']);
  });

  it('refuses a member whose protocol type or protocols do not fit the group', async () => {
    const { coordinator } = fixture;
    await stableTwoMemberGroup('typed');
    const wrongType = await coordinator.joinGroup(joinInput('typed', { protocolType: 'connect' }));
    expect(wrongType.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const noCommon = await coordinator.joinGroup(joinInput('typed', { protocols: [{ name: 'other', metadata: Buffer.alloc(0) }] }));
    expect(noCommon.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
    const empty = await coordinator.joinGroup(joinInput('fresh', { protocols: [] }));
    expect(empty.errorCode).toBe(ErrorCode.INCONSISTENT_GROUP_PROTOCOL);
  });

  it('checks the session timeout against the broker bounds and needs a group id', async () => {
    const { coordinator } = fixture;
    expect((await coordinator.joinGroup(joinInput('g', { sessionTimeoutMs: 5 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinInput('g', { sessionTimeoutMs: 120_000 }))).errorCode).toBe(ErrorCode.INVALID_SESSION_TIMEOUT);
    expect((await coordinator.joinGroup(joinInput(''))).errorCode).toBe(ErrorCode.INVALID_GROUP_ID);
    expect((await coordinator.joinGroup(joinInput('g', { memberId: 'made-up' }))).errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });
});

describe('rebalancing a stable group', () => {
  it('a member leaving makes the others see REBALANCE_IN_PROGRESS, and their rejoin forms the next generation', async () => {
    const { coordinator } = fixture;
    const { leader, follower } = await stableTwoMemberGroup('leave');
    const left = coordinator.leaveGroup('leave', [{ memberId: leader.memberId, groupInstanceId: null }]);
    expect(left.members).toEqual([{ memberId: leader.memberId, groupInstanceId: null, errorCode: ErrorCode.NONE }]);
    expect(state('leave')).toBe('PreparingRebalance');
    expect(coordinator.heartbeat({ groupId: 'leave', generationId: 1, memberId: follower.memberId, groupInstanceId: null })).toBe(ErrorCode.REBALANCE_IN_PROGRESS);

    const rejoined = await coordinator.joinGroup(joinInput('leave', { memberId: follower.memberId }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: follower.memberId });
    expect(rejoined.members).toHaveLength(1);
  });

  it('answers a stale generation with ILLEGAL_GENERATION and an unknown member with UNKNOWN_MEMBER_ID', async () => {
    const { coordinator } = fixture;
    const { leader } = await stableTwoMemberGroup('stale');
    expect(coordinator.heartbeat({ groupId: 'stale', generationId: 0, memberId: leader.memberId, groupInstanceId: null })).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(coordinator.heartbeat({ groupId: 'stale', generationId: 1, memberId: 'ghost', groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect(coordinator.heartbeat({ groupId: 'nope', generationId: 1, memberId: 'ghost', groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    expect((await coordinator.syncGroup(syncInput('stale', leader.memberId, 7))).errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    const commit = await coordinator.commitOffsets({
      groupId: 'stale',
      generationId: 0,
      memberId: leader.memberId,
      groupInstanceId: null,
      offsets: [{ topic: 't', partition: 0, offset: 5n, leaderEpoch: -1, metadata: null }],
    });
    expect(commit).toEqual([{ topic: 't', partition: 0, errorCode: ErrorCode.ILLEGAL_GENERATION }]);
  });

  it('evicts a member whose session times out; the survivor is told to rejoin', async () => {
    const { coordinator } = fixture;
    const { leader, follower } = await stableTwoMemberGroup('sessions', { sessionTimeoutMs: 60 });
    // Only the leader keeps heartbeating.
    let answer: number = ErrorCode.NONE;
    await waitFor(() => {
      answer = coordinator.heartbeat({ groupId: 'sessions', generationId: 1, memberId: leader.memberId, groupInstanceId: null });
      return answer !== ErrorCode.NONE;
    }, 3000, 'the follower to be evicted');
    expect(answer).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(coordinator.describeGroup('sessions').members.map((m) => m.memberId)).toEqual([leader.memberId]);
    expect(coordinator.heartbeat({ groupId: 'sessions', generationId: 1, memberId: follower.memberId, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('empties the group when its last member times out', async () => {
    const { coordinator } = fixture;
    const joined = await coordinator.joinGroup(joinInput('lonely', { sessionTimeoutMs: 30 }));
    await coordinator.syncGroup(syncInput('lonely', joined.memberId, 1, { [joined.memberId]: 'x' }));
    await waitFor(() => state('lonely') === 'Empty', 3000, 'the group to empty');
    expect(coordinator.listGroups().groups.find((g) => g.groupId === 'lonely')).toEqual({ groupId: 'lonely', protocolType: 'consumer', state: 'Empty' });
  });

  it('completes a join round without a member that does not rejoin within the rebalance timeout', async () => {
    const { coordinator } = fixture;
    const { leader, follower } = await stableTwoMemberGroup('laggard', { rebalanceTimeoutMs: 80 });
    // The leader rejoins (which always rebalances); the follower never does.
    const rejoined = await coordinator.joinGroup(joinInput('laggard', { clientId: 'a', memberId: leader.memberId, rebalanceTimeoutMs: 80 }));
    expect(rejoined).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 2, leaderId: leader.memberId });
    expect(rejoined.members.map((m) => m.memberId)).toEqual([leader.memberId]);
    expect(coordinator.heartbeat({ groupId: 'laggard', generationId: 1, memberId: follower.memberId, groupInstanceId: null })).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
  });

  it('sends a follower that rejoins with unchanged metadata the current generation without a rebalance', async () => {
    const { coordinator } = fixture;
    const { follower } = await stableTwoMemberGroup('steady');
    const again = await coordinator.joinGroup(joinInput('steady', { clientId: 'b', memberId: follower.memberId }));
    expect(again).toMatchObject({ errorCode: ErrorCode.NONE, generationId: 1, members: [] });
    expect(state('steady')).toBe('Stable');
  });
});

describe('static membership (KIP-345)', () => {
  it('lets a restarted static member take its place back without a rebalance, fencing its old id', async () => {
    const { coordinator } = fixture;
    const statics = await Promise.all([
      coordinator.joinGroup(joinInput('static-2', { clientId: 's', groupInstanceId: 'instance-1' })),
      coordinator.joinGroup(joinInput('static-2', { clientId: 'd' })),
    ]);
    const staticMember = statics[0]!;
    const dynamicMember = statics[1]!;
    const groupLeader = staticMember.leaderId;
    await Promise.all([
      coordinator.syncGroup({
        ...syncInput('static-2', groupLeader, 1, { [staticMember.memberId]: 'static-part', [dynamicMember.memberId]: 'dynamic-part' }),
        groupInstanceId: groupLeader === staticMember.memberId ? 'instance-1' : null,
      }),
      coordinator.syncGroup({
        ...syncInput('static-2', groupLeader === staticMember.memberId ? dynamicMember.memberId : staticMember.memberId, 1),
        groupInstanceId: groupLeader === staticMember.memberId ? null : 'instance-1',
      }),
    ]);
    expect(state('static-2')).toBe('Stable');

    const restarted = await coordinator.joinGroup(joinInput('static-2', { clientId: 's', groupInstanceId: 'instance-1' }));
    expect(restarted.errorCode).toBe(ErrorCode.NONE);
    expect(restarted.generationId).toBe(1);
    expect(restarted.memberId).not.toBe(staticMember.memberId);
    expect(restarted.memberId.startsWith('instance-1-')).toBe(true);
    expect(restarted.members).toEqual([]);
    expect(state('static-2')).toBe('Stable');
    expect(coordinator.heartbeat({ groupId: 'static-2', generationId: 1, memberId: dynamicMember.memberId, groupInstanceId: null })).toBe(ErrorCode.NONE);
    expect(coordinator.heartbeat({ groupId: 'static-2', generationId: 1, memberId: staticMember.memberId, groupInstanceId: 'instance-1' })).toBe(
      ErrorCode.FENCED_INSTANCE_ID,
    );
    const synced = await coordinator.syncGroup({ ...syncInput('static-2', restarted.memberId, 1), groupInstanceId: 'instance-1' });
    expect(synced.assignment.toString()).toBe('static-part');
  });
});

describe('coordinator availability', () => {
  it('answers NOT_COORDINATOR for groups of partitions it does not lead and fails parked requests when it resigns', async () => {
    const { coordinator } = fixture;
    const partition = coordinator.partitionFor('moving');
    const parked = coordinator.joinGroup(joinInput('moving'));
    coordinator.onResign(partition);
    expect((await parked).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect((await coordinator.joinGroup(joinInput('moving'))).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(coordinator.fetchOffsets('moving', null, false).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('answers COORDINATOR_NOT_AVAILABLE once shut down', async () => {
    const { coordinator } = fixture;
    coordinator.shutdown();
    expect((await coordinator.joinGroup(joinInput('late'))).errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    expect(coordinator.listGroups().errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
  });
});
