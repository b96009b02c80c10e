import { CONSUMER_PROTOCOL_TYPE, decodeConsumerSubscription } from './consumerProtocol';
import { joinError, syncError, type JoinedMember } from './groupResults';
import { canTransition, type GroupState } from './groupState';
import type { GroupMember, MemberProtocol } from './member';

/** How the current PreparingRebalance phase ends (Kafka's InitialDelayedJoin / DelayedJoin). */
export type JoinPhase =
  /** First rebalance of an empty group: wait group.initial.rebalance.delay.ms, again while members keep arriving. */
  | { kind: 'initial'; delayMs: number; remainingMs: number }
  /** Complete as soon as every member has rejoined, or when the rebalance timeout ends. */
  | { kind: 'normal' };

/**
 * A classic group's membership and state machine: members, the generation, the selected
 * protocol and leader, the members still expected in the current phase. It holds no timers
 * and does no I/O; the rebalance protocol (rebalance.ts) drives it.
 */
export class ClassicGroup {
  state: GroupState;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leaderId: string | null = null;
  /** When the group last changed state (ms), stored as GroupMetadataValue.currentStateTimestamp. */
  stateTimestamp: number;
  readonly members = new Map<string, GroupMember>();
  /** Member ids handed out with MEMBER_ID_REQUIRED whose owners have not joined yet (KIP-394). */
  readonly pendingMembers = new Set<string>();
  /** Members that got this generation's JoinGroup answer but have not sent SyncGroup yet. */
  readonly pendingSyncMembers = new Set<string>();
  /** group.instance.id -> member id, for static members (KIP-345). */
  private readonly staticMembers = new Map<string, string>();
  joinPhase: JoinPhase | null = null;
  /** A member arrived during the initial delay, so the delay is extended once more. */
  newMemberAdded = false;

  constructor(
    readonly groupId: string,
    readonly partition: number,
    now: number,
    init: { state?: GroupState; generationId?: number; protocolType?: string | null; protocolName?: string | null } = {},
  ) {
    this.state = init.state ?? 'Empty';
    this.generationId = init.generationId ?? 0;
    this.protocolType = init.protocolType ?? null;
    this.protocolName = init.protocolName ?? null;
    this.stateTimestamp = now;
  }

  transitionTo(state: GroupState, now: number): void {
    if (!canTransition(this.state, state)) {
      throw new Error(`group ${this.groupId} cannot move from ${this.state} to ${state}`);
    }
    this.state = state;
    this.stateTimestamp = now;
  }

  is(state: GroupState): boolean {
    return this.state === state;
  }

  /** Kafka rebalances only from these states; a rebalance already under way absorbs new joins. */
  get canRebalance(): boolean {
    return this.state === 'Stable' || this.state === 'CompletingRebalance' || this.state === 'Empty';
  }

  has(memberId: string): boolean {
    return this.members.has(memberId);
  }

  get(memberId: string): GroupMember {
    const member = this.members.get(memberId);
    if (member === undefined) throw new Error(`member ${memberId} is not in group ${this.groupId}`);
    return member;
  }

  isLeader(memberId: string): boolean {
    return this.leaderId === memberId;
  }

  staticMemberId(groupInstanceId: string): string | undefined {
    return this.staticMembers.get(groupInstanceId);
  }

  add(member: GroupMember): void {
    if (this.members.size === 0) this.protocolType = member.protocolType;
    this.members.set(member.memberId, member);
    this.pendingMembers.delete(member.memberId);
    if (member.groupInstanceId !== null) this.staticMembers.set(member.groupInstanceId, member.memberId);
    // The first member to join leads until it leaves; the leader runs the assignor.
    this.leaderId ??= member.memberId;
  }

  remove(memberId: string): void {
    const member = this.members.get(memberId);
    if (member === undefined) return;
    this.members.delete(memberId);
    this.pendingSyncMembers.delete(memberId);
    if (member.groupInstanceId !== null) this.staticMembers.delete(member.groupInstanceId);
    if (this.leaderId === memberId) this.leaderId = this.members.keys().next().value ?? null;
  }

  /**
   * A static member restarted and joined without its member id: the same member continues
   * under a new id, and anything the old incarnation had parked is fenced (KIP-345).
   */
  replaceStaticMember(groupInstanceId: string, oldMemberId: string, newMemberId: string, fencedError: number): GroupMember {
    const member = this.get(oldMemberId);
    member.completeJoin(joinError(oldMemberId, fencedError));
    member.completeSync(syncError(fencedError));
    this.members.delete(oldMemberId);
    member.memberId = newMemberId;
    this.members.set(newMemberId, member);
    this.staticMembers.set(groupInstanceId, newMemberId);
    if (this.pendingSyncMembers.delete(oldMemberId)) this.pendingSyncMembers.add(newMemberId);
    if (this.leaderId === oldMemberId) this.leaderId = newMemberId;
    return member;
  }

  /** The largest rebalance timeout of the members: how long a rebalance may wait for them. */
  get rebalanceTimeoutMs(): number {
    let timeout = 0;
    for (const member of this.members.values()) timeout = Math.max(timeout, member.rebalanceTimeoutMs);
    return timeout;
  }

  get awaitingJoinCount(): number {
    let count = 0;
    for (const member of this.members.values()) if (member.isAwaitingJoin) count++;
    return count;
  }

  /** Every member has rejoined and no member id handed out is still unclaimed. */
  get hasAllMembersJoined(): boolean {
    return this.members.size === this.awaitingJoinCount && this.pendingMembers.size === 0;
  }

  notYetRejoinedMembers(): GroupMember[] {
    return [...this.members.values()].filter((member) => !member.isAwaitingJoin);
  }

  /**
   * Protocols every member supports, optionally leaving one member out (one that is about to
   * replace its own list).
   */
  candidateProtocols(excludingMemberId?: string): Set<string> {
    const others = [...this.members.values()].filter((member) => member.memberId !== excludingMemberId);
    const [first, ...rest] = others;
    if (first === undefined) return new Set();
    return new Set(first.protocols.map((p) => p.name).filter((name) => rest.every((member) => member.supports(name))));
  }

  /**
   * Whether a member with this protocol type and these protocols may join: the first member
   * of a group must name both; later ones must match the type and share at least one protocol
   * with everyone else (INCONSISTENT_GROUP_PROTOCOL otherwise).
   */
  supportsProtocols(protocolType: string, protocols: readonly MemberProtocol[], joiningMemberId: string): boolean {
    const others = [...this.members.keys()].filter((id) => id !== joiningMemberId);
    if (others.length === 0) return protocolType !== '' && protocols.length > 0;
    const candidates = this.candidateProtocols(joiningMemberId);
    return this.protocolType === protocolType && protocols.some((p) => candidates.has(p.name));
  }

  /**
   * The protocol for the next generation: among those every member supports, each member
   * votes for the one it lists first, and the most votes win (ties go to the protocol that
   * received its first vote earliest, in member join order).
   */
  selectProtocol(): string {
    const candidates = this.candidateProtocols();
    const votes = new Map<string, number>();
    for (const member of this.members.values()) {
      const choice = member.vote(candidates);
      if (choice !== undefined) votes.set(choice, (votes.get(choice) ?? 0) + 1);
    }
    let best: string | undefined;
    let bestVotes = 0;
    for (const [name, count] of votes) {
      if (count > bestVotes) {
        best = name;
        bestVotes = count;
      }
    }
    if (best === undefined) throw new Error(`group ${this.groupId} has no protocol that every member supports`);
    return best;
  }

  /**
   * Moves to the next generation once the join phase completed: with members, select the
   * protocol and wait for the leader's assignment; without, the group is Empty.
   */
  initNextGeneration(now: number): void {
    this.generationId++;
    if (this.members.size > 0) {
      this.protocolName = this.selectProtocol();
      this.transitionTo('CompletingRebalance', now);
    } else {
      this.protocolName = null;
      this.transitionTo('Empty', now);
    }
  }

  /** The member list the leader receives in its JoinGroup response. */
  currentMemberMetadata(): JoinedMember[] {
    return [...this.members.values()].map((member) => ({
      memberId: member.memberId,
      groupInstanceId: member.groupInstanceId,
      metadata: member.metadataFor(this.protocolName),
    }));
  }

  /**
   * Topics the members of a consumer group subscribe to, or null when that cannot be known
   * (not a consumer group, or a subscription that does not decode): callers then assume the
   * group may consume any topic, as Kafka does.
   */
  subscribedTopics(): Set<string> | null {
    if (this.protocolType !== CONSUMER_PROTOCOL_TYPE || this.protocolName === null) return null;
    const topics = new Set<string>();
    for (const member of this.members.values()) {
      const subscription = decodeConsumerSubscription(member.metadataFor(this.protocolName));
      if (subscription === null) return null;
      for (const topic of subscription.topics) topics.add(topic);
    }
    return topics;
  }

  isSubscribedToTopic(topic: string): boolean {
    return this.subscribedTopics()?.has(topic) ?? true;
  }
}
