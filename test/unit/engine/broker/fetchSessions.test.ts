import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FetchSessionCache, SESSION_REFRESH_MS, STALE_SESSION_MS, type FetchSession, type SessionPartition } from '../../../../src/engine/broker/fetchSessions';
import { PartitionLog } from '../../../../src/engine/log/partitionLog';
import type { PartitionState } from '../../../../src/engine/metadata/records';
import { Partition } from '../../../../src/engine/partition/partition';
import { tempDir } from '../../../helpers/batches';

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

describe('a session\'s changed partitions', () => {
  const cleanups: (() => void)[] = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  /** Real leader replicas of t-0..t-(count-1) on broker 1, over logs in a temp dir. */
  function replicasOf(count: number): Partition[] {
    const { dir, cleanup } = tempDir('samsa-sessions-');
    const partitions = Array.from({ length: count }, (_, index) => {
      const state: PartitionState = { topicId: 'topic-id', partition: index, replicas: [1, 2, 3], isr: [1, 2, 3], leader: 1, leaderEpoch: 0, partitionEpoch: 0, addingReplicas: [], removingReplicas: [] };
      const partition = new Partition('t', PartitionLog.open({ dir: join(dir, `t-${index}`) }), state, 1, 0, { replicaLagTimeMaxMs: 30_000, requestIsrChange: async () => undefined });
      partition.applyState(state, 0);
      return partition;
    });
    cleanups.push(() => {
      for (const partition of partitions) partition.close();
      cleanup();
    });
    return partitions;
  }

  /** A real signal: the replica gets a new partition state (here a smaller ISR). */
  function shrinkIsr(partition: Partition): void {
    partition.applyState({ ...partition.state, isr: [1], partitionEpoch: partition.state.partitionEpoch + 1 }, 0);
  }

  /** What a fetch does with the partitions it read: listen to each one's replica. */
  function read(session: FetchSession, now: number, replicas: Partition[]): number[] {
    const taken = session.takeChanged(now);
    for (const entry of taken) session.watch(entry, replicas[entry.partition]);
    return taken.map((entry) => entry.partition);
  }

  const entry = (session: FetchSession, partition: number): SessionPartition => session.get('t', partition)!;

  it('are the partitions that signalled or were updated, in fetch order, and all of them once per refresh interval', () => {
    const replicas = replicasOf(4);
    const session = open(new FetchSessionCache(), true, 4, Date.now())!;
    const start = 1_000;
    expect(read(session, start, replicas)).toEqual([0, 1, 2, 3]);
    expect(read(session, start + 1, replicas)).toEqual([]);
    shrinkIsr(replicas[3]!);
    shrinkIsr(replicas[1]!);
    session.upsert('t', wanted(2, 5));
    expect(read(session, start + 2, replicas)).toEqual([1, 2, 3]);
    expect(read(session, start + 3, replicas)).toEqual([]);
    // A partition whose read was not quiet is read again without a signal.
    session.stillChanged(entry(session, 0));
    expect(read(session, start + 4, replicas)).toEqual([0]);
    // Served partitions move behind the others, and the order of reads follows.
    session.moveToBack([entry(session, 0)]);
    shrinkIsr(replicas[0]!);
    shrinkIsr(replicas[2]!);
    expect(read(session, start + 5, replicas)).toEqual([2, 0]);
    // What moves without a signal is caught by reading everything once per interval.
    expect(read(session, start + SESSION_REFRESH_MS, replicas)).toEqual([1, 2, 3, 0]);
    // After a read whose answer was not sent, everything is read again.
    session.allChanged();
    expect(read(session, start + SESSION_REFRESH_MS + 1, replicas)).toEqual([1, 2, 3, 0]);
    expect(read(session, start + SESSION_REFRESH_MS + 2, replicas)).toEqual([]);
  });

  it('wake a waiting fetch on a signal; a forgotten partition, and a closed session, hear nothing more', async () => {
    const replicas = replicasOf(2);
    const cache = new FetchSessionCache();
    const session = open(cache, true, 2, Date.now())!;
    const start = 1_000;
    read(session, start, replicas);
    const woken = session.waitForChange(60_000);
    shrinkIsr(replicas[1]!);
    await woken;
    expect(read(session, start + 1, replicas)).toEqual([1]);

    session.forget('t', 1);
    shrinkIsr(replicas[1]!);
    expect(read(session, start + 2, replicas)).toEqual([]);

    // Removing the session lets its waiting fetch go and stops its listening.
    const waiting = session.waitForChange(60_000);
    cache.remove(session.id);
    await waiting;
    shrinkIsr(replicas[0]!);
    expect(read(session, start + 3, replicas)).toEqual([]);
  });

  it('of a stale session: it stops listening at the next signal, and reads everything when its client is back', () => {
    const replicas = replicasOf(2);
    const longAgo = Date.now() - STALE_SESSION_MS;
    const session = open(new FetchSessionCache(), true, 2, longAgo)!;
    read(session, longAgo, replicas);
    shrinkIsr(replicas[0]!);
    // The signal found the session stale: it is not kept as a change, the session reads all.
    const back = longAgo + 1;
    expect(read(session, back, replicas)).toEqual([0, 1]);
    session.lastUsedMs = Date.now();
    shrinkIsr(replicas[1]!);
    expect(read(session, back + 1, replicas)).toEqual([1]);
  });

  it('of a session whose one fetch has waited longer than the stale time still wake that fetch', async () => {
    const replicas = replicasOf(1);
    const longAgo = Date.now() - STALE_SESSION_MS;
    const session = open(new FetchSessionCache(), true, 1, longAgo)!;
    read(session, longAgo, replicas);
    const woken = session.waitForChange(60_000);
    shrinkIsr(replicas[0]!);
    await woken;
    expect(read(session, longAgo + 1, replicas)).toEqual([0]);
  });
});
