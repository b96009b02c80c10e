import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { generateReassignment, movedReplicas, type PartitionReplicas } from './reassignmentPlan';
import { applyThrottle, hasThrottle, readThrottle, removeThrottle, throttlePlan, type ThrottleRemoval } from './reassignmentThrottle';
import { byTopic, findTopic, partitionKey, resolveSelections } from './topicMetadata';

/**
 * Partition reassignment (KIP-455: AlterPartitionReassignments, ListPartitionReassignments),
 * sent to the controller on our own connection since kafkajs cannot cancel one. Plans use the
 * JSON of kafka-reassign-partitions.sh (reassignmentPlan.ts).
 */
export interface OngoingReassignment extends PartitionReplicas {
  addingReplicas: number[];
  removingReplicas: number[];
}

export type VerifyStatus = 'complete' | 'in-progress' | 'not-started';

export interface VerifyRow extends PartitionReplicas {
  currentReplicas: number[];
  status: VerifyStatus;
}

export interface VerifyResult {
  partitions: VerifyRow[];
  /**
   * Set once every partition is complete and a throttle was removed. `ratesKept`: other
   * reassignments still run, so the brokers keep their rates (only this plan's throttled
   * replicas were removed).
   */
  throttleRemoved: (ThrottleRemoval & { ratesKept: boolean }) | null;
}

export interface ExecuteOptions {
  /** kafka-reassign-partitions.sh --throttle: bytes/s for the replicas being copied (KIP-73). */
  throttleBytesPerSec?: number;
}

const REASSIGNMENT_TIMEOUT_MS = 30_000;

export async function currentAssignment(session: AdminSession, topics: string[]): Promise<PartitionReplicas[]> {
  const metadata = await session.router.refreshMetadata(topics);
  return topics.flatMap((name) =>
    findTopic(metadata, name)
      .partitions.map((partition) => ({ topic: name, partition: partition.partitionIndex, replicas: partition.replicaNodes }))
      .sort((a, b) => a.partition - b.partition),
  );
}

/** `--generate`: the current assignment (for rollback) and a balanced plan over the given brokers. */
export async function generatePlan(session: AdminSession, topics: string[], brokerIds: number[]) {
  return session.run('generate a reassignment', async () => {
    const known = new Set((await session.metadata()).brokers.map((broker) => broker.nodeId));
    const unknown = brokerIds.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new AdminError('invalid-input', `--broker-list names broker ${unknown.join(', ')}, which is not in the cluster (brokers: ${[...known].sort((a, b) => a - b).join(', ')})`);
    const current = await currentAssignment(session, topics);
    const proposed = generateReassignment(current, brokerIds);
    return { current, proposed, replicasToMove: movedReplicas(current, proposed) };
  });
}

export async function listReassignments(session: AdminSession): Promise<OngoingReassignment[]> {
  return session.run('list reassignments', async () => {
    const response = await session.router.send('controller', ApiKey.ListPartitionReassignments, { timeoutMs: REASSIGNMENT_TIMEOUT_MS, topics: null });
    if (response.errorCode !== ErrorCode.NONE) throw kafkaCodeError(response.errorCode, 'list reassignments', response.errorMessage);
    return response.topics
      .flatMap((topic) => topic.partitions.map((partition) => ({ topic: topic.name, partition: partition.partitionIndex, replicas: partition.replicas, addingReplicas: partition.addingReplicas, removingReplicas: partition.removingReplicas })))
      .sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
  });
}

/**
 * `--execute`: starts moving each partition to its target replicas. With a throttle, the
 * brokers' rates and the topics' throttled replicas are set first; running it again while
 * the move is in progress changes the rate (as Kafka's tool allows).
 */
export async function executeReassignment(session: AdminSession, partitions: PartitionReplicas[], options: ExecuteOptions = {}) {
  const throttle = options.throttleBytesPerSec;
  if (throttle !== undefined && (!Number.isSafeInteger(throttle) || throttle < 1)) {
    throw new AdminError('invalid-input', `the throttle must be a whole number of bytes per second, at least 1; got ${throttle}`);
  }
  return session.run('execute a reassignment', async () => {
    await resolveSelections(session, [...byTopic(partitions)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })));
    // Target brokers are not checked against the live ones: moving to a broker that is down is
    // allowed (it catches up when back), and only the controller knows every registered broker.
    let original: PartitionReplicas[] = [];
    return session.change(
      { kind: 'reassign-partitions', partitions, ...(throttle === undefined ? {} : { throttleBytesPerSec: throttle }) },
      {
        // The assignment before, in the plan's own format: the rollback plan, as Kafka's tool prints it.
        before: async () => {
          original = await assignmentBeforeMoves(session, partitions);
          return original;
        },
        apply: async () => {
          if (throttle !== undefined) await applyThrottle(session, throttlePlan(original, partitions), throttle);
          await alterReassignments(session, partitions, (entry) => entry.replicas);
        },
        after: async () => replicasRecord(await listReassignments(session)),
      },
    );
  });
}

/** The replicas of these partitions before any move: an ongoing move's adding replicas are left out. */
async function assignmentBeforeMoves(session: AdminSession, partitions: PartitionReplicas[]): Promise<PartitionReplicas[]> {
  const moving = new Set(partitions.map((entry) => partitionKey(entry.topic, entry.partition)));
  const [current, ongoing] = await Promise.all([currentAssignment(session, [...byTopic(partitions).keys()]), listReassignments(session)]);
  const adding = new Map(ongoing.map((entry) => [partitionKey(entry.topic, entry.partition), entry.addingReplicas]));
  return current
    .filter((entry) => moving.has(partitionKey(entry.topic, entry.partition)))
    .map((entry) => {
      const added = adding.get(partitionKey(entry.topic, entry.partition)) ?? [];
      return { ...entry, replicas: entry.replicas.filter((id) => !added.includes(id)) };
    });
}

/** `--cancel`: stops the reassignments of these partitions; the controller restores their original replicas. */
export async function cancelReassignment(session: AdminSession, partitions: PartitionReplicas[]) {
  return session.run('cancel a reassignment', () =>
    session.change(
      { kind: 'cancel-reassignment', partitions },
      {
        before: async () => replicasRecord(await listReassignments(session)),
        apply: () => alterReassignments(session, partitions, () => null),
        after: async () => replicasRecord(await currentAssignment(session, [...byTopic(partitions).keys()])),
      },
    ),
  );
}

/**
 * `--verify`: whether each partition now has its target replicas and no reassignment is
 * running. Once all are complete, the throttle an --execute set for them is removed (as
 * Kafka's tool does); while any still runs, it stays.
 */
export async function verifyReassignment(session: AdminSession, partitions: PartitionReplicas[]): Promise<VerifyResult> {
  return session.run('verify a reassignment', async () => {
    const [current, ongoing] = await Promise.all([currentAssignment(session, [...byTopic(partitions).keys()]), listReassignments(session)]);
    const now = new Map(current.map((entry) => [partitionKey(entry.topic, entry.partition), entry.replicas]));
    const running = new Set(ongoing.map((entry) => partitionKey(entry.topic, entry.partition)));
    const rows = partitions.map((entry) => {
      const key = partitionKey(entry.topic, entry.partition);
      const currentReplicas = now.get(key) ?? [];
      const status: VerifyStatus = running.has(key) ? 'in-progress' : sameOrder(currentReplicas, entry.replicas) ? 'complete' : 'not-started';
      return { ...entry, currentReplicas, status };
    });
    if (rows.some((row) => row.status !== 'complete')) return { partitions: rows, throttleRemoved: null };
    // Other reassignments may be throttled by the same broker rates: those stay until they finish.
    const ratesKept = ongoing.length > 0;
    const brokers = ratesKept ? [] : (await session.metadata()).brokers.map((broker) => broker.nodeId).sort((a, b) => a - b);
    const state = await readThrottle(session, [...byTopic(partitions).keys()], brokers);
    if (!hasThrottle(state, partitions)) return { partitions: rows, throttleRemoved: null };
    let removal: ThrottleRemoval = { topics: [], brokers: [] };
    await session.change(
      { kind: 'remove-reassignment-throttle', partitions },
      {
        before: async () => state,
        apply: async () => {
          removal = await removeThrottle(session, state, partitions);
        },
        after: async () => removal,
      },
    );
    return { partitions: rows, throttleRemoved: { ...removal, ratesKept } };
  });
}

async function alterReassignments(session: AdminSession, partitions: PartitionReplicas[], target: (entry: PartitionReplicas) => number[] | null): Promise<void> {
  const response = await session.router.send('controller', ApiKey.AlterPartitionReassignments, {
    timeoutMs: REASSIGNMENT_TIMEOUT_MS,
    topics: [...byTopic(partitions)].map(([name, entries]) => ({ name, partitions: entries.map((entry) => ({ partitionIndex: entry.partition, replicas: target(entry) })) })),
  });
  if (response.errorCode !== ErrorCode.NONE) throw kafkaCodeError(response.errorCode, 'alter partition reassignments', response.errorMessage);
  const failures = response.responses.flatMap((topic) =>
    topic.partitions.filter((partition) => partition.errorCode !== ErrorCode.NONE).map((partition) => kafkaCodeError(partition.errorCode, `${topic.name}-${partition.partitionIndex}`, partition.errorMessage)),
  );
  if (failures.length > 0) throw new AdminError(failures[0]!.kind, failures.map((failure) => failure.message).join('; '), failures[0]!.kafkaError);
}

function replicasRecord(partitions: PartitionReplicas[]): Record<string, number[]> {
  return Object.fromEntries(partitions.map((entry) => [`${entry.topic}-${entry.partition}`, entry.replicas]));
}

/** Order matters: the first replica is the preferred leader (Kafka's --verify compares the lists). */
function sameOrder(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((id, index) => b[index] === id);
}
