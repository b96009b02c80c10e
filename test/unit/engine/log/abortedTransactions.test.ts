import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CLEAN_SHUTDOWN_MARKER } from '../../../../src/engine/log/logLoader';
import { PartitionLog } from '../../../../src/engine/log/partitionLog';
import type { AbortedTransaction } from '../../../../src/engine/log/transactionIndex';
import { dataBatch, markerBatch, tempDir } from '../../../helpers/batches';

let dir: string;
let cleanup: () => void;
const opened: PartitionLog[] = [];
beforeEach(() => {
  ({ dir, cleanup } = tempDir('samsa-txn-'));
});
afterEach(() => {
  for (const log of opened.splice(0)) log.close();
  cleanup();
});

const config = { segmentBytes: 800, indexIntervalBytes: 100, segmentMs: Number.MAX_SAFE_INTEGER };

function open(): PartitionLog {
  const log = PartitionLog.open({ dir, config });
  opened.push(log);
  return log;
}

function close(log: PartitionLog, { clean }: { clean: boolean }): void {
  log.close();
  opened.splice(opened.indexOf(log), 1);
  if (!clean) rmSync(join(dir, CLEAN_SHUTDOWN_MARKER));
}

/**
 * The reference model: which transactions are open and which were aborted, computed the
 * simple way while a seeded random workload of transactional and plain batches is appended.
 */
interface Model {
  open: Map<bigint, number>;
  aborted: AbortedTransaction[];
}

async function appendWorkload(log: PartitionLog, steps: number, seed: number): Promise<Model> {
  let state = seed;
  const random = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
  const model: Model = { open: new Map(), aborted: [] };
  for (let step = 0; step < steps; step++) {
    const offset = log.logEndOffset;
    const producerId = BigInt(1 + random(5));
    const choice = random(10);
    if (choice === 0) {
      log.append([await dataBatch({ baseOffset: offset, records: 2 })]);
    } else if (!model.open.has(producerId) || choice < 6) {
      log.append([await dataBatch({ baseOffset: offset, producerId, transactional: true, records: 1 + random(3) })]);
      if (!model.open.has(producerId)) model.open.set(producerId, offset);
    } else {
      const type = choice < 8 ? 'abort' : 'commit';
      log.append([await markerBatch({ baseOffset: offset, producerId, type })]);
      const firstOffset = model.open.get(producerId)!;
      model.open.delete(producerId);
      if (type === 'abort') {
        const others = [...model.open.values()];
        const lastStableOffset = others.length > 0 ? Math.min(...others) : offset + 1;
        model.aborted.push({ producerId, firstOffset, lastOffset: offset, lastStableOffset });
      }
    }
  }
  return model;
}

const overlapping = (model: Model, start: number, end: number): AbortedTransaction[] =>
  model.aborted.filter((txn) => txn.lastOffset >= start && txn.firstOffset < end);

const firstUnstable = (model: Model): number | null => (model.open.size === 0 ? null : Math.min(...model.open.values()));

function expectQueriesMatch(log: PartitionLog, model: Model): void {
  const end = log.logEndOffset;
  for (let start = log.logStartOffset; start < end; start += 3) {
    for (const width of [1, 5, 20, 1_000]) {
      expect(log.abortedTransactions(start, start + width), `range [${start}, ${start + width})`).toEqual(
        overlapping(model, start, start + width),
      );
    }
  }
}

describe('aborted-transaction index', () => {
  it('answers range queries across segments exactly like the reference model, with correct LSOs', async () => {
    const log = open();
    const model = await appendWorkload(log, 150, 7);
    expect(log.segmentBaseOffsets.length).toBeGreaterThan(4);
    expect(model.aborted.length).toBeGreaterThan(10);
    expectQueriesMatch(log, model);
    expect(log.firstUnstableOffset).toBe(firstUnstable(model));
    expect(log.abortedTransactions(0, log.logEndOffset)).toEqual(model.aborted);
  });

  it('truncation below an ABORT marker forgets the entry and reopens the transaction', async () => {
    const log = open();
    const model = await appendWorkload(log, 120, 11);
    const victim = model.aborted[Math.floor(model.aborted.length / 2)]!;
    log.truncateTo(victim.lastOffset);

    const prefix = model.aborted.filter((txn) => txn.lastOffset < victim.lastOffset);
    expect(log.abortedTransactions(0, Number.MAX_SAFE_INTEGER)).toEqual(prefix);
    expect(log.openTransactions.get(victim.producerId)).toBe(victim.firstOffset);
    // The log is a valid prefix: appends (and their markers) continue from here.
    log.append([await markerBatch({ baseOffset: log.logEndOffset, producerId: victim.producerId, type: 'abort' })]);
    expect(log.abortedTransactions(victim.lastOffset, victim.lastOffset + 1)).toMatchObject([
      { producerId: victim.producerId, firstOffset: victim.firstOffset, lastOffset: victim.lastOffset },
    ]);
  });

  it('restores open transactions from the checkpoint after a clean shutdown and by rescanning after a crash', async () => {
    const log = open();
    const model = await appendWorkload(log, 100, 23);
    expect(model.open.size).toBeGreaterThan(0);
    close(log, { clean: true });

    const clean = open();
    expect(clean.recovery.rescannedTransactions).toBe(false);
    expect(new Map(clean.openTransactions)).toEqual(model.open);
    expectQueriesMatch(clean, model);
    close(clean, { clean: false });

    const crashed = open();
    expect(crashed.recovery.rescannedTransactions).toBe(true);
    expect(new Map(crashed.openTransactions)).toEqual(model.open);
    expect(crashed.firstUnstableOffset).toBe(firstUnstable(model));
    expectQueriesMatch(crashed, model);
  });

  it('loses the entries of deleted segments with them', async () => {
    const log = open();
    const model = await appendWorkload(log, 120, 5);
    const start = log.segmentBaseOffsets[3]!;
    log.deleteRecordsBefore(start);
    expect(log.abortedTransactions(0, Number.MAX_SAFE_INTEGER)).toEqual(model.aborted.filter((txn) => txn.lastOffset >= start));
  });
});
