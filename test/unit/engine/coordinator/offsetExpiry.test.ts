import { afterEach, describe, expect, it } from 'vitest';
import { encodeConsumerSubscription } from '../../../../src/engine/coordinator/consumerProtocol';
import type { OffsetCommitEntry } from '../../../../src/engine/coordinator/groupCoordinator';
import { ErrorCode } from '../../../../src/protocol/errors';
import { defaultConsumerProtocolSubscription } from '../../../../src/protocol/generated/consumerProtocolSubscription';
import { joinInput, startCoordinator, syncInput, testConfig, waitFor, type CoordinatorFixture } from './coordinatorFixture';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
/** Kafka's default offsets.retention.minutes: 7 days. */
const RETENTION = 7 * DAY;

let fixture: CoordinatorFixture;
/** The coordinator's wall clock; timers still run on real time. */
let clock = Date.UTC(2026, 10, 1);
afterEach(() => fixture.cleanup());

async function start(overrides: Parameters<typeof testConfig>[0] = {}): Promise<void> {
  clock = Date.UTC(2026, 10, 1);
  fixture = await startCoordinator(testConfig(overrides), { now: () => clock });
}

const entry = (topic: string, partition: number, offset: bigint): OffsetCommitEntry => ({ topic, partition, offset, leaderEpoch: 0, metadata: null });

const manualCommit = (groupId: string, offsets: OffsetCommitEntry[]) =>
  fixture.coordinator.commitOffsets({ groupId, generationId: -1, memberId: '', groupInstanceId: null, offsets });

const committed = (groupId: string) =>
  fixture.coordinator.fetchOffsets(groupId, null, false).offsets.map(({ topic, partition, offset }) => `${topic}-${partition}@${offset}`);

const groupIds = () => fixture.coordinator.listGroups().groups.map((group) => group.groupId);

async function consumerGroup(groupId: string, topics: string[]) {
  const subscription = encodeConsumerSubscription({ ...defaultConsumerProtocolSubscription(), topics });
  const joined = await fixture.coordinator.joinGroup(joinInput(groupId, { protocols: [{ name: 'range', metadata: subscription }] }));
  await fixture.coordinator.syncGroup(syncInput(groupId, joined.memberId, joined.generationId, { [joined.memberId]: 'assignment' }));
  return joined;
}

describe('offsets.retention.minutes (KIP-211)', () => {
  it('expires each offset of a group without members by its own commit time, then deletes the group, for good', async () => {
    await start();
    expect((await manualCommit('standalone', [entry('orders', 0, 10n)]))[0]!.errorCode).toBe(ErrorCode.NONE);
    clock += 3 * DAY;
    await manualCommit('standalone', [entry('orders', 1, 20n)]);

    clock += RETENTION - 3 * DAY - 1;
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(0);
    expect(committed('standalone')).toEqual(['orders-0@10', 'orders-1@20']);

    clock += 1;
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(1);
    expect(committed('standalone')).toEqual(['orders-1@20']);

    clock += 3 * DAY;
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(1);
    expect(committed('standalone')).toEqual([]);
    expect(groupIds()).not.toContain('standalone');
    expect(fixture.coordinator.describeGroup('standalone').state).toBe('Dead');

    // The tombstones are in the log: a restarted coordinator does not bring anything back.
    await fixture.restart();
    expect(groupIds()).not.toContain('standalone');
    expect(committed('standalone')).toEqual([]);
  });

  it('keeps an active consumer group\'s offsets however old, except for topics it no longer subscribes to', async () => {
    await start();
    const member = await consumerGroup('readers', ['orders']);
    const commit = await fixture.coordinator.commitOffsets({
      groupId: 'readers',
      generationId: member.generationId,
      memberId: member.memberId,
      groupInstanceId: null,
      offsets: [entry('orders', 0, 5n), entry('legacy', 0, 7n)],
    });
    expect(commit.map((result) => result.errorCode)).toEqual([ErrorCode.NONE, ErrorCode.NONE]);

    clock += 30 * DAY;
    // Heartbeats keep the member in the group; its session runs on real time, not on this clock.
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(1);
    expect(committed('readers')).toEqual(['orders-0@5']);
    expect(fixture.coordinator.describeGroup('readers').state).toBe('Stable');
  });

  it('starts the clock of an emptied group when its last member leaves, and keeps it across a restart', async () => {
    await start();
    const member = await consumerGroup('batch', ['orders']);
    await fixture.coordinator.commitOffsets({ groupId: 'batch', generationId: member.generationId, memberId: member.memberId, groupInstanceId: null, offsets: [entry('orders', 0, 3n)] });

    // Consuming for 10 days with no new commit: the offset is older than the retention, but in use.
    clock += 10 * DAY;
    fixture.coordinator.leaveGroup('batch', [{ memberId: member.memberId, groupInstanceId: null }]);
    expect(fixture.coordinator.describeGroup('batch').state).toBe('Empty');
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(0);

    await fixture.restart();
    clock += RETENTION - 1;
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(0);
    expect(committed('batch')).toEqual(['orders-0@3']);

    clock += 1;
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(1);
    expect(groupIds()).not.toContain('batch');
    await fixture.restart();
    expect(groupIds()).not.toContain('batch');
  });

  it('deletes an emptied group that never committed at the next cleanup', async () => {
    await start();
    const member = await consumerGroup('browsers', ['orders']);
    fixture.coordinator.leaveGroup('browsers', [{ memberId: member.memberId, groupInstanceId: null }]);
    expect(groupIds()).toContain('browsers');
    expect(await fixture.coordinator.cleanupGroupMetadata()).toBe(0);
    expect(groupIds()).not.toContain('browsers');
    await fixture.restart();
    expect(groupIds()).not.toContain('browsers');
  });

  it('runs on its own every offsets.retention.check.interval.ms, with the retention configured', async () => {
    await start({ offsetsRetentionMinutes: 1, offsetsRetentionCheckIntervalMs: 20 });
    await manualCommit('short-lived', [entry('orders', 0, 1n)]);
    await manualCommit('fresh', [entry('orders', 0, 1n)]);
    clock += MINUTE - 1;
    await manualCommit('fresh', [entry('orders', 0, 2n)]);
    clock += 1;
    await waitFor(() => !groupIds().includes('short-lived'), 5_000, 'the periodic cleanup');
    expect(committed('fresh')).toEqual(['orders-0@2']);
  });
});
