import type { Logger } from '../../logging/logger';
import { ErrorCode, errorInfo } from '../../protocol/errors';
import { ApiKey } from '../../protocol/generated/apis';
import type { KafkaConnection } from '../../protocol/client';
import type { InterBrokerConnect } from '../broker/interBrokerConnection';
import type { MetadataImage } from '../metadata/metadataImage';
import { NO_LEADER } from '../metadata/records';
import type { TopicPartition } from './offsetStore';
import { WakeableSleeps } from '../../runtime/wakeableSleeps';

/**
 * How the transaction coordinator gets COMMIT/ABORT markers into the partitions of a
 * transaction (KIP-98): WriteTxnMarkers to each partition's leader, retried until every
 * partition has its marker. Only then may the coordinator write Complete*, because the
 * markers are what unblocks read_committed consumers (the LSO) and settles transactional
 * offset commits.
 */
export interface TxnMarkerRequest {
  transactionalId: string;
  producerId: bigint;
  producerEpoch: number;
  commit: boolean;
  /** Leader epoch of the coordinator's `__transaction_state` partition. */
  coordinatorEpoch: number;
  partitions: readonly TopicPartition[];
}

/**
 * 'written': every partition has the marker (or no longer exists). 'abandoned': a partition
 * reported a newer producer or coordinator epoch, or the coordinator stopped caring
 * (`stillWanted` false): someone else now owns the transaction's outcome.
 */
export type TxnMarkerOutcome = 'written' | 'abandoned';

export interface TxnMarkerWriter {
  writeMarkers(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<TxnMarkerOutcome>;
  /** Stops retrying and closes connections; pending writes resolve 'abandoned'. */
  close(): Promise<void>;
}

export interface WireMarkerWriterOptions {
  metadata: MetadataImage;
  logger: Logger;
  /** Connections to partition leaders (authenticated when the cluster uses SASL). */
  connect: InterBrokerConnect;
  /** First retry delay; doubles up to `maxBackoffMs` (Kafka retries markers until they land). */
  retryBackoffMs?: number;
  maxBackoffMs?: number;
  requestTimeoutMs?: number;
}

/** Per-partition answers after which the marker will never be needed (Kafka's TransactionMarkerRequestCompletionHandler). */
const PARTITION_GONE: ReadonlySet<number> = new Set([ErrorCode.UNSUPPORTED_FOR_MESSAGE_FORMAT, ErrorCode.UNSUPPORTED_VERSION]);
const EPOCH_MOVED_ON: ReadonlySet<number> = new Set([ErrorCode.INVALID_PRODUCER_EPOCH, ErrorCode.TRANSACTION_COORDINATOR_FENCED]);

const key = (tp: TopicPartition) => `${tp.partition}:${tp.topic}`;

/**
 * Markers over the wire: the broker finds each partition's leader in its metadata image and
 * sends it WriteTxnMarkers, like Kafka's TransactionMarkerChannelManager. Partitions this
 * broker leads take the same path over loopback, so there is one code path for all of them.
 */
export class WireTxnMarkerWriter implements TxnMarkerWriter {
  private readonly connections = new Map<number, Promise<KafkaConnection>>();
  private readonly sleepers = new WakeableSleeps();
  private closed = false;
  private readonly retryBackoffMs: number;
  private readonly maxBackoffMs: number;
  private readonly requestTimeoutMs: number;

  constructor(private readonly options: WireMarkerWriterOptions) {
    this.retryBackoffMs = options.retryBackoffMs ?? 50;
    this.maxBackoffMs = options.maxBackoffMs ?? 2000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  async writeMarkers(request: TxnMarkerRequest, stillWanted: () => boolean): Promise<TxnMarkerOutcome> {
    const remaining = new Map(request.partitions.map((tp) => [key(tp), tp] as const));
    for (let attempt = 0; ; attempt++) {
      if (this.closed || !stillWanted()) return 'abandoned';
      const byLeader = this.routeByLeader(remaining);
      const results = await Promise.all([...byLeader].map(([leader, partitions]) => this.sendTo(leader, request, partitions)));
      for (const result of results) {
        if (result === 'epoch-moved-on') return 'abandoned';
        for (const done of result) remaining.delete(done);
      }
      if (remaining.size === 0) return 'written';
      await this.sleep(Math.min(this.maxBackoffMs, this.retryBackoffMs * 2 ** Math.min(attempt, 10)));
    }
  }

  /**
   * Leaders of the partitions still waiting. A partition whose topic was deleted needs no
   * marker (its data is gone with it); one without a live leader waits for the next round.
   */
  private routeByLeader(remaining: Map<string, TopicPartition>): Map<number, TopicPartition[]> {
    const { metadata, logger } = this.options;
    const byLeader = new Map<number, TopicPartition[]>();
    for (const [id, tp] of remaining) {
      const state = metadata.partition(tp.topic, tp.partition);
      if (state === undefined) {
        logger.info(`skipping the transaction marker for ${tp.topic}-${tp.partition}: the partition no longer exists`);
        remaining.delete(id);
        continue;
      }
      if (state.leader === NO_LEADER || !metadata.isLive(state.leader)) continue;
      const list = byLeader.get(state.leader);
      if (list === undefined) byLeader.set(state.leader, [tp]);
      else list.push(tp);
    }
    return byLeader;
  }

  /** Sends one leader its partitions' markers; returns the partitions that are done. */
  private async sendTo(leader: number, request: TxnMarkerRequest, partitions: TopicPartition[]): Promise<string[] | 'epoch-moved-on'> {
    const topics = new Map<string, number[]>();
    for (const { topic, partition } of partitions) topics.set(topic, [...(topics.get(topic) ?? []), partition]);
    let response;
    try {
      const connection = await this.connection(leader);
      response = await connection.send(
        ApiKey.WriteTxnMarkers,
        {
          markers: [
            {
              producerId: request.producerId,
              producerEpoch: request.producerEpoch,
              transactionResult: request.commit,
              coordinatorEpoch: request.coordinatorEpoch,
              topics: [...topics].map(([name, partitionIndexes]) => ({ name, partitionIndexes })),
            },
          ],
        },
        { timeoutMs: this.requestTimeoutMs },
      );
    } catch (error) {
      this.options.logger.warn(`WriteTxnMarkers to broker ${leader} failed, retrying: ${error instanceof Error ? error.message : String(error)}`);
      this.dropConnection(leader);
      return [];
    }
    const done: string[] = [];
    for (const marker of response.markers) {
      for (const topic of marker.topics) {
        for (const { partitionIndex, errorCode } of topic.partitions) {
          const id = key({ topic: topic.name, partition: partitionIndex });
          if (errorCode === ErrorCode.NONE || PARTITION_GONE.has(errorCode)) done.push(id);
          else if (EPOCH_MOVED_ON.has(errorCode)) {
            this.options.logger.info(
              `transaction ${request.transactionalId}: ${topic.name}-${partitionIndex} answered ${errorInfo(errorCode).name}; a newer producer or coordinator epoch owns the outcome`,
            );
            return 'epoch-moved-on';
          } else {
            this.options.logger.debug(`marker for ${topic.name}-${partitionIndex} not written yet (${errorInfo(errorCode).name}), retrying`);
          }
        }
      }
    }
    return done;
  }

  private connection(brokerId: number): Promise<KafkaConnection> {
    let pending = this.connections.get(brokerId);
    if (pending === undefined) {
      const broker = this.options.metadata.brokers.get(brokerId);
      if (broker === undefined) return Promise.reject(new Error(`broker ${brokerId} is not registered`));
      const connection = this.options.connect({ host: broker.host, port: broker.port, clientId: 'samsa-txn-markers', requestTimeoutMs: this.requestTimeoutMs });
      pending = connection
        .connect()
        .then(() => connection.negotiate())
        .then(() => connection);
      pending.catch(() => this.connections.delete(brokerId));
      this.connections.set(brokerId, pending);
    }
    return pending;
  }

  private dropConnection(brokerId: number): void {
    const pending = this.connections.get(brokerId);
    this.connections.delete(brokerId);
    void pending?.then((c) => c.close()).catch(() => undefined);
  }

  private sleep(ms: number): Promise<void> {
    return this.sleepers.sleep(ms);
  }

  async close(): Promise<void> {
    this.closed = true;
    this.sleepers.wakeAll();
    const connections = [...this.connections.values()];
    this.connections.clear();
    await Promise.all(connections.map((pending) => pending.then((c) => c.close()).catch(() => undefined)));
  }
}
