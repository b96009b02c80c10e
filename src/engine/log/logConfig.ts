/**
 * Per-log settings, named after Kafka's topic configs (`segment.bytes`, `retention.ms`, ...)
 * and defaulting to Kafka's values, so a topic created without overrides behaves like one on
 * a stock broker. The config layer maps Kafka's names to these fields.
 */
export interface LogConfig {
  /** `segment.bytes`: roll to a new segment once the active one would grow past this. */
  segmentBytes: number;
  /** `segment.ms`: roll once the active segment's first batch is older than this. */
  segmentMs: number;
  /** `segment.index.bytes`: size cap of each offset/time index; a full index rolls the segment. */
  segmentIndexBytes: number;
  /** `retention.ms`: delete segments whose newest timestamp is older than this; -1 = forever. */
  retentionMs: number;
  /** `retention.bytes`: delete oldest segments while the log is bigger than this; -1 = no limit. */
  retentionBytes: number;
  /** `index.interval.bytes`: bytes of batches between two entries of the sparse indexes. */
  indexIntervalBytes: number;
  /** `flush.messages`: fsync after this many messages (records) since the last fsync. */
  flushMessages: number;
  /** `flush.ms`: fsync when the last fsync is older than this (checked by `flushIfDue`). */
  flushMs: number;
}

/**
 * Kafka's `flush.messages` and `flush.ms` default to Long.MAX_VALUE: never fsync explicitly and
 * rely on replication. JS numbers cannot hold Long.MAX_VALUE, so the largest safe integer
 * stands for it here; it is equally unreachable.
 */
export const NEVER = Number.MAX_SAFE_INTEGER;

export const DEFAULT_LOG_CONFIG: Readonly<LogConfig> = Object.freeze({
  segmentBytes: 1024 * 1024 * 1024,
  segmentMs: 7 * 24 * 60 * 60 * 1000,
  segmentIndexBytes: 10 * 1024 * 1024,
  retentionMs: 7 * 24 * 60 * 60 * 1000,
  retentionBytes: -1,
  indexIntervalBytes: 4096,
  flushMessages: NEVER,
  flushMs: NEVER,
});

/** Defaults overlaid with topic overrides, rejecting values Kafka's validators would reject. */
export function logConfig(overrides: Partial<LogConfig> = {}): LogConfig {
  const config: LogConfig = { ...DEFAULT_LOG_CONFIG, ...overrides };
  // Kafka's minimum segment.bytes is 14 (a legacy record overhead); a magic-2 batch header is
  // 61 bytes, so anything smaller would roll before every batch anyway.
  const atLeast: [keyof LogConfig, number][] = [
    ['segmentBytes', 14],
    ['segmentMs', 1],
    ['segmentIndexBytes', 12],
    ['indexIntervalBytes', 0],
    ['flushMessages', 1],
    ['flushMs', 0],
    ['retentionMs', -1],
    ['retentionBytes', -1],
  ];
  for (const [key, min] of atLeast) {
    const value = config[key];
    if (!Number.isSafeInteger(value) || value < min) {
      throw new RangeError(`log config ${key} = ${value} is invalid: it must be an integer >= ${min}`);
    }
  }
  // Positions in the offset index are int32, as in Kafka, which caps segment.bytes likewise.
  if (config.segmentBytes > 2 ** 31 - 1) {
    throw new RangeError(`log config segmentBytes = ${config.segmentBytes} is invalid: it must be at most ${2 ** 31 - 1}`);
  }
  return config;
}
