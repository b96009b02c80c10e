import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PartitionLog } from '../../../../src/engine/log/partitionLog';
import { READ_AHEAD_MAX_BYTES, readAheadBudget } from '../../../../src/engine/log/readAhead';
import { RECENT, dataBatches, tempDir } from '../../../helpers/batches';

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

function open(subdir = 'p-0', config = {}): PartitionLog {
  const log = PartitionLog.open({ dir: join(dir, subdir), config });
  opened.push(log);
  return log;
}

function read(log: PartitionLog, offset: number, maxBytes: number, maxOffset?: number): Buffer[] {
  const result = log.read(offset, maxBytes, maxOffset === undefined ? {} : { maxOffset });
  if (!result.ok) throw new Error(`read at ${offset} was out of range`);
  return result.batches;
}

describe('reading ahead of a consumer', () => {
  it('answers a read that starts where bytes were read ahead exactly as a read from disk, and uses them once', async () => {
    const log = open();
    const batches = await dataBatches(0, 30, (i) => ({ records: 3, valueBytes: 50 + i }));
    log.append(batches);
    const cases = [
      { offset: 0, maxBytes: 1 << 20 },
      { offset: 3, maxBytes: 1000 },
      { offset: 31, maxBytes: 700 }, // inside a batch: the read-ahead starts at that batch
      { offset: 60, maxBytes: 10 }, // smaller than a batch: the first batch whole
      { offset: 87, maxBytes: 1 << 20, maxOffset: 72 }, // nothing visible
      { offset: 45, maxBytes: 5000, maxOffset: 72 }, // stops at the visibility bound
    ];
    for (const { offset, maxBytes, maxOffset } of cases) {
      const fromDisk = read(log, offset, maxBytes, maxOffset);
      log.readAhead(offset, maxBytes);
      const held = readAheadBudget.usedBytes;
      expect(read(log, offset, maxBytes, maxOffset), `read(${offset}, ${maxBytes}, ${maxOffset})`).toEqual(fromDisk);
      // The bytes were held, and a read of that segment took them (used or not: they are used once).
      if (maxBytes >= 61) expect(held).toBeGreaterThan(0);
      expect(readAheadBudget.usedBytes).toBe(fromDisk.length > 0 ? 0 : held);
    }
  });

  it('never answers with bytes a truncation replaced, even at the same positions and sizes', async () => {
    const log = open();
    const before = await dataBatches(0, 10, () => ({ records: 2, valueBytes: 40 }));
    log.append(before);
    log.readAhead(8, 1 << 20);
    log.truncateTo(8);
    // Same offsets and sizes, other timestamps: other bytes at the very same file positions.
    const after = await dataBatches(8, 6, () => ({ records: 2, valueBytes: 40, timestamp: RECENT + 99_999 }));
    log.append(after);
    expect(after[0]!.length).toBe(before[4]!.length);
    expect(read(log, 8, 1 << 20)).toEqual(after);
  });

  it('reads from disk what was appended after the read-ahead, when the read wants more', async () => {
    const log = open();
    const first = await dataBatches(0, 3, () => ({ valueBytes: 100 }));
    log.append(first);
    log.readAhead(0, 1 << 20);
    const more = await dataBatches(3, 2, () => ({ valueBytes: 100 }));
    log.append(more);
    expect(read(log, 0, 1 << 20)).toEqual([...first, ...more]);
  });

  it('reads ahead at most one segment and READ_AHEAD_MAX_BYTES, and continues on disk into the next segment', async () => {
    const log = open('p-0', { segmentBytes: 2_000 });
    const batches = await dataBatches(0, 20, () => ({ valueBytes: 300 }));
    for (const batch of batches) log.append([batch]);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(3);
    log.readAhead(0, 1 << 20);
    expect(readAheadBudget.usedBytes).toBeLessThanOrEqual(2_000);
    expect(read(log, 0, 1 << 20)).toEqual(batches);
  });

  it('holds at most the broker-wide budget, dropping the oldest read-ahead first', async () => {
    const [batch] = await dataBatches(0, 1, () => ({ valueBytes: READ_AHEAD_MAX_BYTES }));
    const partitions = Math.ceil(readAheadBudget.capacityBytes / READ_AHEAD_MAX_BYTES) + 2;
    const logs = Array.from({ length: partitions }, (_, i) => open(`p-${i}`));
    for (const log of logs) {
      log.append([batch!]);
      log.readAhead(0, 1 << 20);
      expect(readAheadBudget.usedBytes).toBeLessThanOrEqual(readAheadBudget.capacityBytes);
    }
    expect(readAheadBudget.usedBytes).toBeGreaterThan(readAheadBudget.capacityBytes - 2 * READ_AHEAD_MAX_BYTES);
    // Dropped or not, every log still reads its batch whole (the read-ahead caps at 1 MiB, the batch is bigger).
    for (const log of logs) {
      const [only, ...rest] = read(log, 0, 1 << 20);
      // Buffer.equals: a deep toEqual walks a megabyte element by element.
      expect(only!.equals(batch!) && rest.length === 0).toBe(true);
    }
    for (const log of logs) log.close();
    opened.splice(0);
    expect(readAheadBudget.usedBytes).toBe(0);
  });
});
