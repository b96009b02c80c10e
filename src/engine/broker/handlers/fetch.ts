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

/** One pass of a fetch over its partitions. */
interface FetchRead {
  topics: FetchResponse['responses'];
  bytes: number;
  throttledBytes: number;
  /** Some partition's bytes were limited by the leader's replication throttle. */
  throttled: boolean;
  /** The leader replicas found, to wait on. */
  partitions: Partition[];
  /** The replica behind each requested partition in request order (undefined where it failed). */
  slots: (Partition | undefined)[];
}

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
  ): { data: PartitionData; bytes: number; throttledBytes: number; throttled: boolean } {
    const fetchOffset = Number(wanted.fetchOffset);
    const common = {
      highWatermark: BigInt(partition.highWatermark),
      lastStableOffset: BigInt(partition.lastStableOffset),
      logStartOffset: BigInt(partition.log.logStartOffset),
    };
    if (wanted.lastFetchedEpoch >= 0) {
      const end = partition.log.endOffsetForEpoch(wanted.lastFetchedEpoch);
      if (end.epoch < wanted.lastFetchedEpoch || end.endOffset < fetchOffset) {
        return { data: { ...entry, ...common, divergingEpoch: { epoch: end.epoch, endOffset: BigInt(end.endOffset) } }, bytes: 0, throttledBytes: 0, throttled: false };
      }
    }
    if (fetchOffset < partition.log.logStartOffset || fetchOffset > partition.logEndOffset) {
      return { data: { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }, bytes: 0, throttledBytes: 0, throttled: false };
    }
    const throttled = replicas.leaderThrottle.appliesTo(partition, replicaId);
    const credit = throttled ? replicas.leaderThrottle.quota.available(now) : Number.POSITIVE_INFINITY;
    const read = credit > 0 ? partition.log.read(fetchOffset, Math.max(1, Math.floor(Math.min(maxBytes, credit))), { minOneMessage }) : null;
    if (read !== null && !read.ok) return { data: { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }, bytes: 0, throttledBytes: 0, throttled: false };
    partition.recordFollowerFetch(replicaId, fetchOffset, now, Number(wanted.logStartOffset));
    const bytes = read?.sizeInBytes ?? 0;
    return {
      data: { ...entry, ...common, highWatermark: BigInt(partition.highWatermark), records: read === null ? Buffer.alloc(0) : joinBatches(read.batches) },
      bytes,
      throttledBytes: throttled ? bytes : 0,
      throttled,
    };
  }

  /**
   * One pass over the request's partitions in request order. `unchanged` comes from a wait
   * that read nothing: the partitions that did not signal since keep their answer from that
   * pass (no data then and no append, high watermark, log start or leadership change since),
   * so only the ones that signalled are read again. With many idle partitions in a follower's
   * or consumer's fetch, re-reading every one after each wake-up was most of its cost.
   */
  function readAll(request: FetchRequest, isolation: IsolationLevel, unchanged?: { previous: FetchRead; changed: ReadonlySet<Partition> }): FetchRead {
    let remaining = request.maxBytes;
    let minOneMessage = true;
    let bytes = 0;
    let throttledBytes = 0;
    let throttled = false;
    const partitions: Partition[] = [];
    const slots: (Partition | undefined)[] = [];
    let slot = 0;
    const topics = request.topics.map((topic, topicIndex) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((wanted, partitionIndex): PartitionData => {
        const kept = unchanged?.previous.slots[slot];
        slot++;
        if (unchanged !== undefined && kept !== undefined && !unchanged.changed.has(kept)) {
          partitions.push(kept);
          slots.push(kept);
          return unchanged.previous.topics[topicIndex]!.partitions[partitionIndex]!;
        }
        const entry: PartitionData = { ...defaultFetchResponsePartitionData(), partitionIndex: wanted.partition, records: null };
        let partition: Partition;
        try {
          partition = replicas.leader(topic.topic, wanted.partition);
        } catch (error) {
          slots.push(undefined);
          if (isKafkaError(error)) return { ...entry, errorCode: error.code };
          throw error;
        }
        partitions.push(partition);
        slots.push(partition);
        try {
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
            throttled ||= follower.throttled;
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
    return { topics, bytes, throttledBytes, throttled, partitions, slots };
  }

  /**
   * Waits until any of the partitions may answer differently (see Partition.onData) or for
   * `waitMs`. `changed` collects every partition that signals until `stop`, so signals that
   * arrive between the wake-up and the next read are not lost.
   */
  function waitForData(partitions: readonly Partition[], waitMs: number): { signalled: Promise<void>; changed: Set<Partition>; stop: () => void } {
    const changed = new Set<Partition>();
    const unsubscribes: (() => void)[] = [];
    let wake: () => void = () => {};
    const signalled = new Promise<void>((resolve) => (wake = resolve));
    const timer = setTimeout(wake, waitMs);
    for (const partition of partitions) {
      unsubscribes.push(
        partition.onData(() => {
          changed.add(partition);
          wake();
        }),
      );
    }
    const stop = () => {
      clearTimeout(timer);
      for (const unsubscribe of unsubscribes) unsubscribe();
    };
    return { signalled, changed, stop };
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
      // Errors and diverging epochs answer at once, as in Kafka's DelayedFetch; otherwise wait
      // for min.bytes or max.wait.ms.
      const hasError = () => result.topics.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE || p.divergingEpoch.epoch >= 0));
      while (result.bytes < request.minBytes && !hasError() && Date.now() < deadline && result.partitions.length > 0) {
        const wait = waitForData(result.partitions, deadline - Date.now());
        await wait.signalled;
        wait.stop();
        // A pass that read something, or that a throttle held back, depends on more than the
        // signals (byte budgets, credit over time): read everything again then.
        const selective = wait.changed.size > 0 && result.bytes === 0 && !result.throttled;
        result = readAll(request, isolation, selective ? { previous: result, changed: wait.changed } : undefined);
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
