import { appendFileSync, closeSync, existsSync, openSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LEADER_EPOCH_CHECKPOINT } from '../../../../src/engine/log/leaderEpochCache';
import { FsyncBatch } from '../../../../src/engine/log/fsyncBatch';
import { CLEAN_SHUTDOWN_MARKER } from '../../../../src/engine/log/logLoader';
import { LOG_START_OFFSET_CHECKPOINT, PartitionLog, TRANSACTION_CHECKPOINT } from '../../../../src/engine/log/partitionLog';
import { baseOffsetOf, dataBatch, dataBatches, lastOffsetOf, markerBatch, tempDir } from '../../../helpers/batches';

let dir: string;
let cleanup: () => void;
const opened: PartitionLog[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir('samsa-recovery-'));
});
afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  cleanup();
});

const config = { segmentBytes: 1_500, indexIntervalBytes: 200, segmentMs: Number.MAX_SAFE_INTEGER };

function open(): PartitionLog {
  const log = PartitionLog.open({ dir, config });
  opened.push(log);
  return log;
}

/**
 * What a kill -9 leaves: everything written is in the files (the page cache survives the
 * process), but no clean-shutdown marker.
 */
function crash(log: PartitionLog, options = { markerExpected: false }): void {
  const marked = existsSync(join(dir, CLEAN_SHUTDOWN_MARKER));
  log.close();
  opened.splice(opened.indexOf(log), 1);
  // A log opened clean and not written since keeps its marker: the crash changes nothing.
  if (options.markerExpected) expect(marked).toBe(true);
  else rmSync(join(dir, CLEAN_SHUTDOWN_MARKER));
}

const segmentFile = (base: number, suffix = '.log'): string => join(dir, String(base).padStart(20, '0') + suffix);

function readAll(log: PartitionLog): Buffer[] {
  const result = log.read(log.logStartOffset, Number.MAX_SAFE_INTEGER);
  if (!result.ok) throw new Error('out of range');
  return result.batches;
}

/** Every offset's lookup agrees with a walk over the expected batches. */
function expectLookupsMatch(log: PartitionLog, batches: Buffer[]): void {
  for (let offset = log.logStartOffset; offset < log.logEndOffset; offset++) {
    const read = log.read(offset, 1);
    const expected = batches.find((batch) => baseOffsetOf(batch) <= offset && offset <= lastOffsetOf(batch));
    expect(read.ok && read.batches[0], `offset ${offset}`).toEqual(expected);
  }
}

/** A log of several segments; returns the batches and the active segment's base offset. */
async function writeLog(): Promise<{ log: PartitionLog; batches: Buffer[]; active: number }> {
  const log = open();
  const batches = await dataBatches(0, 40, (i) => ({ records: 1 + (i % 3), valueBytes: 30 + i, epoch: i < 30 ? 1 : 2 }));
  for (const batch of batches) log.append([batch]);
  const active = log.segmentBaseOffsets.at(-1)!;
  expect(log.segmentBaseOffsets.length).toBeGreaterThan(2);
  expect(baseOffsetOf(batches.at(-2)!)).toBeGreaterThanOrEqual(active); // the last two batches are in the active segment
  return { log, batches, active };
}

async function expectAppendsContinue(log: PartitionLog, batches: Buffer[]): Promise<Buffer[]> {
  const more = await dataBatches(log.logEndOffset, 5, () => ({ records: 2, epoch: 3 }));
  for (const batch of more) log.append([batch]);
  const all = [...batches, ...more];
  expect(readAll(log)).toEqual(all);
  expectLookupsMatch(log, all);
  return all;
}

describe('crash recovery', () => {
  it('cuts a batch torn in the middle and truncates exactly at the last whole batch', async () => {
    const { log, batches, active } = await writeLog();
    crash(log);
    const size = statSync(segmentFile(active)).size;
    truncateSync(segmentFile(active), size - 10);

    const recovered = open();
    const good = batches.slice(0, -1);
    expect(recovered.recovery).toMatchObject({
      clean: false,
      recoveredSegments: [active],
      truncatedBytes: batches.at(-1)!.length - 10,
      truncatedToOffset: baseOffsetOf(batches.at(-1)!),
      deletedSegments: [],
    });
    expect(recovered.recovery.stopReason).toMatch(/cut short/);
    expect(recovered.logEndOffset).toBe(baseOffsetOf(batches.at(-1)!));
    expect(readAll(recovered)).toEqual(good);
    expectLookupsMatch(recovered, good);
    await expectAppendsContinue(recovered, good);
  });

  it('cuts the last batch when a flipped byte in its records fails the CRC-32C check', async () => {
    const { log, batches, active } = await writeLog();
    crash(log);
    const path = segmentFile(active);
    const size = statSync(path).size;
    const fd = openSync(path, 'r+');
    const flipAt = size - 5; // inside the last batch's records
    const original = readFileSync(path)[flipAt]!;
    writeSync(fd, Buffer.from([original ^ 0xff]), 0, 1, flipAt);
    closeSync(fd);

    const recovered = open();
    expect(recovered.recovery.truncatedBytes).toBe(batches.at(-1)!.length);
    expect(recovered.recovery.stopReason).toMatch(/CRC-32C/);
    expect(readAll(recovered)).toEqual(batches.slice(0, -1));
    await expectAppendsContinue(recovered, batches.slice(0, -1));
  });

  it.each([
    ['a few bytes, too short for a length field', Buffer.from([1, 2, 3, 4, 5])],
    ['a length field smaller than a batch header', Buffer.concat([Buffer.alloc(8), Buffer.from([0, 0, 0, 5]), Buffer.alloc(60)])],
    ['random bytes claiming a huge batch', Buffer.from(Array.from({ length: 200 }, (_, i) => (i * 37 + 11) % 256))],
  ])('removes garbage appended after the last batch: %s', async (_, garbage) => {
    const { log, batches, active } = await writeLog();
    crash(log);
    appendFileSync(segmentFile(active), garbage);

    const recovered = open();
    expect(recovered.recovery.truncatedBytes).toBe(garbage.length);
    expect(recovered.recovery.truncatedToOffset).toBe(lastOffsetOf(batches.at(-1)!) + 1);
    expect(recovered.logEndOffset).toBe(lastOffsetOf(batches.at(-1)!) + 1);
    expect(readAll(recovered)).toEqual(batches);
    await expectAppendsContinue(recovered, batches);
  });

  it('rebuilds a damaged index of the active segment from its batches', async () => {
    const { log, batches, active } = await writeLog();
    crash(log);
    writeFileSync(segmentFile(active, '.index'), Buffer.from('not an index at all!'));
    writeFileSync(segmentFile(active, '.timeindex'), Buffer.alloc(0));

    const recovered = open();
    expect(recovered.recovery.truncatedBytes).toBe(0);
    expect(recovered.recovery.truncatedToOffset).toBeNull();
    expect(statSync(segmentFile(active, '.index')).size % 8).toBe(0);
    expectLookupsMatch(recovered, batches);
  });

  it('re-validates an older segment whose index fails its sanity check even after a clean shutdown', async () => {
    const { log, batches } = await writeLog();
    const older = log.segmentBaseOffsets[1]!;
    log.close();
    opened.splice(opened.indexOf(log), 1);
    writeFileSync(segmentFile(older, '.index'), Buffer.alloc(13, 0xee));

    const reopened = open();
    expect(reopened.recovery.clean).toBe(true);
    expect(reopened.recovery.recoveredSegments).toEqual([older]);
    expect(reopened.recovery.truncatedBytes).toBe(0);
    expectLookupsMatch(reopened, batches);
  });

  it('deletes later segments when a torn batch is found in an older one', async () => {
    const { log, batches } = await writeLog();
    const bases = log.segmentBaseOffsets;
    const older = bases[1]!;
    crash(log);
    truncateSync(segmentFile(older), statSync(segmentFile(older)).size - 3);
    writeFileSync(segmentFile(older, '.index'), Buffer.alloc(3)); // make the loader look at it

    const recovered = open();
    expect(recovered.recovery.deletedSegments).toEqual(bases.slice(2));
    expect(recovered.segmentBaseOffsets).toEqual(bases.slice(0, 2));
    const torn = batches.filter((batch) => baseOffsetOf(batch) >= older && baseOffsetOf(batch) < bases[2]!).at(-1)!;
    expect(recovered.logEndOffset).toBe(baseOffsetOf(torn));
    const good = batches.filter((batch) => lastOffsetOf(batch) < baseOffsetOf(torn));
    expect(readAll(recovered)).toEqual(good);
    await expectAppendsContinue(recovered, good);
  });

  it('drops epoch cache entries past the recovered end and rebuilds a lost checkpoint from batch headers', async () => {
    const { log, batches, active } = await writeLog();
    expect(log.leaderEpochCache.epochEntries).toEqual([
      { epoch: 1, startOffset: 0 },
      { epoch: 2, startOffset: baseOffsetOf(batches[30]!) },
    ]);
    crash(log);
    // Cut every epoch-2 batch that lies in the active segment, then lose the checkpoint too.
    const firstEpoch2 = baseOffsetOf(batches[30]!);
    const cutFrom = Math.max(firstEpoch2, active);
    const kept = batches.filter((batch) => lastOffsetOf(batch) < cutFrom);
    const keptInActive = kept.filter((batch) => baseOffsetOf(batch) >= active);
    truncateSync(segmentFile(active), keptInActive.reduce((total, batch) => total + batch.length, 0) + 7);
    rmSync(join(dir, LEADER_EPOCH_CHECKPOINT));

    const recovered = open();
    expect(recovered.logEndOffset).toBe(cutFrom);
    const expected = [{ epoch: 1, startOffset: 0 }];
    if (cutFrom > firstEpoch2) expected.push({ epoch: 2, startOffset: firstEpoch2 });
    expect(recovered.leaderEpochCache.epochEntries).toEqual(expected);
    expect(readFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), 'utf8').split('\n')[1]).toBe(String(expected.length));
  });

  it('rebuilds the epochs when the checkpoint was left empty by a power loss before it was fsynced', async () => {
    const { log, batches } = await writeLog();
    const epochs = log.leaderEpochCache.epochEntries.map((entry) => ({ ...entry }));
    crash(log);
    writeFileSync(join(dir, LEADER_EPOCH_CHECKPOINT), '');

    const recovered = open();
    expect(recovered.leaderEpochCache.epochEntries).toEqual(epochs);
    expect(readAll(recovered)).toEqual(batches);
  });

  it('creates no index files for a new, empty log until it has entries', () => {
    open();
    expect(readdirSync(dir).filter((name) => /\.(index|timeindex|txnindex)$/.test(name))).toEqual([]);
    expect(existsSync(segmentFile(0))).toBe(true);
  });

  it('opens after a clean shutdown without re-reading any batch', async () => {
    const { log, batches } = await writeLog();
    log.close();
    opened.splice(opened.indexOf(log), 1);
    const reopened = open();
    expect(reopened.recovery).toEqual({
      clean: true,
      recoveredSegments: [],
      truncatedBytes: 0,
      truncatedToOffset: null,
      stopReason: null,
      deletedSegments: [],
      rescannedTransactions: false,
    });
    expect(readAll(reopened)).toEqual(batches);
    expectLookupsMatch(reopened, batches);
    // Until the log is written, its files are still the ones the marker vouches for: a crash
    // now leaves it clean, and opening it cost no fsync.
    crash(reopened, { markerExpected: true });
    const untouched = open();
    expect(untouched.recovery.clean).toBe(true);
    // The first write removes the marker before it changes anything: a crash is then unclean.
    untouched.append([await dataBatch({ baseOffset: untouched.logEndOffset })]);
    expect(existsSync(join(dir, CLEAN_SHUTDOWN_MARKER))).toBe(false);
    crash(untouched);
    expect(open().recovery.clean).toBe(false);
  });

  it('closes many logs with one batch of fsyncs: each is clean once the batch is durable, reopens without rescanning, and keeps only the checkpoints that say something', async () => {
    const dirs = ['plain-0', 'plain-1', 'transactional', 'trimmed'].map((name) => join(dir, name));
    const logs = dirs.map((path) => PartitionLog.open({ dir: path, config }));
    const written = new Map<string, Buffer[]>();
    for (const [index, log] of logs.entries()) {
      const batches = await dataBatches(0, 12, (i) => ({ records: 2, valueBytes: 40 + i, timestamp: 1_000 * (index + 1) + i }));
      for (const batch of batches) log.append([batch]);
      written.set(dirs[index]!, batches);
    }
    // An open transaction in one log, and a log start moved by DeleteRecords in another.
    const transactional = logs[2]!;
    const open = await dataBatch({ baseOffset: transactional.logEndOffset, producerId: 7n, transactional: true, timestamp: 3_005 });
    transactional.append([open]);
    written.get(dirs[2]!)!.push(open);
    logs[3]!.deleteRecordsBefore(5);

    const fsyncs = new FsyncBatch();
    for (const log of logs) log.close(fsyncs);
    expect(fsyncs.size).toBeGreaterThan(0);
    // Not durable yet, so not clean yet: a power loss now must lead to recovery.
    for (const path of dirs) expect(existsSync(join(path, CLEAN_SHUTDOWN_MARKER)), path).toBe(false);
    await fsyncs.commit();
    for (const path of dirs) expect(existsSync(join(path, CLEAN_SHUTDOWN_MARKER)), path).toBe(true);

    expect(dirs.map((path) => existsSync(join(path, TRANSACTION_CHECKPOINT)))).toEqual([false, false, true, false]);
    expect(dirs.map((path) => existsSync(join(path, LOG_START_OFFSET_CHECKPOINT)))).toEqual([false, false, false, true]);

    for (const [index, path] of dirs.entries()) {
      const reopened = PartitionLog.open({ dir: path, config });
      opened.push(reopened);
      expect(reopened.recovery.clean, path).toBe(true);
      expect(reopened.recovery.rescannedTransactions, path).toBe(false);
      const batches = written.get(path)!;
      if (index === 3) {
        expect(reopened.logStartOffset).toBe(5);
      } else {
        expect(readAll(reopened)).toEqual(batches);
        expectLookupsMatch(reopened, batches);
      }
      // Timestamps survive without a final time index entry: the reopened tail is rescanned.
      expect(reopened.maxTimestampBatch()?.maxTimestamp).toBe(1_000 * (index + 1) + 11);
      expect(reopened.offsetForTimestamp(1_000 * (index + 1) + 6)?.baseOffset).toBe(12);
    }
    expect([...opened.at(-2)!.openTransactions]).toEqual([[7n, 24]]);

    // A log whose transactions all ended keeps its checkpoint, now empty, and still opens without a rescan.
    const ended = opened.at(-2)!;
    ended.append([await markerBatch({ baseOffset: ended.logEndOffset, producerId: 7n, type: 'commit' })]);
    ended.close();
    opened.splice(opened.indexOf(ended), 1);
    const again = PartitionLog.open({ dir: dirs[2]!, config });
    opened.push(again);
    expect(again.recovery.rescannedTransactions).toBe(false);
    expect(again.openTransactions.size).toBe(0);
    expect(again.firstUnstableOffset).toBeNull();
  });
});
