import type { ClassicGroup } from './group';
import type { PartitionOffset, TopicPartition } from './offsetStore';

/**
 * Which committed offsets of a group have outlived offsets.retention.minutes, by Kafka's rules
 * since KIP-211 (2.1): the clock starts when the group lost its last member, not at each
 * commit, so a consumer that is merely idle keeps its position for as long as it is in the
 * group.
 *
 * - A group that never used group management (commits from kcat or an `assign()`ing client,
 *   no protocol type): each offset expires on its own, `retention` after it was committed.
 * - An Empty group that had members: all its offsets expire together, `retention` after it
 *   became Empty.
 * - A Stable consumer group: only offsets of topics no member subscribes to any more expire,
 *   each `retention` after it was committed; the others are in use.
 * - Any other group (rebalancing, a non-consumer protocol, or a subscription that does not
 *   decode): nothing expires.
 *
 * Offsets with a commit still being written or a transaction's offsets pending are skipped:
 * they are about to change.
 */
export function expiredOffsets(
  group: ClassicGroup,
  committed: readonly PartitionOffset[],
  options: { retentionMs: number; now: number; isPending: (topic: string, partition: number) => boolean },
): TopicPartition[] {
  const { retentionMs, now, isPending } = options;
  const expired = (since: number) => since + retentionMs <= now;
  let candidates: readonly PartitionOffset[];
  let startedAt: (offset: PartitionOffset) => number;
  if (group.protocolType === null) {
    if (!group.is('Empty')) return [];
    candidates = committed;
    startedAt = (offset) => offset.committed.commitTimestamp;
  } else if (group.is('Empty')) {
    candidates = committed;
    startedAt = () => group.stateTimestamp;
  } else if (group.is('Stable')) {
    const subscribed = group.subscribedTopics();
    if (subscribed === null) return [];
    candidates = committed.filter(({ topic }) => !subscribed.has(topic));
    startedAt = (offset) => offset.committed.commitTimestamp;
  } else {
    return [];
  }
  return candidates.filter((offset) => expired(startedAt(offset)) && !isPending(offset.topic, offset.partition)).map(({ topic, partition }) => ({ topic, partition }));
}
