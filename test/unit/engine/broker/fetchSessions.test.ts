import { describe, expect, it } from 'vitest';
import { FetchSessionCache, STALE_SESSION_MS } from '../../../../src/engine/broker/fetchSessions';

const wanted = (partition: number, fetchOffset = 0) => ({
  partition,
  fetchOffset: BigInt(fetchOffset),
  partitionMaxBytes: 1000,
  logStartOffset: 0n,
  lastFetchedEpoch: -1,
  currentLeaderEpoch: -1,
});

/** Opens a session of `count` partitions, as the Fetch handler does for a full fetch. */
function open(cache: FetchSessionCache, isFollower: boolean, count: number, now: number) {
  const session = cache.create(isFollower, count, now);
  for (let p = 0; p < count; p++) session?.upsert('t', wanted(p));
  return session;
}

describe('FetchSessionCache', () => {
  it('gives non-zero ids and checks the epoch of each incremental request', () => {
    const cache = new FetchSessionCache(10);
    const session = cache.create(false, 1, 0)!;
    expect(session.id).toBeGreaterThan(0);
    expect(cache.lookup(session.id, 2, 0)).toEqual({ ok: false, errorCode: 'invalid-epoch' });
    expect(cache.lookup(session.id + 1, 1, 0)).toEqual({ ok: false, errorCode: 'not-found' });
    expect(cache.lookup(session.id, 1, 0).ok).toBe(true);
    cache.remove(session.id);
    expect(cache.lookup(session.id, 1, 0)).toEqual({ ok: false, errorCode: 'not-found' });
  });

  it('when full, a new session takes a stale slot first, then the least recently used one it outranks, else none', () => {
    const cache = new FetchSessionCache(2);
    const consumer = open(cache, false, 5, 0)!;
    const follower = open(cache, true, 5, 0)!;
    // A smaller consumer session outranks nobody.
    expect(open(cache, false, 1, 1000)).toBeUndefined();
    // A follower outranks the consumer.
    const second = open(cache, true, 1, 1000)!;
    expect(cache.lookup(consumer.id, 1, 1000)).toEqual({ ok: false, errorCode: 'not-found' });
    expect(cache.lookup(follower.id, 1, 1000).ok).toBe(true);
    // A follower session with more partitions outranks the smaller follower session.
    const bigger = open(cache, true, 3, 2000)!;
    expect(cache.lookup(second.id, 1, 2000)).toEqual({ ok: false, errorCode: 'not-found' });
    // Stale sessions give their slot to anyone.
    const late = open(cache, false, 1, 2000 + STALE_SESSION_MS)!;
    expect(late).toBeDefined();
    expect(cache.size).toBe(2);
    expect(cache.lookup(follower.id, 2, 2000 + STALE_SESSION_MS)).toEqual({ ok: false, errorCode: 'not-found' });
    expect(cache.lookup(bigger.id, 1, 2000 + STALE_SESSION_MS).ok).toBe(true);
  });

  it('keeps partitions in order, updates them in place and moves served ones to the back', () => {
    const session = new FetchSessionCache().create(true, 3, 0)!;
    for (const p of [0, 1, 2]) session.upsert('t', wanted(p));
    session.upsert('t', wanted(0, 7));
    expect(session.partitions().map((e) => [e.partition, Number(e.fetchOffset)])).toEqual([[0, 7], [1, 0], [2, 0]]);
    session.moveToBack([session.get('t', 0)!]);
    session.forget('t', 1);
    expect(session.partitions().map((e) => e.partition)).toEqual([2, 0]);
  });
});
