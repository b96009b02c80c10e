import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeConsumerSubscription } from '../../../../src/engine/coordinator/consumerProtocol';
import { createGroupCoordinator, type OffsetCommitEntry } from '../../../../src/engine/coordinator/groupCoordinator';
import { ErrorCode, KafkaError } from '../../../../src/protocol/errors';
import { defaultConsumerProtocolSubscription } from '../../../../src/protocol/generated/consumerProtocolSubscription';
import { heldReads, joinInput, silentLogger, startCoordinator, syncInput, testConfig, type CoordinatorFixture } from './coordinatorFixture';

let fixture: CoordinatorFixture;
beforeEach(async () => {
  fixture = await startCoordinator();
});
afterEach(() => fixture.cleanup());

const entry = (topic: string, partition: number, offset: bigint, metadata: string | null = null): OffsetCommitEntry => ({
  topic,
  partition,
  offset,
  leaderEpoch: 3,
  metadata,
});

/** A commit from outside group management: generation -1, no member (kcat, kafka-python assign()). */
const manualCommit = (groupId: string, offsets: OffsetCommitEntry[]) =>
  fixture.coordinator.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, offsets });

const offsetOf = (groupId: string, topic: string, partition: number) =>
  fixture.coordinator.fetchOffsets(groupId, [{ topic, partition }], false).offsets[0]!.offset;

/** A one-member consumer group subscribed to `topics`, Stable at generation 1. */
async function consumerGroup(groupId: string, topics: string[]) {
  const { coordinator } = fixture;
  const subscription = encodeConsumerSubscription({ ...defaultConsumerProtocolSubscription(), topics });
  const joined = await coordinator.joinGroup(joinInput(groupId, { protocols: [{ name: 'range', metadata: subscription }] }));
  await coordinator.syncGroup(syncInput(groupId, joined.memberId, joined.generationId, { [joined.memberId]: 'assignment' }));
  return joined;
}

describe('committing offsets', () => {
  it('accepts manual commits for a group without members and serves them back', async () => {
    const results = await manualCommit('manual', [entry('orders', 0, 42n, 'checkpoint'), entry('orders', 1, 7n)]);
    expect(results.map((r) => r.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);
    const fetched = fixture.coordinator.fetchOffsets('manual', [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 5 }], false);
    expect(fetched.offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 42n, leaderEpoch: 3, metadata: 'checkpoint', errorCode: ErrorCode.NONE },
      { topic: 'orders', partition: 5, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE },
    ]);
    expect(fixture.coordinator.describeGroup('manual')).toMatchObject({ state: 'Empty', protocolType: '', members: [] });
    expect(fixture.log.appended(fixture.coordinator.partitionFor('manual'))).toBe(2);
  });

  it('refuses manual commits while the group has active members', async () => {
    const joined = await consumerGroup('busy', ['orders']);
    expect((await manualCommit('busy', [entry('orders', 0, 1n)]))[0]!.errorCode).toBe(ErrorCode.UNKNOWN_MEMBER_ID);
    const member = await fixture.coordinator.commitOffsets({ groupId: 'busy', generationId: 1, memberId: joined.memberId, groupInstanceId: null, offsets: [entry('orders', 0, 9n)] });
    expect(member[0]!.errorCode).toBe(ErrorCode.NONE);
    expect(offsetOf('busy', 'orders', 0)).toBe(9n);
  });

  it('refuses a commit with a generation for a group it does not know, and metadata over the size limit', async () => {
    const stale = await fixture.coordinator.commitOffsets({ groupId: 'unknown', generationId: 4, memberId: 'm', groupInstanceId: null, offsets: [entry('t', 0, 1n)] });
    expect(stale[0]!.errorCode).toBe(ErrorCode.ILLEGAL_GENERATION);
    expect(fixture.coordinator.listGroups().groups.map((g) => g.groupId)).not.toContain('unknown');
    const big = await manualCommit('meta', [entry('t', 0, 1n, 'x'.repeat(5000)), entry('t', 1, 2n)]);
    expect(big.map((r) => r.errorCode)).toEqual([ErrorCode.OFFSET_METADATA_TOO_LARGE, ErrorCode.NONE]);
  });

  it('reports a failed write as the coordinator error clients retry on, and keeps the old offset', async () => {
    await manualCommit('flaky', [entry('t', 0, 1n)]);
    fixture.log.failAppends(new KafkaError(ErrorCode.NOT_LEADER_OR_FOLLOWER));
    expect((await manualCommit('flaky', [entry('t', 0, 2n)]))[0]!.errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    fixture.log.failAppends(new KafkaError(ErrorCode.NOT_ENOUGH_REPLICAS));
    expect((await manualCommit('flaky', [entry('t', 0, 3n)]))[0]!.errorCode).toBe(ErrorCode.COORDINATOR_NOT_AVAILABLE);
    fixture.log.failAppends(null);
    expect(offsetOf('flaky', 't', 0)).toBe(1n);
  });
});

describe('surviving a restart', () => {
  it('reloads committed offsets and group state from the partition log', async () => {
    const joined = await consumerGroup('durable', ['orders']);
    await fixture.coordinator.commitOffsets({ groupId: 'durable', generationId: 1, memberId: joined.memberId, groupInstanceId: null, offsets: [entry('orders', 0, 100n)] });
    await fixture.coordinator.commitOffsets({ groupId: 'durable', generationId: 1, memberId: joined.memberId, groupInstanceId: null, offsets: [entry('orders', 0, 150n, 'later')] });
    await manualCommit('manual', [entry('events', 2, 5n)]);
    const before = fixture.coordinator.describeGroup('durable');

    await fixture.restart();
    const { coordinator } = fixture;
    expect(coordinator.fetchOffsets('durable', null, false).offsets).toEqual([
      { topic: 'orders', partition: 0, offset: 150n, leaderEpoch: 3, metadata: 'later', errorCode: ErrorCode.NONE },
    ]);
    expect(offsetOf('manual', 'events', 2)).toBe(5n);
    expect(coordinator.describeGroup('durable')).toEqual(before);
    expect(coordinator.describeGroup('manual').state).toBe('Empty');
    // The member carries on with its generation after the failover.
    expect(coordinator.heartbeat({ groupId: 'durable', generationId: 1, memberId: joined.memberId, groupInstanceId: null })).toBe(ErrorCode.NONE);
    expect(coordinator.committedOffsets('durable').offsets.map((o) => o.committed.offset)).toEqual([150n]);
  });

  it('keeps deleted groups and offsets deleted after a restart', async () => {
    await manualCommit('gone', [entry('t', 0, 1n)]);
    await manualCommit('trimmed', [entry('t', 0, 1n), entry('t', 1, 2n)]);
    // A group with stored generations (GroupMetadata records), emptied by its member leaving.
    const joined = await consumerGroup('former', ['t']);
    fixture.coordinator.leaveGroup('former', [{ memberId: joined.memberId, groupInstanceId: null }]);
    expect(fixture.coordinator.describeGroup('former').state).toBe('Empty');
    expect(await fixture.coordinator.deleteGroups(['gone', 'former'])).toEqual([
      { groupId: 'gone', errorCode: ErrorCode.NONE },
      { groupId: 'former', errorCode: ErrorCode.NONE },
    ]);
    expect((await fixture.coordinator.deleteOffsets('trimmed', [{ topic: 't', partition: 0 }])).errorCode).toBe(ErrorCode.NONE);

    await fixture.restart();
    expect(fixture.coordinator.listGroups().groups.map((g) => g.groupId)).toEqual(['trimmed']);
    expect(fixture.coordinator.fetchOffsets('trimmed', null, false).offsets.map((o) => [o.partition, o.offset])).toEqual([[1, 2n]]);
  });

  it('answers COORDINATOR_LOAD_IN_PROGRESS while loading, and heartbeats blindly', async () => {
    await manualCommit('loading', [entry('t', 0, 1n)]);
    fixture.coordinator.shutdown();
    const held = heldReads(fixture.log);
    const coordinator = createGroupCoordinator({ config: testConfig(), log: held.log, logger: silentLogger });
    const partition = coordinator.partitionFor('loading');
    const loaded = coordinator.onBecomeLeader(partition, 1);
    expect(coordinator.fetchOffsets('loading', null, false).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect((await coordinator.joinGroup(joinInput('loading'))).errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    expect(coordinator.heartbeat({ groupId: 'loading', generationId: 1, memberId: 'm', groupInstanceId: null })).toBe(ErrorCode.NONE);
    expect((await coordinator.syncGroup(syncInput('loading', 'm', 1))).errorCode).toBe(ErrorCode.REBALANCE_IN_PROGRESS);
    expect(coordinator.listGroups().errorCode).toBe(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS);
    held.release();
    await loaded;
    expect(coordinator.fetchOffsets('loading', null, false).offsets[0]!.offset).toBe(1n);
    coordinator.shutdown();
  });
});

describe('deleting groups and offsets', () => {
  it('deletes only empty groups', async () => {
    await consumerGroup('active', ['orders']);
    await manualCommit('idle', [entry('orders', 0, 3n)]);
    const results = await fixture.coordinator.deleteGroups(['active', 'idle', 'missing']);
    expect(results).toEqual([
      { groupId: 'active', errorCode: ErrorCode.NON_EMPTY_GROUP },
      { groupId: 'idle', errorCode: ErrorCode.NONE },
      { groupId: 'missing', errorCode: ErrorCode.GROUP_ID_NOT_FOUND },
    ]);
    expect(offsetOf('idle', 'orders', 0)).toBe(-1n);
    expect(fixture.coordinator.describeGroup('idle').state).toBe('Dead');
  });

  it('keeps the offsets of topics an active consumer group subscribes to', async () => {
    const joined = await consumerGroup('subscribed', ['orders']);
    await fixture.coordinator.commitOffsets({
      groupId: 'subscribed',
      generationId: 1,
      memberId: joined.memberId,
      groupInstanceId: null,
      offsets: [entry('orders', 0, 10n), entry('legacy', 0, 20n)],
    });
    const result = await fixture.coordinator.deleteOffsets('subscribed', [{ topic: 'orders', partition: 0 }, { topic: 'legacy', partition: 0 }]);
    expect(result).toEqual({
      errorCode: ErrorCode.NONE,
      partitions: [
        { topic: 'orders', partition: 0, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC },
        { topic: 'legacy', partition: 0, errorCode: ErrorCode.NONE },
      ],
    });
    expect(offsetOf('subscribed', 'orders', 0)).toBe(10n);
    expect(offsetOf('subscribed', 'legacy', 0)).toBe(-1n);
    expect((await fixture.coordinator.deleteOffsets('missing', [{ topic: 'orders', partition: 0 }])).errorCode).toBe(ErrorCode.GROUP_ID_NOT_FOUND);
  });

  it('deletes an empty group once its last offset is deleted', async () => {
    await manualCommit('last', [entry('t', 0, 1n)]);
    await fixture.coordinator.deleteOffsets('last', [{ topic: 't', partition: 0 }]);
    expect(fixture.coordinator.listGroups().groups.map((g) => g.groupId)).not.toContain('last');
  });
});

describe('listing groups', () => {
  it('filters by state, case-insensitively', async () => {
    await consumerGroup('stable-one', ['orders']);
    await manualCommit('empty-one', [entry('orders', 0, 1n)]);
    const { coordinator } = fixture;
    expect(coordinator.listGroups().groups.map((g) => [g.groupId, g.state])).toEqual([
      ['empty-one', 'Empty'],
      ['stable-one', 'Stable'],
    ]);
    expect(coordinator.listGroups(['stable']).groups.map((g) => g.groupId)).toEqual(['stable-one']);
    expect(coordinator.listGroups(['EMPTY', 'Dead']).groups.map((g) => g.groupId)).toEqual(['empty-one']);
    expect(coordinator.listGroups(['PreparingRebalance']).groups).toEqual([]);
  });
});

describe('transactional offsets (KIP-447)', () => {
  const txnCommit = async (groupId: string, producerId: bigint, offsets: OffsetCommitEntry[]) =>
    (await fixture.coordinator.commitTransactionalOffsets({ groupId, producerId, producerEpoch: 0, generationId: -1, memberId: '', groupInstanceId: null, offsets })).map((r) => r.errorCode);

  it('reports UNSTABLE_OFFSET_COMMIT to requireStable fetches until the transaction commits', async () => {
    const { coordinator } = fixture;
    await manualCommit('txn', [entry('orders', 0, 10n), entry('orders', 1, 11n)]);
    expect(await txnCommit('txn', 7n, [entry('orders', 0, 50n)])).toEqual([ErrorCode.NONE]);

    const stable = coordinator.fetchOffsets('txn', [{ topic: 'orders', partition: 0 }, { topic: 'orders', partition: 1 }], true);
    expect(stable.offsets.map((o) => [o.offset, o.errorCode])).toEqual([
      [-1n, ErrorCode.UNSTABLE_OFFSET_COMMIT],
      [11n, ErrorCode.NONE],
    ]);
    expect(offsetOf('txn', 'orders', 0)).toBe(10n);

    coordinator.completeTransaction(7n, true);
    const after = coordinator.fetchOffsets('txn', [{ topic: 'orders', partition: 0 }], true);
    expect(after.offsets.map((o) => [o.offset, o.errorCode])).toEqual([[50n, ErrorCode.NONE]]);
  });

  it('drops the pending offsets when the transaction aborts', async () => {
    const { coordinator } = fixture;
    await manualCommit('aborted', [entry('orders', 0, 10n)]);
    expect(await txnCommit('aborted', 8n, [entry('orders', 0, 99n)])).toEqual([ErrorCode.NONE]);
    coordinator.completeTransaction(8n, false);
    expect(coordinator.fetchOffsets('aborted', [{ topic: 'orders', partition: 0 }], true).offsets[0]).toMatchObject({ offset: 10n, errorCode: ErrorCode.NONE });
  });
});
