import { decodeConsumerAssignment, CONSUMER_PROTOCOL_TYPE } from '../engine/coordinator/consumerProtocol';
import { ApiKey } from '../protocol/generated/apis';
import { ErrorCode, errorInfo } from '../protocol/errors';
import { AdminError, kafkaCodeError } from './adminError';
import { committedOffsetsOfGroups, findGroupCoordinators, type GroupOffsets } from './committedOffsets';
import type { AdminSession } from './adminSession';
import { listOffsets } from './logOffsets';
import { partitionKey, resolveSelections } from './topicMetadata';

/**
 * Consumer groups: list, describe with members, assignments and lag, delete, and delete a
 * group's offsets. kafkajs serves the group APIs it has (ListGroups, DescribeGroups,
 * OffsetFetch, DeleteGroups); OffsetDelete (KIP-496), which it lacks, goes to the group's
 * coordinator on our own connection.
 */
export interface GroupSummary {
  group: string;
  protocolType: string;
  state: string;
  members: number;
}

export interface GroupMember {
  memberId: string;
  clientId: string;
  host: string;
  /** Decoded when the group speaks the consumer protocol; null otherwise. */
  assignment: { topic: string; partitions: number[] }[] | null;
}

/** One row per partition, as kafka-consumer-groups.sh --describe prints them. */
export interface GroupOffsetRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: number | null;
  /** The high watermark, as Kafka's tool shows. */
  logEndOffset: number;
  lag: number | null;
  consumerId: string | null;
  host: string | null;
  clientId: string | null;
}

export interface GroupDescription {
  group: string;
  state: string;
  protocolType: string;
  protocol: string;
  members: GroupMember[];
  offsets: GroupOffsetRow[];
  totalLag: number;
}

/** Group states in which a group has no members that could overwrite our commits. */
const INACTIVE_STATES = new Set(['Empty', 'Dead']);

/** Ids of every group (one ListGroups per broker; no states, so no DescribeGroups), sorted. */
export async function listGroupIds(session: AdminSession): Promise<string[]> {
  return session.run('list groups', async () => {
    const { groups } = await (await session.admin()).listGroups();
    return groups.map((group) => group.groupId).sort((a, b) => a.localeCompare(b));
  });
}

export async function listGroups(session: AdminSession): Promise<GroupSummary[]> {
  return session.run('list groups', async () => {
    const admin = await session.admin();
    const { groups } = await admin.listGroups();
    if (groups.length === 0) return [];
    const described = await groupStates(
      session,
      groups.map((group) => group.groupId),
    );
    return groups
      .map((group) => {
        const description = described.get(group.groupId);
        return { group: group.groupId, protocolType: group.protocolType, state: description?.state ?? 'Unknown', members: description?.members ?? 0 };
      })
      .sort((a, b) => a.group.localeCompare(b.group));
  });
}

/**
 * State and member count of many groups with one FindCoordinator (v4 batches keys) and one
 * DescribeGroups per coordinator; kafkajs's describeGroups looks up each group's coordinator
 * on its own, thousands of requests on a large cluster. A group whose coordinator cannot
 * answer right now is left out (listed as Unknown until the next read).
 */
async function groupStates(session: AdminSession, groups: string[]): Promise<Map<string, { state: string; members: number }>> {
  const coordinators = await findGroupCoordinators(session, groups);
  const byCoordinator = new Map<number, string[]>();
  for (const group of groups) {
    const coordinator = coordinators.get(group);
    if (coordinator === undefined || coordinator instanceof AdminError) continue;
    let list = byCoordinator.get(coordinator);
    if (list === undefined) byCoordinator.set(coordinator, (list = []));
    list.push(group);
  }
  const result = new Map<string, { state: string; members: number }>();
  await Promise.all(
    [...byCoordinator].map(async ([coordinator, coordinated]) => {
      const response = await session.router.send({ broker: coordinator }, ApiKey.DescribeGroups, { groups: coordinated, includeAuthorizedOperations: false });
      for (const group of response.groups) {
        if (group.errorCode === ErrorCode.NONE) result.set(group.groupId, { state: group.groupState, members: group.members.length });
      }
    }),
  );
  return result;
}

/** State and members only, without offsets: what an execute check needs. */
export async function groupMembers(session: AdminSession, group: string): Promise<Omit<GroupDescription, 'offsets' | 'totalLag'>> {
  const admin = await session.admin();
  const { groups } = await admin.describeGroups([group]);
  const description = groups.find((entry) => entry.groupId === group);
  if (!description) throw new AdminError('kafka', `the coordinator sent no description of group "${group}"`);
  const errorCode = (description as { errorCode?: number }).errorCode ?? ErrorCode.NONE;
  if (errorCode !== ErrorCode.NONE) throw kafkaCodeError(errorCode, `describe group ${group}`);
  return {
    group,
    state: description.state,
    protocolType: description.protocolType,
    protocol: description.protocol,
    members: description.members.map((member) => ({
      memberId: member.memberId,
      clientId: member.clientId,
      host: member.clientHost,
      assignment: description.protocolType === CONSUMER_PROTOCOL_TYPE ? assignmentOf(member.memberAssignment) : null,
    })),
  };
}

/** Committed offsets by partitionKey; partitions without a commit are left out. */
export async function committedOffsets(session: AdminSession, group: string): Promise<GroupOffsets> {
  return (await committedOffsetsOfGroups(session, [group])).get(group)!;
}

export async function describeGroup(session: AdminSession, group: string): Promise<GroupDescription> {
  return session.run(`describe group ${group}`, async () => {
    const [members, committed] = await Promise.all([groupMembers(session, group), committedOffsets(session, group)]);
    // Kafka's tool: a group that is Dead and has no offsets does not exist.
    if (members.state === 'Dead' && committed.size === 0) throw unknownGroup(group);

    const owners = new Map<string, GroupMember>();
    for (const member of members.members) {
      for (const assigned of member.assignment ?? []) for (const partition of assigned.partitions) owners.set(partitionKey(assigned.topic, partition), member);
    }
    const partitions = new Map<string, { topic: string; partition: number }>();
    for (const entry of committed.values()) partitions.set(partitionKey(entry.topic, entry.partition), entry);
    for (const member of members.members) {
      for (const assigned of member.assignment ?? []) {
        for (const partition of assigned.partitions) partitions.set(partitionKey(assigned.topic, partition), { topic: assigned.topic, partition });
      }
    }
    const refs = [...partitions.values()].sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    const ends = await listOffsets(session, refs, 'latest');
    const offsets = refs.map((ref): GroupOffsetRow => {
      const key = partitionKey(ref.topic, ref.partition);
      const current = committed.get(key)?.offset ?? null;
      const logEndOffset = ends.get(key) ?? 0;
      const owner = owners.get(key);
      return {
        group,
        topic: ref.topic,
        partition: ref.partition,
        currentOffset: current,
        logEndOffset,
        lag: current === null ? null : Math.max(0, logEndOffset - current),
        consumerId: owner?.memberId ?? null,
        host: owner?.host ?? null,
        clientId: owner?.clientId ?? null,
      };
    });
    return { ...members, offsets, totalLag: offsets.reduce((sum, row) => sum + (row.lag ?? 0), 0) };
  });
}

export async function deleteGroup(session: AdminSession, group: string) {
  return session.run(`delete group ${group}`, async () => {
    const members = await groupMembers(session, group);
    const committed = await committedOffsets(session, group);
    if (members.state === 'Dead' && committed.size === 0) throw unknownGroup(group);
    requireInactive(members, 'deleting it');
    return session.change(
      { kind: 'delete-group', group },
      {
        before: async () => ({ state: members.state, offsets: offsetsRecord(committed) }),
        apply: async () => {
          const [result] = await (await session.admin()).deleteGroups([group]);
          const errorCode = (result as { errorCode?: number } | undefined)?.errorCode ?? ErrorCode.NONE;
          if (errorCode !== ErrorCode.NONE) throw kafkaCodeError(errorCode, `delete group ${group}`);
        },
        after: async () => null,
      },
    );
  });
}

/**
 * OffsetDelete: forgets the group's committed offsets for a topic (or some of its partitions).
 * The coordinator refuses it for topics the group is still subscribed to (KIP-496).
 */
export async function deleteGroupOffsets(session: AdminSession, group: string, topic: string, partitions?: number[]) {
  return session.run(`delete offsets of group ${group}`, async () => {
    const selected = await resolveSelections(session, [{ topic, ...(partitions ? { partitions } : {}) }]);
    const committed = await committedOffsets(session, group);
    const members = await groupMembers(session, group);
    if (members.state === 'Dead' && committed.size === 0) throw unknownGroup(group);
    const pick = (offsets: typeof committed) => offsetsRecord(new Map([...offsets].filter(([key]) => selected.some((ref) => partitionKey(ref.topic, ref.partition) === key))));
    return session.change(
      { kind: 'delete-group-offsets', group, topic, ...(partitions ? { partitions } : {}) },
      {
        before: async () => pick(committed),
        apply: async () => {
          const coordinator = await findGroupCoordinator(session, group);
          const response = await session.router.send({ broker: coordinator }, ApiKey.OffsetDelete, {
            groupId: group,
            topics: [{ name: topic, partitions: selected.map((ref) => ({ partitionIndex: ref.partition })) }],
          });
          if (response.errorCode !== ErrorCode.NONE) throw groupError(response.errorCode, group);
          for (const entry of response.topics) {
            for (const partition of entry.partitions) {
              if (partition.errorCode === ErrorCode.GROUP_SUBSCRIBED_TO_TOPIC) {
                throw new AdminError('group-active', `group "${group}" is subscribed to topic "${entry.name}": stop its consumers (or change their subscription) before deleting its offsets`, 'GROUP_SUBSCRIBED_TO_TOPIC');
              }
              if (partition.errorCode !== ErrorCode.NONE) throw kafkaCodeError(partition.errorCode, `delete offsets of ${entry.name}-${partition.partitionIndex}`);
            }
          }
        },
        after: async () => pick(await committedOffsets(session, group)),
      },
    );
  });
}

export async function findGroupCoordinator(session: AdminSession, group: string): Promise<number> {
  const answer = (await findGroupCoordinators(session, [group])).get(group)!;
  if (answer instanceof AdminError) throw answer;
  return answer;
}

/** Refuses while the group has members, naming them so the user knows what to stop. */
export function requireInactive(members: Pick<GroupDescription, 'group' | 'state' | 'members'>, doing: string): void {
  if (INACTIVE_STATES.has(members.state)) return;
  const names = members.members.map((member) => `${member.clientId || '?'} (${member.memberId} on ${member.host})`);
  const count = members.members.length;
  throw new AdminError(
    'group-active',
    `group "${members.group}" is ${members.state} with ${count} active member${count === 1 ? '' : 's'}: ${names.join(', ') || 'none listed'}; stop them before ${doing}`,
  );
}

export function unknownGroup(group: string): AdminError {
  return new AdminError('unknown-group', `consumer group "${group}" does not exist`, 'GROUP_ID_NOT_FOUND');
}

function groupError(code: number, group: string): AdminError {
  if (code === ErrorCode.GROUP_ID_NOT_FOUND) return unknownGroup(group);
  if (code === ErrorCode.NON_EMPTY_GROUP) return new AdminError('group-active', `group "${group}" is not empty: ${errorInfo(code).message}`, errorInfo(code).name);
  return kafkaCodeError(code, `group ${group}`);
}

function assignmentOf(bytes: Buffer): { topic: string; partitions: number[] }[] | null {
  if (bytes.length === 0) return [];
  const decoded = decodeConsumerAssignment(bytes);
  return decoded ? decoded.assignedPartitions.map((entry) => ({ topic: entry.topic, partitions: [...entry.partitions].sort((a, b) => a - b) })) : null;
}

function offsetsRecord(offsets: Map<string, { topic: string; partition: number; offset: number }>): Record<string, number> {
  return Object.fromEntries([...offsets.values()].map((entry) => [`${entry.topic}-${entry.partition}`, entry.offset]));
}
