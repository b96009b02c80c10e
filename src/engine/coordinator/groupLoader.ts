import type { Logger } from '../../logging/logger';
import type { GroupMetadataValue } from '../../protocol/generated/groupMetadataValue';
import { isTxnMarker, type CoordinatorLogEntry } from './coordinatorLog';
import { ClassicGroup } from './group';
import { decodeGroupRecordKey, decodeGroupRecordValue, decodeOffsetRecordValue } from './groupRecords';
import { GroupMember } from './member';
import { OffsetStore, type PartitionOffset } from './offsetStore';

export interface LoadedPartition {
  groups: Map<string, ClassicGroup>;
  offsets: OffsetStore;
  /** Offsets of transactions still open at the end of the log: pending until their marker arrives. */
  pendingTransactional: PendingTransactionalOffsets[];
}

export interface PendingTransactionalOffsets {
  producerId: bigint;
  groupId: string;
  offsets: PartitionOffset[];
}

/** Offsets written by TxnOffsetCommit whose transaction's marker has not been seen yet. */
class OpenTransactions {
  private readonly byProducer = new Map<bigint, Map<string, PartitionOffset[]>>();

  add(producerId: bigint, groupId: string, offset: PartitionOffset): void {
    let groups = this.byProducer.get(producerId);
    if (groups === undefined) {
      groups = new Map();
      this.byProducer.set(producerId, groups);
    }
    const offsets = groups.get(groupId);
    if (offsets === undefined) groups.set(groupId, [offset]);
    else offsets.push(offset);
  }

  /** The producer's marker: on commit its offsets are applied in the order they were written. */
  settle(producerId: bigint, commit: boolean, offsets: OffsetStore): void {
    const groups = this.byProducer.get(producerId);
    this.byProducer.delete(producerId);
    if (groups === undefined || !commit) return;
    for (const [groupId, written] of groups) for (const { topic, partition, committed } of written) offsets.put(groupId, topic, partition, committed);
  }

  /** Transactions still open at the end of the log. */
  pending(): PendingTransactionalOffsets[] {
    return [...this.byProducer].flatMap(([producerId, groups]) => [...groups].map(([groupId, offsets]) => ({ producerId, groupId, offsets })));
  }
}

/**
 * Rebuilds the groups and offsets of one `__consumer_offsets` partition by replaying its
 * records in offset order: the last record per key wins and a tombstone removes the key,
 * which is exactly what log compaction would leave behind. Offsets from TxnOffsetCommit
 * (transactional records) count only once their producer's COMMIT marker follows; an ABORT
 * marker discards them, and without a marker yet they stay pending (OffsetFetch with
 * requireStable answers UNSTABLE_OFFSET_COMMIT) until the marker is written, as Kafka's
 * GroupMetadataManager does with its pending transactional offsets. A group with a stored generation
 * comes back Stable with its members (who must heartbeat within their session timeout or be
 * evicted) or Empty; a group known only from its offsets (manual commits) comes back Empty,
 * as in Kafka's GroupMetadataManager.loadGroupsAndOffsets.
 */
export function replayGroupRecords(partition: number, entries: readonly CoordinatorLogEntry[], logger: Logger, now: number): LoadedPartition {
  const metadata = new Map<string, GroupMetadataValue>();
  const offsets = new OffsetStore();
  const open = new OpenTransactions();
  let skipped = 0;
  for (const record of entries) {
    if (isTxnMarker(record)) {
      open.settle(record.producerId, record.marker === 'commit', offsets);
      continue;
    }
    const key = decodeGroupRecordKey(record.key);
    switch (key.kind) {
      case 'offset':
        if (record.value === null) offsets.delete(key.groupId, key.topic, key.partition);
        else if (record.transactionalProducerId !== undefined) {
          open.add(record.transactionalProducerId, key.groupId, { topic: key.topic, partition: key.partition, committed: decodeOffsetRecordValue(record.value) });
        } else offsets.put(key.groupId, key.topic, key.partition, decodeOffsetRecordValue(record.value));
        break;
      case 'group':
        if (record.value === null) metadata.delete(key.groupId);
        else metadata.set(key.groupId, decodeGroupRecordValue(record.value));
        break;
      case 'other':
        skipped++;
        break;
      default: {
        const unknown: never = key;
        throw new Error(`unexpected record key ${JSON.stringify(unknown)}`);
      }
    }
  }
  if (skipped > 0) logger.warn(`__consumer_offsets-${partition}: skipped ${skipped} records of group types this coordinator does not serve`);

  const groups = new Map<string, ClassicGroup>();
  for (const [groupId, value] of metadata) groups.set(groupId, groupFromMetadata(groupId, partition, value, now));
  for (const groupId of offsets.groupIds()) {
    if (!groups.has(groupId)) groups.set(groupId, new ClassicGroup(groupId, partition, now));
  }
  const pendingTransactional = open.pending();
  for (const { groupId } of pendingTransactional) {
    if (!groups.has(groupId)) groups.set(groupId, new ClassicGroup(groupId, partition, now));
  }
  return { groups, offsets, pendingTransactional };
}

function groupFromMetadata(groupId: string, partition: number, value: GroupMetadataValue, now: number): ClassicGroup {
  const hasMembers = value.members.length > 0;
  const group = new ClassicGroup(groupId, partition, Number(value.currentStateTimestamp) > 0 ? Number(value.currentStateTimestamp) : now, {
    state: hasMembers ? 'Stable' : 'Empty',
    generationId: value.generation,
    protocolType: value.protocolType === '' ? null : value.protocolType,
    protocolName: hasMembers ? value.protocol : null,
  });
  for (const stored of value.members) {
    const member = new GroupMember({
      memberId: stored.memberId,
      groupInstanceId: stored.groupInstanceId,
      clientId: stored.clientId,
      clientHost: stored.clientHost,
      sessionTimeoutMs: stored.sessionTimeout,
      // Values before v1 had no rebalance timeout; Kafka then uses the session timeout.
      rebalanceTimeoutMs: stored.rebalanceTimeout >= 0 ? stored.rebalanceTimeout : stored.sessionTimeout,
      protocolType: value.protocolType,
      protocols: value.protocol === null ? [] : [{ name: value.protocol, metadata: stored.subscription }],
    });
    member.assignment = stored.assignment;
    group.add(member);
  }
  if (hasMembers) group.leaderId = value.leader ?? group.leaderId;
  return group;
}
