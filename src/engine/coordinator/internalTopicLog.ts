import { ErrorCode, KafkaError } from '../../protocol/errors';
import { isControl } from '../../protocol/records/batchHeader';
import { decodeRecordBatch, encodeRecordBatch } from '../../protocol/records/recordBatch';
import type { MetadataImage } from '../metadata/metadataImage';
import type { ReplicaManager } from '../partition/replicaManager';
import type { CoordinatorLog, CoordinatorRecord } from './coordinatorLog';

/** How long a coordinator write may wait for the ISR before failing (offsets.commit.timeout.ms). */
const COMMIT_TIMEOUT_MS = 5000;
const READ_CHUNK_BYTES = 1 << 20;

/**
 * A coordinator's internal topic (`__consumer_offsets`, `__transaction_state`) on this
 * broker's real replicas: records are appended by the local leader like any produce with
 * acks=all, so they are replicated, survive restarts, and follow leadership on failover.
 */
export class InternalTopicLog implements CoordinatorLog {
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

  async append(partition: number, records: readonly CoordinatorRecord[]): Promise<void> {
    if (records.length === 0) return;
    const now = Date.now();
    const batch = await encodeRecordBatch({
      records: records.map((record) => ({ key: record.key, value: record.value, timestamp: BigInt(now) })),
    });
    const leader = this.leader(partition);
    const topicInfo = this.metadata.topicsByName.get(this.topic);
    if (topicInfo === undefined) throw new KafkaError(ErrorCode.NOT_COORDINATOR, `${this.topic} does not exist`);
    const config = this.replicas.topicConfig(topicInfo);
    const appended = leader.appendAsLeader(batch, config, now);
    let timer: NodeJS.Timeout | undefined;
    const outcome = await Promise.race([
      leader.waitForHighWatermark(appended.lastOffset + 1),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), COMMIT_TIMEOUT_MS);
      }),
    ]);
    clearTimeout(timer);
    if (outcome === 'timeout') throw new KafkaError(ErrorCode.REQUEST_TIMED_OUT, `Writing to ${this.topic}-${partition} did not reach the ISR in time`);
    if (outcome === 'not-leader') throw new KafkaError(ErrorCode.NOT_COORDINATOR, `Leadership of ${this.topic}-${partition} moved during the write`);
  }

  async readAll(partition: number): Promise<CoordinatorRecord[]> {
    const replica = this.replicas.replica(this.topic, partition);
    if (replica === undefined) return [];
    const records: CoordinatorRecord[] = [];
    let offset = replica.log.logStartOffset;
    const end = replica.log.logEndOffset;
    while (offset < end) {
      const read = replica.log.read(offset, READ_CHUNK_BYTES, {});
      if (!read.ok || read.batches.length === 0) break;
      for (const bytes of read.batches) {
        const batch = await decodeRecordBatch(bytes, { verifyCrc: false });
        // Transaction markers in __consumer_offsets carry no group records.
        if (isControl(batch.header.attributes)) continue;
        for (const record of batch.records) {
          if (record.key !== null) records.push({ key: Buffer.from(record.key), value: record.value === null ? null : Buffer.from(record.value) });
        }
      }
      offset = read.nextOffset;
    }
    return records;
  }
}
