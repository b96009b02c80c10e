// Fetch (API 1). Consumers see data below the high watermark, or below the last stable
// offset with read_committed, which also gets the aborted transactions that overlap the
// returned range so the client can drop their records (KIP-98). Followers (replica id >= 0)
// read up to the log end offset; their fetch offset tells the leader their LEO, which moves
// the high watermark and the ISR, and a LastFetchedEpoch the leader's history does not
// continue gets a DivergingEpoch back (KIP-320/595) so the follower truncates first.
// A fetch that finds fewer than min.bytes waits up to max.wait.ms (Kafka's DelayedFetch).
// The request's max bytes and each partition's are hard limits except for the first batch of
// the first partition that has data, which comes whole even when bigger so a consumer always
// progresses (KIP-74); partitions after it get only what fits in what is left, as in Kafka's
// ReplicaManager.readFromLog.
// A follower outside the ISR whose replica the topic's leader.replication.throttled.replicas
// names gets no more bytes than this broker's leader throttle has credit for, and none when
// it has none (KIP-73); its fetch offset still counts, and other partitions are unaffected.
// We decline incremental fetch sessions (KIP-227) by answering session id 0, which every
// client handles by sending full fetches.
import { ErrorCode, isKafkaError } from '../../../protocol/errors';
import { ApiKey } from '../../../protocol/generated/apis';
import type { FetchRequest } from '../../../protocol/generated/fetchRequest';
import {
  defaultFetchResponse,
  defaultFetchResponsePartitionData,
  type FetchResponse,
} from '../../../protocol/generated/fetchResponse';
import type { IsolationLevel, Partition } from '../../partition/partition';
import { defineHandler } from '../apiHandler';
import type { BrokerServices } from '../brokerServices';

type PartitionData = FetchResponse['responses'][number]['partitions'][number];

/**
 * Batches read from one segment are views of a single buffer, usually adjacent: send them
 * as one view instead of concatenating, so the record bytes are never copied.
 */
export function joinBatches(batches: readonly Buffer[]): Buffer {
  if (batches.length === 0) return Buffer.alloc(0);
  const first = batches[0]!;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < batches.length; i++) {
    const batch = batches[i]!;
    if (batch.buffer !== first.buffer || batch.byteOffset !== end) return Buffer.concat(batches);
    end += batch.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}

/** Checks the client's view of the leader epoch (KIP-320): stale or future epochs are refused. */
function epochError(partition: Partition, currentLeaderEpoch: number): number {
  if (currentLeaderEpoch < 0 || currentLeaderEpoch === partition.leaderEpoch) return ErrorCode.NONE;
  return currentLeaderEpoch < partition.leaderEpoch ? ErrorCode.FENCED_LEADER_EPOCH : ErrorCode.UNKNOWN_LEADER_EPOCH;
}

export function fetchHandler(services: BrokerServices) {
  const { replicas } = services;

  /** A follower's fetch of one partition: divergence check, LEO report, read up to the LEO (or the throttle's credit). */
  function readForFollower(
    partition: Partition,
    replicaId: number,
    wanted: FetchRequest['topics'][number]['partitions'][number],
    maxBytes: number,
    minOneMessage: boolean,
    now: number,
    entry: PartitionData,
  ): { data: PartitionData; bytes: number; throttledBytes: number } {
    const fetchOffset = Number(wanted.fetchOffset);
    const common = {
      highWatermark: BigInt(partition.highWatermark),
      lastStableOffset: BigInt(partition.lastStableOffset),
      logStartOffset: BigInt(partition.log.logStartOffset),
    };
    if (wanted.lastFetchedEpoch >= 0) {
      const end = partition.log.endOffsetForEpoch(wanted.lastFetchedEpoch);
      if (end.epoch < wanted.lastFetchedEpoch || end.endOffset < fetchOffset) {
        return { data: { ...entry, ...common, divergingEpoch: { epoch: end.epoch, endOffset: BigInt(end.endOffset) } }, bytes: 0, throttledBytes: 0 };
      }
    }
    if (fetchOffset < partition.log.logStartOffset || fetchOffset > partition.logEndOffset) {
      return { data: { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }, bytes: 0, throttledBytes: 0 };
    }
    const throttled = replicas.leaderThrottle.appliesTo(partition, replicaId);
    const credit = throttled ? replicas.leaderThrottle.quota.available(now) : Number.POSITIVE_INFINITY;
    const read = credit > 0 ? partition.log.read(fetchOffset, Math.max(1, Math.floor(Math.min(maxBytes, credit))), { minOneMessage }) : null;
    if (read !== null && !read.ok) return { data: { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }, bytes: 0, throttledBytes: 0 };
    partition.recordFollowerFetch(replicaId, fetchOffset, now, Number(wanted.logStartOffset));
    const bytes = read?.sizeInBytes ?? 0;
    return {
      data: { ...entry, ...common, highWatermark: BigInt(partition.highWatermark), records: read === null ? Buffer.alloc(0) : joinBatches(read.batches) },
      bytes,
      throttledBytes: throttled ? bytes : 0,
    };
  }

  function readAll(request: FetchRequest, isolation: IsolationLevel): { topics: FetchResponse['responses']; bytes: number; throttledBytes: number; partitions: Partition[] } {
    let remaining = request.maxBytes;
    let minOneMessage = true;
    let bytes = 0;
    let throttledBytes = 0;
    const partitions: Partition[] = [];
    const topics = request.topics.map((topic) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((wanted): PartitionData => {
        const entry: PartitionData = { ...defaultFetchResponsePartitionData(), partitionIndex: wanted.partition, records: null };
        try {
          const partition = replicas.leader(topic.topic, wanted.partition);
          partitions.push(partition);
          const epochCheck = epochError(partition, wanted.currentLeaderEpoch);
          if (epochCheck !== ErrorCode.NONE) return { ...entry, errorCode: epochCheck };
          const fetchOffset = Number(wanted.fetchOffset);
          const maxBytes = Math.min(wanted.partitionMaxBytes, remaining);
          if (request.replicaId >= 0) {
            if (!partition.state.replicas.includes(request.replicaId)) return { ...entry, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
            const follower = readForFollower(partition, request.replicaId, wanted, maxBytes, minOneMessage, Date.now(), entry);
            if (follower.bytes > 0) minOneMessage = false;
            remaining = Math.max(0, remaining - follower.bytes);
            bytes += follower.bytes;
            throttledBytes += follower.throttledBytes;
            return follower.data;
          }
          const result = partition.readForConsumer(fetchOffset, maxBytes, isolation, minOneMessage);
          const common = {
            highWatermark: BigInt(result.highWatermark),
            lastStableOffset: BigInt(result.lastStableOffset),
            logStartOffset: BigInt(result.logStartOffset),
          };
          if (!result.read.ok) return { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE };
          if (result.read.sizeInBytes > 0) minOneMessage = false;
          remaining = Math.max(0, remaining - result.read.sizeInBytes);
          bytes += result.read.sizeInBytes;
          const aborted =
            isolation === 'read_committed' && result.read.batches.length > 0
              ? partition.log.abortedTransactions(fetchOffset, result.read.nextOffset).map((txn) => ({
                  producerId: BigInt(txn.producerId),
                  firstOffset: BigInt(txn.firstOffset),
                }))
              : null;
          return { ...entry, ...common, abortedTransactions: aborted, records: joinBatches(result.read.batches) };
        } catch (error) {
          if (isKafkaError(error)) return { ...entry, errorCode: error.code };
          throw error;
        }
      }),
    }));
    return { topics, bytes, throttledBytes, partitions };
  }

  /** Resolves when any of the partitions gets new visible data, or after `waitMs`. */
  function waitForData(partitions: readonly Partition[], waitMs: number): Promise<void> {
    return new Promise((resolve) => {
      const unsubscribes: (() => void)[] = [];
      const done = () => {
        clearTimeout(timer);
        for (const unsubscribe of unsubscribes) unsubscribe();
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      for (const partition of partitions) unsubscribes.push(partition.onData(done));
    });
  }

  return defineHandler({
    apiKey: ApiKey.Fetch,
    minVersion: 4,
    maxVersion: 12,
    async handle(request: FetchRequest) {
      if (request.replicaId >= 0 && replicas.isIsolated) {
        // An isolated broker is cut off from the other brokers: their fetches never get through.
        return { ...defaultFetchResponse(), errorCode: ErrorCode.NETWORK_EXCEPTION };
      }
      const isolation: IsolationLevel = request.isolationLevel === 1 ? 'read_committed' : 'read_uncommitted';
      const deadline = Date.now() + Math.max(0, request.maxWaitMs);
      let result = readAll(request, isolation);
      // Errors answer at once, as Kafka does; otherwise wait for min.bytes or max.wait.ms.
      const hasError = () => result.topics.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE));
      while (result.bytes < request.minBytes && !hasError() && Date.now() < deadline && result.partitions.length > 0) {
        await waitForData(result.partitions, deadline - Date.now());
        result = readAll(request, isolation);
      }
      // Only the answer sent counts against the throttle, not the reads a wait replaced.
      replicas.leaderThrottle.quota.record(result.throttledBytes);
      return { ...defaultFetchResponse(), sessionId: 0, responses: result.topics };
    },
    errorResponse(request: FetchRequest, errorCode: number) {
      return { ...defaultFetchResponse(), errorCode };
    },
  });
}
