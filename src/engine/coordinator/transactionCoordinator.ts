import type { Logger } from '../../logging/logger';
import { ErrorCode, isKafkaError } from '../../protocol/errors';
import type { BrokerConfig } from '../broker/brokerConfig';
import { isTxnMarker, type CoordinatorLog, type CoordinatorPartitionListener, type CoordinatorRecord } from './coordinatorLog';
import { coordinatorErrorCode, coordinatorPartitionFor, type CoordinatorPartitionStatus } from './coordinatorPartition';
import { appendErrorToClientError } from './groupStore';
import type { TopicPartition } from './offsetStore';
import {
  includesAll,
  isEpochExhausted,
  listPartitions,
  NO_PRODUCER_EPOCH,
  NO_PRODUCER_ID,
  TRANSACTION_STATES,
  withPartitions,
  type TransactionMetadata,
  type TransactionState,
} from './transactionMetadata';
import type { TxnMarkerWriter } from './transactionMarkers';
import { replayTransactionRecords, transactionRecord } from './transactionRecords';

/**
 * The transaction coordinator of one broker (KIP-98, with KIP-360 producer recovery and
 * KIP-447 offsets): it serves the transactional ids whose `__transaction_state` partition
 * this broker leads, and writes every state transition to that partition before answering,
 * so a restarted or newly elected coordinator resumes from the log: transactions it finds
 * in PrepareCommit/PrepareAbort get their markers (again) and then Complete*.
 *
 * Operations on one transactional id never overlap: while a transition is being written
 * (`pending`) or markers are on their way (Prepare*), other requests for it get
 * CONCURRENT_TRANSACTIONS, which clients retry.
 */

export type TransactionCoordinatorConfig = Pick<BrokerConfig, 'transactionStateLogNumPartitions' | 'transactionMaxTimeoutMs'>;

export interface TransactionCoordinatorOptions {
  config: TransactionCoordinatorConfig;
  log: CoordinatorLog;
  /** Owned by the coordinator from here on: shutdown() closes it. */
  markers: TxnMarkerWriter;
  producerIds: { nextProducerId(): Promise<bigint> };
  /** The `__consumer_offsets` partition of a group: AddOffsetsToTxn adds it to the transaction. */
  offsetsPartitionFor(groupId: string): number;
  logger: Logger;
  /**
   * How often Ongoing transactions are checked against their timeout
   * (transaction.abort.timed.out.transaction.cleanup.interval.ms; Kafka: 10 s, here 1 s so a
   * desktop user sees an abandoned transaction end soon after its timeout).
   */
  timeoutCheckIntervalMs?: number;
  now?: () => number;
}

export const OFFSETS_TOPIC = '__consumer_offsets';
const DEFAULT_TIMEOUT_CHECK_INTERVAL_MS = 1000;
const MAX_EPOCH = 0x7fff;
const COMPLETE_RETRY_BACKOFF_MS = 100;
const COMPLETE_MAX_BACKOFF_MS = 2000;
/**
 * How long a request that finds the previous transaction still writing its markers waits for
 * them before answering CONCURRENT_TRANSACTIONS. Markers take milliseconds, and a client that
 * sends AddPartitionsToTxn right after EndTxn would otherwise always retry; librdkafka 2.0
 * even sends EndTxn(abort) after a retried AddPartitionsToTxn it stopped waiting for, which
 * then meets the previous transaction's Complete* state and fails with INVALID_TXN_STATE.
 */
const COMPLETION_WAIT_MS = 1000;

export interface InitProducerIdInput {
  transactionalId: string;
  transactionTimeoutMs: number;
  /** KIP-360 (InitProducerId v3+): the id and epoch the producer had, or -1/-1. */
  producerId: bigint;
  producerEpoch: number;
}

export interface ProducerIdAndEpoch {
  errorCode: number;
  producerId: bigint;
  producerEpoch: number;
}

export interface TxnRequestIdentity {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
}

export interface TransactionDescription {
  errorCode: number;
  transactionalId: string;
  state: TransactionState | '';
  timeoutMs: number;
  startTimestamp: number;
  producerId: bigint;
  producerEpoch: number;
  partitions: TopicPartition[];
}

export interface TransactionListing {
  transactionalId: string;
  producerId: bigint;
  state: TransactionState;
}

export interface ListTransactionsInput {
  states: readonly string[];
  producerIds: readonly bigint[];
  /** ListTransactions v1: only transactions running longer than this (ms); -1 = no filter. */
  minDurationMs: number;
}

export interface ListTransactionsResult {
  errorCode: number;
  unknownStates: string[];
  transactions: TransactionListing[];
}

export interface TransactionCoordinator extends CoordinatorPartitionListener {
  partitionFor(transactionalId: string): number;
  onBecomeLeader(partition: number, leaderEpoch: number): Promise<void>;
  onResign(partition: number): void;
  initProducerId(input: InitProducerIdInput): Promise<ProducerIdAndEpoch>;
  addPartitions(identity: TxnRequestIdentity, partitions: readonly TopicPartition[]): Promise<number>;
  addOffsets(identity: TxnRequestIdentity, groupId: string): Promise<number>;
  endTransaction(identity: TxnRequestIdentity, commit: boolean): Promise<number>;
  describe(transactionalId: string): TransactionDescription;
  list(input: ListTransactionsInput): ListTransactionsResult;
  /** Looks for Ongoing transactions past their timeout and aborts them (the timer calls it too). */
  abortTimedOutTransactions(): void;
  /** Stops serving: timers stop, marker writes are abandoned, state is dropped (the log keeps it). */
  shutdown(): Promise<void>;
}


interface TxnEntry {
  partition: number;
  /** Leader epoch of the partition when this entry was loaded or created: the coordinator epoch of its markers. */
  coordinatorEpoch: number;
  metadata: TransactionMetadata;
  /** A transition being written (or the in-memory epoch fence): other operations must wait. */
  pending: TransactionState | null;
  /** The marker phase of a prepared transaction, while it runs. */
  completion: Promise<void> | null;
}

const result = (errorCode: number): ProducerIdAndEpoch => ({ errorCode, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH });

export function createTransactionCoordinator(options: TransactionCoordinatorOptions): TransactionCoordinator {
  const { config, log, markers, producerIds, logger } = options;
  const now = options.now ?? Date.now;
  const partitions = new Map<number, CoordinatorPartitionStatus>();
  const transactions = new Map<string, TxnEntry>();
  const sleepers = new Set<() => void>();
  let active = true;
  const timer = setInterval(() => abortTimedOutTransactions(), options.timeoutCheckIntervalMs ?? DEFAULT_TIMEOUT_CHECK_INTERVAL_MS);
  timer.unref();

  const partitionFor = (transactionalId: string) => coordinatorPartitionFor(transactionalId, config.transactionStateLogNumPartitions);

  function coordinatorStatus(transactionalId: string): number {
    return coordinatorErrorCode(active, partitions.get(partitionFor(transactionalId)));
  }

  /** Whether the entry is still the one this coordinator serves (no reload or resignation since). */
  function isCurrent(entry: TxnEntry): boolean {
    const status = partitions.get(entry.partition);
    return active && transactions.get(entry.metadata.transactionalId) === entry && status?.state === 'active' && status.epoch === entry.coordinatorEpoch;
  }

  /**
   * Writes `next` and, once it is committed, makes it the entry's state. Kafka's error
   * mapping for coordinator writes applies; a coordinator that lost the partition meanwhile
   * answers NOT_COORDINATOR so the client finds the new one.
   */
  async function transition(entry: TxnEntry, next: TransactionMetadata): Promise<number> {
    entry.pending = next.state;
    let errorCode: number = ErrorCode.NONE;
    try {
      await log.append(entry.partition, [transactionRecord(next)]);
    } catch (error) {
      errorCode = appendErrorToClientError(error, 'group');
      const detail = isKafkaError(error) ? `${error.name}: ${error.message}` : String(error);
      logger.warn(`writing ${next.state} of transaction ${next.transactionalId} to __transaction_state-${entry.partition} failed: ${detail}`);
    }
    if (!isCurrent(entry)) return ErrorCode.NOT_COORDINATOR;
    entry.pending = null;
    if (errorCode === ErrorCode.NONE) entry.metadata = next;
    return errorCode;
  }

  function sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(handle);
        sleepers.delete(wake);
        resolve();
      };
      const handle = setTimeout(wake, ms);
      sleepers.add(wake);
    });
  }

  /**
   * Second phase of a transaction whose outcome is written (Prepare*): markers to every
   * partition, then Complete*. Runs after EndTxn was answered, after a fence, and after a
   * load that found the transaction prepared. The Complete* write is retried while this
   * broker still coordinates the transaction: the markers are in, only the record is missing.
   */
  async function completeTransaction(entry: TxnEntry): Promise<void> {
    const prepared = entry.metadata;
    const commit = prepared.state === 'PrepareCommit';
    const outcome = await markers.writeMarkers(
      {
        transactionalId: prepared.transactionalId,
        producerId: prepared.producerId,
        producerEpoch: prepared.producerEpoch,
        commit,
        coordinatorEpoch: entry.coordinatorEpoch,
        partitions: listPartitions(prepared.partitions),
      },
      () => isCurrent(entry) && entry.metadata === prepared,
    );
    if (outcome === 'abandoned') return;
    for (let attempt = 0; isCurrent(entry) && entry.metadata === prepared; attempt++) {
      const errorCode = await transition(entry, {
        ...prepared,
        state: commit ? 'CompleteCommit' : 'CompleteAbort',
        partitions: new Map(),
        lastUpdateTimestamp: now(),
      });
      if (errorCode === ErrorCode.NONE || errorCode === ErrorCode.NOT_COORDINATOR) return;
      await sleep(Math.min(COMPLETE_MAX_BACKOFF_MS, COMPLETE_RETRY_BACKOFF_MS * 2 ** Math.min(attempt, 10)));
    }
  }

  /** Writes Prepare* and starts the marker phase in the background. */
  async function prepare(entry: TxnEntry, next: TransactionMetadata): Promise<number> {
    const errorCode = await transition(entry, next);
    if (errorCode === ErrorCode.NONE) startCompletion(entry);
    return errorCode;
  }

  function startCompletion(entry: TxnEntry): void {
    const completion: Promise<void> = completeTransaction(entry).finally(() => {
      if (entry.completion === completion) entry.completion = null;
    });
    entry.completion = completion;
  }

  /** Gives a transaction's running marker phase up to COMPLETION_WAIT_MS to finish. */
  async function awaitCompletion(entry: TxnEntry): Promise<void> {
    const completion = entry.completion;
    if (completion === null) return;
    let wake: (() => void) | undefined;
    const timeout = new Promise<void>((resolve) => {
      const handle = setTimeout(() => done(), COMPLETION_WAIT_MS);
      const done = () => {
        clearTimeout(handle);
        sleepers.delete(done);
        resolve();
      };
      wake = done;
      sleepers.add(done);
    });
    await Promise.race([completion, timeout]);
    wake?.();
  }

  /**
   * Aborts an Ongoing transaction under a bumped epoch (Kafka's PrepareEpochFence): the ABORT
   * markers then carry the new epoch, so every partition fences the old producer's late
   * writes. Used when a new producer instance initialises the same transactional id and
   * when a transaction times out. Kafka bumps up to Short.MAX_VALUE here, one past the
   * exhaustion point, so a fence is always possible.
   */
  function fenceAndAbort(entry: TxnEntry): Promise<number> {
    const current = entry.metadata;
    entry.pending = 'PrepareEpochFence';
    return prepare(entry, {
      ...current,
      producerEpoch: current.producerEpoch >= MAX_EPOCH ? current.producerEpoch : current.producerEpoch + 1,
      lastProducerEpoch: NO_PRODUCER_EPOCH,
      state: 'PrepareAbort',
      lastUpdateTimestamp: now(),
    });
  }

  /**
   * KIP-360: which (producer id, epoch) a producer that says it had `expected` may continue
   * with. A brand-new entry (epoch -1), the current id, or the previous id at an exhausted
   * epoch (a retry of a rotation whose answer was lost) are accepted; anything else is a
   * zombie.
   */
  function isValidProducerId(metadata: TransactionMetadata, expected: { producerId: bigint; epoch: number }): boolean {
    return (
      metadata.producerEpoch === NO_PRODUCER_EPOCH ||
      expected.producerId === metadata.producerId ||
      (expected.producerId === metadata.previousProducerId && isEpochExhausted(expected.epoch))
    );
  }

  /** The epoch after an InitProducerId, as Kafka's prepareIncrementProducerEpoch decides it. */
  function nextEpoch(metadata: TransactionMetadata, expectedEpoch: number | null): { epoch: number; last: number } | null {
    const bumped = metadata.producerEpoch + 1;
    // A new producer instance: bump to fence whoever held the id before.
    if (expectedEpoch === null) return { epoch: bumped, last: NO_PRODUCER_EPOCH };
    // The same producer recovering (KIP-360) and nobody else initialised since.
    if (metadata.producerEpoch === NO_PRODUCER_EPOCH || expectedEpoch === metadata.producerEpoch) return { epoch: bumped, last: metadata.producerEpoch };
    // A retry of a bump whose answer was lost: the same answer again.
    if (expectedEpoch === metadata.lastProducerEpoch) return { epoch: metadata.producerEpoch, last: metadata.lastProducerEpoch };
    return null;
  }

  async function initTransactional(entry: TxnEntry, timeoutMs: number, expected: { producerId: bigint; epoch: number } | null): Promise<ProducerIdAndEpoch> {
    if (entry.completion !== null) {
      await awaitCompletion(entry);
      if (!isCurrent(entry)) return result(ErrorCode.NOT_COORDINATOR);
    }
    const current = entry.metadata;
    if (entry.pending !== null) return result(ErrorCode.CONCURRENT_TRANSACTIONS);
    if (expected !== null && !isValidProducerId(current, expected)) return result(ErrorCode.PRODUCER_FENCED);
    switch (current.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
        return result(ErrorCode.CONCURRENT_TRANSACTIONS);
      case 'Ongoing': {
        // Abort the open transaction first; the client retries and then gets a second bump
        // (which rotates the producer id if this fence exhausted the epochs).
        const errorCode = await fenceAndAbort(entry);
        return result(errorCode === ErrorCode.NONE ? ErrorCode.CONCURRENT_TRANSACTIONS : errorCode);
      }
      case 'Empty':
      case 'CompleteCommit':
      case 'CompleteAbort': {
        const base = { ...current, state: 'Empty' as const, partitions: new Map(), startTimestamp: -1, timeoutMs };
        let next: TransactionMetadata;
        if (isEpochExhausted(current.producerEpoch) && (expected === null || expected.epoch === current.producerEpoch)) {
          // KIP-360: no epochs left for this id, so the producer continues under a new one.
          entry.pending = 'Empty';
          let producerId: bigint;
          try {
            producerId = await producerIds.nextProducerId();
          } catch (error) {
            entry.pending = null;
            logger.warn(`no producer id for transaction ${current.transactionalId}: ${String(error)}`);
            return result(ErrorCode.COORDINATOR_NOT_AVAILABLE);
          }
          next = {
            ...base,
            producerId,
            previousProducerId: current.producerId,
            producerEpoch: 0,
            lastProducerEpoch: expected === null ? NO_PRODUCER_EPOCH : current.producerEpoch,
            lastUpdateTimestamp: now(),
          };
        } else {
          const epochs = nextEpoch(current, expected?.epoch ?? null);
          if (epochs === null) return result(ErrorCode.PRODUCER_FENCED);
          next = { ...base, producerEpoch: epochs.epoch, lastProducerEpoch: epochs.last, lastUpdateTimestamp: now() };
        }
        const errorCode = await transition(entry, next);
        return errorCode === ErrorCode.NONE ? { errorCode, producerId: next.producerId, producerEpoch: next.producerEpoch } : result(errorCode);
      }
      case 'Dead':
      case 'PrepareEpochFence':
        logger.error(`transaction ${current.transactionalId} is in state ${current.state}, which InitProducerId never meets`);
        return result(ErrorCode.UNKNOWN_SERVER_ERROR);
      default: {
        const unknown: never = current.state;
        throw new Error(`unknown transaction state ${String(unknown)}`);
      }
    }
  }

  async function initProducerId(input: InitProducerIdInput): Promise<ProducerIdAndEpoch> {
    const { transactionalId, transactionTimeoutMs } = input;
    if (transactionalId === '') return result(ErrorCode.INVALID_REQUEST);
    if (transactionTimeoutMs <= 0 || transactionTimeoutMs > config.transactionMaxTimeoutMs) return result(ErrorCode.INVALID_TRANSACTION_TIMEOUT);
    const hasId = input.producerId !== NO_PRODUCER_ID;
    const hasEpoch = input.producerEpoch !== NO_PRODUCER_EPOCH;
    if (hasId !== hasEpoch) return result(ErrorCode.INVALID_REQUEST);
    const expected = hasId ? { producerId: input.producerId, epoch: input.producerEpoch } : null;
    const status = coordinatorStatus(transactionalId);
    if (status !== ErrorCode.NONE) return result(status);
    let entry = transactions.get(transactionalId);
    if (entry === undefined) {
      let producerId: bigint;
      try {
        producerId = await producerIds.nextProducerId();
      } catch (error) {
        logger.warn(`no producer id for transaction ${transactionalId}: ${String(error)}`);
        return result(ErrorCode.COORDINATOR_NOT_AVAILABLE);
      }
      const after = coordinatorStatus(transactionalId);
      if (after !== ErrorCode.NONE) return result(after);
      entry = transactions.get(transactionalId);
      if (entry === undefined) {
        const partition = partitionFor(transactionalId);
        entry = {
          partition,
          coordinatorEpoch: partitions.get(partition)!.epoch,
          pending: null,
          completion: null,
          metadata: {
            transactionalId,
            producerId,
            previousProducerId: NO_PRODUCER_ID,
            producerEpoch: NO_PRODUCER_EPOCH,
            lastProducerEpoch: NO_PRODUCER_EPOCH,
            timeoutMs: transactionTimeoutMs,
            state: 'Empty',
            partitions: new Map(),
            startTimestamp: -1,
            lastUpdateTimestamp: now(),
          },
        };
        transactions.set(transactionalId, entry);
      }
    }
    return initTransactional(entry, transactionTimeoutMs, expected);
  }

  /**
   * producerEntry, after giving a previous transaction that is still writing its markers the
   * chance to complete (see COMPLETION_WAIT_MS).
   */
  async function settledProducerEntry(identity: TxnRequestIdentity): Promise<TxnEntry | number> {
    const running = coordinatorStatus(identity.transactionalId) === ErrorCode.NONE ? transactions.get(identity.transactionalId) : undefined;
    if (running !== undefined && running.completion !== null) await awaitCompletion(running);
    return producerEntry(identity);
  }

  /** The checks every request of a running producer passes first; returns the entry or the error. */
  function producerEntry(identity: TxnRequestIdentity): TxnEntry | number {
    const status = coordinatorStatus(identity.transactionalId);
    if (status !== ErrorCode.NONE) return status;
    const entry = transactions.get(identity.transactionalId);
    if (entry === undefined || entry.metadata.producerId !== identity.producerId) return ErrorCode.INVALID_PRODUCER_ID_MAPPING;
    if (entry.metadata.producerEpoch !== identity.producerEpoch) return ErrorCode.PRODUCER_FENCED;
    if (entry.pending !== null) return ErrorCode.CONCURRENT_TRANSACTIONS;
    return entry;
  }

  async function addPartitions(identity: TxnRequestIdentity, added: readonly TopicPartition[]): Promise<number> {
    const entry = await settledProducerEntry(identity);
    if (typeof entry === 'number') return entry;
    const current = entry.metadata;
    switch (current.state) {
      case 'PrepareCommit':
      case 'PrepareAbort':
        return ErrorCode.CONCURRENT_TRANSACTIONS;
      case 'Ongoing':
        if (includesAll(current.partitions, added)) return ErrorCode.NONE;
        break;
      case 'Empty':
      case 'CompleteCommit':
      case 'CompleteAbort':
        break;
      case 'Dead':
      case 'PrepareEpochFence':
        return ErrorCode.INVALID_TXN_STATE;
      default: {
        const unknown: never = current.state;
        throw new Error(`unknown transaction state ${String(unknown)}`);
      }
    }
    const starting = current.state !== 'Ongoing';
    const timestamp = now();
    return transition(entry, {
      ...current,
      state: 'Ongoing',
      partitions: withPartitions(starting ? new Map() : current.partitions, added),
      startTimestamp: starting ? timestamp : current.startTimestamp,
      lastUpdateTimestamp: timestamp,
    });
  }

  async function endTransaction(identity: TxnRequestIdentity, commit: boolean): Promise<number> {
    const entry = await settledProducerEntry(identity);
    if (typeof entry === 'number') return entry;
    const current = entry.metadata;
    const sameDirection = (state: TransactionState) => state === (commit ? 'CompleteCommit' : 'CompleteAbort') || state === (commit ? 'PrepareCommit' : 'PrepareAbort');
    switch (current.state) {
      case 'Ongoing':
        return prepare(entry, { ...current, state: commit ? 'PrepareCommit' : 'PrepareAbort', lastUpdateTimestamp: now() });
      // A retry of an EndTxn that already went through: done, or still writing markers.
      case 'CompleteCommit':
      case 'CompleteAbort':
        return sameDirection(current.state) ? ErrorCode.NONE : ErrorCode.INVALID_TXN_STATE;
      case 'PrepareCommit':
      case 'PrepareAbort':
        return sameDirection(current.state) ? ErrorCode.CONCURRENT_TRANSACTIONS : ErrorCode.INVALID_TXN_STATE;
      case 'Empty':
      case 'Dead':
      case 'PrepareEpochFence':
        return ErrorCode.INVALID_TXN_STATE;
      default: {
        const unknown: never = current.state;
        throw new Error(`unknown transaction state ${String(unknown)}`);
      }
    }
  }

  function abortTimedOutTransactions(): void {
    const timestamp = now();
    for (const entry of transactions.values()) {
      const { metadata } = entry;
      if (metadata.state !== 'Ongoing' || entry.pending !== null || !isCurrent(entry)) continue;
      if (metadata.startTimestamp + metadata.timeoutMs >= timestamp) continue;
      logger.info(`aborting transaction ${metadata.transactionalId} (producer ${metadata.producerId}): it exceeded its ${metadata.timeoutMs} ms timeout`);
      void fenceAndAbort(entry);
    }
  }

  function describe(transactionalId: string): TransactionDescription {
    const blank = { transactionalId, state: '' as const, timeoutMs: 0, startTimestamp: -1, producerId: NO_PRODUCER_ID, producerEpoch: NO_PRODUCER_EPOCH, partitions: [] };
    const status = coordinatorStatus(transactionalId);
    if (status !== ErrorCode.NONE) return { ...blank, errorCode: status };
    const entry = transactions.get(transactionalId);
    if (entry === undefined || entry.metadata.producerEpoch === NO_PRODUCER_EPOCH) return { ...blank, errorCode: ErrorCode.TRANSACTIONAL_ID_NOT_FOUND };
    const { metadata } = entry;
    return {
      errorCode: ErrorCode.NONE,
      transactionalId,
      state: metadata.state,
      timeoutMs: metadata.timeoutMs,
      startTimestamp: metadata.startTimestamp,
      producerId: metadata.producerId,
      producerEpoch: metadata.producerEpoch,
      partitions: listPartitions(metadata.partitions),
    };
  }

  function list(input: ListTransactionsInput): ListTransactionsResult {
    if (!active) return { errorCode: ErrorCode.COORDINATOR_NOT_AVAILABLE, unknownStates: [], transactions: [] };
    const known = new Set<string>(TRANSACTION_STATES);
    const unknownStates = input.states.filter((state) => !known.has(state));
    const wantedStates = new Set(input.states.filter((state) => known.has(state)));
    // Filtering by states that are all unknown matches nothing, as in Kafka.
    if (input.states.length > 0 && wantedStates.size === 0) return { errorCode: ErrorCode.NONE, unknownStates, transactions: [] };
    const wantedIds = new Set(input.producerIds);
    const timestamp = now();
    const listed: TransactionListing[] = [];
    for (const { metadata } of transactions.values()) {
      if (metadata.state === 'Dead' || metadata.producerEpoch === NO_PRODUCER_EPOCH) continue;
      if (wantedIds.size > 0 && !wantedIds.has(metadata.producerId)) continue;
      if (wantedStates.size > 0 && !wantedStates.has(metadata.state)) continue;
      if (input.minDurationMs >= 0 && timestamp - metadata.startTimestamp <= input.minDurationMs) continue;
      listed.push({ transactionalId: metadata.transactionalId, producerId: metadata.producerId, state: metadata.state });
    }
    listed.sort((a, b) => (a.transactionalId < b.transactionalId ? -1 : a.transactionalId > b.transactionalId ? 1 : 0));
    const loading = [...partitions.values()].some((status) => status.state === 'loading');
    return { errorCode: loading ? ErrorCode.COORDINATOR_LOAD_IN_PROGRESS : ErrorCode.NONE, unknownStates, transactions: listed };
  }

  function unloadPartition(partition: number): void {
    partitions.delete(partition);
    for (const [transactionalId, entry] of transactions) if (entry.partition === partition) transactions.delete(transactionalId);
  }

  async function onBecomeLeader(partition: number, leaderEpoch: number): Promise<void> {
    if (!active) return;
    const existing = partitions.get(partition);
    if (existing !== undefined && existing.epoch === leaderEpoch && existing.state !== 'failed') return;
    if (existing !== undefined) unloadPartition(partition);
    const status: CoordinatorPartitionStatus = { state: 'loading', epoch: leaderEpoch };
    partitions.set(partition, status);
    let loaded: Map<string, TransactionMetadata>;
    try {
      const entries = await log.readAll(partition);
      loaded = replayTransactionRecords(entries.filter((entry): entry is CoordinatorRecord => !isTxnMarker(entry)));
    } catch (error) {
      if (partitions.get(partition) === status) status.state = 'failed';
      logger.error(`could not load __transaction_state-${partition}; its transactions are unavailable until the partition moves`, error);
      return;
    }
    if (partitions.get(partition) !== status || !active) return;
    const prepared: TxnEntry[] = [];
    for (const metadata of loaded.values()) {
      const entry: TxnEntry = { partition, coordinatorEpoch: leaderEpoch, metadata, pending: null, completion: null };
      transactions.set(metadata.transactionalId, entry);
      if (metadata.state === 'PrepareCommit' || metadata.state === 'PrepareAbort') prepared.push(entry);
    }
    status.state = 'active';
    logger.info(`__transaction_state-${partition} loaded: ${loaded.size} transactional ids, ${prepared.length} to complete`);
    // The previous coordinator decided these outcomes but may not have written every marker.
    for (const entry of prepared) startCompletion(entry);
  }

  return {
    partitionFor,
    onBecomeLeader,
    onResign(partition) {
      if (!partitions.has(partition)) return;
      logger.info(`no longer coordinating the transactions of __transaction_state-${partition}`);
      unloadPartition(partition);
    },
    initProducerId,
    addPartitions,
    addOffsets(identity, groupId) {
      return addPartitions(identity, [{ topic: OFFSETS_TOPIC, partition: options.offsetsPartitionFor(groupId) }]);
    },
    endTransaction,
    describe,
    list,
    abortTimedOutTransactions,
    async shutdown() {
      if (!active) return;
      active = false;
      clearInterval(timer);
      for (const wake of [...sleepers]) wake();
      partitions.clear();
      transactions.clear();
      await markers.close();
    },
  };
}
