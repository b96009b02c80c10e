import { ErrorCode } from '../../protocol/errors';

/**
 * Which partition of an internal topic owns a key: the leader of that partition is the key's
 * coordinator. Kafka computes `Utils.abs(key.hashCode()) % partitionCount` with Java's
 * String.hashCode, so every broker (and every tool that reproduces the rule) lands on the same
 * partition for the same group or transactional id.
 */

/** Java's String.hashCode: s[0]*31^(n-1) + ... + s[n-1] over UTF-16 code units, in int32 arithmetic. */
export function javaStringHashCode(value: string): number {
  let hash = 0;
  for (let i = 0; i < value.length; i++) {
    hash = (Math.imul(hash, 31) + value.charCodeAt(i)) | 0;
  }
  return hash;
}

/**
 * Kafka's `Utils.abs`: Math.abs, except that Integer.MIN_VALUE (whose absolute value does not
 * fit an int) maps to 0 rather than staying negative. Note that this is not `x & 0x7fffffff`
 * (Kafka's `Utils.toPositive`, used by the producer's partitioner): the two differ for every
 * negative hash, and coordinators use `abs`.
 */
export function kafkaAbs(value: number): number {
  return value === -0x80000000 ? 0 : Math.abs(value);
}

/** The internal-topic partition that coordinates `key` (a group id or a transactional id). */
export function coordinatorPartitionFor(key: string, numPartitions: number): number {
  if (!Number.isInteger(numPartitions) || numPartitions < 1) {
    throw new RangeError(`an internal topic needs at least one partition, got ${numPartitions}`);
  }
  return kafkaAbs(javaStringHashCode(key)) % numPartitions;
}

/** The `__consumer_offsets` partition whose leader coordinates `groupId`. */
export function groupCoordinatorPartition(groupId: string, numPartitions: number): number {
  return coordinatorPartitionFor(groupId, numPartitions);
}

/** How far a coordinator has got with one of its internal-topic partitions (per leader epoch). */
export type CoordinatorPartitionStatus = { state: 'loading' | 'active' | 'failed'; epoch: number };

/**
 * The error a coordinator answers with for a key whose partition is in `status` (undefined:
 * this broker does not lead it): the retriable codes clients use to find the coordinator
 * again or wait for it to finish loading.
 */
export function coordinatorErrorCode(active: boolean, status: CoordinatorPartitionStatus | undefined): number {
  if (!active) return ErrorCode.COORDINATOR_NOT_AVAILABLE;
  if (status === undefined) return ErrorCode.NOT_COORDINATOR;
  switch (status.state) {
    case 'loading':
      return ErrorCode.COORDINATOR_LOAD_IN_PROGRESS;
    case 'failed':
      return ErrorCode.COORDINATOR_NOT_AVAILABLE;
    case 'active':
      return ErrorCode.NONE;
    default: {
      const unknown: never = status.state;
      throw new Error(`unknown coordinator partition state ${String(unknown)}`);
    }
  }
}
