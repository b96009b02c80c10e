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
