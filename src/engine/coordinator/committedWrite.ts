import type { Partition } from '../partition/partition';

export type CommitWaitOutcome = 'reached' | 'not-leader' | 'timeout';

/**
 * Waits, at most `timeoutMs`, until the leader's high watermark passes `endOffset`: the
 * acks=all rule for what the broker writes itself (coordinator records, transaction
 * markers), which must be on every in-sync replica before anyone acts on it.
 */
export function waitUntilCommitted(leader: Partition, endOffset: number, timeoutMs: number): Promise<CommitWaitOutcome> {
  return leader.waitForHighWatermark(endOffset, timeoutMs);
}
