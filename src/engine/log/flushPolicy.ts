import type { LogConfig } from './logConfig';

/**
 * When a log fsyncs, from `flush.messages` and `flush.ms`.
 *
 * What each setting guarantees after a crash:
 * - kill -9 (or any process crash): nothing appended is lost whatever the settings. Appends are
 *   synchronous write(2) calls, so the bytes are in the OS page cache before the produce is
 *   answered, and the page cache outlives the process. Recovery still validates the tail
 *   because a kill can land between the writes of one append (a batch and its index entry).
 * - Power loss or kernel crash: only data fsynced before it survives. With Kafka's defaults
 *   (both effectively never) that is data in rolled segments (a roll fsyncs the old segment)
 *   and whatever the OS happened to write back; the rest must come back from other replicas,
 *   which is Kafka's design: acks=all plus min.insync.replicas, not the disk, makes a write
 *   durable. `flush.messages=1` fsyncs every append (durable on one disk, slow);
 *   `flush.ms=N` bounds the loss window to about N ms plus the broker's check interval.
 */
export class FlushPolicy {
  private unflushedMessages = 0;
  private lastFlushMs: number;

  constructor(
    private readonly config: Pick<LogConfig, 'flushMessages' | 'flushMs'>,
    now: number,
  ) {
    this.lastFlushMs = now;
  }

  /** Counts appended records; true when `flush.messages` says to fsync now. */
  recordAppend(messages: number): boolean {
    this.unflushedMessages += messages;
    return this.unflushedMessages >= this.config.flushMessages;
  }

  /** True when there is unflushed data older than `flush.ms`. */
  isDue(now: number): boolean {
    return this.unflushedMessages > 0 && now - this.lastFlushMs >= this.config.flushMs;
  }

  get pendingMessages(): number {
    return this.unflushedMessages;
  }

  flushed(now: number): void {
    this.unflushedMessages = 0;
    this.lastFlushMs = now;
  }
}
