import kafkajs, { type Consumer, type EachBatchPayload, type Producer } from 'kafkajs';
import { decodeLabValue, encodeLabValue, TRANSFORM_PRODUCER } from './labRecord';
import { JournalWriter } from './journal';
import type { CommitMode, Isolation } from './scenario';

const { Kafka, logLevel, Partitioners } = kafkajs;

/**
 * The lab's consumer, run as its own OS process (`samsa internal-lab-consumer`) so that
 * killing it is a real crash: whatever it had not committed is gone, whatever it had
 * processed stays in its journal. It processes with the chosen commit strategy and, for
 * the kill-consumer fault, can stop dead in the middle of a batch and wait to be killed.
 */
export const LAB_CONSUMER_CONFIG_ENV = 'SAMSA_LAB_CONSUMER';

export interface ConsumerWorkerConfig {
  bootstrap: string[];
  groupId: string;
  inputTopic: string;
  /** Consume-transform-produce writes here, in the same transaction as the offsets. */
  outputTopic: string | null;
  transactionalId: string | null;
  commit: CommitMode;
  isolation: Isolation;
  sessionTimeoutMs: number;
  journalPath: string;
  instance: number;
  /** Stop mid-batch once this many records were processed (the kill-consumer fault's moment). */
  holdAfter: number | null;
}

export type WorkerToParent = { kind: 'ready' } | { kind: 'holding'; processed: number };
export type ParentToWorker = { kind: 'stop' };

/** kafkajs retries with short waits: faults last seconds, and every wait of the run is bounded. */
const RETRY = { retries: 30, initialRetryTime: 100, maxRetryTime: 1000 };
/**
 * The consumer's own retries stay few and short: kafkajs looks the group coordinator up
 * again only when it rejoins, which it does once its retries against the dead coordinator
 * run out; long retries let the member's session expire first and stall the consumer.
 */
const CONSUMER_RETRY = { retries: 4, initialRetryTime: 100, maxRetryTime: 300 };
/** Transaction ids number per instance, so attempts of different instances never collide. */
const TXN_IDS_PER_INSTANCE = 1_000_000;

export async function runConsumerWorker(): Promise<void> {
  const raw = process.env[LAB_CONSUMER_CONFIG_ENV];
  if (raw === undefined) throw new Error(`${LAB_CONSUMER_CONFIG_ENV} is not set: this command is started by \`samsa lab run\``);
  const config = JSON.parse(raw) as ConsumerWorkerConfig;
  const send = (message: WorkerToParent) => process.send?.(message);
  const journal = new JournalWriter(config.journalPath);
  const kafka = new Kafka({ clientId: `samsa-lab-consumer-${config.instance}`, brokers: config.bootstrap, logLevel: logLevel.NOTHING, retry: RETRY });
  const consumer = kafka.consumer({
    groupId: config.groupId,
    readUncommitted: config.isolation === 'read_uncommitted',
    sessionTimeout: config.sessionTimeoutMs,
    rebalanceTimeout: config.sessionTimeoutMs,
    heartbeatInterval: Math.max(100, Math.floor(config.sessionTimeoutMs / 5)),
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
    retry: CONSUMER_RETRY,
  });
  let producer: Producer | null = null;
  if (config.commit === 'transactional') {
    producer = kafka.producer({ transactionalId: config.transactionalId!, idempotent: true, maxInFlightRequests: 1, allowAutoTopicCreation: false, retry: RETRY, createPartitioner: Partitioners.DefaultPartitioner });
    await producer.connect();
  }

  // The parent going away (its IPC channel closes) ends the worker too: no orphan consumers.
  process.on('disconnect', () => process.exit(0));
  process.on('message', (message: ParentToWorker) => {
    if (message.kind !== 'stop') return;
    void Promise.allSettled([consumer.disconnect(), producer?.disconnect()]).then(() => {
      journal.close();
      process.exit(0);
    });
  });

  consumer.on(consumer.events.GROUP_JOIN, () => send({ kind: 'ready' }));
  // kafkajs gives up on errors it deems fatal; exiting lets the parent start a replacement.
  consumer.on(consumer.events.CRASH, (event) => {
    if (!event.payload.restart) process.exit(1);
  });
  await consumer.connect();
  await consumer.subscribe({ topic: config.inputTopic, fromBeginning: true });
  const processor = new BatchProcessor(config, consumer, producer, journal, send);
  await consumer.run({
    autoCommit: config.commit === 'auto',
    autoCommitInterval: 200,
    eachBatchAutoResolve: false,
    eachBatch: (payload) => processor.process(payload),
  });
}

class BatchProcessor {
  private processed = 0;
  private transactions = 0;

  constructor(
    private readonly config: ConsumerWorkerConfig,
    private readonly consumer: Consumer,
    private readonly producer: Producer | null,
    private readonly journal: JournalWriter,
    private readonly send: (message: WorkerToParent) => void,
  ) {}

  /** The moment the kill-consumer fault waits for: past the threshold, with records of this batch still unprocessed. */
  private holdDue(remainingInBatch: number): boolean {
    return this.config.holdAfter !== null && this.processed >= this.config.holdAfter && remainingInBatch > 0;
  }

  private async holdIfDue(remainingInBatch: number): Promise<void> {
    if (!this.holdDue(remainingInBatch)) return;
    this.send({ kind: 'holding', processed: this.processed });
    await new Promise(() => undefined);
  }

  async process({ batch, resolveOffset, heartbeat, commitOffsetsIfNecessary, isRunning, isStale }: EachBatchPayload): Promise<void> {
    const messages = batch.messages;
    const last = messages.at(-1);
    if (last === undefined) return;
    const next = (BigInt(last.offset) + 1n).toString();
    const commitBatch = () => this.consumer.commitOffsets([{ topic: batch.topic, partition: batch.partition, offset: next }]);
    // kafkajs hands over one batch at a time (partitionsConsumedConcurrently defaults to 1), so one transaction at a time.
    if (this.config.commit === 'transactional') return this.transform(batch.topic, batch.partition, messages, next, resolveOffset);

    if (this.config.commit === 'before-processing') await commitBatch();
    for (const [index, message] of messages.entries()) {
      if (!isRunning() || isStale()) return;
      const value = decodeLabValue(message.value);
      if (value !== null) {
        this.journal.write({ kind: 'processed', instance: this.config.instance, id: value.id, txn: value.txn, partition: batch.partition, offset: Number(message.offset) });
      }
      this.processed += 1;
      resolveOffset(message.offset);
      await this.holdIfDue(messages.length - index - 1);
      if (this.config.commit === 'auto') await commitOffsetsIfNecessary();
      if (index % 50 === 49) await heartbeat();
    }
    if (this.config.commit === 'after-processing') await commitBatch();
  }

  /**
   * Consume-transform-produce: the output records and the input offsets commit in one
   * transaction (sendOffsets = AddOffsetsToTxn + TxnOffsetCommit), so a crash either keeps
   * both or neither. Offsets are resolved only after the commit: a failed transaction is
   * redone from its first record.
   */
  private async transform(topic: string, partition: number, messages: EachBatchPayload['batch']['messages'], next: string, resolveOffset: (offset: string) => void): Promise<void> {
    const producer = this.producer!;
    const txnNumber = this.config.instance * TXN_IDS_PER_INSTANCE + ++this.transactions;
    const transaction = await producer.transaction();
    const pending: { key: string; value: string; partition: number }[] = [];
    const flush = async () => {
      if (pending.length > 0) await transaction.send({ topic: this.config.outputTopic!, messages: pending.splice(0) });
    };
    try {
      const ids: number[] = [];
      for (const [index, message] of messages.entries()) {
        const value = decodeLabValue(message.value);
        if (value !== null) {
          this.journal.write({ kind: 'processed', instance: this.config.instance, id: value.id, txn: value.txn, partition, offset: Number(message.offset) });
          ids.push(value.id);
          pending.push({ key: String(value.id), value: encodeLabValue({ id: value.id, producer: TRANSFORM_PRODUCER, seq: value.seq, txn: txnNumber, sourceTxn: value.txn }), partition });
        }
        this.processed += 1;
        // Before stopping mid-batch, write what was transformed so far: a kill then leaves an open
        // transaction with data in the output topic, which read_committed readers must never see.
        if (this.holdDue(messages.length - index - 1)) await flush();
        await this.holdIfDue(messages.length - index - 1);
      }
      await flush();
      await transaction.sendOffsets({ consumerGroupId: this.config.groupId, topics: [{ topic, partitions: [{ partition, offset: next }] }] });
      await transaction.commit();
      this.journal.write({ kind: 'committed', instance: this.config.instance, ids });
      resolveOffset(messages.at(-1)!.offset);
    } catch (error) {
      await transaction.abort().catch(() => undefined);
      throw error;
    }
  }
}
