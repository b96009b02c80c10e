import { joinError, syncError, type JoinGroupResult, type SyncGroupResult } from './groupResults';

/** One protocol a member supports (an assignor, for consumers) with its metadata bytes. */
export interface MemberProtocol {
  name: string;
  metadata: Buffer;
}

export interface MemberInit {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  protocolType: string;
  protocols: MemberProtocol[];
}

const EMPTY = Buffer.alloc(0);

/**
 * A member of a classic group: who it is, what it supports, what it was assigned, and the
 * JoinGroup or SyncGroup request it is parked on (if any). A parked request is a resolver:
 * the coordinator answers it when the rebalance phase completes.
 */
export class GroupMember {
  memberId: string;
  readonly groupInstanceId: string | null;
  readonly clientId: string;
  readonly clientHost: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  readonly protocolType: string;
  protocols: MemberProtocol[];
  assignment: Buffer = EMPTY;
  /**
   * Joined during the current rebalance: it has no generation yet, so it cannot heartbeat, and
   * Kafka expires it only after the long new-member join timeout (KIP-394).
   */
  isNew = false;
  private joinWaiter: ((result: JoinGroupResult) => void) | null = null;
  private syncWaiter: ((result: SyncGroupResult) => void) | null = null;

  constructor(init: MemberInit) {
    this.memberId = init.memberId;
    this.groupInstanceId = init.groupInstanceId;
    this.clientId = init.clientId;
    this.clientHost = init.clientHost;
    this.sessionTimeoutMs = init.sessionTimeoutMs;
    this.rebalanceTimeoutMs = init.rebalanceTimeoutMs;
    this.protocolType = init.protocolType;
    this.protocols = init.protocols;
  }

  get isStatic(): boolean {
    return this.groupInstanceId !== null;
  }

  get isAwaitingJoin(): boolean {
    return this.joinWaiter !== null;
  }

  get isAwaitingSync(): boolean {
    return this.syncWaiter !== null;
  }

  /** The member's metadata for `protocol`; empty if it does not support it. */
  metadataFor(protocol: string | null): Buffer {
    return this.protocols.find((p) => p.name === protocol)?.metadata ?? EMPTY;
  }

  supports(protocol: string): boolean {
    return this.protocols.some((p) => p.name === protocol);
  }

  /** Same protocols, in the same preference order, with the same metadata (Kafka's `matches`). */
  matches(protocols: readonly MemberProtocol[]): boolean {
    return (
      protocols.length === this.protocols.length &&
      protocols.every((p, i) => p.name === this.protocols[i]!.name && p.metadata.equals(this.protocols[i]!.metadata))
    );
  }

  /** The protocol this member prefers most among `candidates`: its vote in protocol selection. */
  vote(candidates: ReadonlySet<string>): string | undefined {
    return this.protocols.find((p) => candidates.has(p.name))?.name;
  }

  /**
   * Parks a JoinGroup. A member that sends another JoinGroup while one is parked (a client
   * retrying after its own timeout) supersedes it; the old request is answered so it does
   * not hold up its connection, with an error that only makes a still-listening client rejoin.
   */
  awaitJoin(supersededError: number): Promise<JoinGroupResult> {
    this.joinWaiter?.(joinError(this.memberId, supersededError));
    return new Promise((resolve) => {
      this.joinWaiter = resolve;
    });
  }

  /** Answers the parked JoinGroup, if any; true when there was one. */
  completeJoin(result: JoinGroupResult): boolean {
    const waiter = this.joinWaiter;
    this.joinWaiter = null;
    waiter?.(result);
    return waiter !== null;
  }

  awaitSync(supersededError: number): Promise<SyncGroupResult> {
    this.syncWaiter?.(syncError(supersededError));
    return new Promise((resolve) => {
      this.syncWaiter = resolve;
    });
  }

  completeSync(result: SyncGroupResult): boolean {
    const waiter = this.syncWaiter;
    this.syncWaiter = null;
    waiter?.(result);
    return waiter !== null;
  }
}
