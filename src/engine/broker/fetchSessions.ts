// Incremental fetch sessions (KIP-227). A client that opens a session sends its partitions
// once; afterwards each request names only the partitions whose fetch state changed (and the
// ones it no longer wants), and each answer carries only the partitions with news for it.
// The broker keeps, per session, every partition's fetch state and what it last told the
// client about the partition's offsets, so it can tell news from silence.
//
// A session also knows which of its partitions may have news: it listens to each one's
// replica (a ChangeSource) from its first read on, and keeps the partitions that signalled,
// that the client updated, or whose last read was not quiet (records, an error, a throttle)
// in a changed set. An incremental fetch reads only those, so its cost follows what changed,
// not the session's size; once per SESSION_REFRESH_MS it reads every partition, for what
// moves without a signal (a follower's fetch time, which keeps it in the ISR; the log start
// that retention moves).
//
// The cache is bounded like Kafka's (max.incremental.fetch.session.cache.slots, 1000 by
// default). When it is full a new session takes the slot of the least recently used one that
// is stale (unused for two minutes), or else of the least recently used one it outranks: a
// follower's session outranks a consumer's, and between equals the bigger session wins, as in
// Kafka's FetchSessionCache. When none qualifies the client fetches without a session. A
// stale session stops listening at the next signal, and starts again (reading every
// partition) if its client comes back.

import { randomInt } from 'node:crypto';
import { WakeableSleeps } from '../../runtime/wakeableSleeps';

/** The session epoch of a request that opens a session (with session id 0). */
export const INITIAL_EPOCH = 0;
/** The session epoch of a request without a session, or one that closes its session. */
export const FINAL_EPOCH = -1;
export const DEFAULT_FETCH_SESSION_SLOTS = 1000;
/** Sessions unused this long give their slot to any new session (Kafka's min.eviction time). */
export const STALE_SESSION_MS = 120_000;
/** How often an incremental fetch reads every partition of its session, changed or not. */
export const SESSION_REFRESH_MS = 100;

/** What a session listens to for a partition: its replica (Partition.onData/offData). */
export interface ChangeSource {
  onData(listener: () => void): unknown;
  offData(listener: () => void): void;
}

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

/** A session partition with the session's own bookkeeping. */
interface TrackedPartition extends SessionPartition {
  /** The session it belongs to; undefined once forgotten. */
  owner: FetchSession | undefined;
  /** Position in fetch order: a higher number is read later. */
  order: number;
  /** The replica listened to, from the partition's first read on. */
  source: ChangeSource | undefined;
  /** Created once per partition, so listening again allocates nothing. */
  listener: (() => void) | undefined;
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
  private readonly entries = new Map<string, TrackedPartition>();
  /** Partitions an incremental fetch must read: they may have news. */
  private readonly changed = new Set<TrackedPartition>();
  private nextOrder = 0;
  private lastFullReadMs = Number.NEGATIVE_INFINITY;
  /** Fetches of this session waiting for a change. */
  private readonly waiters = new WakeableSleeps();
  /** Stopped listening while stale: the next fetch reads every partition. */
  private detached = false;
  private wakeScheduled = false;

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
    if (existing !== undefined) {
      Object.assign(existing, fetchState);
      this.changed.add(existing);
      return;
    }
    const entry: TrackedPartition = { topic, partition: wanted.partition, ...fetchState, told: undefined, owner: this, order: this.nextOrder++, source: undefined, listener: undefined };
    this.entries.set(key, entry);
    this.changed.add(entry);
  }

  forget(topic: string, partition: number): void {
    const key = keyOf(topic, partition);
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.watch(entry, undefined);
    this.changed.delete(entry);
    this.entries.delete(key);
    entry.owner = undefined;
  }

  get(topic: string, partition: number): SessionPartition | undefined {
    return this.entries.get(keyOf(topic, partition));
  }

  /** The session's partitions in fetch order. */
  partitions(): SessionPartition[] {
    return [...this.entries.values()];
  }

  /**
   * The partitions the next read of an incremental fetch must cover, in fetch order: those
   * that may have changed, or every one when the last full read is SESSION_REFRESH_MS old.
   * They count as read: a later change, or `stillChanged`, brings one back.
   */
  takeChanged(now: number): SessionPartition[] {
    if (this.detached || now - this.lastFullReadMs >= SESSION_REFRESH_MS) {
      this.detached = false;
      this.lastFullReadMs = now;
      this.changed.clear();
      return [...this.entries.values()];
    }
    const taken = [...this.changed].sort((a, b) => a.order - b.order);
    this.changed.clear();
    return taken;
  }

  /** A partition whose read was not quiet (records, an error, a throttle) is read again next time. */
  stillChanged(entry: SessionPartition): void {
    const tracked = this.tracked(entry);
    if (tracked !== undefined) this.changed.add(tracked);
  }

  /** Every partition is read again next time (after a read whose answer was not sent). */
  allChanged(): void {
    this.lastFullReadMs = Number.NEGATIVE_INFINITY;
  }

  /**
   * Listens to `source` for the partition's changes from now on (none when undefined: the
   * partition has no replica here to listen to, and is read every time until it has one).
   */
  watch(entry: SessionPartition, source: ChangeSource | undefined): void {
    const tracked = this.tracked(entry);
    if (tracked === undefined || tracked.source === source) return;
    if (tracked.source !== undefined && tracked.listener !== undefined) tracked.source.offData(tracked.listener);
    tracked.source = source;
    if (source === undefined) return;
    tracked.listener ??= () => this.signalled(tracked);
    source.onData(tracked.listener);
  }

  /** Resolves at the next change signalled by a partition of the session, or after `waitMs`. */
  waitForChange(waitMs: number): Promise<void> {
    return this.waiters.sleep(waitMs);
  }

  /** Puts partitions that just returned records behind the others, so that under a response byte limit the partitions listed first do not take every answer (Kafka does the same). */
  moveToBack(served: readonly SessionPartition[]): void {
    for (const entry of served) {
      const tracked = this.tracked(entry);
      if (tracked === undefined) continue;
      const key = keyOf(entry.topic, entry.partition);
      this.entries.delete(key);
      this.entries.set(key, tracked);
      tracked.order = this.nextOrder++;
    }
  }

  /** Sorts partitions of this session into fetch order. */
  inFetchOrder(entries: Iterable<SessionPartition>): SessionPartition[] {
    return [...entries].sort((a, b) => (this.tracked(a)?.order ?? 0) - (this.tracked(b)?.order ?? 0));
  }

  /** Stops listening and lets waiting fetches go: the session is gone. */
  close(): void {
    this.stopListening();
    this.waiters.wakeAll();
  }

  private signalled(entry: TrackedPartition): void {
    if (this.waiters.size === 0 && Date.now() - this.lastUsedMs >= STALE_SESSION_MS) {
      // Nobody has fetched for two minutes: stop paying for every append until someone does.
      // (A fetch still waiting, with a max wait that long, is someone.)
      this.stopListening();
      this.detached = true;
      return;
    }
    this.changed.add(entry);
    if (this.waiters.size > 0 && !this.wakeScheduled) {
      // Woken after the requests already received are handled, so the Produce requests a
      // client pipelined reach the followers in one answer, not one round trip each.
      this.wakeScheduled = true;
      setImmediate(() => {
        this.wakeScheduled = false;
        this.waiters.wakeAll();
      });
    }
  }

  private stopListening(): void {
    for (const entry of this.entries.values()) this.watch(entry, undefined);
    this.changed.clear();
  }

  /** The session's own record of a partition, when it still belongs to the session. */
  private tracked(entry: SessionPartition): TrackedPartition | undefined {
    const tracked = entry as Partial<TrackedPartition>;
    return tracked.owner === this ? (entry as TrackedPartition) : undefined;
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
      this.remove(victim.id);
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
    this.sessions.get(sessionId)?.close();
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
