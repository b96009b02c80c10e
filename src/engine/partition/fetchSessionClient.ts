// The fetching side of an incremental fetch session (KIP-227), like Kafka's
// FetchSessionHandler: the first request is full (session id 0, epoch 0) and opens a session
// at the leader; then each request names only the partitions that are new or whose fetch
// state changed since the leader last heard of them, and forgets the ones no longer fetched.
// The leader answers with only the partitions that have news, so partitions missing from an
// answer are unchanged. Any doubt about what the leader holds (an error answer, a lost or
// abandoned request, a new connection) starts over with a full request.
import { ErrorCode } from '../../protocol/errors';

/** What the leader's session keeps for a partition; a change in any field must be sent. */
export interface PartitionFetchState {
  topic: string;
  partition: number;
  fetchOffset: bigint;
  logStartOffset: bigint;
  partitionMaxBytes: number;
  currentLeaderEpoch: number;
  lastFetchedEpoch: number;
}

export interface SessionRequest {
  sessionId: number;
  sessionEpoch: number;
  /** Whether `partitions` is every partition (a full request) or only the changed ones. */
  full: boolean;
  partitions: PartitionFetchState[];
  forgotten: { topic: string; partition: number }[];
  /** Hand back to `handleResponse`, which ignores answers to requests from before a reset. */
  generation: number;
}

const INITIAL_EPOCH = 0;

function keyOf(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

function sameState(a: PartitionFetchState, b: PartitionFetchState): boolean {
  return (
    a.fetchOffset === b.fetchOffset &&
    a.logStartOffset === b.logStartOffset &&
    a.partitionMaxBytes === b.partitionMaxBytes &&
    a.currentLeaderEpoch === b.currentLeaderEpoch &&
    a.lastFetchedEpoch === b.lastFetchedEpoch
  );
}

export class FetchSessionClient {
  private sessionId = 0;
  private nextEpoch = INITIAL_EPOCH;
  /** The state the leader's session holds for each partition, as last sent. */
  private readonly sent = new Map<string, PartitionFetchState>();
  /**
   * The objects held in `sent`. A caller that hands back the very object it passed before
   * (its fetch state unchanged) is known unchanged without building the partition's key,
   * which with thousands of idle partitions was most of the cost of a request.
   */
  private readonly sentStates = new Set<PartitionFetchState>();
  /** Partitions to forget in the next request even if fetched again (their replica was replaced). */
  private readonly mustForget = new Map<string, { topic: string; partition: number }>();
  private generation = 0;

  /** Whether the next request is full (no session yet, or starting over). */
  get isFull(): boolean {
    return this.nextEpoch === INITIAL_EPOCH;
  }

  get currentSessionId(): number {
    return this.sessionId;
  }

  /**
   * The next request for `next`, every partition to fetch now in the order wanted. In a
   * session, a partition left out of `next` is forgotten by the leader and re-sent in full
   * when it comes back.
   */
  build(next: readonly PartitionFetchState[]): SessionRequest {
    const generation = this.generation;
    if (this.isFull) {
      this.clearSent();
      this.mustForget.clear();
      for (const state of next) this.remember(keyOf(state.topic, state.partition), state);
      return { sessionId: this.sessionId, sessionEpoch: INITIAL_EPOCH, full: true, partitions: [...next], forgotten: [], generation };
    }
    const changed: PartitionFetchState[] = [];
    const forgotten = [...this.mustForget.values()];
    this.mustForget.clear();
    const sentBefore = this.sent.size;
    /** Partitions of `next` the session already had; fewer than it had means some are gone. */
    let kept = 0;
    for (const state of next) {
      if (this.sentStates.has(state)) {
        kept++;
        continue;
      }
      const key = keyOf(state.topic, state.partition);
      const previous = this.sent.get(key);
      if (previous !== undefined) {
        kept++;
        this.sentStates.delete(previous);
      }
      this.remember(key, state);
      if (previous === undefined || !sameState(previous, state)) changed.push(state);
    }
    if (kept < sentBefore) {
      const wanted = new Set(next);
      for (const [key, state] of this.sent) {
        if (wanted.has(state)) continue;
        this.sent.delete(key);
        this.sentStates.delete(state);
        forgotten.push({ topic: state.topic, partition: state.partition });
      }
    }
    return { sessionId: this.sessionId, sessionEpoch: this.nextEpoch, full: false, partitions: changed, forgotten, generation };
  }

  /**
   * The partition's replica was dropped or replaced locally: whatever the leader's session
   * holds for it is forgotten, so that if fetched again it starts fresh there too.
   */
  forget(topic: string, partition: number): void {
    const key = keyOf(topic, partition);
    const previous = this.sent.get(key);
    if (this.isFull || previous === undefined) return;
    this.sent.delete(key);
    this.sentStates.delete(previous);
    this.mustForget.set(key, { topic, partition });
  }

  /**
   * Takes the leader's answer to `request`; false when the answer must be discarded (it
   * belongs to a session given up since) or failed at the top level (the session is then
   * reset, so the next request is full).
   */
  handleResponse(request: SessionRequest, errorCode: number, responseSessionId: number): boolean {
    if (request.generation !== this.generation) return false;
    if (errorCode !== ErrorCode.NONE) {
      this.reset();
      return false;
    }
    if (request.full) {
      // Session id 0: the leader keeps no session for us (its cache is full); stay full.
      this.sessionId = responseSessionId;
      this.nextEpoch = responseSessionId === 0 ? INITIAL_EPOCH : 1;
    } else {
      this.nextEpoch = this.nextEpoch >= 0x7fffffff ? 1 : this.nextEpoch + 1;
    }
    return true;
  }

  /**
   * Starts over with a full request. It still names the old session, so the leader closes
   * that one as it opens the new one (Kafka's client does the same after an error).
   */
  reset(): void {
    this.nextEpoch = INITIAL_EPOCH;
    this.clearSent();
    this.mustForget.clear();
    this.generation++;
  }

  private remember(key: string, state: PartitionFetchState): void {
    this.sent.set(key, state);
    this.sentStates.add(state);
  }

  private clearSent(): void {
    this.sent.clear();
    this.sentStates.clear();
  }
}
