import type { Logger } from '../../logging/logger';
import { ErrorCode } from '../../protocol/errors';
import type { ClassicGroup } from './group';
import { joinError, syncError, type JoinGroupResult, type SyncGroupResult } from './groupResults';
import type { GroupStore } from './groupStore';
import type { GroupTimers } from './groupTimers';
import { GroupMember, type MemberProtocol } from './member';

/**
 * The classic rebalance protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup) over one
 * group, following Kafka's GroupCoordinator:
 *
 * - Join phase (PreparingRebalance): members (re)send JoinGroup and are parked until every
 *   known member has rejoined or the rebalance timeout (the largest of the members') ends;
 *   dynamic members that did not make it are dropped. The first rebalance of an empty group
 *   waits group.initial.rebalance.delay.ms instead, extended while members keep arriving,
 *   so consumers started together land in one generation.
 * - Completing the join bumps the generation, selects the protocol by vote, answers every
 *   parked JoinGroup (the leader also gets the member list) and waits for SyncGroup.
 * - Sync phase (CompletingRebalance): the leader's SyncGroup carries the assignment; it is
 *   written to __consumer_offsets, then every parked SyncGroup is answered and the group is
 *   Stable. Members that never send SyncGroup within the rebalance timeout are removed.
 * - Session timeouts evict members that stop heartbeating; members parked in a join or sync
 *   are exempt (they cannot heartbeat while they wait), except new members, which get the
 *   five-minute new-member join timeout (KIP-394).
 * - Static members (group.instance.id, KIP-345) survive restarts: a rejoin without member id
 *   takes over the old member's place without a rebalance, and fences the old incarnation.
 *
 * Single-owner: the broker's event loop calls in; timers call back on the same loop.
 */

/** Kafka's GroupCoordinator.NewMemberJoinTimeoutMs (KIP-394). */
export const NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

export interface JoinGroupInput {
  groupId: string;
  /** '' on a member's first join. */
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
  /** JoinGroup v4+: a first join gets MEMBER_ID_REQUIRED and a member id to come back with (KIP-394). */
  requireKnownMemberId: boolean;
}

export interface SyncGroupInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  /** SyncGroup v5+ states them so a mismatch is caught; null = not stated. */
  protocolType: string | null;
  protocolName: string | null;
  /** Only the leader sends assignments. */
  assignments: { memberId: string; assignment: Buffer }[];
}

export interface HeartbeatInput {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeavingMember {
  /** '' to remove a static member by its instance id (KIP-345 admin removal). */
  memberId: string;
  groupInstanceId: string | null;
}

export interface LeaveGroupResult {
  errorCode: number;
  members: { memberId: string; groupInstanceId: string | null; errorCode: number }[];
}

export interface RebalanceDeps {
  initialRebalanceDelayMs: number;
  timers: GroupTimers;
  store: GroupStore;
  logger: Logger;
  now: () => number;
  /** The group is still the loaded one (not deleted or unloaded meanwhile). */
  isCurrent(group: ClassicGroup): boolean;
  newMemberId(clientId: string, groupInstanceId: string | null): string;
}

const EMPTY = Buffer.alloc(0);
const sessionKey = (memberId: string) => `session:${memberId}`;
const pendingKey = (memberId: string) => `pending:${memberId}`;
const JOIN_KEY = 'join';
const SYNC_KEY = 'sync';

export class Rebalancer {
  constructor(private readonly deps: RebalanceDeps) {}

  join(group: ClassicGroup, input: JoinGroupInput): Promise<JoinGroupResult> {
    const result = this.doJoin(group, input);
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
    return result;
  }

  sync(group: ClassicGroup, input: SyncGroupInput): Promise<SyncGroupResult> {
    if (group.is('Dead')) return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
    const error = this.validateMemberAndGeneration(group, input.memberId, input.groupInstanceId, input.generationId);
    if (error !== ErrorCode.NONE) return Promise.resolve(syncError(error));
    if ((input.protocolType !== null && input.protocolType !== group.protocolType) || (input.protocolName !== null && input.protocolName !== group.protocolName)) {
      return Promise.resolve(syncError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    const member = group.get(input.memberId);
    switch (group.state) {
      case 'Empty':
        return Promise.resolve(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
      case 'PreparingRebalance':
        return Promise.resolve(syncError(ErrorCode.REBALANCE_IN_PROGRESS));
      case 'CompletingRebalance': {
        const result = member.awaitSync(ErrorCode.REBALANCE_IN_PROGRESS);
        this.markSynced(group, member.memberId);
        if (group.isLeader(member.memberId)) this.acceptAssignment(group, input.assignments);
        return result;
      }
      case 'Stable':
        this.markSynced(group, member.memberId);
        this.scheduleHeartbeat(group, member);
        return Promise.resolve({ errorCode: ErrorCode.NONE, protocolType: group.protocolType, protocolName: group.protocolName, assignment: member.assignment });
      case 'Dead':
        return Promise.resolve(syncError(ErrorCode.COORDINATOR_NOT_AVAILABLE));
      default:
        return unreachable(group.state);
    }
  }

  heartbeat(group: ClassicGroup, input: HeartbeatInput): number {
    if (group.is('Dead')) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    const error = this.validateMemberAndGeneration(group, input.memberId, input.groupInstanceId, input.generationId);
    if (error !== ErrorCode.NONE) return error;
    switch (group.state) {
      case 'Empty':
        return ErrorCode.UNKNOWN_MEMBER_ID;
      case 'PreparingRebalance':
        this.scheduleHeartbeat(group, group.get(input.memberId));
        return ErrorCode.REBALANCE_IN_PROGRESS;
      // In CompletingRebalance the member already has this generation's JoinGroup answer and
      // may heartbeat while it syncs; REBALANCE_IN_PROGRESS would only make it rejoin needlessly.
      case 'CompletingRebalance':
      case 'Stable':
        this.scheduleHeartbeat(group, group.get(input.memberId));
        return ErrorCode.NONE;
      case 'Dead':
        return ErrorCode.COORDINATOR_NOT_AVAILABLE;
      default:
        return unreachable(group.state);
    }
  }

  leave(group: ClassicGroup, leaving: readonly LeavingMember[]): LeaveGroupResult {
    if (group.is('Dead')) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, members: [] };
    const members = leaving.map(({ memberId, groupInstanceId }) => {
      const answer = (errorCode: number) => ({ memberId, groupInstanceId, errorCode });
      if (memberId === '') {
        // Administrative removal of a static member by instance id (KIP-345).
        const current = groupInstanceId === null ? undefined : group.staticMemberId(groupInstanceId);
        if (current === undefined) return answer(ErrorCode.UNKNOWN_MEMBER_ID);
        this.removeMemberAndUpdateGroup(group, group.get(current), 'left the group (removed by instance id)');
        return answer(ErrorCode.NONE);
      }
      if (group.pendingMembers.has(memberId)) {
        this.removePendingMember(group, memberId);
        return answer(ErrorCode.NONE);
      }
      const error = this.validateCurrentMember(group, memberId, groupInstanceId);
      if (error !== ErrorCode.NONE) return answer(error);
      this.removeMemberAndUpdateGroup(group, group.get(memberId), 'left the group');
      return answer(ErrorCode.NONE);
    });
    return { errorCode: ErrorCode.NONE, members };
  }

  /**
   * Who may act as `memberId`: with a group.instance.id, the id must be the one currently
   * mapped to it (FENCED_INSTANCE_ID for an older incarnation); the member must exist.
   */
  validateCurrentMember(group: ClassicGroup, memberId: string, groupInstanceId: string | null): number {
    if (groupInstanceId !== null) {
      const current = group.staticMemberId(groupInstanceId);
      if (current === undefined) return ErrorCode.UNKNOWN_MEMBER_ID;
      if (current !== memberId) {
        this.deps.logger.info(`group ${group.groupId}: member ${memberId} with instance id ${groupInstanceId} is fenced by ${current}`);
        return ErrorCode.FENCED_INSTANCE_ID;
      }
      return ErrorCode.NONE;
    }
    return group.has(memberId) ? ErrorCode.NONE : ErrorCode.UNKNOWN_MEMBER_ID;
  }

  validateMemberAndGeneration(group: ClassicGroup, memberId: string, groupInstanceId: string | null, generationId: number): number {
    const error = this.validateCurrentMember(group, memberId, groupInstanceId);
    if (error !== ErrorCode.NONE) return error;
    return generationId === group.generationId ? ErrorCode.NONE : ErrorCode.ILLEGAL_GENERATION;
  }

  /** Any request from a live member (an offset commit, too) proves it alive. */
  touch(group: ClassicGroup, memberId: string): void {
    const member = group.members.get(memberId);
    if (member !== undefined) this.scheduleHeartbeat(group, member);
  }

  /** A group just loaded from the log: its members must heartbeat within their session timeout. */
  startSessions(group: ClassicGroup): void {
    for (const member of group.members.values()) this.scheduleHeartbeat(group, member);
  }

  /**
   * The group leaves this coordinator (partition unloaded, broker shutting down): parked
   * requests are answered with `errorCode` (NOT_COORDINATOR sends clients to the new
   * coordinator) and its timers stop.
   */
  unload(group: ClassicGroup, errorCode: number): void {
    if (!group.is('Dead')) group.transitionTo('Dead', this.deps.now());
    for (const member of group.members.values()) {
      member.completeJoin(joinError(member.memberId, errorCode));
      member.completeSync(syncError(errorCode));
    }
    this.deps.timers.clearGroup(group.groupId);
  }

  private doJoin(group: ClassicGroup, input: JoinGroupInput): Promise<JoinGroupResult> {
    if (group.is('Dead')) {
      // Deleted or unloaded under our feet: the client looks the coordinator up again.
      return Promise.resolve(joinError(input.memberId, ErrorCode.COORDINATOR_NOT_AVAILABLE));
    }
    if (!group.supportsProtocols(input.protocolType, input.protocols, input.memberId)) {
      return Promise.resolve(joinError(input.memberId, ErrorCode.INCONSISTENT_GROUP_PROTOCOL));
    }
    return input.memberId === '' ? this.joinNewMember(group, input) : this.joinCurrentMember(group, input);
  }

  private joinNewMember(group: ClassicGroup, input: JoinGroupInput): Promise<JoinGroupResult> {
    const memberId = this.deps.newMemberId(input.clientId, input.groupInstanceId);
    if (input.groupInstanceId !== null) {
      const previous = group.staticMemberId(input.groupInstanceId);
      if (previous !== undefined) return this.replaceStaticMember(group, input.groupInstanceId, previous, memberId, input);
      return this.addMemberAndRebalance(group, memberId, input);
    }
    if (input.requireKnownMemberId) {
      // KIP-394: hand out the id first, so a client that times out and retries does not leave
      // a trail of half-joined members behind. The id is reserved for one session timeout.
      group.pendingMembers.add(memberId);
      this.deps.timers.set(group.groupId, pendingKey(memberId), input.sessionTimeoutMs, () => this.removePendingMember(group, memberId));
      return Promise.resolve(joinError(memberId, ErrorCode.MEMBER_ID_REQUIRED));
    }
    return this.addMemberAndRebalance(group, memberId, input);
  }

  private joinCurrentMember(group: ClassicGroup, input: JoinGroupInput): Promise<JoinGroupResult> {
    const { memberId } = input;
    if (input.groupInstanceId === null && group.pendingMembers.has(memberId)) {
      this.deps.timers.clear(group.groupId, pendingKey(memberId));
      return this.addMemberAndRebalance(group, memberId, input);
    }
    const error = this.validateCurrentMember(group, memberId, input.groupInstanceId);
    if (error !== ErrorCode.NONE) return Promise.resolve(joinError(memberId, error));
    const member = group.get(memberId);
    switch (group.state) {
      case 'PreparingRebalance':
        return this.updateMemberAndRebalance(group, member, input);
      case 'CompletingRebalance':
        // Same metadata: the member probably lost our JoinGroup answer; send it again.
        if (member.matches(input.protocols)) return Promise.resolve(this.generationResult(group, memberId, group.isLeader(memberId)));
        return this.updateMemberAndRebalance(group, member, input);
      case 'Stable':
        // A leader's JoinGroup always rebalances: that is how it reacts to changes the member
        // metadata does not show (new partitions of a subscribed topic, for consumers).
        if (group.isLeader(memberId) || !member.matches(input.protocols)) return this.updateMemberAndRebalance(group, member, input);
        return Promise.resolve(this.generationResult(group, memberId, false));
      case 'Empty':
      case 'Dead':
        return Promise.resolve(joinError(memberId, ErrorCode.UNKNOWN_MEMBER_ID));
      default:
        return unreachable(group.state);
    }
  }

  private addMemberAndRebalance(group: ClassicGroup, memberId: string, input: JoinGroupInput): Promise<JoinGroupResult> {
    const member = new GroupMember({ ...input, memberId });
    member.isNew = true;
    if (group.is('PreparingRebalance') && group.generationId === 0) group.newMemberAdded = true;
    group.add(member);
    const result = member.awaitJoin(ErrorCode.REBALANCE_IN_PROGRESS);
    this.scheduleExpiry(group, member, NEW_MEMBER_JOIN_TIMEOUT_MS);
    this.deps.logger.info(`group ${group.groupId}: member ${memberId} (client ${input.clientId}, ${input.clientHost}) joins in state ${group.state}`);
    this.maybePrepareRebalance(group);
    return result;
  }

  private updateMemberAndRebalance(group: ClassicGroup, member: GroupMember, input: JoinGroupInput): Promise<JoinGroupResult> {
    member.protocols = input.protocols;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    const result = member.awaitJoin(ErrorCode.REBALANCE_IN_PROGRESS);
    this.maybePrepareRebalance(group);
    return result;
  }

  /**
   * A static member rejoined without its member id (it restarted). In a Stable group whose
   * protocol would not change, it takes over its old place and assignment with no rebalance;
   * the new id is persisted first. It is told the old leader id, so even a restarted leader
   * acts as a follower and fetches its assignment instead of computing a new one that a
   * Stable group would ignore (Kafka's behaviour before JoinGroup v9's SkipAssignment).
   */
  private replaceStaticMember(group: ClassicGroup, instanceId: string, oldMemberId: string, newMemberId: string, input: JoinGroupInput): Promise<JoinGroupResult> {
    const previousLeader = group.leaderId ?? '';
    const member = group.replaceStaticMember(instanceId, oldMemberId, newMemberId, ErrorCode.FENCED_INSTANCE_ID);
    this.deps.timers.clear(group.groupId, sessionKey(oldMemberId));
    this.scheduleHeartbeat(group, member);
    const previous = { protocols: member.protocols, rebalanceTimeoutMs: member.rebalanceTimeoutMs, sessionTimeoutMs: member.sessionTimeoutMs };
    member.protocols = input.protocols;
    member.rebalanceTimeoutMs = input.rebalanceTimeoutMs;
    member.sessionTimeoutMs = input.sessionTimeoutMs;
    const result = member.awaitJoin(ErrorCode.REBALANCE_IN_PROGRESS);
    this.deps.logger.info(`group ${group.groupId}: static member ${instanceId} rejoined, ${oldMemberId} is now ${newMemberId}`);
    switch (group.state) {
      case 'Stable': {
        if (group.selectProtocol() !== group.protocolName) {
          this.maybePrepareRebalance(group);
          break;
        }
        const generation = group.generationId;
        const assignments = new Map([...group.members.values()].map((m) => [m.memberId, m.assignment] as const));
        void this.deps.store.storeGroup(group, assignments).then((error) => {
          // A rebalance that started meanwhile answers the member itself.
          if (!this.deps.isCurrent(group) || !group.is('Stable') || group.generationId !== generation || !member.isAwaitingJoin) return;
          if (error === ErrorCode.NONE) {
            member.completeJoin({ ...this.generationResult(group, newMemberId, false), leaderId: previousLeader });
            return;
          }
          // Not persisted: undo, so the old incarnation's id stays the valid one.
          this.deps.logger.warn(`group ${group.groupId}: could not persist static member ${instanceId}'s new id (error ${error})`);
          member.completeJoin(joinError('', error));
          Object.assign(member, previous);
          group.replaceStaticMember(instanceId, newMemberId, oldMemberId, ErrorCode.FENCED_INSTANCE_ID);
          this.deps.timers.clear(group.groupId, sessionKey(newMemberId));
          this.scheduleHeartbeat(group, member);
        });
        break;
      }
      case 'CompletingRebalance':
        // The leader may already be assigning with the old id, which no member has any more.
        this.prepareRebalance(group, `static member ${instanceId} rejoined during CompletingRebalance`);
        break;
      case 'PreparingRebalance':
        break;
      case 'Empty':
      case 'Dead':
        throw new Error(`group ${group.groupId} is ${group.state} but still maps instance id ${instanceId}`);
      default:
        unreachable(group.state);
    }
    return result;
  }

  private maybePrepareRebalance(group: ClassicGroup): void {
    if (group.canRebalance) this.prepareRebalance(group, 'membership changed');
  }

  private prepareRebalance(group: ClassicGroup, reason: string): void {
    if (group.is('CompletingRebalance')) this.resetAndPropagateAssignmentError(group, ErrorCode.REBALANCE_IN_PROGRESS);
    group.pendingSyncMembers.clear();
    this.deps.timers.clear(group.groupId, SYNC_KEY);
    const delayMs = this.deps.initialRebalanceDelayMs;
    const initial = group.is('Empty');
    group.joinPhase = initial ? { kind: 'initial', delayMs, remainingMs: Math.max(group.rebalanceTimeoutMs - delayMs, 0) } : { kind: 'normal' };
    group.transitionTo('PreparingRebalance', this.deps.now());
    this.deps.logger.info(`group ${group.groupId}: preparing to rebalance from generation ${group.generationId} (${reason})`);
    if (initial) {
      this.deps.timers.set(group.groupId, JOIN_KEY, delayMs, () => this.onInitialDelayExpired(group));
    } else {
      this.deps.timers.set(group.groupId, JOIN_KEY, group.rebalanceTimeoutMs, () => this.completeJoin(group));
      this.tryCompleteJoin(group);
    }
  }

  private tryCompleteJoin(group: ClassicGroup): void {
    if (group.is('PreparingRebalance') && group.joinPhase?.kind === 'normal' && group.hasAllMembersJoined) this.completeJoin(group);
  }

  private onInitialDelayExpired(group: ClassicGroup): void {
    const phase = group.joinPhase;
    if (phase?.kind !== 'initial') return;
    if (group.newMemberAdded && phase.remainingMs > 0) {
      group.newMemberAdded = false;
      const delayMs = Math.min(this.deps.initialRebalanceDelayMs, phase.remainingMs);
      group.joinPhase = { kind: 'initial', delayMs, remainingMs: Math.max(phase.remainingMs - phase.delayMs, 0) };
      this.deps.timers.set(group.groupId, JOIN_KEY, delayMs, () => this.onInitialDelayExpired(group));
      return;
    }
    this.completeJoin(group);
  }

  private completeJoin(group: ClassicGroup): void {
    this.deps.timers.clear(group.groupId, JOIN_KEY);
    group.joinPhase = null;
    if (!group.is('PreparingRebalance')) return;
    // Dynamic members that did not rejoin in time are gone; static ones keep their place
    // until their session expires (KIP-345).
    for (const member of group.notYetRejoinedMembers()) {
      if (!member.isStatic) this.removeMember(group, member);
    }
    if (!this.electJoinedLeader(group) && group.members.size > 0) {
      // Only static members that have not rejoined remain: wait for them (or their expiry).
      group.joinPhase = { kind: 'normal' };
      this.deps.timers.set(group.groupId, JOIN_KEY, group.rebalanceTimeoutMs, () => this.completeJoin(group));
      return;
    }
    group.initNextGeneration(this.deps.now());
    if (group.is('Empty')) {
      this.deps.logger.info(`group ${group.groupId} is empty at generation ${group.generationId}`);
      // If this write fails, a restart brings back the previous generation, whose members
      // then time out: harmless, so only worth a warning (as in Kafka).
      void this.deps.store.storeGroup(group, new Map()).then((error) => {
        if (error !== ErrorCode.NONE) this.deps.logger.warn(`group ${group.groupId}: could not persist empty generation ${group.generationId} (error ${error})`);
      });
      return;
    }
    this.deps.logger.info(`group ${group.groupId}: generation ${group.generationId} with ${group.members.size} members, protocol ${group.protocolName}`);
    for (const member of group.members.values()) {
      member.completeJoin(this.generationResult(group, member.memberId, group.isLeader(member.memberId)));
      this.scheduleHeartbeat(group, member);
      member.isNew = false;
      group.pendingSyncMembers.add(member.memberId);
    }
    const generation = group.generationId;
    this.deps.timers.set(group.groupId, SYNC_KEY, group.rebalanceTimeoutMs, () => this.onSyncExpired(group, generation));
  }

  /** Keeps the leader if it rejoined, else picks a member that did; false when none did. */
  private electJoinedLeader(group: ClassicGroup): boolean {
    if (group.leaderId === null) return false;
    if (group.members.get(group.leaderId)?.isAwaitingJoin) return true;
    const joined = [...group.members.values()].find((member) => member.isAwaitingJoin);
    if (joined === undefined) return false;
    group.leaderId = joined.memberId;
    return true;
  }

  private acceptAssignment(group: ClassicGroup, sent: readonly { memberId: string; assignment: Buffer }[]): void {
    const assignments = new Map<string, Buffer>();
    for (const { memberId, assignment } of sent) if (group.has(memberId)) assignments.set(memberId, assignment);
    const missing = [...group.members.keys()].filter((id) => !assignments.has(id));
    if (missing.length > 0) this.deps.logger.warn(`group ${group.groupId}: leader sent no assignment for ${missing.join(', ')}; they get an empty one`);
    for (const id of missing) assignments.set(id, EMPTY);
    const generation = group.generationId;
    void this.deps.store.storeGroup(group, assignments).then((error) => {
      // A member may have joined or left while the write was on its way: that generation is over.
      if (!this.deps.isCurrent(group) || !group.is('CompletingRebalance') || group.generationId !== generation) return;
      if (error !== ErrorCode.NONE) {
        this.resetAndPropagateAssignmentError(group, error);
        this.maybePrepareRebalance(group);
        return;
      }
      for (const member of group.members.values()) member.assignment = assignments.get(member.memberId) ?? EMPTY;
      this.propagateAssignment(group, ErrorCode.NONE);
      group.transitionTo('Stable', this.deps.now());
    });
  }

  private resetAndPropagateAssignmentError(group: ClassicGroup, error: number): void {
    for (const member of group.members.values()) member.assignment = EMPTY;
    this.propagateAssignment(group, error);
  }

  private propagateAssignment(group: ClassicGroup, error: number): void {
    const ok = error === ErrorCode.NONE;
    for (const member of group.members.values()) {
      const answered = member.completeSync({
        errorCode: error,
        protocolType: ok ? group.protocolType : null,
        protocolName: ok ? group.protocolName : null,
        assignment: member.assignment,
      });
      // The session clock restarts once a parked member has its answer.
      if (answered) this.scheduleHeartbeat(group, member);
    }
  }

  private markSynced(group: ClassicGroup, memberId: string): void {
    group.pendingSyncMembers.delete(memberId);
    if (group.pendingSyncMembers.size === 0) this.deps.timers.clear(group.groupId, SYNC_KEY);
  }

  private onSyncExpired(group: ClassicGroup, generation: number): void {
    if (generation !== group.generationId || !(group.is('CompletingRebalance') || group.is('Stable'))) return;
    if (group.pendingSyncMembers.size === 0) return;
    const laggards = [...group.pendingSyncMembers];
    for (const memberId of laggards) {
      const member = group.members.get(memberId);
      if (member !== undefined) this.removeMember(group, member);
    }
    this.prepareRebalance(group, `members ${laggards.join(', ')} sent no SyncGroup within the rebalance timeout`);
  }

  private removePendingMember(group: ClassicGroup, memberId: string): void {
    this.deps.timers.clear(group.groupId, pendingKey(memberId));
    if (!group.pendingMembers.delete(memberId)) return;
    if (group.is('PreparingRebalance')) this.tryCompleteJoin(group);
  }

  /** Removes a member without touching the group's state; parked requests get UNKNOWN_MEMBER_ID so a live client rejoins. */
  private removeMember(group: ClassicGroup, member: GroupMember): void {
    member.completeJoin(joinError('', ErrorCode.UNKNOWN_MEMBER_ID));
    member.completeSync(syncError(ErrorCode.UNKNOWN_MEMBER_ID));
    this.deps.timers.clear(group.groupId, sessionKey(member.memberId));
    group.remove(member.memberId);
  }

  private removeMemberAndUpdateGroup(group: ClassicGroup, member: GroupMember, reason: string): void {
    this.deps.logger.info(`group ${group.groupId}: member ${member.memberId} ${reason}`);
    this.removeMember(group, member);
    switch (group.state) {
      case 'Dead':
      case 'Empty':
        return;
      case 'Stable':
      case 'CompletingRebalance':
        this.maybePrepareRebalance(group);
        return;
      case 'PreparingRebalance':
        this.tryCompleteJoin(group);
        return;
      default:
        unreachable(group.state);
    }
  }

  private scheduleHeartbeat(group: ClassicGroup, member: GroupMember): void {
    this.scheduleExpiry(group, member, member.sessionTimeoutMs);
  }

  private scheduleExpiry(group: ClassicGroup, member: GroupMember, timeoutMs: number): void {
    const memberId = member.memberId;
    this.deps.timers.set(group.groupId, sessionKey(memberId), timeoutMs, () => this.onSessionExpired(group, memberId));
  }

  private onSessionExpired(group: ClassicGroup, memberId: string): void {
    if (!this.deps.isCurrent(group) || group.is('Dead')) return;
    const member = group.members.get(memberId);
    if (member === undefined) return;
    // Parked members cannot heartbeat; the join and sync deadlines deal with them instead.
    if (!member.isNew && (member.isAwaitingJoin || member.isAwaitingSync)) return;
    this.removeMemberAndUpdateGroup(group, member, member.isNew ? 'did not complete its join in time' : 'failed: its session timed out');
  }

  private generationResult(group: ClassicGroup, memberId: string, withMembers: boolean): JoinGroupResult {
    return {
      errorCode: ErrorCode.NONE,
      memberId,
      generationId: group.generationId,
      protocolType: group.protocolType,
      protocolName: group.protocolName,
      leaderId: group.leaderId ?? '',
      members: withMembers ? group.currentMemberMetadata() : [],
    };
  }
}

function unreachable(state: never): never {
  throw new Error(`unexpected group state ${String(state)}`);
}
