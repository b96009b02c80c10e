/**
 * How a coordinator (groups, transactions) reads and writes its internal topic
 * (`__consumer_offsets`, `__transaction_state`). The broker's replica manager implements it
 * on the real partitions, so coordinator state is replicated and survives restarts exactly
 * like user data; coordinators never touch logs directly.
 */
export interface CoordinatorRecord {
  key: Buffer;
  /** null = tombstone (deletes the key when the topic is compacted). */
  value: Buffer | null;
}

export interface CoordinatorLog {
  /**
   * Appends records to one partition of the internal topic as a single batch, as leader,
   * and resolves once they are committed (acks=all: the high watermark has passed them).
   * Rejects with a KafkaError (e.g. NOT_COORDINATOR when leadership moved) otherwise.
   */
  append(partition: number, records: readonly CoordinatorRecord[]): Promise<void>;
  /** Every record of the partition from its log start, in offset order: used to load state. */
  readAll(partition: number): Promise<CoordinatorRecord[]>;
}

/**
 * Leadership changes of internal-topic partitions on this broker: a coordinator loads a
 * partition's state when its broker becomes leader and drops it when leadership moves.
 */
export interface CoordinatorPartitionListener {
  onBecomeLeader(partition: number, leaderEpoch: number): void;
  onResign(partition: number): void;
}
