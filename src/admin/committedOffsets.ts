import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import type { AdminSession } from './adminSession';
import { partitionKey } from './topicMetadata';

/**
 * Committed offsets of many groups with a handful of requests: FindCoordinator v4 takes all
 * the group ids at once (KIP-699) and OffsetFetch v8 asks one coordinator about many groups
 * (KIP-709), so 2,000 groups on 3 brokers cost one FindCoordinator and three OffsetFetches
 * instead of 4,000 round trips. Older brokers get one request per group, all in flight at
 * once. A coordinator that is loading or has moved is asked again, a bounded number of times.
 */
export interface CommittedOffset {
  topic: string;
  partition: number;
  offset: number;
}

/** partitionKey -> committed offset; partitions without a commit are left out. */
export type GroupOffsets = Map<string, CommittedOffset>;

const GROUP_KEY_TYPE = 0;
const ATTEMPTS = 4;
const RETRY_BACKOFF_MS = 200;
/** Errors after which the coordinator is looked up again and the group asked again. */
const RETRIABLE = new Set(['COORDINATOR_LOAD_IN_PROGRESS', 'COORDINATOR_NOT_AVAILABLE', 'NOT_COORDINATOR']);

function isRetriable(error: AdminError): boolean {
  return error.kind === 'unreachable' || (error.kafkaError !== undefined && RETRIABLE.has(error.kafkaError));
}

export async function committedOffsetsOfGroups(session: AdminSession, groups: readonly string[]): Promise<Map<string, GroupOffsets>> {
  const result = new Map<string, GroupOffsets>();
  let pending = [...new Set(groups)];
  let lastError: AdminError | null = null;
  for (let attempt = 0; attempt < ATTEMPTS && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, RETRY_BACKOFF_MS * attempt));
    const retry: string[] = [];
    const coordinators = await findGroupCoordinators(session, pending);
    const byCoordinator = new Map<number, string[]>();
    for (const group of pending) {
      const coordinator = coordinators.get(group)!;
      if (coordinator instanceof AdminError) {
        if (!isRetriable(coordinator)) throw coordinator;
        lastError = coordinator;
        retry.push(group);
        continue;
      }
      let list = byCoordinator.get(coordinator);
      if (list === undefined) byCoordinator.set(coordinator, (list = []));
      list.push(group);
    }
    await Promise.all(
      [...byCoordinator].map(async ([coordinator, coordinated]) => {
        for (const [group, answer] of await fetchFromCoordinator(session, coordinator, coordinated)) {
          if (answer instanceof AdminError) {
            if (isRetriable(answer)) {
              lastError = answer;
              retry.push(group);
            } else {
              throw answer;
            }
          } else {
            result.set(group, answer);
          }
        }
      }),
    );
    pending = retry;
  }
  if (pending.length > 0) throw lastError ?? new AdminError('kafka', `no coordinator answered for groups ${pending.slice(0, 5).join(', ')}`);
  return result;
}

type Answer = GroupOffsets | AdminError;

function groupError(code: number, group: string): AdminError {
  return kafkaCodeError(code, `fetch committed offsets of group ${group}`);
}

async function fetchFromCoordinator(session: AdminSession, coordinator: number, groups: string[]): Promise<Map<string, Answer>> {
  const version = await session.router.versionOn({ broker: coordinator }, ApiKey.OffsetFetch);
  if (version === null) throw new AdminError('unsupported', `broker ${coordinator} does not serve OffsetFetch, so committed offsets cannot be read`);
  const answers = new Map<string, Answer>();
  const collect = (group: string, errorCode: number, topics: readonly { name: string; partitions: readonly { partitionIndex: number; committedOffset: bigint; errorCode: number }[] }[]) => {
    if (errorCode !== ErrorCode.NONE) {
      answers.set(group, groupError(errorCode, group));
      return;
    }
    const offsets: GroupOffsets = new Map();
    for (const topic of topics) {
      for (const partition of topic.partitions) {
        if (partition.errorCode !== ErrorCode.NONE) {
          answers.set(group, groupError(partition.errorCode, group));
          return;
        }
        const offset = Number(partition.committedOffset);
        if (offset >= 0) offsets.set(partitionKey(topic.name, partition.partitionIndex), { topic: topic.name, partition: partition.partitionIndex, offset });
      }
    }
    answers.set(group, offsets);
  };
  try {
    if (version >= 8) {
      const response = await session.router.send({ broker: coordinator }, ApiKey.OffsetFetch, {
        groupId: '',
        topics: [],
        requireStable: false,
        groups: groups.map((groupId) => ({ groupId, memberId: null, memberEpoch: -1, topics: null })),
      });
      for (const group of response.groups) collect(group.groupId, group.errorCode, group.topics);
    } else {
      // v2-7 take one group, topics null meaning all of them.
      await Promise.all(
        groups.map(async (groupId) => {
          const response = await session.router.send({ broker: coordinator }, ApiKey.OffsetFetch, { groupId, topics: version >= 2 ? null : [], requireStable: false, groups: [] });
          collect(groupId, response.errorCode, response.topics);
        }),
      );
    }
  } catch (error) {
    // The coordinator itself did not answer: every group it coordinates is asked again elsewhere.
    const failure = new AdminError('unreachable', `broker ${coordinator}, the coordinator of ${groups.length} group(s), did not answer: ${error instanceof Error ? error.message : String(error)}`);
    for (const group of groups) answers.set(group, failure);
  }
  for (const group of groups) {
    if (!answers.has(group)) answers.set(group, new AdminError('unreachable', `the coordinator of group "${group}" did not answer for it`));
  }
  return answers;
}

/** FindCoordinator for many groups: one request on v4+ (KIP-699), else one per group. */
export async function findGroupCoordinators(session: AdminSession, groups: readonly string[]): Promise<Map<string, number | AdminError>> {
  const version = await session.router.versionOn('any', ApiKey.FindCoordinator);
  if (version === null) throw new AdminError('unsupported', 'the cluster does not serve FindCoordinator, so it has no consumer groups');
  const result = new Map<string, number | AdminError>();
  const record = (group: string, errorCode: number, nodeId: number, errorMessage: string | null) =>
    result.set(group, errorCode === ErrorCode.NONE ? nodeId : kafkaCodeError(errorCode, `find the coordinator of group ${group}`, errorMessage));
  if (version >= 4) {
    // Each version carries only its own field: the codec refuses a value the version lacks.
    const response = await session.router.send('any', ApiKey.FindCoordinator, { key: '', keyType: GROUP_KEY_TYPE, coordinatorKeys: [...groups] });
    for (const answer of response.coordinators) record(answer.key, answer.errorCode, answer.nodeId, answer.errorMessage);
  } else {
    await Promise.all(
      groups.map(async (group) => {
        const answer = await session.router.send('any', ApiKey.FindCoordinator, { key: group, keyType: GROUP_KEY_TYPE, coordinatorKeys: [] });
        record(group, answer.errorCode, answer.nodeId, answer.errorMessage);
      }),
    );
  }
  for (const group of groups) if (!result.has(group)) result.set(group, new AdminError('kafka', `no coordinator found for group "${group}"`));
  return result;
}
