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
// Incremental fetch sessions (KIP-227, see ../fetchSessions): a full fetch with session id 0
// and epoch 0 opens a session and gets every partition back with the new session id; later
// requests of that session name only the partitions whose fetch state changed (and forget
// the ones dropped), the fetch reads the session's partitions that may have changed since
// (FetchSession.takeChanged: signalled, updated, or not quiet last time; all of them every
// SESSION_REFRESH_MS) and waits on the session, and the answer carries only the partitions
// with news for this client: records, an error, a diverging epoch, or offsets (high
// watermark, last stable offset, log start) other than the ones it was last told. A
// follower's partitions left out of an incremental request still report its fetch offset
// (the session's) at least every refresh, so the high watermark and the ISR keep moving.
// Epoch -1 fetches without a session (closing the one named), as every client did before.
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
import { FetchSessionCache, FINAL_EPOCH, INITIAL_EPOCH, type FetchSession, type RequestedPartition, type SessionPartition } from '../fetchSessions';
import { ZERO_UUID } from '../../../protocol/primitives/byteReader';

type PartitionData = FetchResponse['responses'][number]['partitions'][number];

/** The records of a partition with nothing to send; never written to, so one serves every answer. */
const NO_RECORDS = Buffer.alloc(0);

/** What one fetch reads, in order: the request's partitions, or an incremental session's. */
interface PlannedTopic {
  topic: string;
  topicId: string;
  partitions: readonly RequestedPartition[];
}


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
  /** Each slot's Partition.changeVersion as it was before this pass read it (-1 where it failed). */
  versions: number[];
}

/**
 * Batches read from one segment are views of a single buffer, usually adjacent: send them
 * as one view instead of concatenating, so the record bytes are never copied.
 */
export function joinBatches(batches: readonly Buffer[]): Buffer {
  if (batches.length === 0) return NO_RECORDS;
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

/**
 * How often a follower's idle session partition refreshes its fetch time at the leader. The
 * ISR keeps a follower while it has been caught up within replica.lag.time.max.ms (30 s by
 * default, never below a second in practice), so a tenth of a second of staleness is harmless.
 */
const IDLE_FOLLOWER_REFRESH_MS = 100;

/** What a follower's session partition last read, while nothing has changed since. */
interface IdleRead {
  partition: Partition;
  version: number;
  logStartOffset: number;
  fetchOffset: bigint;
  followerLogStartOffset: bigint;
  lastFetchedEpoch: number;
  currentLeaderEpoch: number;
  data: PartitionData;
  recordedMs: number;
}

export function fetchHandler(services: BrokerServices) {
  const { replicas } = services;
  const sessions = new FetchSessionCache();
  /**
   * A follower's session names hundreds of partitions that are idle most of the time, and
   * its refresh reads every one of them (about 2 µs each). A partition whose fetch state and
   * replica have not changed since its last read (see Partition.changeVersion) gets the same
   * answer as then, without reading.
   */
  const idleReads = new WeakMap<RequestedPartition, IdleRead>();

  /** The unchanged answer of an idle follower session partition, or undefined when it must be read. */
  function idleAnswer(wanted: RequestedPartition, replicaId: number, now: number): IdleRead | undefined {
    const idle = idleReads.get(wanted);
    if (
      idle === undefined ||
      idle.version !== idle.partition.changeVersion ||
      idle.logStartOffset !== idle.partition.log.logStartOffset ||
      idle.fetchOffset !== wanted.fetchOffset ||
      idle.followerLogStartOffset !== wanted.logStartOffset ||
      idle.lastFetchedEpoch !== wanted.lastFetchedEpoch ||
      idle.currentLeaderEpoch !== wanted.currentLeaderEpoch
    ) {
      return undefined;
    }
    if (now - idle.recordedMs >= IDLE_FOLLOWER_REFRESH_MS) {
      idle.partition.recordFollowerFetch(replicaId, Number(wanted.fetchOffset), now, Number(wanted.logStartOffset));
      idle.recordedMs = now;
      // Recording may itself change the replica (the log start it reports).
      if (idle.version !== idle.partition.changeVersion) return undefined;
    }
    return idle;
  }

  /** A follower's fetch of one partition: divergence check, LEO report, read up to the LEO (or the throttle's credit). */
  function readForFollower(
    partition: Partition,
    replicaId: number,
    wanted: RequestedPartition,
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
    // A follower at the log end (every idle partition of its session) has nothing to read.
    const read = credit > 0 && fetchOffset < partition.logEndOffset ? partition.log.read(fetchOffset, Math.max(1, Math.floor(Math.min(maxBytes, credit))), { minOneMessage }) : null;
    if (read !== null && !read.ok) return { data: { ...entry, ...common, errorCode: ErrorCode.OFFSET_OUT_OF_RANGE }, bytes: 0, throttledBytes: 0, throttled: false };
    partition.recordFollowerFetch(replicaId, fetchOffset, now, Number(wanted.logStartOffset));
    const bytes = read?.sizeInBytes ?? 0;
    return {
      data: { ...entry, ...common, highWatermark: BigInt(partition.highWatermark), records: read === null ? NO_RECORDS : joinBatches(read.batches) },
      bytes,
      throttledBytes: throttled ? bytes : 0,
      throttled,
    };
  }

  /**
   * One pass over the request's partitions in request order. `previous` is a pass of the same
   * fetch that read nothing: its partitions whose changeVersion has not moved since keep their
   * answer from it (no data then and no append, high watermark, leadership or state change
   * since), so after a wake-up only the ones that changed are read again. With many idle
   * partitions in a follower's or consumer's fetch, re-reading every one after each wake-up
   * was most of its cost.
   */
  function readAll(request: FetchRequest, planned: readonly PlannedTopic[], isolation: IsolationLevel, previous?: FetchRead, incremental = false): FetchRead {
    const now = Date.now();
    const followerSession = incremental && request.replicaId >= 0;
    let remaining = request.maxBytes;
    let minOneMessage = true;
    let bytes = 0;
    let throttledBytes = 0;
    let throttled = false;
    const partitions: Partition[] = [];
    const slots: (Partition | undefined)[] = [];
    const versions: number[] = [];
    let slot = 0;
    const topics = planned.map((topic, topicIndex) => ({
      topic: topic.topic,
      topicId: topic.topicId,
      partitions: topic.partitions.map((wanted, partitionIndex): PartitionData => {
        const kept = previous?.slots[slot];
        const keptVersion = previous?.versions[slot];
        slot++;
        if (kept !== undefined && kept.changeVersion === keptVersion) {
          partitions.push(kept);
          slots.push(kept);
          versions.push(keptVersion);
          return previous!.topics[topicIndex]!.partitions[partitionIndex]!;
        }
        const idle = followerSession ? idleAnswer(wanted, request.replicaId, now) : undefined;
        if (idle !== undefined) {
          partitions.push(idle.partition);
          slots.push(idle.partition);
          versions.push(idle.version);
          return idle.data;
        }
        const entry: PartitionData = { ...defaultFetchResponsePartitionData(), partitionIndex: wanted.partition, records: null };
        let partition: Partition;
        try {
          partition = replicas.leader(topic.topic, wanted.partition);
        } catch (error) {
          slots.push(undefined);
          versions.push(-1);
          if (isKafkaError(error)) return { ...entry, errorCode: error.code };
          throw error;
        }
        partitions.push(partition);
        slots.push(partition);
        // Taken before reading: a change the read itself causes (a follower's fetch offset
        // moving the high watermark) gets the partition read again on the next pass.
        versions.push(partition.changeVersion);
        try {
          const epochCheck = epochError(partition, wanted.currentLeaderEpoch);
          if (epochCheck !== ErrorCode.NONE) return { ...entry, errorCode: epochCheck };
          const fetchOffset = Number(wanted.fetchOffset);
          const maxBytes = Math.min(wanted.partitionMaxBytes, remaining);
          if (request.replicaId >= 0) {
            if (!partition.state.replicas.includes(request.replicaId)) return { ...entry, errorCode: ErrorCode.NOT_LEADER_OR_FOLLOWER };
            const follower = readForFollower(partition, request.replicaId, wanted, maxBytes, minOneMessage, now, entry);
            const data = follower.data;
            if (followerSession && follower.bytes === 0 && !follower.throttled && data.errorCode === ErrorCode.NONE && data.divergingEpoch.epoch < 0) {
              idleReads.set(wanted, {
                partition,
                version: partition.changeVersion,
                logStartOffset: partition.log.logStartOffset,
                fetchOffset: wanted.fetchOffset,
                followerLogStartOffset: wanted.logStartOffset,
                lastFetchedEpoch: wanted.lastFetchedEpoch,
                currentLeaderEpoch: wanted.currentLeaderEpoch,
                data,
                recordedMs: now,
              });
            }
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
    return { topics, bytes, throttledBytes, throttled, partitions, slots, versions };
  }

  /** Partitions in the order given, consecutive partitions of a topic together (as Kafka answers). */
  function groupByTopic(entries: readonly SessionPartition[]): { topic: string; topicId: string; partitions: SessionPartition[] }[] {
    const planned: { topic: string; topicId: string; partitions: SessionPartition[] }[] = [];
    for (const entry of entries) {
      const last = planned[planned.length - 1];
      if (last !== undefined && last.topic === entry.topic) last.partitions.push(entry);
      else planned.push({ topic: entry.topic, topicId: ZERO_UUID, partitions: [entry] });
    }
    return planned;
  }

  /**
   * One pass of an incremental fetch: reads the session's partitions that may have news
   * (FetchSession.takeChanged) into `answers`, listens to each one's replica from now on, and
   * keeps a partition in the changed set unless its read was quiet and nothing moved under it.
   */
  function readChanged(request: FetchRequest, session: FetchSession, isolation: IsolationLevel, answers: Map<SessionPartition, PartitionData>) {
    const entries = session.takeChanged(Date.now());
    const read = readAll(request, groupByTopic(entries), isolation, undefined, true);
    let failed = false;
    let slot = 0;
    for (const topic of read.topics) {
      for (const data of topic.partitions) {
        const entry = entries[slot]!;
        const partition = read.slots[slot];
        const version = read.versions[slot];
        slot++;
        answers.set(entry, data);
        session.watch(entry, partition);
        const failedHere = data.errorCode !== ErrorCode.NONE || data.divergingEpoch.epoch >= 0;
        failed ||= failedHere;
        const quiet = partition !== undefined && !failedHere && !read.throttled && (data.records?.length ?? 0) === 0 && partition.changeVersion === version;
        if (!quiet) session.stillChanged(entry);
      }
    }
    return { bytes: read.bytes, throttledBytes: read.throttledBytes, throttled: read.throttled, failed };
  }

  /**
   * An incremental fetch: reads what changed, waits for the session's next change while it
   * has fewer than min.bytes (errors and diverging epochs answer at once), and answers the
   * partitions with news. Its cost follows what changed, not the session's size.
   */
  async function fetchChanged(request: FetchRequest, session: FetchSession, isolation: IsolationLevel, deadline: number): Promise<FetchResponse['responses']> {
    const answers = new Map<SessionPartition, PartitionData>();
    try {
      let pass = readChanged(request, session, isolation, answers);
      while (pass.bytes < request.minBytes && !pass.failed && session.size > 0 && Date.now() < deadline) {
        await session.waitForChange(deadline - Date.now());
        if (pass.bytes > 0 || pass.throttled) {
          // Byte budgets and throttle credit depend on more than what changed: read all again.
          answers.clear();
          session.allChanged();
        }
        pass = readChanged(request, session, isolation, answers);
      }
      replicas.leaderThrottle.quota.record(pass.throttledBytes);
      const entries = session.inFetchOrder(answers.keys());
      const topics = groupByTopic(entries).map((topic) => ({
        topic: topic.topic,
        topicId: topic.topicId,
        partitions: topic.partitions.map((entry) => answers.get(entry)!),
      }));
      return answerFor(session, true, topics, entries);
    } catch (error) {
      // What was read is not sent: the next fetch reads every partition again.
      session.allChanged();
      throw error;
    }
  }

  /** Whether an incremental answer must carry this partition: anything the client does not know yet. */
  function hasNews(data: PartitionData, entry: SessionPartition): boolean {
    if ((data.records?.length ?? 0) > 0 || data.errorCode !== ErrorCode.NONE || data.divergingEpoch.epoch >= 0) return true;
    const told = entry.told;
    return (
      told === undefined ||
      told.highWatermark !== data.highWatermark ||
      told.lastStableOffset !== data.lastStableOffset ||
      told.logStartOffset !== data.logStartOffset
    );
  }

  function remember(entry: SessionPartition, data: PartitionData): void {
    entry.told = { highWatermark: data.highWatermark, lastStableOffset: data.lastStableOffset, logStartOffset: data.logStartOffset };
  }

  /**
   * Opens, continues or closes the request's session. Returns what to read (the request's
   * partitions, or for an incremental request every partition of the session) or the
   * top-level error of an unknown session or an out-of-order epoch.
   */
  function resolveSession(
    request: FetchRequest,
    now: number,
  ): { ok: true; incremental: false; session: FetchSession | undefined } | { ok: true; incremental: true; session: FetchSession } | { ok: false; errorCode: number } {
    if (request.sessionEpoch === INITIAL_EPOCH || request.sessionEpoch === FINAL_EPOCH) {
      // A full fetch: it replaces (or, with the final epoch, just closes) the session it names.
      if (request.sessionId !== 0) sessions.remove(request.sessionId);
      if (request.sessionEpoch === FINAL_EPOCH) return { ok: true, incremental: false, session: undefined };
      const count = request.topics.reduce((sum, topic) => sum + topic.partitions.length, 0);
      const session = sessions.create(request.replicaId >= 0, count, now);
      for (const topic of request.topics) for (const wanted of topic.partitions) session?.upsert(topic.topic, wanted);
      return { ok: true, incremental: false, session };
    }
    const found = sessions.lookup(request.sessionId, request.sessionEpoch, now);
    if (!found.ok) return { ok: false, errorCode: found.errorCode === 'not-found' ? ErrorCode.FETCH_SESSION_ID_NOT_FOUND : ErrorCode.INVALID_FETCH_SESSION_EPOCH };
    const session = found.session;
    session.nextEpoch = session.nextEpoch >= 0x7fffffff ? 1 : session.nextEpoch + 1;
    for (const forgotten of request.forgottenTopicsData) for (const partition of forgotten.partitions) session.forget(forgotten.topic, partition);
    for (const topic of request.topics) for (const wanted of topic.partitions) session.upsert(topic.topic, wanted);
    return { ok: true, incremental: true, session };
  }

  /**
   * The answer's partitions: all of them for a full fetch; for an incremental one only those
   * with news. Either way the session remembers what it told, and partitions that returned
   * records move behind the others in the session.
   */
  function answerFor(session: FetchSession | undefined, incremental: boolean, read: FetchResponse['responses'], entries: readonly SessionPartition[] | undefined): FetchResponse['responses'] {
    if (session === undefined) return read;
    const served: SessionPartition[] = [];
    const topics: FetchResponse['responses'] = [];
    let slot = 0;
    for (const topic of read) {
      const partitions: PartitionData[] = [];
      for (const data of topic.partitions) {
        const entry = entries !== undefined ? entries[slot] : session.get(topic.topic, data.partitionIndex);
        slot++;
        if (entry === undefined) {
          partitions.push(data);
          continue;
        }
        if (incremental && !hasNews(data, entry)) continue;
        remember(entry, data);
        if ((data.records?.length ?? 0) > 0) served.push(entry);
        partitions.push(data);
      }
      if (partitions.length > 0) topics.push({ ...topic, partitions });
    }
    if (incremental) session.moveToBack(served);
    return topics;
  }

  /**
   * Waits until any of the partitions may answer differently (see Partition.onData) or for
   * `waitMs`. Which ones changed is not collected here: the next pass compares each slot's
   * changeVersion with the one it read, which also covers changes between the wake-up and
   * that pass. One listener serves every partition, so waiting allocates nothing per partition.
   */
  function waitForData(partitions: readonly Partition[], waitMs: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        for (const partition of partitions) partition.offData(wake);
        resolve();
      };
      const timer = setTimeout(wake, waitMs);
      for (const partition of partitions) partition.onData(wake);
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
      const now = Date.now();
      const resolved = resolveSession(request, now);
      if (!resolved.ok) return { ...defaultFetchResponse(), errorCode: resolved.errorCode };
      const deadline = now + Math.max(0, request.maxWaitMs);
      if (resolved.incremental) {
        const session = resolved.session;
        return { ...defaultFetchResponse(), sessionId: session.id, responses: await fetchChanged(request, session, isolation, deadline) };
      }
      const session = resolved.session;
      const planned = request.topics;
      let result = readAll(request, planned, isolation);
      // Errors and diverging epochs answer at once, as in Kafka's DelayedFetch; otherwise wait
      // for min.bytes or max.wait.ms.
      const hasError = () => result.topics.some((t) => t.partitions.some((p) => p.errorCode !== ErrorCode.NONE || p.divergingEpoch.epoch >= 0));
      while (result.bytes < request.minBytes && !hasError() && Date.now() < deadline && result.partitions.length > 0) {
        await waitForData(result.partitions, deadline - Date.now());
        // A pass that read something, or that a throttle held back, depends on more than the
        // partitions' versions (byte budgets, credit over time): read everything again then.
        const selective = result.bytes === 0 && !result.throttled;
        result = readAll(request, planned, isolation, selective ? result : undefined);
      }
      // Only the answer sent counts against the throttle, not the reads a wait replaced.
      replicas.leaderThrottle.quota.record(result.throttledBytes);
      return { ...defaultFetchResponse(), sessionId: session?.id ?? 0, responses: answerFor(session, false, result.topics, undefined) };
    },
    errorResponse(request: FetchRequest, errorCode: number) {
      return { ...defaultFetchResponse(), errorCode };
    },
  });
}
