import type { LogConfig } from './logConfig';

/** What retention needs to know about a segment. */
export interface RetainedSegment {
  baseOffset: number;
  size: number;
  /** Newest record timestamp, or the file's modification time when no record has one. */
  largestTimestamp: number;
}

/**
 * How many of the oldest segments retention deletes (Kafka's deleteOldSegments, in its
 * order): segments past `retention.ms`, then segments the log can lose while staying at or
 * above `retention.bytes`, then segments wholly below the log start offset. Each rule only
 * takes consecutive oldest segments, never the active (last) one, and only segments whose
 * data lies wholly below the high watermark.
 */
export function retentionVictims(
  segments: readonly RetainedSegment[],
  config: Pick<LogConfig, 'retentionMs' | 'retentionBytes'>,
  state: { nowMs: number; logStartOffset: number; highWatermark: number },
): number {
  // A segment ends where the next one starts; the last one is never a candidate.
  const deletable = (i: number): boolean => i < segments.length - 1 && segments[i + 1]!.baseOffset <= state.highWatermark;
  let count = 0;
  if (config.retentionMs >= 0) {
    while (deletable(count) && state.nowMs - segments[count]!.largestTimestamp > config.retentionMs) count++;
  }
  if (config.retentionBytes >= 0) {
    let excess = segments.reduce((total, segment) => total + segment.size, 0) - config.retentionBytes;
    for (let i = 0; i < count; i++) excess -= segments[i]!.size;
    while (deletable(count) && excess - segments[count]!.size >= 0) {
      excess -= segments[count]!.size;
      count++;
    }
  }
  while (deletable(count) && segments[count + 1]!.baseOffset <= state.logStartOffset) count++;
  return count;
}
