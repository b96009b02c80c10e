import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger';
import { ErrorCode } from '../../protocol/errors';
import type { BrokerConfig } from '../broker/brokerConfig';
import type { CoordinatorLog, CoordinatorLogEntry, CoordinatorPartitionListener } from './coordinatorLog';
import { coordinatorErrorCode, groupCoordinatorPartition, type CoordinatorPartitionStatus } from './coordinatorPartition';
import { ClassicGroup } from './group';
import { replayGroupRecords } from './groupLoader';
import { groupTombstone, offsetTombstone } from './groupRecords';
import { joinError, syncError, type JoinGroupResult, type SyncGroupResult } from './groupResults';
import { parseGroupState, type GroupState } from './groupState';
import { GroupStore } from './groupStore';
import { GroupTimers } from './groupTimers';
import { expiredOffsets } from './offsetExpiry';
import { OffsetStore, type PartitionOffset, type TopicPartition } from './offsetStore';
import { Rebalancer, type HeartbeatInput, type JoinGroupInput, type LeaveGroupResult, type LeavingMember, type SyncGroupInput } from './rebalance';

/**
 * The classic group coordinator of one broker: it serves the groups whose
 * `__consumer_offsets` partition this broker leads (groupCoordinatorPartition), keeps their
 * membership and committed offsets in memory, and writes every change to that partition
 * first, so a restarted or newly elected coordinator rebuilds the same state by replaying it.
 *
 * A group's partition is in one of three conditions here: not led by this broker
 * (NOT_COORDINATOR), being loaded (COORDINATOR_LOAD_IN_PROGRESS) or serving. All three
 * errors are retriable: clients look the coordinator up again and retry.
 */

export type GroupCoordinatorConfig = Pick<
  BrokerConfig,
  | 'offsetsTopicNumPartitions'
  | 'groupInitialRebalanceDelayMs'
  | 'groupMinSessionTimeoutMs'
  | 'groupMaxSessionTimeoutMs'
  | 'offsetsRetentionMinutes'
  | 'offsetsRetentionCheckIntervalMs'
>;

export interface GroupCoordinatorOptions {
  config: GroupCoordinatorConfig;
  log: CoordinatorLog;
  logger: Logger;
  /** Wall clock (ms) for commit and state timestamps; timers always run on real time. */
  now?: () => number;
}

/** Kafka's offset.metadata.max.bytes default. */
export const OFFSET_METADATA_MAX_BYTES = 4096;

export interface OffsetCommitEntry {
  topic: string;
  partition: number;
  offset: bigint;
  leaderEpoch: number;
  metadata: string | null;
}

export interface OffsetCommitInput {
  groupId: string;
  /** -1 with memberId '' for commits from outside group management (manual assignment). */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetCommitEntry[];
}

export interface TxnOffsetCommitInput {
  groupId: string;
  producerId: bigint;
  producerEpoch: number;
  /** v3+ (KIP-447): the consumer's group metadata; -1 / '' / null from older clients. */
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  offsets: OffsetCommitEntry[];
}

export interface PartitionResult {
  topic: string;
  partition: number;
  errorCode: number;
}

export interface FetchedOffset {
  topic: string;
  partition: number;
  /** -1 when nothing is committed. */
  offset: bigint;
  leaderEpoch: number;
  metadata: string;
  errorCode: number;
}

export interface OffsetFetchResult {
  errorCode: number;
  offsets: FetchedOffset[];
}

export interface OffsetDeleteResult {
  errorCode: number;
  partitions: PartitionResult[];
}

export interface MemberDescription {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  /** The member's protocol metadata (a consumer's subscription); empty unless the group is Stable. */
  metadata: Buffer;
  /** Empty unless the group is Stable. */
  assignment: Buffer;
}

export interface GroupDescription {
  errorCode: number;
  groupId: string;
  /** '' when the coordinator could not answer (errorCode says why). */
  state: GroupState | '';
  protocolType: string;
  /** The selected protocol (assignor) when Stable, else ''. */
  protocolName: string;
  members: MemberDescription[];
}

export interface GroupOverview {
  groupId: string;
  protocolType: string;
  state: GroupState;
}

export interface ListGroupsResult {
  errorCode: number;
  groups: GroupOverview[];
}

export interface CommittedOffsetsResult {
  errorCode: number;
  offsets: PartitionOffset[];
}

export interface GroupCoordinator extends CoordinatorPartitionListener {
  /** The `__consumer_offsets` partition that coordinates `groupId`. */
  partitionFor(groupId: string): number;
  /** Loads the partition's groups; the promise settles when it serves them (or gave up). */
  onBecomeLeader(partition: number, leaderEpoch: number): Promise<void>;
  onResign(partition: number): void;
  joinGroup(input: JoinGroupInput): Promise<JoinGroupResult>;
  syncGroup(input: SyncGroupInput): Promise<SyncGroupResult>;
  heartbeat(input: HeartbeatInput): number;
  leaveGroup(groupId: string, members: readonly LeavingMember[]): LeaveGroupResult;
  commitOffsets(input: OffsetCommitInput): Promise<PartitionResult[]>;
  /** `partitions` null = every committed offset of the group. */
  fetchOffsets(groupId: string, partitions: readonly TopicPartition[] | null, requireStable: boolean): OffsetFetchResult;
  deleteOffsets(groupId: string, partitions: readonly TopicPartition[]): Promise<OffsetDeleteResult>;
  deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]>;
  describeGroup(groupId: string): GroupDescription;
  /** `states` filters case-insensitively (KIP-518); empty = all. */
  listGroups(states?: readonly string[]): ListGroupsResult;
  /** Admin view: the group's committed offsets, sorted by topic and partition. */
  committedOffsets(groupId: string): CommittedOffsetsResult;
  /**
   * TxnOffsetCommit (KIP-98, KIP-447): writes the offsets to the group's partition as a
   * transactional batch of the producer (so an older producer epoch is fenced by the
   * partition itself) and keeps them pending: invisible to OffsetFetch (requireStable gets
   * UNSTABLE_OFFSET_COMMIT) until `completeTransaction`.
   */
  commitTransactionalOffsets(input: TxnOffsetCommitInput): Promise<PartitionResult[]>;
  /** The transaction's marker was written: commit applies its pending offsets, abort drops them. */
  completeTransaction(producerId: bigint, commit: boolean): void;
  /**
   * Kafka's periodic group cleanup, which also runs every offsets.retention.check.interval.ms
   * on its own: deletes expired offsets (offsetExpiry.ts), then every Empty group left
   * without offsets, writing their tombstones. Resolves to the number of offsets removed.
   */
  cleanupGroupMetadata(): Promise<number>;
  /** Stops serving: parked requests get NOT_COORDINATOR, timers stop. */
  shutdown(): void;
}


export function createGroupCoordinator(options: GroupCoordinatorOptions): GroupCoordinator {
  const { config, log, logger } = options;
  const now = options.now ?? Date.now;
  const partitions = new Map<number, CoordinatorPartitionStatus>();
  const groups = new Map<string, ClassicGroup>();
  const offsets = new OffsetStore();
  const timers = new GroupTimers();
  const store = new GroupStore(log, logger, now);
  let active = true;
  let cleanupRunning: Promise<number> | null = null;
  const cleanupTimer = setInterval(() => void cleanupGroupMetadata(), config.offsetsRetentionCheckIntervalMs);
  cleanupTimer.unref();

  const isCurrent = (group: ClassicGroup) => groups.get(group.groupId) === group;
  const rebalancer = new Rebalancer({
    initialRebalanceDelayMs: config.groupInitialRebalanceDelayMs,
    timers,
    store,
    logger,
    now,
    isCurrent,
    // Kafka's format: "<client id or instance id>-<uuid>", which tools show as the member.
    newMemberId: (clientId, groupInstanceId) => `${groupInstanceId ?? clientId}-${randomUUID()}`,
  });

  const partitionFor = (groupId: string) => groupCoordinatorPartition(groupId, config.offsetsTopicNumPartitions);

  /**
   * Whether this coordinator may answer for the group now. Offset and admin APIs accept the
   * empty group id for compatibility with old clients; the membership APIs do not.
   */
  function groupStatus(groupId: string, allowEmptyId: boolean): number {
    if (!allowEmptyId && groupId === '') return ErrorCode.INVALID_GROUP_ID;
    return coordinatorErrorCode(active, partitions.get(partitionFor(groupId)));
  }

  function createGroup(groupId: string): ClassicGroup {
    const group = new ClassicGroup(groupId, partitionFor(groupId), now());
    groups.set(groupId, group);
    return group;
  }

  /**
   * Forgets a group that never held anything: created by a join that failed or a member id
   * that was never claimed. It was never written, so there is nothing to tombstone.
   */
  function dropIfUnused(group: ClassicGroup): void {
    if (!isCurrent(group) || !group.is('Empty') || group.generationId !== 0) return;
    if (group.members.size > 0 || group.pendingMembers.size > 0) return;
    if (offsets.hasOffsets(group.groupId) || offsets.hasPendingWork(group.groupId)) return;
    timers.clearGroup(group.groupId);
    groups.delete(group.groupId);
  }

  function unloadPartition(partition: number): void {
    partitions.delete(partition);
    for (const group of [...groups.values()]) {
      if (group.partition !== partition) continue;
      rebalancer.unload(group, ErrorCode.NOT_COORDINATOR);
      groups.delete(group.groupId);
      offsets.removeGroup(group.groupId);
    }
  }

  async function onBecomeLeader(partition: number, leaderEpoch: number): Promise<void> {
    if (!active) return;
    const existing = partitions.get(partition);
    if (existing !== undefined && existing.epoch === leaderEpoch && existing.state !== 'failed') return;
    if (existing !== undefined) unloadPartition(partition);
    const status: CoordinatorPartitionStatus = { state: 'loading', epoch: leaderEpoch };
    partitions.set(partition, status);
    logger.info(`loading groups of __consumer_offsets-${partition} (leader epoch ${leaderEpoch})`);
    let records: CoordinatorLogEntry[];
    try {
      records = await log.readAll(partition);
    } catch (error) {
      if (partitions.get(partition) === status) status.state = 'failed';
      logger.error(`could not load __consumer_offsets-${partition}; its groups are unavailable until the partition moves`, error);
      return;
    }
    // Leadership moved (or moved away and back) while we were reading.
    if (partitions.get(partition) !== status || !active) return;
    const loaded = replayGroupRecords(partition, records, logger, now());
    for (const groupId of loaded.offsets.groupIds()) {
      for (const { topic, partition: p, committed } of loaded.offsets.list(groupId)) offsets.put(groupId, topic, p, committed);
    }
    for (const pending of loaded.pendingTransactional) offsets.addPendingTransactional(pending.groupId, pending.producerId, pending.offsets);
    for (const group of loaded.groups.values()) {
      groups.set(group.groupId, group);
      rebalancer.startSessions(group);
    }
    status.state = 'active';
    logger.info(`__consumer_offsets-${partition} loaded: ${loaded.groups.size} groups from ${records.length} records`);
  }

  function validateOffsetCommit(group: ClassicGroup, input: OffsetCommitInput): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    // Generation -1 comes from the admin client or a consumer that assigns partitions itself
    // (kcat, kafka-python's assign()): allowed while no member owns the group's partitions.
    if (input.generationId < 0 && group.is('Empty')) return ErrorCode.NONE;
    if (input.generationId >= 0 || input.memberId !== '' || input.groupInstanceId !== null) {
      return rebalancer.validateMemberAndGeneration(group, input.memberId, input.groupInstanceId, input.generationId);
    }
    return group.is('Empty') ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  async function commitOffsets(input: OffsetCommitInput): Promise<PartitionResult[]> {
    const allWith = (errorCode: number) => input.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode }));
    const status = groupStatus(input.groupId, true);
    if (status !== ErrorCode.NONE) return allWith(status);
    let group = groups.get(input.groupId);
    if (group === undefined) {
      // A commit from a previous generation of a group we no longer know is refused.
      if (input.generationId >= 0) return allWith(ErrorCode.ILLEGAL_GENERATION);
      group = createGroup(input.groupId);
    }
    const error = validateOffsetCommit(group, input);
    if (error !== ErrorCode.NONE) {
      dropIfUnused(group);
      return allWith(error);
    }
    switch (group.state) {
      case 'Empty':
        break;
      case 'Stable':
      case 'PreparingRebalance':
        // Consumers commit while revoking partitions at the start of a rebalance; the next
        // heartbeat tells them about the rebalance.
        rebalancer.touch(group, input.memberId);
        break;
      case 'CompletingRebalance':
        // The member has its new generation but no assignment yet: committing now would
        // claim partitions it may not own.
        return allWith(ErrorCode.REBALANCE_IN_PROGRESS);
      case 'Dead':
        return allWith(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      default: {
        const unknown: never = group.state;
        throw new Error(`unexpected group state ${String(unknown)}`);
      }
    }
    const { accepted, results } = acceptOffsets(input.offsets);
    offsets.beginCommit(group.groupId, accepted);
    const written = await store.storeOffsets(group.partition, group.groupId, accepted);
    offsets.endCommit(group.groupId, accepted);
    if (written === ErrorCode.NONE && isCurrent(group)) {
      for (const { topic, partition, committed } of accepted) offsets.put(group.groupId, topic, partition, committed);
    }
    if (written !== ErrorCode.NONE) dropIfUnused(group);
    return results(written);
  }

  /**
   * Splits a commit into the offsets to write and those refused for oversized metadata;
   * `results` gives every requested partition its code once the write's outcome is known.
   */
  function acceptOffsets(entries: readonly OffsetCommitEntry[]): { accepted: PartitionOffset[]; results: (written: number) => PartitionResult[] } {
    const timestamp = now();
    const accepted: PartitionOffset[] = [];
    const refused = new Set<string>();
    const keyOf = (topic: string, partition: number) => `${partition}:${topic}`;
    for (const entry of entries) {
      const metadata = entry.metadata ?? '';
      if (Buffer.byteLength(metadata, 'utf8') > OFFSET_METADATA_MAX_BYTES) {
        refused.add(keyOf(entry.topic, entry.partition));
        continue;
      }
      accepted.push({
        topic: entry.topic,
        partition: entry.partition,
        committed: { offset: entry.offset, leaderEpoch: entry.leaderEpoch, metadata, commitTimestamp: timestamp },
      });
    }
    const results = (written: number) =>
      entries.map(({ topic, partition }) => ({ topic, partition, errorCode: refused.has(keyOf(topic, partition)) ? ErrorCode.OFFSET_METADATA_TOO_LARGE : written }));
    return { accepted, results };
  }

  /**
   * KIP-447: a producer that sends the consumer's group metadata is checked like a member's
   * commit (fenced instance, unknown member, stale generation), so a zombie that lost its
   * partitions in a rebalance cannot commit for them. Without it (TxnOffsetCommit v0-2, or a
   * producer that passed only the group id) only a given generation is checked.
   */
  function validateTransactionalCommit(group: ClassicGroup, input: TxnOffsetCommitInput): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    if (input.memberId !== '' || input.groupInstanceId !== null) {
      return rebalancer.validateMemberAndGeneration(group, input.memberId, input.groupInstanceId, input.generationId);
    }
    if (input.generationId >= 0 && input.generationId !== group.generationId) return ErrorCode.ILLEGAL_GENERATION;
    return ErrorCode.NONE;
  }

  async function commitTransactionalOffsets(input: TxnOffsetCommitInput): Promise<PartitionResult[]> {
    const status = groupStatus(input.groupId, true);
    if (status !== ErrorCode.NONE) return input.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode: status }));
    // Kafka creates the group on a transactional commit, as a manual commit does.
    const group = groups.get(input.groupId) ?? createGroup(input.groupId);
    const error = validateTransactionalCommit(group, input);
    if (error !== ErrorCode.NONE) {
      dropIfUnused(group);
      return input.offsets.map(({ topic, partition }) => ({ topic, partition, errorCode: error }));
    }
    const { accepted, results } = acceptOffsets(input.offsets);
    const written = await store.storeOffsets(group.partition, group.groupId, accepted, { producerId: input.producerId, producerEpoch: input.producerEpoch });
    if (written === ErrorCode.NONE && isCurrent(group)) offsets.addPendingTransactional(group.groupId, input.producerId, accepted);
    else dropIfUnused(group);
    return results(written);
  }

  function fetchOffsets(groupId: string, wanted: readonly TopicPartition[] | null, requireStable: boolean): OffsetFetchResult {
    const status = groupStatus(groupId, true);
    if (status !== ErrorCode.NONE) return { errorCode: status, offsets: [] };
    const fetched = (topic: string, partition: number): FetchedOffset => {
      if (requireStable && offsets.hasPendingCommit(groupId, topic, partition)) {
        return { topic, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT };
      }
      const committed = offsets.get(groupId, topic, partition);
      return committed === undefined
        ? { topic, partition, offset: -1n, leaderEpoch: -1, metadata: '', errorCode: ErrorCode.NONE }
        : { topic, partition, offset: committed.offset, leaderEpoch: committed.leaderEpoch, metadata: committed.metadata, errorCode: ErrorCode.NONE };
    };
    const targets = wanted ?? offsets.list(groupId);
    return { errorCode: ErrorCode.NONE, offsets: targets.map(({ topic, partition }) => fetched(topic, partition)) };
  }

  /**
   * Removes offsets (or, for a deleted group, everything) and writes the tombstones. An
   * Empty group left with no offsets is deleted too, as Kafka's cleanup does. Memory changes
   * first so nothing can use what is being deleted; a failed write is reported, and the
   * partition's next load (after the leadership change such failures come with) restores the
   * log's view.
   */
  function removeOffsetsAndMaybeGroup(group: ClassicGroup, victims: readonly TopicPartition[] | 'all'): Promise<number> {
    const groupId = group.groupId;
    const removed = victims === 'all' ? offsets.list(groupId) : victims.filter(({ topic, partition }) => offsets.get(groupId, topic, partition) !== undefined);
    const records = removed.map(({ topic, partition }) => offsetTombstone(groupId, topic, partition));
    for (const { topic, partition } of removed) offsets.delete(groupId, topic, partition);
    if (group.is('Empty') && !offsets.hasOffsets(groupId) && !offsets.hasPendingWork(groupId)) {
      group.transitionTo('Dead', now());
      timers.clearGroup(groupId);
      groups.delete(groupId);
      offsets.removeGroup(groupId);
      records.push(groupTombstone(groupId));
    }
    return store.storeRecords(group.partition, records, `deletions for group ${groupId}`);
  }

  async function deleteOffsets(groupId: string, wanted: readonly TopicPartition[]): Promise<OffsetDeleteResult> {
    const status = groupStatus(groupId, false);
    if (status !== ErrorCode.NONE) return { errorCode: status, partitions: [] };
    const group = groups.get(groupId);
    if (group === undefined) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] };
    let eligible: readonly TopicPartition[];
    const refused: PartitionResult[] = [];
    switch (group.state) {
      case 'Empty':
        eligible = wanted;
        break;
      case 'PreparingRebalance':
      case 'CompletingRebalance':
      case 'Stable': {
        // KIP-496: an active consumer group keeps the offsets of topics it consumes.
        if (group.protocolType !== 'consumer') return { errorCode: ErrorCode.NON_EMPTY_GROUP, partitions: [] };
        eligible = wanted.filter(({ topic }) => !group.isSubscribedToTopic(topic));
        for (const { topic, partition } of wanted) {
          if (group.isSubscribedToTopic(topic)) refused.push({ topic, partition, errorCode: ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC });
        }
        break;
      }
      case 'Dead':
        return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, partitions: [] };
      default: {
        const unknown: never = group.state;
        throw new Error(`unexpected group state ${String(unknown)}`);
      }
    }
    const written = eligible.length === 0 ? ErrorCode.NONE : await removeOffsetsAndMaybeGroup(group, eligible);
    const done = eligible.map(({ topic, partition }) => ({ topic, partition, errorCode: written }));
    const byKey = new Map([...done, ...refused].map((r) => [`${r.partition}:${r.topic}`, r.errorCode] as const));
    return {
      errorCode: ErrorCode.NONE,
      partitions: wanted.map(({ topic, partition }) => ({ topic, partition, errorCode: byKey.get(`${partition}:${topic}`) ?? ErrorCode.NONE })),
    };
  }

  function cleanupGroupMetadata(): Promise<number> {
    // One pass at a time: a slow write must not let the next tick tombstone the same offsets again.
    cleanupRunning ??= runCleanup().finally(() => {
      cleanupRunning = null;
    });
    return cleanupRunning;
  }

  async function runCleanup(): Promise<number> {
    if (!active) return 0;
    const retentionMs = config.offsetsRetentionMinutes * 60_000;
    const at = now();
    let removed = 0;
    const writes: Promise<number>[] = [];
    for (const group of [...groups.values()]) {
      if (partitions.get(group.partition)?.state !== 'active') continue;
      const groupId = group.groupId;
      const expired = expiredOffsets(group, offsets.list(groupId), {
        retentionMs,
        now: at,
        isPending: (topic, partition) => offsets.hasPendingCommit(groupId, topic, partition),
      });
      // An Empty group without offsets (its members left before committing, or its offsets
      // expired earlier) is deleted as well; one still being written to is in use.
      const orphaned = group.is('Empty') && expired.length === 0 && !offsets.hasOffsets(groupId) && !offsets.hasPendingWork(groupId);
      if (expired.length === 0 && !orphaned) continue;
      removed += expired.length;
      writes.push(removeOffsetsAndMaybeGroup(group, expired));
    }
    const failed = (await Promise.all(writes)).filter((code) => code !== ErrorCode.NONE).length;
    if (removed > 0 || writes.length > 0) {
      logger.info(`group cleanup: ${removed} expired offsets removed (offsets.retention.minutes=${config.offsetsRetentionMinutes})${failed > 0 ? `; ${failed} tombstone writes failed (those offsets come back at the partition's next load and expire again)` : ''}`);
    }
    return removed;
  }

  async function deleteGroups(groupIds: readonly string[]): Promise<{ groupId: string; errorCode: number }[]> {
    return Promise.all(
      groupIds.map(async (groupId) => {
        const status = groupStatus(groupId, true);
        if (status !== ErrorCode.NONE) return { groupId, errorCode: status };
        const group = groups.get(groupId);
        if (group === undefined || group.is('Dead')) return { groupId, errorCode: ErrorCode.GROUP_ID_NOT_FOUND };
        if (!group.is('Empty')) return { groupId, errorCode: ErrorCode.NON_EMPTY_GROUP };
        const errorCode = await removeOffsetsAndMaybeGroup(group, 'all');
        if (errorCode === ErrorCode.NONE) logger.info(`group ${groupId} deleted`);
        return { groupId, errorCode };
      }),
    );
  }

  function describeGroup(groupId: string): GroupDescription {
    const status = groupStatus(groupId, true);
    const blank = { groupId, protocolType: '', protocolName: '', members: [] };
    if (status !== ErrorCode.NONE) return { ...blank, errorCode: status, state: '' };
    const group = groups.get(groupId);
    // Unknown groups are described as Dead, without error, up to DescribeGroups v5.
    if (group === undefined) return { ...blank, errorCode: ErrorCode.NONE, state: 'Dead' };
    const stable = group.is('Stable');
    const empty = Buffer.alloc(0);
    return {
      errorCode: ErrorCode.NONE,
      groupId,
      state: group.state,
      protocolType: group.protocolType ?? '',
      protocolName: stable ? (group.protocolName ?? '') : '',
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        metadata: stable ? member.metadataFor(group.protocolName) : empty,
        assignment: stable ? member.assignment : empty,
      })),
    };
  }

  function listGroups(states: readonly string[] = []): ListGroupsResult {
    if (!active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, groups: [] };
    const loading = [...partitions.values()].some((status) => status.state === 'loading');
    const wanted = new Set(states.map(parseGroupState));
    const listed = [...groups.values()]
      .filter((group) => states.length === 0 || wanted.has(group.state))
      .map((group) => ({ groupId: group.groupId, protocolType: group.protocolType ?? '', state: group.state }))
      .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    return { errorCode: loading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE, groups: listed };
  }

  return {
    partitionFor,
    onBecomeLeader,
    onResign(partition) {
      if (!partitions.has(partition)) return;
      logger.info(`no longer coordinating the groups of __consumer_offsets-${partition}`);
      unloadPartition(partition);
    },
    joinGroup(input) {
      const status = groupStatus(input.groupId, false);
      if (status !== ErrorCode.NONE) return Promise.resolve(joinError(input.memberId, status));
      if (input.sessionTimeoutMs < config.groupMinSessionTimeoutMs || input.sessionTimeoutMs > config.groupMaxSessionTimeoutMs) {
        return Promise.resolve(joinError(input.memberId, ErrorCode.INVALID_SESSION_TIMEOUT));
      }
      let group = groups.get(input.groupId);
      if (group === undefined) {
        // Only a first join may create a group; a member id for an unknown group is stale.
        if (input.memberId !== '') return Promise.resolve(joinError(input.memberId, ErrorCode.UNKNOWN_MEMBER_ID));
        group = createGroup(input.groupId);
      }
      const result = rebalancer.join(group, input);
      dropIfUnused(group);
      return result;
    },
    syncGroup(input) {
      const status = groupStatus(input.groupId, false);
      // A loading coordinator has lost the rebalance in flight: REBALANCE_IN_PROGRESS makes the
      // member rejoin without a coordinator lookup (older clients do not expect LOAD_IN_PROGRESS here).
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      if (status !== ErrorCode.NONE) return Promise.resolve(syncError(status));
      const group = groups.get(input.groupId);
      if (group === undefined) return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      return rebalancer.sync(group, input);
    },
    heartbeat(input) {
      const status = groupStatus(input.groupId, false);
      // While loading, Kafka answers heartbeats blindly so members do not drop out of a group
      // they will find intact once the load completes.
      if (status === ErrorCode.COORDINATOR_LOAD_IN_PROGRESS) return ErrorCode.NONE;
      if (status !== ErrorCode.NONE) return status;
      const group = groups.get(input.groupId);
      if (group === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      return rebalancer.heartbeat(group, input);
    },
    leaveGroup(groupId, members) {
      const status = groupStatus(groupId, false);
      if (status !== ErrorCode.NONE) return { errorCode: status, members: [] };
      const group = groups.get(groupId);
      if (group === undefined) {
        return { errorCode: ErrorCode.NONE, members: members.map((m) => ({ ...m, errorCode: ErrorCode.UNKNOWN_MEMBER_ID })) };
      }
      const result = rebalancer.leave(group, members);
      dropIfUnused(group);
      return result;
    },
    commitOffsets,
    fetchOffsets,
    deleteOffsets,
    deleteGroups,
    describeGroup,
    listGroups,
    committedOffsets(groupId) {
      const status = groupStatus(groupId, true);
      if (status !== ErrorCode.NONE) return { errorCode: status, offsets: [] };
      if (!groups.has(groupId)) return { errorCode: ErrorCode.GROUP_ID_NOT_FOUND, offsets: [] };
      return { errorCode: ErrorCode.NONE, offsets: offsets.list(groupId) };
    },
    commitTransactionalOffsets,
    cleanupGroupMetadata,
    completeTransaction(producerId, commit) {
      for (const groupId of offsets.completeTransaction(producerId, commit)) {
        const group = groups.get(groupId);
        // A group unloaded meanwhile is not ours to keep offsets for.
        if (group === undefined) offsets.removeGroup(groupId);
        else dropIfUnused(group);
      }
    },
    shutdown() {
      if (!active) return;
      active = false;
      clearInterval(cleanupTimer);
      for (const partition of [...partitions.keys()]) unloadPartition(partition);
      timers.clearAll();
    },
  };
}
