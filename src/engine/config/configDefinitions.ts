/**
 * Topic-level configs with Kafka's names, types, defaults and validity rules. A topic's
 * effective value comes from its own override, else the broker-wide `log.*`/default setting
 * (its synonym), else the built-in default; DescribeConfigs reports which one applied.
 */

/** DescribeConfigs ConfigType codes (KIP-569). */
export const ConfigType = {
  Boolean: 1,
  String: 2,
  Int: 3,
  Short: 4,
  Long: 5,
  Double: 6,
  List: 7,
  Class: 8,
  Password: 9,
} as const;
export type ConfigTypeCode = (typeof ConfigType)[keyof typeof ConfigType];

/** DescribeConfigs ConfigSource codes. */
export const ConfigSource = {
  Unknown: 0,
  DynamicTopic: 1,
  DynamicBroker: 2,
  DynamicDefaultBroker: 3,
  StaticBroker: 4,
  Default: 5,
} as const;
export type ConfigSourceCode = (typeof ConfigSource)[keyof typeof ConfigSource];

export interface ConfigDefinition {
  name: string;
  type: ConfigTypeCode;
  /** Built-in default as Kafka prints it ('' for none). */
  defaultValue: string;
  /** The broker-level config that supplies the default for every topic, if any. */
  brokerSynonym?: string;
  /** Returns a reason when the (already trimmed) value is invalid. */
  validate?: (value: string) => string | undefined;
}

const LONG_MAX = 9223372036854775807n;
const INT_MAX = 2147483647;

function parseInteger(value: string, min: bigint, max: bigint): bigint | string {
  if (!/^-?\d+$/.test(value)) return `"${value}" is not an integer`;
  const parsed = BigInt(value);
  if (parsed < min || parsed > max) return `${value} is outside [${min}, ${max}]`;
  return parsed;
}

export const longAtLeast =
  (min: bigint) =>
  (value: string): string | undefined => {
    const parsed = parseInteger(value, min, LONG_MAX);
    return typeof parsed === 'string' ? parsed : undefined;
  };

const intAtLeast =
  (min: number) =>
  (value: string): string | undefined => {
    const parsed = parseInteger(value, BigInt(min), BigInt(INT_MAX));
    return typeof parsed === 'string' ? parsed : undefined;
  };

const oneOf =
  (...allowed: string[]) =>
  (value: string): string | undefined =>
    allowed.includes(value) ? undefined : `"${value}" must be one of ${allowed.join(', ')}`;

const listOf =
  (...allowed: string[]) =>
  (value: string): string | undefined => {
    const items = value.split(',').map((item) => item.trim());
    const bad = items.find((item) => !allowed.includes(item));
    return bad === undefined ? undefined : `"${bad}" must be one of ${allowed.join(', ')}`;
  };

const isBoolean = (value: string): string | undefined =>
  /^(true|false)$/i.test(value) ? undefined : `"${value}" is not true or false`;

const doubleBetween =
  (min: number, max: number) =>
  (value: string): string | undefined => {
    const parsed = Number(value);
    if (value === '' || Number.isNaN(parsed)) return `"${value}" is not a number`;
    return parsed < min || parsed > max ? `${value} is outside [${min}, ${max}]` : undefined;
  };

/**
 * Throttled-replica lists (KIP-73): '*' (every replica) or comma-separated
 * `partition:broker` pairs, as Kafka's ThrottledReplicaListValidator accepts them.
 */
const throttledReplicas = (value: string): string | undefined =>
  value === '' || value === '*' || value.split(',').every((entry) => /^\s*\d+\s*:\s*\d+\s*$/.test(entry))
    ? undefined
    : `"${value}" must be * or a list of partitionId:brokerId pairs such as 0:1,0:2`;

const definitions: ConfigDefinition[] = [
  { name: 'cleanup.policy', type: ConfigType.List, defaultValue: 'delete', brokerSynonym: 'log.cleanup.policy', validate: listOf('delete', 'compact') },
  { name: 'compression.type', type: ConfigType.String, defaultValue: 'producer', brokerSynonym: 'compression.type', validate: oneOf('uncompressed', 'zstd', 'lz4', 'snappy', 'gzip', 'producer') },
  { name: 'delete.retention.ms', type: ConfigType.Long, defaultValue: '86400000', brokerSynonym: 'log.cleaner.delete.retention.ms', validate: longAtLeast(0n) },
  { name: 'file.delete.delay.ms', type: ConfigType.Long, defaultValue: '60000', brokerSynonym: 'log.segment.delete.delay.ms', validate: longAtLeast(0n) },
  { name: 'flush.messages', type: ConfigType.Long, defaultValue: '9223372036854775807', brokerSynonym: 'log.flush.interval.messages', validate: longAtLeast(1n) },
  { name: 'flush.ms', type: ConfigType.Long, defaultValue: '9223372036854775807', brokerSynonym: 'log.flush.interval.ms', validate: longAtLeast(0n) },
  { name: 'follower.replication.throttled.replicas', type: ConfigType.List, defaultValue: '', validate: throttledReplicas },
  { name: 'index.interval.bytes', type: ConfigType.Int, defaultValue: '4096', brokerSynonym: 'log.index.interval.bytes', validate: intAtLeast(0) },
  { name: 'leader.replication.throttled.replicas', type: ConfigType.List, defaultValue: '', validate: throttledReplicas },
  { name: 'max.compaction.lag.ms', type: ConfigType.Long, defaultValue: '9223372036854775807', brokerSynonym: 'log.cleaner.max.compaction.lag.ms', validate: longAtLeast(1n) },
  { name: 'max.message.bytes', type: ConfigType.Int, defaultValue: '1048588', brokerSynonym: 'message.max.bytes', validate: intAtLeast(0) },
  { name: 'message.timestamp.after.max.ms', type: ConfigType.Long, defaultValue: '9223372036854775807', brokerSynonym: 'log.message.timestamp.after.max.ms', validate: longAtLeast(0n) },
  { name: 'message.timestamp.before.max.ms', type: ConfigType.Long, defaultValue: '9223372036854775807', brokerSynonym: 'log.message.timestamp.before.max.ms', validate: longAtLeast(0n) },
  { name: 'message.timestamp.type', type: ConfigType.String, defaultValue: 'CreateTime', brokerSynonym: 'log.message.timestamp.type', validate: oneOf('CreateTime', 'LogAppendTime') },
  { name: 'min.cleanable.dirty.ratio', type: ConfigType.Double, defaultValue: '0.5', brokerSynonym: 'log.cleaner.min.cleanable.ratio', validate: doubleBetween(0, 1) },
  { name: 'min.compaction.lag.ms', type: ConfigType.Long, defaultValue: '0', brokerSynonym: 'log.cleaner.min.compaction.lag.ms', validate: longAtLeast(0n) },
  { name: 'min.insync.replicas', type: ConfigType.Int, defaultValue: '1', brokerSynonym: 'min.insync.replicas', validate: intAtLeast(1) },
  { name: 'preallocate', type: ConfigType.Boolean, defaultValue: 'false', brokerSynonym: 'log.preallocate', validate: isBoolean },
  { name: 'retention.bytes', type: ConfigType.Long, defaultValue: '-1', brokerSynonym: 'log.retention.bytes', validate: longAtLeast(-1n) },
  { name: 'retention.ms', type: ConfigType.Long, defaultValue: '604800000', brokerSynonym: 'log.retention.ms', validate: longAtLeast(-1n) },
  { name: 'segment.bytes', type: ConfigType.Int, defaultValue: '1073741824', brokerSynonym: 'log.segment.bytes', validate: intAtLeast(14) },
  { name: 'segment.index.bytes', type: ConfigType.Int, defaultValue: '10485760', brokerSynonym: 'log.index.size.max.bytes', validate: intAtLeast(4) },
  { name: 'segment.jitter.ms', type: ConfigType.Long, defaultValue: '0', brokerSynonym: 'log.roll.jitter.ms', validate: longAtLeast(0n) },
  { name: 'segment.ms', type: ConfigType.Long, defaultValue: '604800000', brokerSynonym: 'log.roll.ms', validate: longAtLeast(1n) },
  { name: 'unclean.leader.election.enable', type: ConfigType.Boolean, defaultValue: 'false', brokerSynonym: 'unclean.leader.election.enable', validate: isBoolean },
];

export const TOPIC_CONFIGS: ReadonlyMap<string, ConfigDefinition> = new Map(
  definitions.map((definition) => [definition.name, definition]),
);

export type TopicConfigOverrides = Readonly<Record<string, string>>;

export class InvalidConfigError extends Error {
  override readonly name = 'InvalidConfigError';
}

/** Checks overrides against the definitions; throws InvalidConfigError naming the first problem. */
export function validateTopicConfigs(overrides: TopicConfigOverrides): void {
  for (const [name, rawValue] of Object.entries(overrides)) {
    const definition = TOPIC_CONFIGS.get(name);
    if (definition === undefined) {
      throw new InvalidConfigError(`Unknown topic config "${name}"`);
    }
    const problem = definition.validate?.(rawValue.trim());
    if (problem !== undefined) {
      throw new InvalidConfigError(`Invalid value for ${name}: ${problem}`);
    }
  }
}

export interface ResolvedConfig {
  name: string;
  value: string;
  source: ConfigSourceCode;
  type: ConfigTypeCode;
  /** Where the value could also come from, most specific first (DescribeConfigs synonyms). */
  synonyms: { name: string; value: string; source: ConfigSourceCode }[];
}

/**
 * Effective topic configs: topic override, else broker setting, else built-in default.
 * `brokerSettings` are the broker's static configs keyed by broker config name.
 */
export function resolveTopicConfigs(
  overrides: TopicConfigOverrides,
  brokerSettings: Readonly<Record<string, string>>,
): ResolvedConfig[] {
  return definitions.map((definition) => {
    const synonyms: ResolvedConfig['synonyms'] = [];
    const own = overrides[definition.name];
    if (own !== undefined) synonyms.push({ name: definition.name, value: own, source: ConfigSource.DynamicTopic });
    const brokerValue = definition.brokerSynonym === undefined ? undefined : brokerSettings[definition.brokerSynonym];
    if (brokerValue !== undefined && definition.brokerSynonym !== undefined) {
      synonyms.push({ name: definition.brokerSynonym, value: brokerValue, source: ConfigSource.StaticBroker });
    }
    synonyms.push({ name: definition.brokerSynonym ?? definition.name, value: definition.defaultValue, source: ConfigSource.Default });
    const winner = synonyms[0]!;
    return { name: definition.name, value: winner.value, source: winner.source, type: definition.type, synonyms };
  });
}

/** Typed view of the configs the engine itself acts on. */
export interface EffectiveTopicConfig {
  cleanupPolicy: string[];
  compressionType: string;
  maxMessageBytes: number;
  messageTimestampType: 'CreateTime' | 'LogAppendTime';
  minInsyncReplicas: number;
  retentionBytes: number;
  retentionMs: number;
  segmentBytes: number;
  segmentMs: number;
  indexIntervalBytes: number;
  flushMessages: number;
  flushMs: number;
  uncleanLeaderElectionEnable: boolean;
  leaderReplicationThrottledReplicas: string;
  followerReplicationThrottledReplicas: string;
}

/** Long.MAX_VALUE means "never" for Kafka's flush and lag settings; keep it as Infinity here. */
function toNumber(value: string): number {
  const parsed = BigInt(value);
  return parsed >= BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(parsed);
}

export function effectiveTopicConfig(
  overrides: TopicConfigOverrides,
  brokerSettings: Readonly<Record<string, string>>,
): EffectiveTopicConfig {
  const values = new Map(resolveTopicConfigs(overrides, brokerSettings).map((c) => [c.name, c.value.trim()]));
  const get = (name: string): string => values.get(name) ?? '';
  return {
    cleanupPolicy: get('cleanup.policy').split(',').map((p) => p.trim()),
    compressionType: get('compression.type'),
    maxMessageBytes: toNumber(get('max.message.bytes')),
    messageTimestampType: get('message.timestamp.type') === 'LogAppendTime' ? 'LogAppendTime' : 'CreateTime',
    minInsyncReplicas: toNumber(get('min.insync.replicas')),
    retentionBytes: toNumber(get('retention.bytes')),
    retentionMs: toNumber(get('retention.ms')),
    segmentBytes: toNumber(get('segment.bytes')),
    segmentMs: toNumber(get('segment.ms')),
    indexIntervalBytes: toNumber(get('index.interval.bytes')),
    flushMessages: toNumber(get('flush.messages')),
    flushMs: toNumber(get('flush.ms')),
    uncleanLeaderElectionEnable: get('unclean.leader.election.enable').toLowerCase() === 'true',
    leaderReplicationThrottledReplicas: get('leader.replication.throttled.replicas'),
    followerReplicationThrottledReplicas: get('follower.replication.throttled.replicas'),
  };
}
