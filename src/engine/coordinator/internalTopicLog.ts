import { ErrorCode, KafkaError } from '../../protocol/errors';
import { isControl, isTransactional } from '../../protocol/records/batchHeader';
import { parseControlRecord } from '../../protocol/records/controlRecord';
import { decodeRecordBatch, encodeRecordBatch, type RecordBatchOptions } from '../../protocol/records/recordBatch';
import type { PartitionLog } from '../log/partitionLog';
import type { MetadataImage } from '../metadata/metadataImage';
import type { Partition } from '../partition/partition';
import type { ReplicaManager } from '../partition/replicaManager';
import type { CoordinatorLog, CoordinatorLogEntry, CoordinatorRecord, TransactionalWriter } from './coordinatorLog';

/** How long a coordinator write may wait for the ISR before failing (offsets.commit.timeout.ms). */
const COMMIT_TIMEOUT_MS = 5000;
const READ_CHUNK_BYTES = 1 << 20;
const MAX_SEQUENCE = 0x7fffffff;

/**
 * A coordinator's internal topic (`__consumer_offsets`, `__transaction_state`) on this
 * broker's real replicas: records are appended by the local leader like any produce with
 * acks=all, so they are replicated, survive restarts, and follow leadership on failover.
 */
export class InternalTopicLog implements CoordinatorLog {
  private readonly tails = new Map<number, Promise<void>>();

  constructor(
    private readonly topic: string,
    private readonly replicas: ReplicaManager,
    private readonly metadata: MetadataImage,
  ) {}

  private leader(partition: number) {
    try {
      return this.replicas.leader(this.topic, partition);
    } catch (error) {
      if (error instanceof KafkaError) {
        throw new KafkaError(ErrorCode.NOT_COORDINATOR, `This broker no longer leads ${this.topic}-${partition}`);
      }
      throw error;
    }
  }

  async append(partition: number, records: readonly CoordinatorRecord[], transaction?: TransactionalWriter): Promise<void> {
    if (records.length === 0) return;
    const { leader, lastOffset } = await this.serialised(partition, () => this.appendBatch(partition, records, transaction));
    const outcome = await leader.waitForHighWatermark(lastOffset + 1, COMMIT_TIMEOUT_MS);
    if (outcome === 'timeout') throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `Writing to ${this.topic}-${partition} did not reach the ISR in time`);
    if (outcome === 'not-leader') throw new KafkaError(ErrorCode.NOT_COORDINATOR, `Leadership of ${this.topic}-${partition} moved during the write`);
  }

  /**
   * Encoding is asynchronous, and a transactional batch's sequence number is chosen from the
   * producer state before it: appends to one partition are therefore encoded and appended one
   * at a time, so two TxnOffsetCommits of one producer cannot pick the same sequence.
   */
  private serialised<T>(partition: number, step: () => Promise<T>): Promise<T> {
    const previous = this.tails.get(partition) ?? Promise.resolve();
    const next = previous.then(step);
    const tail = next.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(partition, tail);
    void tail.then(() => {
      if (this.tails.get(partition) === tail) this.tails.delete(partition);
    });
    return next;
  }

  private async appendBatch(partition: number, records: readonly CoordinatorRecord[], transaction: TransactionalWriter | undefined) {
    const now = Date.now();
    const batch = await encodeRecordBatch({
      records: records.map((record) => ({ key: record.key, value: record.value, timestamp: BigInt(now) })),
      ...(transaction === undefined ? {} : transactionalBatchFields(this.leader(partition), transaction)),
    });
    const leader = this.leader(partition);
    const topicInfo = this.metadata.topicsByName.get(this.topic);
    if (topicInfo === undefined) throw new KafkaError(ErrorCode.NOT_COORDINATOR, `${this.topic} does not exist`);
    const appended = leader.appendAsLeader(batch, this.replicas.topicConfig(topicInfo), now);
    return { leader, lastOffset: appended.lastOffset };
  }

  async readAll(partition: number): Promise<CoordinatorLogEntry[]> {
    const replica = this.replicas.replica(this.topic, partition);
    if (replica === undefined) return [];
    return readCoordinatorEntries(replica.log);
  }
}

/**
 * The producer fields of a transactional batch written on a producer's behalf
 * (TxnOffsetCommit). Kafka's coordinator appends without a sequence and skips sequence
 * checks for its own writes; our leader validates every batch alike, so the batch continues
 * the producer's sequence on this partition as the producer itself would (appends to a
 * partition are serialised, see `serialised`, so the sequence read here is still the last).
 */
function transactionalBatchFields(leader: Partition, writer: TransactionalWriter): Pick<RecordBatchOptions, 'transactional' | 'producerId' | 'producerEpoch' | 'baseSequence'> {
  const current = leader.producers.producersView().find((p) => BigInt(p.producerId) === writer.producerId);
  const continues = current !== undefined && current.producerEpoch === writer.producerEpoch && current.lastSequence >= 0;
  const baseSequence = continues ? (current.lastSequence === MAX_SEQUENCE ? 0 : current.lastSequence + 1) : 0;
  return { transactional: true, producerId: writer.producerId, producerEpoch: writer.producerEpoch, baseSequence };
}

/**
 * Every keyed record and transaction marker of an internal-topic log, in offset order. Records
 * of transactional batches carry their producer id, so a loader can hold them until the
 * producer's marker says whether they count (an aborted or still-open TxnOffsetCommit must not
 * look committed after a reload).
 */
export async function readCoordinatorEntries(log: PartitionLog): Promise<CoordinatorLogEntry[]> {
  const entries: CoordinatorLogEntry[] = [];
  let offset = log.logStartOffset;
  const end = log.logEndOffset;
  while (offset < end) {
    const read = log.read(offset, READ_CHUNK_BYTES, {});
    if (!read.ok || read.batches.length === 0) break;
    for (const bytes of read.batches) {
      const batch = await decodeRecordBatch(bytes, { verifyCrc: false });
      const { attributes, producerId } = batch.header;
      if (isControl(attributes)) {
        for (const record of batch.records) {
          const control = parseControlRecord(record);
          if (control.kind === 'end-txn') entries.push({ marker: control.type, producerId });
        }
        continue;
      }
      const transactional = isTransactional(attributes);
      for (const record of batch.records) {
        if (record.key === null) continue;
        const entry: CoordinatorRecord = { key: Buffer.from(record.key), value: record.value === null ? null : Buffer.from(record.value) };
        if (transactional) entry.transactionalProducerId = producerId;
        entries.push(entry);
      }
    }
    offset = read.nextOffset;
  }
  return entries;
}
