import type { Logger } from '../../logging/logger';
import { ErrorCode, isKafkaError } from '../../protocol/errors';
import type { CoordinatorLog, CoordinatorRecord, TransactionalWriter } from './coordinatorLog';
import type { ClassicGroup } from './group';
import { groupMetadataRecord, offsetCommitRecord } from './groupRecords';
import type { PartitionOffset } from './offsetStore';

const EMPTY = Buffer.alloc(0);

/**
 * Writes group state to the group's `__consumer_offsets` partition and turns a failed write
 * into the error the client should see. Kafka's rules (GroupMetadataManager): replication
 * trouble means the coordinator is unavailable for now, lost leadership means "find the
 * coordinator again", and a write too large for the log is the commit's fault, not the
 * broker's.
 */
export class GroupStore {
  constructor(
    private readonly log: CoordinatorLog,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  /**
   * Persists the group's current generation with these assignments (member id -> bytes), as
   * Kafka does when a generation becomes Stable, when it becomes Empty, and when a static
   * member's id changes. Resolves to NONE or the error to answer with.
   */
  storeGroup(group: ClassicGroup, assignments: ReadonlyMap<string, Buffer>): Promise<number> {
    const record = groupMetadataRecord(group.groupId, {
      protocolType: group.protocolType ?? '',
      generation: group.generationId,
      protocol: group.protocolName,
      leader: group.leaderId,
      currentStateTimestamp: BigInt(this.now()),
      members: [...group.members.values()].map((member) => ({
        memberId: member.memberId,
        groupInstanceId: member.groupInstanceId,
        clientId: member.clientId,
        clientHost: member.clientHost,
        rebalanceTimeout: member.rebalanceTimeoutMs,
        sessionTimeout: member.sessionTimeoutMs,
        subscription: member.metadataFor(group.protocolName),
        assignment: assignments.get(member.memberId) ?? EMPTY,
      })),
    });
    return this.append(group.partition, [record], 'group', `group ${group.groupId}`);
  }

  /** With `transaction`, a TxnOffsetCommit: the records belong to that producer's open transaction. */
  storeOffsets(partition: number, groupId: string, offsets: readonly PartitionOffset[], transaction?: TransactionalWriter): Promise<number> {
    const records = offsets.map(({ topic, partition: p, committed }) => offsetCommitRecord(groupId, topic, p, committed));
    return this.append(partition, records, 'offsets', `offsets of group ${groupId}`, transaction);
  }

  /** Tombstones (or any records) for deletions; errors follow the group-metadata rules. */
  storeRecords(partition: number, records: readonly CoordinatorRecord[], what: string): Promise<number> {
    return this.append(partition, records, 'group', what);
  }

  private async append(partition: number, records: readonly CoordinatorRecord[], kind: 'group' | 'offsets', what: string, transaction?: TransactionalWriter): Promise<number> {
    if (records.length === 0) return ErrorCode.NONE;
    try {
      await (transaction === undefined ? this.log.append(partition, records) : this.log.append(partition, records, transaction));
      return ErrorCode.NONE;
    } catch (error) {
      const code = appendErrorToClientError(error, kind);
      if (isKafkaError(error)) this.logger.warn(`writing ${what} to __consumer_offsets-${partition} failed: ${error.name}: ${error.message}`);
      else this.logger.error(`writing ${what} to __consumer_offsets-${partition} failed`, error);
      return code;
    }
  }
}

export function appendErrorToClientError(error: unknown, kind: 'group' | 'offsets'): number {
  const code = isKafkaError(error) ? error.code : ErrorCode.UNKNOWN_SERVER_ERROR;
  switch (code) {
    case ErrorCode.UNKNOWN_TOPIC_OR_PARTITION:
    case ErrorCode.NOT_ENOUGH_REPLICAS:
    case ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND:
    case ErrorCode.REQUEST_TIMED_OUT:
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case ErrorCode.NOT_LEADER_OR_FOLLOWER:
    case ErrorCode.KAFKA_STORAGE_ERROR:
      return ErrorCode.NOT_COORDINATOR;
    case ErrorCode.MESSAGE_TOO_LARGE:
    case ErrorCode.RECORD_LIST_TOO_LARGE:
    case ErrorCode.INVALID_FETCH_SIZE:
      return kind === 'offsets' ? ErrorCode.INVALID_COMMIT_OFFSET_SIZE : ErrorCode.UNKNOWN_SERVER_ERROR;
    default:
      return code;
  }
}
