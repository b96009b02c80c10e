import { ApiKey } from '../protocol/generated/apis';
import {
  defaultOffsetCommitRequest,
  defaultOffsetCommitRequestPartition,
} from '../protocol/generated/offsetCommitRequest';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { ResetScope } from './adminChange';
import type { AdminSession } from './adminSession';
import { committedOffsets, findGroupCoordinator, groupMembers, requireInactive } from './groups';
import { listOffsets, logRanges, type PartitionRef } from './logOffsets';
import { planOffsetReset, targetTimestamp, type PartitionOffsets, type ResetMode, type ResetPlanRow } from './offsetResetPlan';
import { byTopic, partitionKey, resolveSelections } from './topicMetadata';

/**
 * `kafka-consumer-groups.sh --reset-offsets` against a live group: gathers the inputs of the
 * plan (committed offsets, log start and end, offsets for a time), plans with the pure
 * planner, and on --execute commits the plan, only while the group has no members.
 */
export interface ResetRequest {
  group: string;
  mode: ResetMode;
  /** Ignored for --from-file, whose rows are the scope. */
  scope: ResetScope;
  execute: boolean;
}

export interface ResetResult {
  group: string;
  executed: boolean;
  plan: ResetPlanRow[];
  kafkaCommand: string;
}

export async function resetGroupOffsets(session: AdminSession, request: ResetRequest, now: () => number = Date.now): Promise<ResetResult> {
  return session.run(`reset offsets of group ${request.group}`, async () => {
    const [members, committed] = await Promise.all([groupMembers(session, request.group), committedOffsets(session, request.group)]);
    const refs = await partitionsToReset(session, request, committed);
    if (refs.length === 0) {
      throw new AdminError('invalid-input', `group "${request.group}" has no committed offsets, so --all-topics selects nothing; name the topics with --topic`);
    }
    const ranges = await logRanges(session, refs);
    const timestamp = targetTimestamp(request.mode, now());
    const forTime = timestamp === null ? null : await listOffsets(session, refs, { timestamp });
    const inputs: PartitionOffsets[] = refs.map((ref) => {
      const key = partitionKey(ref.topic, ref.partition);
      const range = ranges.get(ref.topic)!.get(ref.partition)!;
      return {
        topic: ref.topic,
        partition: ref.partition,
        committed: committed.get(key)?.offset ?? null,
        logStartOffset: range.logStartOffset,
        logEndOffset: range.highWatermark,
        ...(forTime ? { offsetForTime: forTime.get(key) ?? null } : {}),
      };
    });
    const plan = planOffsetReset(inputs, request.mode);
    const change = { kind: 'reset-offsets' as const, group: request.group, mode: request.mode, scope: request.scope, execute: request.execute };
    if (!request.execute) return { group: request.group, executed: false, plan, kafkaCommand: session.commandFor(change) };

    requireInactive(members, 'resetting its offsets');
    const { kafkaCommand } = await session.change(change, {
      before: async () => Object.fromEntries(plan.map((row) => [`${row.topic}-${row.partition}`, row.currentOffset])),
      apply: () => commitPlan(session, request.group, plan),
      after: async () => {
        const now = await committedOffsets(session, request.group);
        return Object.fromEntries(plan.map((row) => [`${row.topic}-${row.partition}`, now.get(partitionKey(row.topic, row.partition))?.offset ?? null]));
      },
    });
    return { group: request.group, executed: true, plan, kafkaCommand };
  });
}

async function partitionsToReset(session: AdminSession, request: ResetRequest, committed: Map<string, { topic: string; partition: number }>): Promise<PartitionRef[]> {
  if (request.mode.mode === 'from-file') {
    return resolveSelections(
      session,
      [...byTopic(request.mode.offsets)].map(([topic, entries]) => ({ topic, partitions: entries.map((entry) => entry.partition) })),
    );
  }
  switch (request.scope.kind) {
    case 'all-topics': {
      // As Kafka's tool: --all-topics means every partition the group has an offset for.
      const refs = [...committed.values()].map((entry) => ({ topic: entry.topic, partition: entry.partition }));
      await resolveSelections(session, [...new Set(refs.map((ref) => ref.topic))].map((topic) => ({ topic })));
      return refs.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    }
    case 'topics':
      return resolveSelections(session, request.scope.topics);
  }
}

/**
 * OffsetCommit as an admin (generation -1, no member id), which the coordinator accepts only
 * for a group without members, as Kafka's own tool does. kafkajs's setOffsets instead joins
 * the group as a consumer, which would make the reset itself an active member.
 */
async function commitPlan(session: AdminSession, group: string, plan: ResetPlanRow[]): Promise<void> {
  const coordinator = await findGroupCoordinator(session, group);
  const response = await session.router.send({ broker: coordinator }, ApiKey.OffsetCommit, {
    ...defaultOffsetCommitRequest(),
    groupId: group,
    topics: [...byTopic(plan)].map(([name, rows]) => ({
      name,
      partitions: rows.map((row) => ({ ...defaultOffsetCommitRequestPartition(), partitionIndex: row.partition, committedOffset: BigInt(row.newOffset) })),
    })),
  });
  for (const topic of response.topics) {
    for (const partition of topic.partitions) {
      if (partition.errorCode === ErrorCode.UNKNOWN_MEMBER_ID || partition.errorCode === ErrorCode.ILLEGAL_GENERATION || partition.errorCode === ErrorCode.REBALANCE_IN_PROGRESS) {
        throw new AdminError('group-active', `group "${group}" gained members while resetting: stop its consumers and run the reset again`, 'UNKNOWN_MEMBER_ID');
      }
      if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `commit offset of ${topic.name}-${partition.partitionIndex}`);
    }
  }
}
