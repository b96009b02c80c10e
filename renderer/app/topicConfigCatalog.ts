/**
 * What the UI knows about Kafka's topic configs: each one's type, its valid values and a short
 * hint in our words, so an edit is checked before it is sent. Configs not listed here (newer
 * Kafka versions, vendor extensions) are sent as typed and the broker's INVALID_CONFIG answer
 * is shown instead. The rules follow Kafka's TopicConfig/LogConfig definitions.
 */
export type ConfigKind =
  | { readonly type: 'long' | 'int'; readonly min: bigint; readonly unit?: 'ms' | 'bytes' }
  | { readonly type: 'double'; readonly min: number; readonly max: number }
  | { readonly type: 'boolean' }
  | { readonly type: 'enum'; readonly values: readonly string[] }
  | { readonly type: 'list'; readonly values?: readonly string[] }
  | { readonly type: 'throttled-replicas' };

export interface KnownConfig {
  readonly kind: ConfigKind;
  readonly hint: string;
}

const INT_MAX = 2147483647n;
const LONG_MAX = 9223372036854775807n;

const long = (min: bigint, unit?: 'ms' | 'bytes'): ConfigKind => ({ type: 'long', min, ...(unit ? { unit } : {}) });
const int = (min: bigint, unit?: 'ms' | 'bytes'): ConfigKind => ({ type: 'int', min, ...(unit ? { unit } : {}) });

export const KNOWN_TOPIC_CONFIGS: ReadonlyMap<string, KnownConfig> = new Map<string, KnownConfig>([
  ['cleanup.policy', { kind: { type: 'list', values: ['delete', 'compact'] }, hint: 'delete drops old segments by time or size; compact keeps the latest value per key; both may be combined.' }],
  ['compression.type', { kind: { type: 'enum', values: ['producer', 'uncompressed', 'gzip', 'snappy', 'lz4', 'zstd'] }, hint: 'Codec the broker stores batches with; producer keeps whatever the producer sent.' }],
  ['delete.retention.ms', { kind: long(0n, 'ms'), hint: 'How long tombstones stay in a compacted topic, so consumers catching up see deletions.' }],
  ['file.delete.delay.ms', { kind: long(0n, 'ms'), hint: 'Wait before a deleted segment file is removed from disk.' }],
  ['flush.messages', { kind: long(1n), hint: 'Force an fsync after this many messages; normally left to the OS and replication.' }],
  ['flush.ms', { kind: long(0n, 'ms'), hint: 'Force an fsync after this long; normally left to the OS and replication.' }],
  ['follower.replication.throttled.replicas', { kind: { type: 'throttled-replicas' }, hint: 'Replicas (partition:broker) whose follower fetching is throttled during a reassignment; * for all.' }],
  ['index.interval.bytes', { kind: int(0n, 'bytes'), hint: 'Bytes between offset index entries: smaller is a denser index.' }],
  ['leader.replication.throttled.replicas', { kind: { type: 'throttled-replicas' }, hint: 'Replicas (partition:broker) whose leader side is throttled during a reassignment; * for all.' }],
  ['local.retention.bytes', { kind: long(-2n, 'bytes'), hint: 'Tiered storage: bytes kept on local disk per partition (-2: same as retention.bytes).' }],
  ['local.retention.ms', { kind: long(-2n, 'ms'), hint: 'Tiered storage: time kept on local disk (-2: same as retention.ms).' }],
  ['max.compaction.lag.ms', { kind: long(1n, 'ms'), hint: 'Longest a message may stay uncompacted in a compacted topic.' }],
  ['max.message.bytes', { kind: int(0n, 'bytes'), hint: 'Largest record batch the broker accepts for this topic (after compression).' }],
  ['message.downconversion.enable', { kind: { type: 'boolean' }, hint: 'Whether the broker converts messages for old consumers.' }],
  ['message.timestamp.after.max.ms', { kind: long(0n, 'ms'), hint: 'How far in the future a CreateTime timestamp may be before the batch is rejected.' }],
  ['message.timestamp.before.max.ms', { kind: long(0n, 'ms'), hint: 'How far in the past a CreateTime timestamp may be before the batch is rejected.' }],
  ['message.timestamp.difference.max.ms', { kind: long(0n, 'ms'), hint: 'Older name: largest allowed gap between a message timestamp and the broker clock.' }],
  ['message.timestamp.type', { kind: { type: 'enum', values: ['CreateTime', 'LogAppendTime'] }, hint: 'CreateTime keeps the producer’s timestamp; LogAppendTime stamps the broker’s time on append.' }],
  ['min.cleanable.dirty.ratio', { kind: { type: 'double', min: 0, max: 1 }, hint: 'Share of a compacted log that must be uncompacted before the cleaner runs.' }],
  ['min.compaction.lag.ms', { kind: long(0n, 'ms'), hint: 'Shortest time a message stays uncompacted.' }],
  ['min.insync.replicas', { kind: int(1n), hint: 'Replicas that must be in sync for acks=all writes to succeed; below it producers get NOT_ENOUGH_REPLICAS.' }],
  ['preallocate', { kind: { type: 'boolean' }, hint: 'Preallocate segment files on disk when they are created.' }],
  ['remote.storage.enable', { kind: { type: 'boolean' }, hint: 'Tiered storage: copy closed segments to remote storage.' }],
  ['retention.bytes', { kind: long(-1n, 'bytes'), hint: 'Largest size a partition may grow to before old segments are deleted (-1: no limit).' }],
  ['retention.ms', { kind: long(-1n, 'ms'), hint: 'How long messages are kept before their segment may be deleted (-1: forever).' }],
  ['segment.bytes', { kind: int(14n, 'bytes'), hint: 'Size at which the active segment is rolled; retention deletes whole segments.' }],
  ['segment.index.bytes', { kind: int(4n, 'bytes'), hint: 'Size of each segment’s offset index file.' }],
  ['segment.jitter.ms', { kind: long(0n, 'ms'), hint: 'Random delay added to segment.ms so segments do not all roll at once.' }],
  ['segment.ms', { kind: long(1n, 'ms'), hint: 'Time after which the active segment is rolled even if not full.' }],
  ['unclean.leader.election.enable', { kind: { type: 'boolean' }, hint: 'Let an out-of-sync replica become leader when no in-sync one is left: availability over lost messages.' }],
]);

/** Why a value is invalid for a known config, or null when it is valid (or the config is unknown here). */
export function validateConfigValue(name: string, rawValue: string): string | null {
  const known = KNOWN_TOPIC_CONFIGS.get(name);
  if (known === undefined) return null;
  const value = rawValue.trim();
  const kind = known.kind;
  switch (kind.type) {
    case 'long':
    case 'int': {
      if (!/^-?\d+$/.test(value)) return `${name} is a whole number`;
      const parsed = BigInt(value);
      const max = kind.type === 'int' ? INT_MAX : LONG_MAX;
      if (parsed < kind.min) return `${name} is at least ${kind.min}`;
      if (parsed > max) return `${name} is at most ${max}`;
      return null;
    }
    case 'double': {
      const parsed = Number(value);
      if (value === '' || Number.isNaN(parsed)) return `${name} is a number`;
      return parsed < kind.min || parsed > kind.max ? `${name} is between ${kind.min} and ${kind.max}` : null;
    }
    case 'boolean':
      return /^(true|false)$/i.test(value) ? null : `${name} is true or false`;
    case 'enum':
      return kind.values.includes(value) ? null : `${name} is one of ${kind.values.join(', ')}`;
    case 'list': {
      if (kind.values === undefined) return null;
      const items = value.split(',').map((item) => item.trim());
      const bad = items.find((item) => !kind.values!.includes(item));
      return bad === undefined ? null : `${name} is a comma-separated list of ${kind.values.join(', ')}`;
    }
    case 'throttled-replicas':
      return value === '' || value === '*' || /^\d+:\d+(\s*,\s*\d+:\d+)*$/.test(value) ? null : `${name} is * or a list of partition:broker pairs`;
  }
}

const DURATIONS: readonly [number, string][] = [
  [86_400_000, 'day'],
  [3_600_000, 'hour'],
  [60_000, 'minute'],
  [1_000, 'second'],
];

/** "7 days", "1.5 hours": what a millisecond or byte value means, beside the raw number. */
export function describeConfigValue(name: string, value: string | null): string | null {
  const known = KNOWN_TOPIC_CONFIGS.get(name);
  if (value === null || known === undefined || (known.kind.type !== 'long' && known.kind.type !== 'int') || !/^\d+$/.test(value)) return null;
  const amount = Number(value);
  if (BigInt(value) >= INT_MAX * 2n) return null;
  if (known.kind.unit === 'ms') {
    const match = DURATIONS.find(([size]) => amount >= size);
    if (match === undefined) return null;
    const count = Math.round((amount / match[0]) * 10) / 10;
    return `${count} ${match[1]}${count === 1 ? '' : 's'}`;
  }
  if (known.kind.unit === 'bytes' && amount >= 1024) {
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let scaled = amount / 1024;
    let unit = 0;
    while (scaled >= 1024 && unit < units.length - 1) {
      scaled /= 1024;
      unit++;
    }
    return `${Math.round(scaled * 10) / 10} ${units[unit]}`;
  }
  return null;
}

/** Where a config's value comes from, in words (DescribeConfigs' ConfigSource). */
export function configSourceLabel(source: string): string {
  switch (source) {
    case 'DYNAMIC_TOPIC_CONFIG':
      return 'topic override';
    case 'DYNAMIC_BROKER_CONFIG':
      return 'broker (dynamic)';
    case 'DYNAMIC_DEFAULT_BROKER_CONFIG':
      return 'cluster default (dynamic)';
    case 'STATIC_BROKER_CONFIG':
      return 'broker (server.properties)';
    case 'DEFAULT_CONFIG':
      return 'default';
    default:
      return 'unknown';
  }
}
