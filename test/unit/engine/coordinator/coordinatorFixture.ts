import type { CoordinatorLog } from '../../../../src/engine/coordinator/coordinatorLog';
import { createGroupCoordinator, type GroupCoordinator, type GroupCoordinatorConfig } from '../../../../src/engine/coordinator/groupCoordinator';
import type { JoinGroupInput, SyncGroupInput } from '../../../../src/engine/coordinator/rebalance';
import type { Logger } from '../../../../src/logging/logger';
import { tempDir } from '../../../helpers/batches';
import { partitionCoordinatorLog, type PartitionCoordinatorLog } from '../../../helpers/partitionCoordinatorLog';

/** Swallows coordinator logs; the tests assert on behaviour. */
export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  child: () => silentLogger,
};

export const NUM_PARTITIONS = 3;

export const testConfig = (overrides: Partial<GroupCoordinatorConfig> = {}): GroupCoordinatorConfig => ({
  offsetsTopicNumPartitions: NUM_PARTITIONS,
  groupInitialRebalanceDelayMs: 20,
  groupMinSessionTimeoutMs: 10,
  groupMaxSessionTimeoutMs: 60_000,
  offsetsRetentionMinutes: 10_080,
  offsetsRetentionCheckIntervalMs: 600_000,
  ...overrides,
});

/**
 * A coordinator that leads every `__consumer_offsets` partition, over real partition logs in
 * a temp dir. `restart()` shuts it down, closes the logs, and brings up a fresh coordinator
 * on the same directory, as a broker restart (or a failover to a replica with the same log)
 * would.
 */
export interface CoordinatorFixture {
  coordinator: GroupCoordinator;
  log: PartitionCoordinatorLog;
  restart(): Promise<void>;
  cleanup(): void;
}

export async function startCoordinator(config: GroupCoordinatorConfig = testConfig(), options: { now?: () => number } = {}): Promise<CoordinatorFixture> {
  const { dir, cleanup } = tempDir('samsa-groups-');
  const open = async () => {
    const log = partitionCoordinatorLog(dir);
    const coordinator = createGroupCoordinator({ config, log, logger: silentLogger, ...(options.now ? { now: options.now } : {}) });
    for (let p = 0; p < config.offsetsTopicNumPartitions; p++) await coordinator.onBecomeLeader(p, 0);
    return { log, coordinator };
  };
  const fixture: CoordinatorFixture = {
    ...(await open()),
    async restart() {
      fixture.coordinator.shutdown();
      fixture.log.close();
      Object.assign(fixture, await open());
    },
    cleanup() {
      fixture.coordinator.shutdown();
      fixture.log.close();
      cleanup();
    },
  };
  return fixture;
}

/** A CoordinatorLog whose reads wait until released, to observe a coordinator mid-load. */
export function heldReads(log: CoordinatorLog): { log: CoordinatorLog; release(): void } {
  let release!: () => void;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  return {
    log: { append: (p, r) => log.append(p, r), readAll: async (p) => gate.then(() => log.readAll(p)) },
    release,
  };
}

export const PROTOCOL = 'range';

export function joinInput(groupId: string, overrides: Partial<JoinGroupInput> = {}): JoinGroupInput {
  return {
    groupId,
    memberId: '',
    groupInstanceId: null,
    clientId: 'client',
    clientHost: '/127.0.0.1',
    sessionTimeoutMs: 10_000,
    rebalanceTimeoutMs: 10_000,
    protocolType: 'consumer',
    protocols: [{ name: PROTOCOL, metadata: Buffer.from('subscription') }],
    requireKnownMemberId: false,
    ...overrides,
  };
}

export function syncInput(groupId: string, memberId: string, generationId: number, assignments: Record<string, string> = {}): SyncGroupInput {
  return {
    groupId,
    generationId,
    memberId,
    groupInstanceId: null,
    protocolType: null,
    protocolName: null,
    assignments: Object.entries(assignments).map(([id, bytes]) => ({ memberId: id, assignment: Buffer.from(bytes) })),
  };
}

/** Polls `check` until it holds, failing after `timeoutMs` (bounded: tests never hang). */
export async function waitFor(check: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Whether a promise has settled by the time pending callbacks have run. */
export async function isSettled(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((resolve) => setTimeout(resolve, 10));
  return settled;
}
