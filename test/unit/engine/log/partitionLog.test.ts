import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvalidAppendError, PartitionLog, type PartitionLogOptions } from '../../../../src/engine/log/partitionLog';
import { RECENT, baseOffsetOf, dataBatch, dataBatches, lastOffsetOf, maxTimestampOf, tempDir } from '../../../helpers/batches';

let dir: string;
let cleanup: () => void;
const opened: PartitionLog[] = [];

beforeEach(() => {
  ({ dir, cleanup } = tempDir());
});
afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  cleanup();
});

function open(options: Omit<PartitionLogOptions, 'dir'> = {}): PartitionLog {
  const log = PartitionLog.open({ dir, ...options });
  opened.push(log);
  return log;
}

function reopen(log: PartitionLog, options: Omit<PartitionLogOptions, 'dir'> = {}): PartitionLog {
  log.close();
  opened.splice(opened.indexOf(log), 1);
  return open(options);
}

/** Reads the whole log from `from` with no size limit. */
function readAll(log: PartitionLog, from = log.logStartOffset): Buffer[] {
  const result = log.read(from, Number.MAX_SAFE_INTEGER);
  if (!result.ok) throw new Error(`read at ${from} was out of range`);
  return result.batches;
}

/** The batch holding `offset`, found by walking the list: the reference for index lookups. */
function bruteForceBatchAt(batches: Buffer[], offset: number): Buffer | undefined {
  return batches.find((batch) => baseOffsetOf(batch) <= offset && offset <= lastOffsetOf(batch));
}

// Tests with explicit old timestamps must not roll by segment.ms, which counts from them.
const smallSegments = { segmentBytes: 1_000, indexIntervalBytes: 150, segmentMs: Number.MAX_SAFE_INTEGER };

describe('PartitionLog append and read', () => {
  it('round-trips batches byte for byte across many segments named like Kafka', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 120, (i) => ({ records: 1 + (i % 3), valueBytes: 5 + ((i * 7) % 40) }));
    for (const batch of batches) log.append([batch]);

    expect(log.logStartOffset).toBe(0);
    expect(log.logEndOffset).toBe(lastOffsetOf(batches.at(-1)!) + 1);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(5);
    expect(Buffer.concat(readAll(log))).toEqual(Buffer.concat(batches));
    expect(log.sizeInBytes).toBe(Buffer.concat(batches).length);
    const names = readdirSync(dir).filter((name) => name.endsWith('.log'));
    expect(names).toContain('00000000000000000000.log');
    expect(names.map((name) => Number(name.slice(0, 20)))).toEqual(log.segmentBaseOffsets);
    // Index files are created with their first entry; rolled segments here hold entries
    // (indexIntervalBytes is well below the segment size), and any index file is named by
    // its segment's base offset.
    for (const base of log.segmentBaseOffsets.slice(0, -1)) {
      for (const suffix of ['.index', '.timeindex']) {
        expect(existsSync(join(dir, String(base).padStart(20, '0') + suffix))).toBe(true);
      }
    }
    const indexFiles = readdirSync(dir).filter((name) => /\.(index|timeindex|txnindex)$/.test(name));
    for (const name of indexFiles) expect(log.segmentBaseOffsets).toContain(Number(name.slice(0, 20)));
    for (const name of names) expect(statSync(join(dir, name)).size).toBeLessThanOrEqual(1_000);
  });

  it('finds the batch holding every offset exactly as a brute-force scan does', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 150, (i) => ({ records: 1 + (i % 4), valueBytes: 3 + ((i * 13) % 50) }));
    // Appends of several batches at once index and roll the same way as single ones.
    for (let i = 0; i < batches.length; i += 3) log.append(batches.slice(i, i + 3));
    for (let offset = 0; offset < log.logEndOffset; offset++) {
      const result = log.read(offset, 1);
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.batches).toEqual([bruteForceBatchAt(batches, offset)]);
    }
  });

  it('returns whole batches within maxBytes, and the first batch alone when it is bigger (minOneMessage)', async () => {
    const log = open();
    const batches = await dataBatches(0, 6, () => ({ valueBytes: 100 }));
    log.append(batches);
    const size = batches[0]!.length;

    const three = log.read(0, 3 * size + size - 1);
    expect(three.ok && three.batches).toEqual(batches.slice(0, 3));
    expect(three.ok && three.nextOffset).toBe(3);

    const oneForced = log.read(2, 10);
    expect(oneForced.ok && oneForced.batches).toEqual([batches[2]]);

    const none = log.read(2, 10, { minOneMessage: false });
    expect(none.ok && none.batches).toEqual([]);
    expect(none.ok && none.nextOffset).toBe(2);
  });

  it('returns only batches entirely below the visibility bound (high watermark or LSO)', async () => {
    const log = open();
    const batches = await dataBatches(0, 4, () => ({ records: 5 })); // offsets 0-4, 5-9, 10-14, 15-19
    log.append(batches);

    const midBatch = log.read(0, 1 << 20, { maxOffset: 12 });
    expect(midBatch.ok && midBatch.batches).toEqual(batches.slice(0, 2));
    expect(midBatch.ok && midBatch.nextOffset).toBe(10);

    const onBoundary = log.read(0, 1 << 20, { maxOffset: 15 });
    expect(onBoundary.ok && onBoundary.batches).toEqual(batches.slice(0, 3));

    const nothingVisible = log.read(10, 1 << 20, { maxOffset: 10 });
    expect(nothingVisible.ok && nothingVisible.batches).toEqual([]);

    // Fetching from inside a batch returns the whole batch, as Kafka does for consumers.
    const inside = log.read(7, 1 << 20, { maxOffset: 15 });
    expect(inside.ok && inside.batches).toEqual(batches.slice(1, 3));
  });

  it('reads continue across segment boundaries until maxBytes is used up', async () => {
    const log = open({ config: { segmentBytes: 500 } });
    const batches = await dataBatches(0, 12, () => ({ valueBytes: 60 }));
    for (const batch of batches) log.append([batch]);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    const size = batches[0]!.length;
    const result = log.read(1, size * 8);
    expect(result.ok && result.batches).toEqual(batches.slice(1, 9));
  });

  it('lists the header of every batch from the one holding an offset, with large and small batches mixed across segments', async () => {
    const log = open({ config: { segmentBytes: 600_000, segmentMs: Number.MAX_SAFE_INTEGER } });
    // Batches of 100 KB and more make the scan read headers alone; small ones read in chunks.
    const batches = await dataBatches(0, 40, (i) => ({ records: 1 + (i % 4), valueBytes: i % 3 === 0 ? 100_000 + i * 997 : 20 + i }));
    for (const batch of batches) log.append([batch]);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
    const headers = (from: number) => [...log.batchHeaders(from)].map((header) => [baseOffsetOf(header), lastOffsetOf(header), maxTimestampOf(header)]);
    const expected = batches.map((batch) => [baseOffsetOf(batch), lastOffsetOf(batch), maxTimestampOf(batch)]);
    expect(headers(0)).toEqual(expected);
    const middle = lastOffsetOf(batches[17]!);
    expect(headers(middle)).toEqual(expected.slice(17));
    expect(headers(log.logEndOffset)).toEqual([]);
  });

  it('answers OFFSET_OUT_OF_RANGE outside [log start, log end] and nothing at the end', async () => {
    const log = open();
    log.append(await dataBatches(0, 3));
    expect(log.read(4, 100)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 0, logEndOffset: 3 });
    expect(log.read(3, 100)).toMatchObject({ ok: true, batches: [], nextOffset: 3 });
    log.deleteRecordsBefore(2);
    expect(log.read(1, 100)).toMatchObject({ ok: false, error: 'OFFSET_OUT_OF_RANGE', logStartOffset: 2 });
  });

  it('rejects batches that do not start at the log end offset or do not follow on, writing nothing', async () => {
    const log = open();
    log.append(await dataBatches(0, 2));
    await expect(async () => log.append([await dataBatch({ baseOffset: 3 })])).rejects.toThrow(InvalidAppendError);
    const gap = [await dataBatch({ baseOffset: 2 }), await dataBatch({ baseOffset: 4 })];
    expect(() => log.append(gap)).toThrow(/does not follow on from 3/);
    expect(log.logEndOffset).toBe(2);
    expect(readAll(log)).toHaveLength(2);
  });
});

describe('PartitionLog timestamps', () => {
  it('finds the first batch with maxTimestamp >= target exactly as a brute-force scan, with unordered timestamps', async () => {
    const log = open({ config: smallSegments });
    // Timestamps wander up and down, as producer CreateTime does.
    const batches = await dataBatches(0, 200, (i) => ({ records: 1 + (i % 2), timestamp: 10_000 + ((i * 7919) % 1_000) + i * 3 }));
    for (let i = 0; i < batches.length; i += 2) log.append(batches.slice(i, i + 2));
    const timestamps = batches.map(maxTimestampOf);
    const lowest = Math.min(...timestamps);
    const highest = Math.max(...timestamps);
    for (let target = lowest - 5; target <= highest + 5; target += 7) {
      const expected = batches.find((batch) => maxTimestampOf(batch) >= target);
      const found = log.offsetForTimestamp(target);
      expect(found?.batch, `timestamp ${target}`).toEqual(expected);
      if (expected) expect(found?.baseOffset).toBe(baseOffsetOf(expected));
    }
    expect(log.offsetForTimestamp(highest + 1)).toBeNull();
  });

  it('finds the batch with the largest timestamp (ListOffsets MAX_TIMESTAMP), first one on ties', async () => {
    const log = open({ config: smallSegments });
    const stamps = [50, 70, 20, 90, 30, 90, 10].map((stamp) => RECENT + stamp);
    const batches = await dataBatches(0, stamps.length, (i) => ({ timestamp: stamps[i]!, valueBytes: 200 }));
    for (const batch of batches) log.append([batch]);
    expect(log.maxTimestampBatch()).toMatchObject({ baseOffset: 3, maxTimestamp: RECENT + 90 });
    const reopened = reopen(log, { config: smallSegments });
    expect(reopened.maxTimestampBatch()).toMatchObject({ baseOffset: 3, maxTimestamp: RECENT + 90 });
  });

  it('does not answer a timestamp lookup with a batch below the log start offset', async () => {
    const log = open();
    log.append(await dataBatches(0, 5, (i) => ({ timestamp: 100 + i })));
    log.deleteRecordsBefore(3);
    expect(log.offsetForTimestamp(0)?.baseOffset).toBe(3);
  });
});

describe('PartitionLog truncation', () => {
  it('truncates mid-segment, then appends continue from the new end', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 40, (i) => ({ records: 2, valueBytes: 20 + i }));
    for (const batch of batches) log.append([batch]);
    const active = log.segmentBaseOffsets.at(-1)!;
    const target = lastOffsetOf(batches.at(-1)!) - 3; // inside the active segment, on a batch boundary
    expect(target).toBeGreaterThan(active);

    const result = log.truncateTo(target);
    expect(result.logEndOffset).toBe(target);
    expect(log.logEndOffset).toBe(target);
    const kept = batches.filter((batch) => lastOffsetOf(batch) < target);
    expect(readAll(log)).toEqual(kept);
    expect(result.removedBytes).toBe(Buffer.concat(batches).length - Buffer.concat(kept).length);

    const more = await dataBatches(target, 10, () => ({ records: 3 }));
    for (const batch of more) log.append([batch]);
    const all = [...kept, ...more];
    expect(readAll(log)).toEqual(all);
    for (let offset = 0; offset < log.logEndOffset; offset += 1) {
      const read = log.read(offset, 1);
      expect(read.ok && read.batches[0]).toEqual(bruteForceBatchAt(all, offset));
    }
  });

  it('serves a tailing reader the batch just appended, also after a truncation replaced the tail with batches of other sizes', async () => {
    const log = open({ config: { ...smallSegments, segmentBytes: 100_000 } });
    const readEach = (all: Buffer[], from: number) => {
      for (let offset = from; offset < log.logEndOffset; offset++) {
        const read = log.read(offset, 1);
        expect(read.ok && read.batches[0]).toEqual(bruteForceBatchAt(all, offset));
      }
    };
    const first = await dataBatches(0, 30, (i) => ({ records: 1 + (i % 3), valueBytes: 10 + i }));
    for (const batch of first) {
      // A follower's next fetch starts where the last append began.
      log.append([batch]);
      readEach(first, baseOffsetOf(batch));
    }
    const cut = baseOffsetOf(first[24]!);
    log.truncateTo(cut);
    // The same offsets again, in batches of other sizes: they sit at other file positions.
    const second = await dataBatches(cut, 12, (i) => ({ records: 2 + (i % 2), valueBytes: 40 - i }));
    const all = [...first.slice(0, 24), ...second];
    for (const batch of second) {
      log.append([batch]);
      readEach(all, cut);
    }
    readEach(all, 0);
    const reopened = reopen(log, { config: { ...smallSegments, segmentBytes: 100_000 } });
    expect(readAll(reopened)).toEqual(all);
  });

  it('truncates across segments, deleting later segment files, and a mid-batch target cuts the whole batch', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 60, () => ({ records: 4, valueBytes: 30 }));
    for (const batch of batches) log.append([batch]);
    const bases = log.segmentBaseOffsets;
    expect(bases.length).toBeGreaterThan(4);
    const target = bases[2]! + 5; // inside a batch of segment 2 (batches hold 4 offsets each)
    const holder = bruteForceBatchAt(batches, target)!;
    expect(baseOffsetOf(holder)).toBeLessThan(target);

    const result = log.truncateTo(target);
    expect(result.logEndOffset).toBe(baseOffsetOf(holder));
    expect(log.segmentBaseOffsets).toEqual(bases.slice(0, 3));
    for (const gone of bases.slice(3)) expect(existsSync(join(dir, String(gone).padStart(20, '0') + '.log'))).toBe(false);

    const next = await dataBatches(log.logEndOffset, 30, () => ({ records: 2, valueBytes: 30 }));
    for (const batch of next) log.append([batch]);
    const expected = [...batches.filter((batch) => lastOffsetOf(batch) < result.logEndOffset), ...next];
    expect(readAll(log)).toEqual(expected);
    const reopened = reopen(log, { config: smallSegments });
    expect(reopened.recovery.clean).toBe(true);
    expect(readAll(reopened)).toEqual(expected);
  });

  it('treats truncation at or past the end as a no-op, and below the first segment as a full restart', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 30, () => ({ valueBytes: 50 }));
    for (const batch of batches) log.append([batch]);
    expect(log.truncateTo(30)).toEqual({ logEndOffset: 30, removedBytes: 0 });
    log.applyRetention(); // nothing to retain away; segments intact
    log.deleteRecordsBefore(20);
    const first = log.segmentBaseOffsets[0]!;
    expect(first).toBeGreaterThan(0);
    log.truncateTo(first - 1);
    expect(log.logStartOffset).toBe(first - 1);
    expect(log.logEndOffset).toBe(first - 1);
    expect(log.segmentBaseOffsets).toEqual([first - 1]);
  });

  it('truncateFullyAndStartAt empties the log and restarts it at the given offset', async () => {
    const log = open({ config: smallSegments });
    for (const batch of await dataBatches(0, 30, () => ({ valueBytes: 50, epoch: 3 }))) log.append([batch]);
    log.truncateFullyAndStartAt(500);
    expect([log.logStartOffset, log.logEndOffset, log.sizeInBytes]).toEqual([500, 500, 0]);
    expect(log.segmentBaseOffsets).toEqual([500]);
    expect(log.leaderEpochCache.epochEntries).toEqual([]);
    log.append([await dataBatch({ baseOffset: 500, epoch: 4 })]);
    expect(log.logEndOffset).toBe(501);
    const reopened = reopen(log, { config: smallSegments });
    expect([reopened.logStartOffset, reopened.logEndOffset]).toEqual([500, 501]);
  });
});

describe('PartitionLog rolling', () => {
  it('rolls when segment.ms has passed since the first batch of the active segment', async () => {
    let now = 1_000_000;
    const log = open({ config: { segmentMs: 60_000 }, now: () => now });
    expect(log.append([await dataBatch({ baseOffset: 0, timestamp: now })]).rolled).toBe(false);
    now += 30_000;
    expect(log.append([await dataBatch({ baseOffset: 1, timestamp: now })]).rolled).toBe(false);
    now += 30_001;
    expect(log.append([await dataBatch({ baseOffset: 2, timestamp: now })]).rolled).toBe(true);
    expect(log.segmentBaseOffsets).toEqual([0, 2]);
  });

  it('rolls when an index is full (segment.index.bytes)', async () => {
    // 24 bytes hold 3 offset entries and 2 time entries; an entry every batch after the first.
    const log = open({ config: { segmentIndexBytes: 24, indexIntervalBytes: 0 } });
    const batches = await dataBatches(0, 10, (i) => ({ timestamp: 100 + i }));
    const rolls = batches.map((batch) => log.append([batch]).rolled);
    expect(rolls.filter(Boolean).length).toBeGreaterThan(2);
    expect(readAll(log)).toEqual(batches);
  });

  it('puts an append bigger than segment.bytes into a fresh segment of its own', async () => {
    const log = open({ config: { segmentBytes: 300 } });
    log.append([await dataBatch({ baseOffset: 0 })]);
    const big = await dataBatches(1, 5, () => ({ valueBytes: 100 }));
    expect(log.append(big).rolled).toBe(true);
    expect(log.segmentBaseOffsets).toEqual([0, 1]);
    expect(readAll(log, 1)).toEqual(big);
  });
});

describe('PartitionLog retention and log start offset', () => {
  it('retention.bytes deletes whole oldest segments, never the active one, and moves the log start', async () => {
    const log = open({ config: { ...smallSegments, retentionBytes: 2_500 } });
    const batches = await dataBatches(0, 80, () => ({ valueBytes: 40 }));
    for (const batch of batches) log.append([batch]);
    const before = log.segmentBaseOffsets;
    const sizeBefore = log.sizeInBytes;
    const result = log.applyRetention();
    expect(result.deletedSegments).toEqual(before.slice(0, result.deletedSegments.length));
    expect(result.deletedSegments.length).toBeGreaterThan(0);
    expect(log.sizeInBytes).toBeLessThanOrEqual(sizeBefore);
    expect(log.sizeInBytes).toBeGreaterThanOrEqual(2_500);
    // One more deletion would have gone below retention.bytes.
    const firstSize = statSync(join(dir, String(log.segmentBaseOffsets[0]).padStart(20, '0') + '.log')).size;
    expect(log.sizeInBytes - firstSize).toBeLessThan(2_500);
    expect(log.logStartOffset).toBe(log.segmentBaseOffsets[0]);
    expect(readAll(log)).toEqual(batches.filter((batch) => baseOffsetOf(batch) >= log.logStartOffset));
  });

  it('retention.ms deletes segments whose newest timestamp expired, but only below the high watermark', async () => {
    let now = 100_000;
    const log = open({ config: { segmentBytes: 400, retentionMs: 10_000, segmentMs: Number.MAX_SAFE_INTEGER }, now: () => now });
    const batches = await dataBatches(0, 20, (i) => ({ timestamp: i < 10 ? 50_000 : 99_000, valueBytes: 60 }));
    for (const batch of batches) log.append([batch]);
    const before = log.segmentBaseOffsets;
    // Time retention stops at the first segment holding a new batch (offset 10 on).
    const firstKept = before.includes(10) ? 10 : before.filter((base) => base <= 9).at(-1)!;
    now = 100_500;
    // With the high watermark at 4, only segments that end at or before offset 4 may go.
    const bounded = log.applyRetention(4);
    expect(bounded.deletedSegments).toEqual(before.slice(0, bounded.deletedSegments.length));
    expect(log.segmentBaseOffsets[0]).toBeLessThanOrEqual(4);
    const result = log.applyRetention();
    expect([...bounded.deletedSegments, ...result.deletedSegments]).toEqual(before.filter((base) => base < firstKept));
    expect(log.segmentBaseOffsets[0]).toBe(firstKept);
    expect(log.logStartOffset).toBe(firstKept);
    now = 1_000_000;
    log.applyRetention();
    expect(log.segmentBaseOffsets).toHaveLength(1); // the active segment stays
    expect(log.logEndOffset).toBe(20);
  });

  it('deleteRecordsBefore moves the log start inside a segment, deletes segments wholly below it, and persists', async () => {
    const log = open({ config: smallSegments });
    const batches = await dataBatches(0, 50, () => ({ valueBytes: 40 }));
    for (const batch of batches) log.append([batch]);
    const bases = log.segmentBaseOffsets;
    const target = bases[2]! + 1;
    expect(log.deleteRecordsBefore(target)).toBe(target);
    expect(log.logStartOffset).toBe(target);
    expect(log.segmentBaseOffsets).toEqual(bases.slice(2));
    expect(readAll(log)[0]).toEqual(batches[target]);
    expect(log.deleteRecordsBefore(1)).toBe(target); // never moves back
    expect(() => log.deleteRecordsBefore(51)).toThrow(RangeError);
    const reopened = reopen(log, { config: smallSegments });
    expect(reopened.logStartOffset).toBe(target);
  });
});

describe('PartitionLog flush policy', () => {
  it('fsyncs after flush.messages records and when flush.ms has passed', async () => {
    let now = 0;
    const log = open({ config: { flushMessages: 5, flushMs: 1_000 }, now: () => now });
    expect(log.append([await dataBatch({ baseOffset: 0, records: 3 })]).flushed).toBe(false);
    expect(log.append([await dataBatch({ baseOffset: 3, records: 2 })]).flushed).toBe(true);
    log.append([await dataBatch({ baseOffset: 5 })]);
    now = 999;
    expect(log.flushIfDue()).toBe(false);
    now = 1_000;
    expect(log.flushIfDue()).toBe(true);
    expect(log.flushIfDue()).toBe(false); // nothing new to flush
  });

  it('with Kafka defaults never fsyncs on its own', async () => {
    let now = 0;
    const log = open({ now: () => now });
    expect(log.append(await dataBatches(0, 100)).flushed).toBe(false);
    now = 365 * 24 * 3_600_000;
    expect(log.flushIfDue()).toBe(false);
  });
});

describe('PartitionLog leader epochs', () => {
  it('assigns epochs from appended batches and answers OffsetsForLeaderEpoch', async () => {
    const log = open();
    log.append(await dataBatches(0, 3, () => ({ epoch: 1 })));
    log.append(await dataBatches(3, 2, () => ({ epoch: 3 })));
    expect(log.leaderEpochCache.epochEntries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 3, startOffset: 3 },
    ]);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 3 });
    expect(log.endOffsetForEpoch(2)).toEqual({ epoch: 1, endOffset: 3 });
    expect(log.endOffsetForEpoch(3)).toEqual({ epoch: 3, endOffset: 5 });
    log.truncateTo(3);
    expect(log.leaderEpochCache.latestEpoch).toBe(1);
    expect(log.endOffsetForEpoch(1)).toEqual({ epoch: 1, endOffset: 3 });
  });
});
