/** A committed consumer position, as stored in an OffsetCommitValue. */
export interface CommittedOffset {
  offset: bigint;
  /** Leader epoch of the last consumed record (KIP-320), -1 when the client did not say. */
  leaderEpoch: number;
  metadata: string;
  /** When the coordinator accepted the commit (ms). */
  commitTimestamp: number;
}

export interface PartitionOffset {
  topic: string;
  partition: number;
  committed: CommittedOffset;
}

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** topic -> partition -> value, iterated in insertion order. */
class PartitionMap<V> {
  private readonly topics = new Map<string, Map<number, V>>();

  get(topic: string, partition: number): V | undefined {
    return this.topics.get(topic)?.get(partition);
  }

  set(topic: string, partition: number, value: V): void {
    let partitions = this.topics.get(topic);
    if (partitions === undefined) {
      partitions = new Map();
      this.topics.set(topic, partitions);
    }
    partitions.set(partition, value);
  }

  delete(topic: string, partition: number): boolean {
    const partitions = this.topics.get(topic);
    if (partitions === undefined || !partitions.delete(partition)) return false;
    if (partitions.size === 0) this.topics.delete(topic);
    return true;
  }

  get isEmpty(): boolean {
    return this.topics.size === 0;
  }

  *entries(): IterableIterator<[string, number, V]> {
    for (const [topic, partitions] of this.topics) for (const [partition, value] of partitions) yield [topic, partition, value];
  }
}

/**
 * The committed offsets of every group this coordinator has loaded, plus what is not yet
 * committed: regular commits still being written to the log, and transactional commits
 * (TxnOffsetCommit) waiting for their transaction's outcome. OffsetFetch with requireStable
 * answers UNSTABLE_OFFSET_COMMIT for partitions with either kind pending (KIP-447).
 */
export class OffsetStore {
  private readonly committed = new Map<string, PartitionMap<CommittedOffset>>();
  /** Regular commits appended but not yet acknowledged by the log: count per partition. */
  private readonly inFlight = new Map<string, PartitionMap<number>>();
  /** producer id -> group -> offsets of its open transaction. */
  private readonly pendingTransactional = new Map<bigint, Map<string, PartitionMap<CommittedOffset>>>();

  get(groupId: string, topic: string, partition: number): CommittedOffset | undefined {
    return this.committed.get(groupId)?.get(topic, partition);
  }

  put(groupId: string, topic: string, partition: number, committed: CommittedOffset): void {
    let offsets = this.committed.get(groupId);
    if (offsets === undefined) {
      offsets = new PartitionMap();
      this.committed.set(groupId, offsets);
    }
    offsets.set(topic, partition, committed);
  }

  delete(groupId: string, topic: string, partition: number): boolean {
    const offsets = this.committed.get(groupId);
    if (offsets === undefined || !offsets.delete(topic, partition)) return false;
    if (offsets.isEmpty) this.committed.delete(groupId);
    return true;
  }

  /** The group's committed offsets, sorted by topic then partition. */
  list(groupId: string): PartitionOffset[] {
    const offsets = this.committed.get(groupId);
    if (offsets === undefined) return [];
    return [...offsets.entries()]
      .map(([topic, partition, committed]) => ({ topic, partition, committed }))
      .sort((a, b) => (a.topic === b.topic ? a.partition - b.partition : a.topic < b.topic ? -1 : 1));
  }

  hasOffsets(groupId: string): boolean {
    return this.committed.has(groupId);
  }

  groupIds(): IterableIterator<string> {
    return this.committed.keys();
  }

  /** Forgets everything about the group (deletion, or its partition unloaded). */
  removeGroup(groupId: string): void {
    this.committed.delete(groupId);
    this.inFlight.delete(groupId);
    for (const [producerId, groups] of this.pendingTransactional) {
      groups.delete(groupId);
      if (groups.size === 0) this.pendingTransactional.delete(producerId);
    }
  }

  /** Marks partitions as being written; pair with `endCommit` whatever the outcome. */
  beginCommit(groupId: string, partitions: readonly TopicPartition[]): void {
    let counts = this.inFlight.get(groupId);
    if (counts === undefined) {
      counts = new PartitionMap();
      this.inFlight.set(groupId, counts);
    }
    for (const { topic, partition } of partitions) counts.set(topic, partition, (counts.get(topic, partition) ?? 0) + 1);
  }

  endCommit(groupId: string, partitions: readonly TopicPartition[]): void {
    const counts = this.inFlight.get(groupId);
    if (counts === undefined) return;
    for (const { topic, partition } of partitions) {
      const count = (counts.get(topic, partition) ?? 0) - 1;
      if (count > 0) counts.set(topic, partition, count);
      else counts.delete(topic, partition);
    }
    if (counts.isEmpty) this.inFlight.delete(groupId);
  }

  hasPendingCommit(groupId: string, topic: string, partition: number): boolean {
    if (this.inFlight.get(groupId)?.get(topic, partition) !== undefined) return true;
    for (const groups of this.pendingTransactional.values()) {
      if (groups.get(groupId)?.get(topic, partition) !== undefined) return true;
    }
    return false;
  }

  addPendingTransactional(groupId: string, producerId: bigint, offsets: readonly PartitionOffset[]): void {
    let groups = this.pendingTransactional.get(producerId);
    if (groups === undefined) {
      groups = new Map();
      this.pendingTransactional.set(producerId, groups);
    }
    let pending = groups.get(groupId);
    if (pending === undefined) {
      pending = new PartitionMap();
      groups.set(groupId, pending);
    }
    for (const { topic, partition, committed } of offsets) pending.set(topic, partition, committed);
  }

  /**
   * The transaction of `producerId` ended: on commit its offsets become the committed ones,
   * on abort they are dropped. Returns the groups that had offsets in the transaction.
   */
  completeTransaction(producerId: bigint, commit: boolean): string[] {
    const groups = this.pendingTransactional.get(producerId);
    if (groups === undefined) return [];
    this.pendingTransactional.delete(producerId);
    if (!commit) return [...groups.keys()];
    for (const [groupId, pending] of groups) {
      for (const [topic, partition, committed] of pending.entries()) this.put(groupId, topic, partition, committed);
    }
    return [...groups.keys()];
  }

  /**
   * Whether anything for the group is still on its way: a regular commit being written or a
   * transaction's offsets waiting. Such a group is in use even with no members or offsets.
   */
  hasPendingWork(groupId: string): boolean {
    if (this.inFlight.has(groupId)) return true;
    for (const groups of this.pendingTransactional.values()) if (groups.has(groupId)) return true;
    return false;
  }
}
