/**
 * The state of one transactional id, as Kafka's transaction coordinator keeps it (KIP-98):
 *
 *   Empty ──AddPartitions──▶ Ongoing ──EndTxn──▶ PrepareCommit ──markers──▶ CompleteCommit
 *     ▲                        │  └────EndTxn/timeout──▶ PrepareAbort ──markers──▶ CompleteAbort
 *     └──InitProducerId────────┘(fence: abort first)          (Complete* ──AddPartitions──▶ Ongoing)
 *
 * PrepareEpochFence is the in-memory step of InitProducerId (or a timeout) fencing an Ongoing
 * transaction: the epoch is bumped and the transaction aborted under the new epoch. It is
 * never written. Dead is an expired transactional id. The status codes are the ones Kafka
 * writes in TransactionLogValue, so logs read the same in both systems.
 */
export type TransactionState =
  | 'Empty'
  | 'Ongoing'
  | 'PrepareCommit'
  | 'PrepareAbort'
  | 'CompleteCommit'
  | 'CompleteAbort'
  | 'Dead'
  | 'PrepareEpochFence';

const STATUS_CODES: { readonly [state in TransactionState]: number } = {
  Empty: 0,
  Ongoing: 1,
  PrepareCommit: 2,
  PrepareAbort: 3,
  CompleteCommit: 4,
  CompleteAbort: 5,
  Dead: 6,
  PrepareEpochFence: 7,
};

export const TRANSACTION_STATES = Object.keys(STATUS_CODES) as TransactionState[];

export function transactionStatusCode(state: TransactionState): number {
  return STATUS_CODES[state];
}

export function transactionStateOfCode(code: number): TransactionState | undefined {
  return TRANSACTION_STATES.find((state) => STATUS_CODES[state] === code);
}

export const NO_PRODUCER_ID = -1n;
export const NO_PRODUCER_EPOCH = -1;
/** Producer epochs are int16; Kafka stops one short of the maximum so a fence can still bump once. */
const MAX_PRODUCER_EPOCH = 0x7fff;

/** KIP-360: once the epoch reaches this, the next bump rotates to a new producer id at epoch 0. */
export function isEpochExhausted(epoch: number): boolean {
  return epoch >= MAX_PRODUCER_EPOCH - 1;
}

/** topic -> partitions in the transaction. */
export type TransactionPartitions = ReadonlyMap<string, ReadonlySet<number>>;

export interface TransactionMetadata {
  readonly transactionalId: string;
  readonly producerId: bigint;
  /** The id before the last rotation (KIP-360), so a retried InitProducerId is recognised. */
  readonly previousProducerId: bigint;
  readonly producerEpoch: number;
  /** The epoch before the last bump, so a retried InitProducerId gets the same answer; never persisted (Kafka neither). */
  readonly lastProducerEpoch: number;
  readonly timeoutMs: number;
  readonly state: TransactionState;
  readonly partitions: TransactionPartitions;
  /** When the current transaction started (first AddPartitions), -1 when none did. */
  readonly startTimestamp: number;
  readonly lastUpdateTimestamp: number;
}

export function includesAll(partitions: TransactionPartitions, added: readonly { topic: string; partition: number }[]): boolean {
  return added.every(({ topic, partition }) => partitions.get(topic)?.has(partition) === true);
}

export function withPartitions(partitions: TransactionPartitions, added: readonly { topic: string; partition: number }[]): TransactionPartitions {
  const next = new Map<string, Set<number>>([...partitions].map(([topic, set]) => [topic, new Set(set)]));
  for (const { topic, partition } of added) {
    let set = next.get(topic);
    if (set === undefined) {
      set = new Set();
      next.set(topic, set);
    }
    set.add(partition);
  }
  return next;
}

export function listPartitions(partitions: TransactionPartitions): { topic: string; partition: number }[] {
  return [...partitions].flatMap(([topic, set]) => [...set].sort((a, b) => a - b).map((partition) => ({ topic, partition })));
}

