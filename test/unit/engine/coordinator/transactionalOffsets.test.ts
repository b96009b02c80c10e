/**
 * TxnOffsetCommit through the group coordinator, on real partition logs that keep the
 * transactional batches and markers: pending offsets stay invisible until their producer's
 * COMMIT marker, and a coordinator that reloads the partition (restart, failover) must reach
 * the same verdict from the log alone: committed offsets applied, aborted ones dropped, open
 * ones still pending.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createGroupCoordinator, type GroupCoordinator, type OffsetCommitEntry } from '../../../../src/engine/coordinator/groupCoordinator';
import { ErrorCode } from '../../../../src/protocol/errors';
import { tempDir } from '../../../helpers/batches';
import { transactionalCoordinatorLog, type TransactionalCoordinatorLog } from '../../../helpers/transactionalCoordinatorLog';
import { silentLogger, testConfig } from './coordinatorFixture';

const config = testConfig();
let dir: { dir: string; cleanup: () => void };
let log: TransactionalCoordinatorLog;
let coordinator: GroupCoordinator;

async function open(): Promise<void> {
  log = transactionalCoordinatorLog(dir.dir);
  coordinator = createGroupCoordinator({ config, log, logger: silentLogger });
  for (let p = 0; p < config.offsetsTopicNumPartitions; p++) await coordinator.onBecomeLeader(p, 0);
}

async function restart(): Promise<void> {
  coordinator.shutdown();
  log.close();
  await open();
}

beforeEach(async () => {
  dir = tempDir('samsa-txn-offsets-');
  await open();
});

afterEach(() => {
  coordinator.shutdown();
  log.close();
  dir.cleanup();
});

const entry = (partition: number, offset: bigint): OffsetCommitEntry => ({ topic: 'orders', partition, offset, leaderEpoch: -1, metadata: null });

async function txnCommit(groupId: string, producerId: bigint, producerEpoch: number, offsets: OffsetCommitEntry[]): Promise<number[]> {
  const results = await coordinator.commitTransactionalOffsets({ groupId, producerId, producerEpoch, generationId: -1, memberId: '', groupInstanceId: null, offsets });
  return results.map((r) => r.errorCode);
}

/** What the broker's WriteTxnMarkers handler does on a `__consumer_offsets` partition. */
async function marker(groupId: string, producerId: bigint, producerEpoch: number, commit: boolean): Promise<void> {
  await log.writeMarker(coordinator.partitionFor(groupId), producerId, producerEpoch, commit);
  coordinator.completeTransaction(producerId, commit);
}

const stable = (groupId: string, partition: number) => coordinator.fetchOffsets(groupId, [{ topic: 'orders', partition }], true).offsets[0]!;
const unstable = (groupId: string, partition: number) => coordinator.fetchOffsets(groupId, [{ topic: 'orders', partition }], false).offsets[0]!;

describe('transactional offset commits on the log', () => {
  it('writes a transactional batch that keeps the partition open until the marker', async () => {
    expect(await txnCommit('copier', 10n, 0, [entry(0, 5n)])).toEqual([ErrorCode.NONE]);
    const partition = coordinator.partitionFor('copier');
    expect([...log.openTransactions(partition).keys()]).toEqual([10n]);
    await marker('copier', 10n, 0, true);
    expect(log.openTransactions(partition).size).toBe(0);
    expect(stable('copier', 0)).toMatchObject({ offset: 5n, errorCode: ErrorCode.NONE });
  });

  it('after a reload applies committed transactions, drops aborted ones and keeps open ones pending', async () => {
    await txnCommit('committed', 1n, 0, [entry(0, 10n)]);
    await marker('committed', 1n, 0, true);
    await txnCommit('aborted', 2n, 0, [entry(0, 20n)]);
    await marker('aborted', 2n, 0, false);
    await txnCommit('open', 3n, 0, [entry(0, 30n)]);

    await restart();

    expect(stable('committed', 0)).toMatchObject({ offset: 10n, errorCode: ErrorCode.NONE });
    expect(stable('aborted', 0)).toMatchObject({ offset: -1n, errorCode: ErrorCode.NONE });
    expect(stable('open', 0)).toMatchObject({ offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT });
    expect(unstable('open', 0)).toMatchObject({ offset: -1n, errorCode: ErrorCode.NONE });

    // The marker for the open transaction arrives after the reload.
    await marker('open', 3n, 0, true);
    expect(stable('open', 0)).toMatchObject({ offset: 30n, errorCode: ErrorCode.NONE });
    await restart();
    expect(stable('open', 0)).toMatchObject({ offset: 30n, errorCode: ErrorCode.NONE });
  });

  it('keeps the offset committed before an aborted transaction', async () => {
    await coordinator.commitOffsets({ groupId: 'mixed', generationId: -1, memberId: '', groupInstanceId: null, offsets: [entry(1, 7n)] });
    await txnCommit('mixed', 4n, 0, [entry(1, 70n)]);
    await marker('mixed', 4n, 0, false);
    await restart();
    expect(stable('mixed', 1)).toMatchObject({ offset: 7n, errorCode: ErrorCode.NONE });
  });

  it('refuses a transactional commit with a stale generation of a known group (KIP-447)', async () => {
    const results = await coordinator.commitTransactionalOffsets({ groupId: 'gen', producerId: 5n, producerEpoch: 0, generationId: 3, memberId: '', groupInstanceId: null, offsets: [entry(0, 1n)] });
    expect(results.map((r) => r.errorCode)).toEqual([ErrorCode.ILLEGAL_GENERATION]);
  });
});
