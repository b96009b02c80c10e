/**
 * The transaction coordinator's state machine (KIP-98, KIP-360, KIP-447) over a real
 * `__transaction_state` partition log: every answer is checked together with what a fresh
 * coordinator reloading the same directory (a restart or failover) finds.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTransactionCoordinator, type TransactionCoordinator, type TxnRequestIdentity } from '../../../../src/engine/coordinator/transactionCoordinator';
import type { TxnMarkerOutcome, TxnMarkerRequest, TxnMarkerWriter } from '../../../../src/engine/coordinator/transactionMarkers';
import { transactionRecord } from '../../../../src/engine/coordinator/transactionRecords';
import { ErrorCode } from '../../../../src/protocol/errors';
import { tempDir } from '../../../helpers/batches';
import { partitionCoordinatorLog, type PartitionCoordinatorLog } from '../../../helpers/partitionCoordinatorLog';
import { silentLogger } from './coordinatorFixture';

const PARTITIONS = 3;
const MAX_TIMEOUT_MS = 60_000;

/** Records marker requests; while held, writes wait until released (markers in flight). */
class RecordingMarkers implements TxnMarkerWriter {
  readonly requests: TxnMarkerRequest[] = [];
  private gate: Promise<void> | null = null;
  private open: () => void = () => undefined;

  hold(): void {
    this.gate = new Promise((resolve) => {
      this.open = resolve;
    });
  }

  release(): void {
    this.gate = null;
    this.open();
  }

  async writeMarkers(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<TxnMarkerOutcome> {
    this.requests.push(request);
    if (this.gate !== null) await this.gate;
    return stillWanted() ? 'written' : 'abandoned';
  }

  async close(): Promise<void> {
    this.release();
  }
}

let dir: { dir: string; cleanup: () => void };
let log: PartitionCoordinatorLog;
let markers: RecordingMarkers;
let coordinator: TransactionCoordinator;
let clock: number;
let nextProducerId: bigint;

async function open(): Promise<void> {
  log = partitionCoordinatorLog(dir.dir, { topic: '__transaction_state' });
  markers = new RecordingMarkers();
  coordinator = createTransactionCoordinator({
    config: { transactionStateLogNumPartitions: PARTITIONS, transactionMaxTimeoutMs: MAX_TIMEOUT_MS },
    log,
    markers,
    producerIds: { nextProducerId: async () => nextProducerId++ },
    offsetsPartitionFor: () => 7,
    logger: silentLogger,
    timeoutCheckIntervalMs: 3_600_000,
    now: () => clock,
  });
  for (let p = 0; p < PARTITIONS; p++) await coordinator.onBecomeLeader(p, 4);
}

async function restart(): Promise<void> {
  await coordinator.shutdown();
  log.close();
  await open();
}

beforeEach(async () => {
  dir = tempDir('samsa-txn-');
  clock = 1_000_000;
  nextProducerId = 5000n;
  await open();
});

afterEach(async () => {
  await coordinator.shutdown();
  log.close();
  dir.cleanup();
});

const NONE = { producerId: -1n, producerEpoch: -1 };

async function init(transactionalId: string, options: { timeoutMs?: number; producerId?: bigint; producerEpoch?: number } = {}) {
  return coordinator.initProducerId({ transactionalId, transactionTimeoutMs: options.timeoutMs ?? 10_000, ...NONE, ...options });
}

async function initialised(transactionalId: string, timeoutMs?: number): Promise<TxnRequestIdentity> {
  const answer = await init(transactionalId, { timeoutMs });
  expect(answer.errorCode).toBe(ErrorCode.NONE);
  return { transactionalId, producerId: answer.producerId, producerEpoch: answer.producerEpoch };
}

const orders = (...partitions: number[]) => partitions.map((partition) => ({ topic: 'orders', partition }));

/** Lets background work (markers, Complete* writes) run to the end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

const state = (transactionalId: string) => coordinator.describe(transactionalId).state;

describe('InitProducerId', () => {
  it('gives a new transactional id a producer id at epoch 0 and bumps the epoch for each new instance', async () => {
    expect(await init('app')).toEqual({ errorCode: ErrorCode.NONE, producerId: 5000n, producerEpoch: 0 });
    expect(await init('app')).toEqual({ errorCode: ErrorCode.NONE, producerId: 5000n, producerEpoch: 1 });
    expect(coordinator.describe('app')).toMatchObject({ errorCode: ErrorCode.NONE, state: 'Empty', producerId: 5000n, producerEpoch: 1, timeoutMs: 10_000 });
    await restart();
    expect(await init('app')).toEqual({ errorCode: ErrorCode.NONE, producerId: 5000n, producerEpoch: 2 });
  });

  it('refuses timeouts above transaction.max.timeout.ms, an empty id, and an id without epoch', async () => {
    expect((await init('slow', { timeoutMs: MAX_TIMEOUT_MS + 1 })).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await init('slow', { timeoutMs: 0 })).errorCode).toBe(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    expect((await init('')).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect((await init('half', { producerId: 5n })).errorCode).toBe(ErrorCode.INVALID_REQUEST);
  });

  it('answers NOT_COORDINATOR for ids of partitions this broker does not lead', async () => {
    const id = 'elsewhere';
    coordinator.onResign(coordinator.partitionFor(id));
    expect((await init(id)).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
    expect(coordinator.describe(id).errorCode).toBe(ErrorCode.NOT_COORDINATOR);
  });

  it('aborts an ongoing transaction under a bumped epoch and answers CONCURRENT_TRANSACTIONS until it is done', async () => {
    const first = await initialised('zombie');
    expect(await coordinator.addPartitions(first, orders(0, 1))).toBe(ErrorCode.NONE);
    markers.hold();
    expect((await init('zombie')).errorCode).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    expect(markers.requests).toEqual([
      expect.objectContaining({ producerId: first.producerId, producerEpoch: first.producerEpoch + 1, commit: false, coordinatorEpoch: 4, partitions: orders(0, 1) }),
    ]);
    expect(state('zombie')).toBe('PrepareAbort');
    markers.release();
    await settle();
    expect(state('zombie')).toBe('CompleteAbort');
    expect(await init('zombie')).toEqual({ errorCode: ErrorCode.NONE, producerId: first.producerId, producerEpoch: first.producerEpoch + 2 });
    // The fenced instance can do nothing more.
    expect(await coordinator.endTransaction(first, true)).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await coordinator.addPartitions(first, orders(2))).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('lets a producer recover with its current id and epoch and repeats the answer to a retry (KIP-360)', async () => {
    const first = await initialised('recover');
    const bumped = await init('recover', { producerId: first.producerId, producerEpoch: first.producerEpoch });
    expect(bumped).toEqual({ errorCode: ErrorCode.NONE, producerId: first.producerId, producerEpoch: 1 });
    // The response was lost and the producer retries with the epoch it had.
    expect(await init('recover', { producerId: first.producerId, producerEpoch: first.producerEpoch })).toEqual(bumped);
    // Someone else initialises: the old epoch is now fenced.
    await init('recover');
    expect((await init('recover', { producerId: first.producerId, producerEpoch: first.producerEpoch })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect((await init('recover', { producerId: 999n, producerEpoch: 3 })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('rotates to a new producer id when the epoch is exhausted, and recognises the retry (KIP-360)', async () => {
    const id = 'old-timer';
    await log.append(coordinator.partitionFor(id), [
      transactionRecord({
        transactionalId: id,
        producerId: 77n,
        previousProducerId: -1n,
        producerEpoch: 32766,
        lastProducerEpoch: -1,
        timeoutMs: 10_000,
        state: 'CompleteCommit',
        partitions: new Map(),
        startTimestamp: clock,
        lastUpdateTimestamp: clock,
      }),
    ]);
    await restart();
    const rotated = await init(id, { producerId: 77n, producerEpoch: 32766 });
    expect(rotated).toEqual({ errorCode: ErrorCode.NONE, producerId: 5000n, producerEpoch: 0 });
    expect(await init(id, { producerId: 77n, producerEpoch: 32766 })).toEqual(rotated);
    await restart();
    // As in Kafka, the epoch before the last bump is not persisted: across a coordinator
    // change the retry is indistinguishable from a zombie and is fenced.
    expect((await init(id, { producerId: 77n, producerEpoch: 32766 })).errorCode).toBe(ErrorCode.PRODUCER_FENCED);
    expect(await init(id, { producerId: 5000n, producerEpoch: 0 })).toEqual({ errorCode: ErrorCode.NONE, producerId: 5000n, producerEpoch: 1 });
  });
});

describe('a transaction from AddPartitionsToTxn to Complete*', () => {
  it('commits: Prepare is answered, markers go to every partition, then CompleteCommit', async () => {
    const producer = await initialised('shop');
    expect(await coordinator.addPartitions(producer, orders(0))).toBe(ErrorCode.NONE);
    clock += 5;
    expect(await coordinator.addPartitions(producer, orders(1, 0))).toBe(ErrorCode.NONE);
    expect(await coordinator.addOffsets(producer, 'billing')).toBe(ErrorCode.NONE);
    expect(coordinator.describe('shop')).toMatchObject({
      state: 'Ongoing',
      startTimestamp: 1_000_000,
      partitions: [...orders(0, 1), { topic: '__consumer_offsets', partition: 7 }],
    });
    markers.hold();
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(state('shop')).toBe('PrepareCommit');
    expect(markers.requests).toEqual([
      expect.objectContaining({ commit: true, producerId: producer.producerId, producerEpoch: producer.producerEpoch, partitions: [...orders(0, 1), { topic: '__consumer_offsets', partition: 7 }] }),
    ]);
    // While markers are in flight the transaction cannot move on; the wrong direction is refused outright.
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.CONCURRENT_TRANSACTIONS);
    markers.release();
    await settle();
    expect(coordinator.describe('shop')).toMatchObject({ state: 'CompleteCommit', partitions: [] });
    // A retried EndTxn in the same direction succeeds; the other direction does not.
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    await restart();
    expect(state('shop')).toBe('CompleteCommit');
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.NONE);
  });

  it('waits for the previous transaction\'s markers before adding partitions to the next one', async () => {
    const producer = await initialised('quick');
    await coordinator.addPartitions(producer, orders(0));
    markers.hold();
    await coordinator.endTransaction(producer, true);
    const adding = coordinator.addPartitions(producer, orders(1));
    await settle();
    markers.release();
    expect(await adding).toBe(ErrorCode.NONE);
    expect(coordinator.describe('quick')).toMatchObject({ state: 'Ongoing', partitions: orders(1) });
  });

  it('aborts, and EndTxn on an Empty transaction is INVALID_TXN_STATE', async () => {
    const producer = await initialised('undo');
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.INVALID_TXN_STATE);
    await coordinator.addPartitions(producer, orders(2));
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.NONE);
    await settle();
    expect(state('undo')).toBe('CompleteAbort');
    expect(markers.requests.map((r) => r.commit)).toEqual([false]);
  });

  it('checks the producer id and epoch of every request', async () => {
    const producer = await initialised('strict');
    await coordinator.addPartitions(producer, orders(0));
    expect(await coordinator.addPartitions({ ...producer, producerId: producer.producerId + 1n }, orders(0))).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.addPartitions({ ...producer, transactionalId: 'never-initialised' }, orders(0))).toBe(ErrorCode.INVALID_PRODUCER_ID_MAPPING);
    expect(await coordinator.endTransaction({ ...producer, producerEpoch: producer.producerEpoch + 1 }, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });

  it('resumes the markers of a prepared transaction after a reload, with the new coordinator epoch', async () => {
    const producer = await initialised('failover');
    await coordinator.addPartitions(producer, orders(0, 2));
    markers.hold();
    await coordinator.endTransaction(producer, true);
    await restart();
    await settle();
    expect(markers.requests).toEqual([expect.objectContaining({ commit: true, coordinatorEpoch: 4, partitions: orders(0, 2) })]);
    expect(state('failover')).toBe('CompleteCommit');
  });

  it('reloads an ongoing transaction with its partitions and start time', async () => {
    const producer = await initialised('long');
    await coordinator.addPartitions(producer, orders(3));
    await restart();
    expect(coordinator.describe('long')).toMatchObject({ state: 'Ongoing', partitions: orders(3), startTimestamp: 1_000_000, producerEpoch: producer.producerEpoch });
    expect(await coordinator.endTransaction(producer, false)).toBe(ErrorCode.NONE);
  });
});

describe('transaction timeouts', () => {
  it('aborts a transaction left open past its timeout and fences its producer', async () => {
    const producer = await initialised('abandoned', 100);
    await coordinator.addPartitions(producer, orders(0));
    clock += 100;
    coordinator.abortTimedOutTransactions();
    await settle();
    expect(state('abandoned')).toBe('Ongoing');
    clock += 1;
    coordinator.abortTimedOutTransactions();
    await settle();
    expect(markers.requests).toEqual([expect.objectContaining({ commit: false, producerEpoch: producer.producerEpoch + 1, partitions: orders(0) })]);
    expect(coordinator.describe('abandoned')).toMatchObject({ state: 'CompleteAbort', producerEpoch: producer.producerEpoch + 1 });
    expect(await coordinator.endTransaction(producer, true)).toBe(ErrorCode.PRODUCER_FENCED);
  });
});

describe('ListTransactions and DescribeTransactions', () => {
  it('filters by state, producer id and duration, and reports unknown state names', async () => {
    const a = await initialised('a');
    const b = await initialised('b');
    await coordinator.addPartitions(a, orders(0));
    clock += 1000;
    await coordinator.addPartitions(b, orders(1));
    expect(coordinator.list({ states: [], producerIds: [], minDurationMs: -1 }).transactions.map((t) => t.transactionalId)).toEqual(['a', 'b']);
    expect(coordinator.list({ states: ['Ongoing', 'Bogus'], producerIds: [b.producerId], minDurationMs: -1 })).toEqual({
      errorCode: ErrorCode.NONE,
      unknownStates: ['Bogus'],
      transactions: [{ transactionalId: 'b', producerId: b.producerId, state: 'Ongoing' }],
    });
    expect(coordinator.list({ states: [], producerIds: [], minDurationMs: 500 }).transactions.map((t) => t.transactionalId)).toEqual(['a']);
    expect(coordinator.describe('nobody').errorCode).toBe(ErrorCode.TRANSACTIONAL_ID_NOT_FOUND);
  });
});
