import { describe, expect, it } from 'vitest';
import { configSourceLabel, describeConfigValue, validateConfigValue } from '../../../renderer/app/topicConfigCatalog';

describe('validateConfigValue', () => {
  it('checks whole numbers against the config minimum and the type range', () => {
    expect(validateConfigValue('retention.ms', '86400000')).toBeNull();
    expect(validateConfigValue('retention.ms', '-1')).toBeNull();
    expect(validateConfigValue('retention.ms', '-2')).toBe('retention.ms is at least -1');
    expect(validateConfigValue('retention.ms', '1 day')).toBe('retention.ms is a whole number');
    expect(validateConfigValue('retention.ms', '9223372036854775808')).toBe('retention.ms is at most 9223372036854775807');
    expect(validateConfigValue('min.insync.replicas', '0')).toBe('min.insync.replicas is at least 1');
    expect(validateConfigValue('max.message.bytes', '2147483648')).toBe('max.message.bytes is at most 2147483647');
  });

  it('checks booleans, choices, lists and ratios', () => {
    expect(validateConfigValue('unclean.leader.election.enable', 'TRUE')).toBeNull();
    expect(validateConfigValue('unclean.leader.election.enable', 'yes')).toBe('unclean.leader.election.enable is true or false');
    expect(validateConfigValue('compression.type', 'zstd')).toBeNull();
    expect(validateConfigValue('compression.type', 'brotli')).toBe('compression.type is one of producer, uncompressed, gzip, snappy, lz4, zstd');
    expect(validateConfigValue('cleanup.policy', 'compact, delete')).toBeNull();
    expect(validateConfigValue('cleanup.policy', 'compact,archive')).toBe('cleanup.policy is a comma-separated list of delete, compact');
    expect(validateConfigValue('min.cleanable.dirty.ratio', '0.25')).toBeNull();
    expect(validateConfigValue('min.cleanable.dirty.ratio', '1.5')).toBe('min.cleanable.dirty.ratio is between 0 and 1');
    expect(validateConfigValue('leader.replication.throttled.replicas', '0:1, 1:2')).toBeNull();
    expect(validateConfigValue('leader.replication.throttled.replicas', '0-1')).toBe('leader.replication.throttled.replicas is * or a list of partition:broker pairs');
  });

  it('leaves configs it does not know to the broker', () => {
    expect(validateConfigValue('some.vendor.setting', 'anything')).toBeNull();
  });
});

describe('describeConfigValue', () => {
  it('reads milliseconds as durations and bytes in binary units', () => {
    expect(describeConfigValue('retention.ms', '604800000')).toBe('7 days');
    expect(describeConfigValue('retention.ms', '5400000')).toBe('1.5 hours');
    expect(describeConfigValue('segment.bytes', '1073741824')).toBe('1 GiB');
    expect(describeConfigValue('retention.ms', '-1')).toBeNull();
    expect(describeConfigValue('flush.ms', '9223372036854775807')).toBeNull();
    expect(describeConfigValue('cleanup.policy', 'delete')).toBeNull();
  });
});

describe('configSourceLabel', () => {
  it('names where a value comes from', () => {
    expect(configSourceLabel('DYNAMIC_TOPIC_CONFIG')).toBe('topic override');
    expect(configSourceLabel('DEFAULT_CONFIG')).toBe('default');
    expect(configSourceLabel('STATIC_BROKER_CONFIG')).toBe('broker (server.properties)');
  });
});
