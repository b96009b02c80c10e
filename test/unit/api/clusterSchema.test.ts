import { describe, expect, it } from 'vitest';
import { BootstrapServersSchema, ClusterSettingsSchema, splitBootstrapServers } from '../../../src/api/schemas/cluster';

describe('cluster settings schema', () => {
  it('accepts host names, IPv4 and bracketed IPv6 with a port in range', () => {
    const servers = ['kafka-1.internal:9092', '10.0.0.7:19092', '[::1]:9092', 'localhost:1', 'b:65535'];
    expect(BootstrapServersSchema.parse(servers)).toEqual(servers);
  });

  it('rejects entries without a valid port, and an empty list', () => {
    for (const bad of ['kafka', 'kafka:', 'kafka:0', 'kafka:65536', ':9092', '-kafka:9092', 'ka fka:9092', '::1:9092']) {
      expect(BootstrapServersSchema.safeParse([bad]).success, bad).toBe(false);
    }
    expect(BootstrapServersSchema.safeParse([]).error?.issues[0]?.message).toBe('Enter at least one bootstrap server');
  });

  it('requires SASL settings exactly for the SASL protocols', () => {
    const base = { name: 'c', bootstrapServers: ['k:9092'] };
    expect(ClusterSettingsSchema.safeParse({ ...base, security: { protocol: 'SASL_PLAINTEXT' } }).success).toBe(false);
    expect(
      ClusterSettingsSchema.safeParse({ ...base, security: { protocol: 'PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'u' } } }).success,
    ).toBe(false);
    expect(
      ClusterSettingsSchema.safeParse({ ...base, security: { protocol: 'SASL_SSL', sasl: { mechanism: 'SCRAM-SHA-512', username: 'u' } } }).success,
    ).toBe(true);
  });

  it('splits what users type on commas, spaces and new lines', () => {
    expect(splitBootstrapServers(' a:1, b:2\nc:3,,  ')).toEqual(['a:1', 'b:2', 'c:3']);
  });
});
