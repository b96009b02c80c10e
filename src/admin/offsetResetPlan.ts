import { AdminError } from './adminError';

/**
 * Offset reset planning, with the modes of kafka-consumer-groups.sh --reset-offsets. A pure
 * function of what the cluster told us (committed offsets, log start and end, the offset for
 * a timestamp), so a dry run and an execution compute exactly the same plan and the rules can
 * be tested without a cluster.
 */
export type ResetMode =
  | { mode: 'to-earliest' }
  | { mode: 'to-latest' }
  | { mode: 'to-current' }
  | { mode: 'to-offset'; offset: number }
  | { mode: 'shift-by'; shift: number }
  /** `datetime` as the user wrote it; `timestamp` its epoch milliseconds. */
  | { mode: 'to-datetime'; datetime: string; timestamp: number }
  /** `duration` as the user wrote it (ISO-8601, e.g. PT1H); the plan uses now - duration. */
  | { mode: 'by-duration'; duration: string; durationMs: number }
  | { mode: 'from-file'; path: string; offsets: FileOffset[] };

export type ResetModeName = ResetMode['mode'];

export interface FileOffset {
  topic: string;
  partition: number;
  offset: number;
}

export interface PartitionOffsets {
  topic: string;
  partition: number;
  /** The group's committed offset, null when it has none for this partition. */
  committed: number | null;
  logStartOffset: number;
  /** The high watermark: where a consumer of committed data ends. */
  logEndOffset: number;
  /** For time-based modes: the first offset at or after the target time, null when none is. */
  offsetForTime?: number | null;
}

export interface ResetPlanRow {
  topic: string;
  partition: number;
  currentOffset: number | null;
  newOffset: number;
  /** What the mode asked for before clamping to the log; differs from newOffset only when clamped. */
  requestedOffset: number;
  clampedTo: 'log-start' | 'log-end' | null;
  logStartOffset: number;
  logEndOffset: number;
  /** Messages the group will read again (new < current), or skip (new > current); null without a current offset. */
  messagesReread: number | null;
  messagesSkipped: number | null;
}

/** The instant a time-based mode points at. */
export function targetTimestamp(mode: ResetMode, nowMs: number): number | null {
  switch (mode.mode) {
    case 'to-datetime':
      return mode.timestamp;
    case 'by-duration':
      return nowMs - mode.durationMs;
    case 'to-earliest':
    case 'to-latest':
    case 'to-current':
    case 'to-offset':
    case 'shift-by':
    case 'from-file':
      return null;
  }
}

export function planOffsetReset(partitions: PartitionOffsets[], mode: ResetMode): ResetPlanRow[] {
  const fileOffsets = mode.mode === 'from-file' ? new Map(mode.offsets.map((entry) => [`${entry.topic}:${entry.partition}`, entry.offset])) : null;
  const withoutCommit = partitions.filter((entry) => entry.committed === null);
  if (mode.mode === 'shift-by' && withoutCommit.length > 0) {
    // Kafka refuses too: a shift needs something to shift from.
    throw new AdminError(
      'invalid-input',
      `cannot shift ${describePartitions(withoutCommit)}: the group has no committed offset there (use --to-earliest, --to-latest or --to-offset for them)`,
    );
  }
  return partitions.map((entry) => {
    const requested = requestedOffset(entry, mode, fileOffsets);
    const newOffset = Math.min(Math.max(requested, entry.logStartOffset), entry.logEndOffset);
    const clampedTo = requested < entry.logStartOffset ? 'log-start' : requested > entry.logEndOffset ? 'log-end' : null;
    const current = entry.committed;
    return {
      topic: entry.topic,
      partition: entry.partition,
      currentOffset: current,
      newOffset,
      requestedOffset: requested,
      clampedTo,
      logStartOffset: entry.logStartOffset,
      logEndOffset: entry.logEndOffset,
      messagesReread: current === null ? null : Math.max(0, current - newOffset),
      messagesSkipped: current === null ? null : Math.max(0, newOffset - current),
    };
  });
}

function requestedOffset(entry: PartitionOffsets, mode: ResetMode, fileOffsets: Map<string, number> | null): number {
  switch (mode.mode) {
    case 'to-earliest':
      return entry.logStartOffset;
    case 'to-latest':
      return entry.logEndOffset;
    case 'to-current':
      // As Kafka's tool: a partition without a committed offset goes to the log end.
      return entry.committed ?? entry.logEndOffset;
    case 'to-offset':
      return mode.offset;
    case 'shift-by':
      return entry.committed! + mode.shift;
    case 'to-datetime':
    case 'by-duration':
      if (entry.offsetForTime === undefined) throw new Error(`no offset-for-time lookup for ${entry.topic}-${entry.partition}`);
      // No message at or after the time: the consumer starts at the end, as in Kafka.
      return entry.offsetForTime ?? entry.logEndOffset;
    case 'from-file': {
      const offset = fileOffsets!.get(`${entry.topic}:${entry.partition}`);
      if (offset === undefined) throw new Error(`${entry.topic}-${entry.partition} is not in the reset file`);
      return offset;
    }
  }
}

function describePartitions(entries: { topic: string; partition: number }[]): string {
  const names = entries.slice(0, 5).map((entry) => `${entry.topic}-${entry.partition}`);
  return names.join(', ') + (entries.length > 5 ? ` and ${entries.length - 5} more` : '');
}

/**
 * `--to-datetime`: Kafka's format YYYY-MM-DDTHH:mm:SS.sss with an optional zone (Z, +hh:mm,
 * +hhmm); without a zone the local time zone applies, as in Kafka's tool.
 */
export function parseResetDatetime(text: string): number {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(text.trim());
  if (!match) {
    throw new AdminError('invalid-input', `--to-datetime "${text}" is not YYYY-MM-DDTHH:mm:SS.sss with an optional zone (e.g. 2024-05-01T09:30:00.000Z)`);
  }
  const [, year, month, day, hour, minute, second = '0', millis = '0', zone] = match;
  const fields = [Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), Number(millis.padEnd(3, '0'))] as const;
  let timestamp: number;
  if (zone === undefined) {
    timestamp = new Date(...fields).getTime();
  } else {
    timestamp = Date.UTC(...fields);
    if (zone !== 'Z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      timestamp -= sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2))) * 60_000;
    }
  }
  const check = new Date(Date.UTC(...fields));
  if (Number.isNaN(timestamp) || check.getUTCDate() !== fields[2] || check.getUTCMonth() !== fields[1] || fields[3] > 23 || fields[4] > 59 || fields[5] > 59) {
    throw new AdminError('invalid-input', `--to-datetime "${text}" is not a valid date and time`);
  }
  return timestamp;
}

/** `--by-duration`: ISO-8601 as java.time.Duration reads it (PnDTnHnMn.nS), e.g. PT30M or P1DT12H. */
export function parseIsoDuration(text: string): number {
  const match = /^([-+]?)P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d{1,9})?)S)?)?$/i.exec(text.trim());
  if (!match || /T$/i.test(text.trim()) || match.slice(2).every((part) => part === undefined)) {
    throw new AdminError('invalid-input', `--by-duration "${text}" is not an ISO-8601 duration such as PT30M, PT1H or P1DT12H`);
  }
  // Kafka's tool takes the absolute value: a duration always points back in time, so a sign is ignored.
  const [, , days = '0', hours = '0', minutes = '0', seconds = '0'] = match;
  return ((Number(days) * 24 + Number(hours)) * 60 + Number(minutes)) * 60_000 + Math.round(Number(seconds) * 1000);
}
