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
  /**
   * Set when the record was read back from a transactional batch (a TxnOffsetCommit): it
   * only counts once a COMMIT marker of this producer follows it in the log (KIP-98, KIP-447).
   */
  transactionalProducerId?: bigint;
}

/**
 * A transaction marker (control batch) read back from the log: it settles every earlier
 * transactional record of its producer, applying them on commit and discarding them on abort.
 */
export interface CoordinatorTxnMarker {
  marker: 'commit' | 'abort';
  producerId: bigint;
}

/** What a coordinator replays when it loads a partition, in offset order. */
export type CoordinatorLogEntry = CoordinatorRecord | CoordinatorTxnMarker;

export function isTxnMarker(entry: CoordinatorLogEntry): entry is CoordinatorTxnMarker {
  return 'marker' in entry;
}

/** The producer a transactional append writes as (TxnOffsetCommit's producer id and epoch). */
export interface TransactionalWriter {
  producerId: bigint;
  producerEpoch: number;
}

export interface CoordinatorLog {
  /**
   * Appends records to one partition of the internal topic as a single batch, as leader,
   * and resolves once they are committed (acks=all: the high watermark has passed them).
   * With `transaction` the batch is a transactional batch of that producer, so the
   * partition's producer state fences older epochs (INVALID_PRODUCER_EPOCH) and the records
   * stay undecided until the producer's transaction marker lands.
   * Rejects with a KafkaError (e.g. NOT_COORDINATOR when leadership moved) otherwise.
   */
  append(partition: number, records: readonly CoordinatorRecord[], transaction?: TransactionalWriter): Promise<void>;
  /** Every record and transaction marker of the partition from its log start, in offset order: used to load state. */
  readAll(partition: number): Promise<CoordinatorLogEntry[]>;
}

/**
 * Leadership changes of internal-topic partitions on this broker: a coordinator loads a
 * partition's state when its broker becomes leader and drops it when leadership moves.
 */
export interface CoordinatorPartitionListener {
  onBecomeLeader(partition: number, leaderEpoch: number): void;
  onResign(partition: number): void;
}
