import { describe, expect, it } from 'vitest';
import { ByteRateQuota, namesReplica } from '../../../../src/engine/partition/replicationQuota';

describe('throttled-replica lists', () => {
  it('name a replica by partition:broker, or every replica with *', () => {
    expect(namesReplica('0:1,1:2', 0, 1)).toBe(true);
    expect(namesReplica('0:1,1:2', 1, 2)).toBe(true);
    expect(namesReplica('0:1,1:2', 0, 2)).toBe(false);
    expect(namesReplica(' 3 : 4 ', 3, 4)).toBe(true);
    expect(namesReplica('*', 7, 9)).toBe(true);
    expect(namesReplica('', 0, 1)).toBe(false);
  });
});

describe('replication byte-rate quota', () => {
  it('is unlimited until a rate is set', () => {
    const quota = new ByteRateQuota();
    expect(quota.limited).toBe(false);
    quota.record(10_000_000, 0);
    expect(quota.available(0)).toBe(Number.POSITIVE_INFINITY);
    expect(quota.msUntilCredit(1, 0)).toBe(0);
  });

  it('lets through no more than rate × elapsed plus one overdraft, whatever the read pattern', () => {
    const quota = new ByteRateQuota();
    const rate = 100_000;
    quota.setRate(rate, 0);
    const batch = 64 * 1024;
    let taken = 0;
    // A reader that takes whole batches whenever there is any credit, every 10 ms for 20 s.
    for (let now = 0; now <= 20_000; now += 10) {
      if (quota.available(now) <= 0) continue;
      quota.record(batch, now);
      taken += batch;
      expect(taken).toBeLessThanOrEqual((rate * now) / 1000 + batch);
    }
    expect(taken).toBeGreaterThanOrEqual(rate * 19);
  });

  it('caps idle credit at one second of the rate, and a new rate applies to what follows', () => {
    const quota = new ByteRateQuota();
    quota.setRate(1000, 0);
    expect(quota.available(60_000)).toBe(1000);
    quota.record(3000, 60_000);
    expect(quota.available(60_000)).toBe(-2000);
    expect(quota.msUntilCredit(0.5, 60_000)).toBe(2500);
    quota.setRate(1_000_000, 60_000);
    expect(quota.available(60_010)).toBe(8000);
    quota.setRate(null, 60_010);
    expect(quota.available(60_010)).toBe(Number.POSITIVE_INFINITY);
  });
});
