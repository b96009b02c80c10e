import kafkajs, { type ISocketFactory, type Producer } from 'kafkajs';
import { encodeLabValue, WORKLOAD_PRODUCER } from './labRecord';
import type { ProducerSettings, Workload } from './scenario';

const { Kafka, logLevel, Partitioners } = kafkajs;

/**
 * Writes the workload: ids 0..N-1 in order, record i to partition i mod P, in sends (or
 * transactions) of `batchSize` records, each awaited before the next so "acknowledged"
 * means exactly the sends the cluster confirmed. Before each send it waits on the fault
 * injector's gate, which is how a fault lands between two precise sends.
 */
export interface ProducerDriverOptions {
  bootstrap: string[];
  topic: string;
  workload: Workload;
  settings: ProducerSettings;
  transactionalId: string;
  beforeSend: (acknowledged: number) => Promise<void>;
  onProgress: (acknowledged: number, failed: number) => void;
  /**
   * Whether the topic holds transaction attempt `txn`'s records as committed. Asked only
   * after a commit failed and the producer was replaced, when the commit's outcome is unknown.
   */
  committedInLog: (txn: number) => Promise<boolean>;
  signal: AbortSignal;
  /** How the producer opens its connections: a network fault between it and the brokers. Plain TCP by default. */
  socketFactory?: ISocketFactory;
}

export interface TransactionCounts {
  committed: number;
  /** Aborted on purpose (abortEvery), their records written again in the next transaction. */
  abortedOnPurpose: number;
  /** Sends or commits that failed; the transaction was aborted and its records written again. */
  failed: number;
  /**
   * Commits that failed at the client but had reached the coordinator, so the transaction
   * committed anyway: found by reading the log back, and not written again. Included in `committed`.
   */
  committedDespiteError: number;
}

export interface ProduceOutcome {
  acknowledged: number[];
  /** Sends that failed for good: the producer was told these records were not written. */
  failed: number[];
  transactions: TransactionCounts | null;
  elapsedMs: number;
}

/** How long acks=all may wait for the ISR (the produce request's timeout field). */
const PRODUCE_TIMEOUT_MS = 30_000;
/** Attempts at one transaction's records before giving them up as failed. */
const TRANSACTION_ATTEMPTS = 5;

export async function produceWorkload(options: ProducerDriverOptions): Promise<ProduceOutcome> {
  const { settings, workload } = options;
  const started = Date.now();
  const kafka = new Kafka({
    clientId: 'samsa-lab-producer',
    brokers: options.bootstrap,
    logLevel: logLevel.NOTHING,
    requestTimeout: PRODUCE_TIMEOUT_MS + 10_000,
    retry: { retries: settings.retries, initialRetryTime: 100, maxRetryTime: 1000 },
    ...(options.socketFactory === undefined ? {} : { socketFactory: options.socketFactory }),
  });
  const newProducer = () =>
    kafka.producer({
      allowAutoTopicCreation: false,
      idempotent: settings.idempotent || settings.transactional,
      // KIP-98 allows 5 in flight with idempotence; kafkajs keeps ordering guarantees only with 1.
      ...(settings.idempotent || settings.transactional ? { maxInFlightRequests: 1 } : {}),
      ...(settings.transactional ? { transactionalId: options.transactionalId, transactionTimeout: 30_000 } : {}),
      retry: { retries: settings.retries, initialRetryTime: 100, maxRetryTime: 1000 },
      createPartitioner: Partitioners.DefaultPartitioner,
    });
  const acknowledged: number[] = [];
  const failed: number[] = [];
  const report = () => options.onProgress(acknowledged.length, failed.length);
  const message = (id: number, txn: number | null) => ({
    key: String(id),
    value: encodeLabValue({ id, producer: WORKLOAD_PRODUCER, seq: id, txn }),
    partition: id % workload.partitions,
  });

  // kafkajs 2.2.4 keeps a send's progress per broker, not per partition: when a leader dies
  // and its partition moves to a broker that already answered for another partition of the
  // same send, the retry skips that broker and the send resolves "successfully" without the
  // moved partition's records (kafkajs src/producer/sendMessages.js, responsePerBroker).
  // One partition per send keeps every request on a single broker, so a retry always
  // re-sends what failed; without it the lab reports records lost that no broker ever
  // acknowledged.
  const byPartition = (ids: number[]): number[][] => {
    const groups = new Map<number, number[]>();
    for (const id of ids) groups.set(id % workload.partitions, [...(groups.get(id % workload.partitions) ?? []), id]);
    return [...groups.values()];
  };

  let producer: Producer = newProducer();
  await producer.connect();
  const transactions: TransactionCounts | null = settings.transactional ? { committed: 0, abortedOnPurpose: 0, failed: 0, committedDespiteError: 0 } : null;
  let txnNumber = 0;
  try {
    for (let first = 0; first < workload.records; first += settings.batchSize) {
      options.signal.throwIfAborted();
      await options.beforeSend(acknowledged.length);
      const ids = Array.from({ length: Math.min(settings.batchSize, workload.records - first) }, (_, i) => first + i);
      if (transactions === null) {
        for (const group of byPartition(ids)) {
          try {
            await producer.send({ topic: options.topic, acks: settings.acks, timeout: PRODUCE_TIMEOUT_MS, messages: group.map((id) => message(id, null)) });
            acknowledged.push(...group);
          } catch {
            failed.push(...group);
          }
        }
        report();
        continue;
      }
      let written = false;
      for (let attempt = 0; attempt < TRANSACTION_ATTEMPTS && !written; ) {
        options.signal.throwIfAborted();
        txnNumber += 1;
        const abortOnPurpose = settings.abortEvery > 0 && txnNumber % settings.abortEvery === 0;
        const transaction = await producer.transaction();
        let commitSent = false;
        try {
          for (const group of byPartition(ids)) await transaction.send({ topic: options.topic, messages: group.map((id) => message(id, txnNumber)) });
          if (abortOnPurpose) {
            await transaction.abort();
            transactions.abortedOnPurpose += 1;
            continue;
          }
          commitSent = true;
          await transaction.commit();
          transactions.committed += 1;
          written = true;
        } catch {
          attempt += 1;
          // An abort that fails too leaves the producer unusable: a new one with the same
          // transactional id fences the old epoch and aborts whatever it left open (KIP-98).
          const aborted = await transaction.abort().then(() => true, () => false);
          if (!aborted) {
            await producer.disconnect().catch(() => undefined);
            producer = newProducer();
            await producer.connect();
            // kafkajs neither retries EndTxn nor lets a failed commit be retried, so a commit
            // whose answer was lost (its coordinator died after logging PrepareCommit) throws
            // although the transaction commits. The new producer's InitProducerId is answered
            // only once that transaction is complete, so the log now tells which way it went;
            // writing the records again would commit them twice.
            if (commitSent && (await options.committedInLog(txnNumber))) {
              transactions.committed += 1;
              transactions.committedDespiteError += 1;
              written = true;
              continue;
            }
          }
          transactions.failed += 1;
        }
      }
      (written ? acknowledged : failed).push(...ids);
      report();
    }
  } finally {
    await producer.disconnect().catch(() => undefined);
  }
  return { acknowledged, failed, transactions, elapsedMs: Date.now() - started };
}
