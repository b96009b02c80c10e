import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEADER_EPOCH_CHECKPOINT, LeaderEpochCache } from '../../../../src/engine/log/leaderEpochCache';
import { tempDir } from '../../../helpers/batches';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  ({ dir, cleanup } = tempDir('samsa-epochs-'));
});
afterEach(() => cleanup());

function cacheWith(...entries: [epoch: number, startOffset: number][]): LeaderEpochCache {
  const cache = new LeaderEpochCache(dir);
  for (const [epoch, startOffset] of entries) cache.assign(epoch, startOffset);
  return cache;
}

const entries = (cache: LeaderEpochCache): [number, number][] => cache.epochEntries.map((entry) => [entry.epoch, entry.startOffset]);

describe('LeaderEpochCache.assign', () => {
  it('keeps increasing epochs and ignores a repeated epoch at a later offset', () => {
    const cache = cacheWith([0, 0], [1, 10], [1, 15], [3, 20]);
    expect(entries(cache)).toEqual([[0, 0], [1, 10], [3, 20]]);
    expect(cache.latestEpoch).toBe(3);
  });

  it('lets the latest assignment win: a new epoch at the same start replaces the old one', () => {
    const cache = cacheWith([4, 100], [5, 100]);
    expect(entries(cache)).toEqual([[5, 100]]);
  });

  it('moves the latest epoch back when it is assigned at an earlier offset', () => {
    const cache = cacheWith([1, 0], [2, 50], [2, 40]);
    expect(entries(cache)).toEqual([[1, 0], [2, 40]]);
  });

  it('removes entries a lower epoch contradicts, as a follower copying a new leader must', () => {
    const cache = cacheWith([1, 0], [5, 100], [7, 120]);
    cache.assign(6, 100);
    expect(entries(cache)).toEqual([[1, 0], [6, 100]]);
  });

  it('rejects negative epochs and offsets', () => {
    const cache = new LeaderEpochCache(dir);
    expect(() => cache.assign(-1, 0)).toThrow(RangeError);
    expect(() => cache.assign(0, -5)).toThrow(RangeError);
  });
});

describe('LeaderEpochCache.endOffsetFor (OffsetsForLeaderEpoch)', () => {
  it('answers undefined for an empty cache, an undefined epoch, and an epoch above the latest', () => {
    const empty = new LeaderEpochCache(dir);
    expect(empty.endOffsetFor(0, 10)).toEqual({ epoch: -1, endOffset: -1 });
    const cache = cacheWith([1, 0], [3, 10]);
    expect(cache.endOffsetFor(-1, 20)).toEqual({ epoch: -1, endOffset: -1 });
    expect(cache.endOffsetFor(4, 20)).toEqual({ epoch: -1, endOffset: -1 });
  });

  it('answers the log end offset for the latest epoch and the next epoch start for older ones', () => {
    const cache = cacheWith([0, 0], [2, 10], [4, 20]);
    expect(cache.endOffsetFor(4, 35)).toEqual({ epoch: 4, endOffset: 35 });
    expect(cache.endOffsetFor(2, 35)).toEqual({ epoch: 2, endOffset: 20 });
    expect(cache.endOffsetFor(0, 35)).toEqual({ epoch: 0, endOffset: 10 });
  });

  it('KIP-279: an epoch the leader never had answers the largest epoch below it and that epoch\'s end', () => {
    // The follower wrote epochs 1 and 3 locally; the leader only had 0, 2 and 4.
    const leader = cacheWith([0, 0], [2, 10], [4, 20]);
    expect(leader.endOffsetFor(3, 35)).toEqual({ epoch: 2, endOffset: 20 });
    expect(leader.endOffsetFor(1, 35)).toEqual({ epoch: 0, endOffset: 10 });
  });

  it('an epoch below every known one answers the requested epoch and the first start offset', () => {
    const cache = cacheWith([3, 50], [5, 80]);
    expect(cache.endOffsetFor(1, 100)).toEqual({ epoch: 1, endOffset: 50 });
  });
});

describe('LeaderEpochCache truncation', () => {
  it('truncateFromEnd drops epochs starting at or after the new end', () => {
    const cache = cacheWith([0, 0], [2, 10], [4, 20]);
    cache.truncateFromEnd(20);
    expect(entries(cache)).toEqual([[0, 0], [2, 10]]);
    cache.truncateFromEnd(15);
    expect(entries(cache)).toEqual([[0, 0], [2, 10]]);
  });

  it('truncateFromStart drops epochs ending before the new start and moves the covering one up', () => {
    const cache = cacheWith([0, 0], [2, 10], [4, 20]);
    cache.truncateFromStart(15);
    expect(entries(cache)).toEqual([[2, 15], [4, 20]]);
    cache.truncateFromStart(20);
    expect(entries(cache)).toEqual([[4, 20]]);
    cache.truncateFromStart(5);
    expect(entries(cache)).toEqual([[4, 20]]);
  });

  it('epochForOffset names the epoch that wrote an offset', () => {
    const cache = cacheWith([0, 0], [2, 10], [4, 20]);
    expect([cache.epochForOffset(9), cache.epochForOffset(10), cache.epochForOffset(99)]).toEqual([0, 2, 4]);
  });
});

describe('leader-epoch-checkpoint', () => {
  it('is written in Kafka\'s text format on every change and reloaded', () => {
    cacheWith([0, 0], [3, 10]);
    expect(readFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), 'utf8')).toBe('0\n2\n0 0\n3 10\n');
    const reloaded = new LeaderEpochCache(dir);
    expect(entries(reloaded)).toEqual([[0, 0], [3, 10]]);
    reloaded.truncateFromEnd(10);
    expect(readFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), 'utf8')).toBe('0\n1\n0 0\n');
  });

  it('reads a checkpoint whose count line does not match its entries as empty, for log loading to rebuild', () => {
    writeFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), '0\n3\n0 0\n1 5\n');
    expect(entries(new LeaderEpochCache(dir))).toEqual([]);
  });

  it('reads a checkpoint left empty by a power loss before its fsync as empty', () => {
    writeFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), '');
    expect(entries(new LeaderEpochCache(dir))).toEqual([]);
  });

  it('keeps the consistent prefix of a checkpoint whose entries go backwards', () => {
    writeFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), '0\n3\n0 0\n2 5\n1 9\n');
    expect(entries(new LeaderEpochCache(dir))).toEqual([[0, 0], [2, 5]]);
  });
});
