// Incremental fetch sessions (KIP-227). A client that opens a session sends its partitions
// once; afterwards each request names only the partitions whose fetch state changed (and the
// ones it no longer wants), and each answer carries only the partitions with news for it.
// The broker keeps, per session, every partition's fetch state and what it last told the
// client about the partition's offsets, so it can tell news from silence.
//
// The cache is bounded like Kafka's (max.incremental.fetch.session.cache.slots, 1000 by
// default). When it is full a new session takes the slot of the least recently used one that
// is stale (unused for two minutes), or else of the least recently used one it outranks: a
// follower's session outranks a consumer's, and between equals the bigger session wins, as in
// Kafka's FetchSessionCache. When none qualifies the client fetches without a session.

import { randomInt } from 'node:crypto';

/** The session epoch of a request that opens a session (with session id 0). */
export const INITIAL_EPOCH = 0;
/** The session epoch of a request without a session, or one that closes its session. */
export const FINAL_EPOCH = -1;
export const DEFAULT_FETCH_SESSION_SLOTS = 1000;
/** Sessions unused this long give their slot to any new session (Kafka's min.eviction time). */
export const STALE_SESSION_MS = 120_000;

/** A partition as a fetch request states it. */
export interface RequestedPartition {
  partition: number;
  fetchOffset: bigint;
  partitionMaxBytes: number;
  logStartOffset: bigint;
  lastFetchedEpoch: number;
  currentLeaderEpoch: number;
}

/** One partition of a session: what the client last asked for and what it was last told. */
export interface SessionPartition extends RequestedPartition {
  topic: string;
  /** Offsets in the last answer that carried this partition; undefined until one did. */
  told: { highWatermark: bigint; lastStableOffset: bigint; logStartOffset: bigint } | undefined;
}

function keyOf(topic: string, partition: number): string {
  // A NUL cannot occur in a topic name the broker accepts, so keys never collide.
  return `${topic}\u0000${partition}`;
}

export class FetchSession {
  /** The epoch the next incremental request must carry. */
  nextEpoch = 1;
  lastUsedMs: number;
  /** Partitions in fetch order; partitions that returned records move to the back. */
  private readonly entries = new Map<string, SessionPartition>();

  constructor(
    readonly id: number,
    /** Follower sessions (replica id >= 0) outrank consumer sessions for cache slots. */
    readonly isFollower: boolean,
    now: number,
  ) {
    this.lastUsedMs = now;
  }

  get size(): number {
    return this.entries.size;
  }

  /** Adds a partition or updates its fetch state; what the client was told is kept. */
  upsert(topic: string, wanted: RequestedPartition): void {
    const key = keyOf(topic, wanted.partition);
    const existing = this.entries.get(key);
    const fetchState = {
      fetchOffset: wanted.fetchOffset,
      partitionMaxBytes: wanted.partitionMaxBytes,
      logStartOffset: wanted.logStartOffset,
      lastFetchedEpoch: wanted.lastFetchedEpoch,
      currentLeaderEpoch: wanted.currentLeaderEpoch,
    };
    if (existing !== undefined) Object.assign(existing, fetchState);
    else this.entries.set(key, { topic, partition: wanted.partition, ...fetchState, told: undefined });
  }

  forget(topic: string, partition: number): void {
    this.entries.delete(keyOf(topic, partition));
  }

  get(topic: string, partition: number): SessionPartition | undefined {
    return this.entries.get(keyOf(topic, partition));
  }

  /** The session's partitions in fetch order. */
  partitions(): SessionPartition[] {
    return [...this.entries.values()];
  }

  /**
   * Moves partitions that just returned records behind the others, so that under a response
   * byte limit the partitions listed first do not take every answer (Kafka does the same).
   */
  moveToBack(served: readonly SessionPartition[]): void {
    for (const entry of served) {
      const key = keyOf(entry.topic, entry.partition);
      if (this.entries.get(key) !== entry) continue;
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
  }
}

export type SessionLookup = { ok: true; session: FetchSession } | { ok: false; errorCode: 'not-found' | 'invalid-epoch' };

export class FetchSessionCache {
  /** Sessions by id, least recently used first. */
  private readonly sessions = new Map<number, FetchSession>();

  constructor(private readonly maxSlots: number = DEFAULT_FETCH_SESSION_SLOTS) {}

  get size(): number {
    return this.sessions.size;
  }

  /**
   * Opens a session for a full fetch of `partitionCount` partitions, evicting another when the
   * cache is full; undefined when no slot can be had (the client then fetches without one).
   */
  create(isFollower: boolean, partitionCount: number, now: number): FetchSession | undefined {
    if (this.maxSlots <= 0) return undefined;
    if (this.sessions.size >= this.maxSlots) {
      const victim = this.evictionCandidate(isFollower, partitionCount, now);
      if (victim === undefined) return undefined;
      this.sessions.delete(victim.id);
    }
    const session = new FetchSession(this.newId(), isFollower, now);
    this.sessions.set(session.id, session);
    return session;
  }

  /** Finds the session an incremental request continues and checks its epoch; marks it used. */
  lookup(sessionId: number, epoch: number, now: number): SessionLookup {
    const session = this.sessions.get(sessionId);
    if (session === undefined) return { ok: false, errorCode: 'not-found' };
    if (epoch !== session.nextEpoch) return { ok: false, errorCode: 'invalid-epoch' };
    this.touch(session, now);
    return { ok: true, session };
  }

  remove(sessionId: number): void {
    this.sessions.delete(sessionId);
  }

  private touch(session: FetchSession, now: number): void {
    session.lastUsedMs = now;
    this.sessions.delete(session.id);
    this.sessions.set(session.id, session);
  }

  private evictionCandidate(isFollower: boolean, partitionCount: number, now: number): FetchSession | undefined {
    for (const session of this.sessions.values()) {
      if (now - session.lastUsedMs >= STALE_SESSION_MS) return session;
    }
    for (const session of this.sessions.values()) {
      if (isFollower && !session.isFollower) return session;
      if (isFollower === session.isFollower && partitionCount > session.size) return session;
    }
    return undefined;
  }

  /**
   * Random as in Kafka, so one client cannot easily guess (and disturb) another's session;
   * positive, never 0 (which means "no session"), and not one in use.
   */
  private newId(): number {
    let id: number;
    do id = randomInt(1, 0x7fffffff);
    while (this.sessions.has(id));
    return id;
  }
}
