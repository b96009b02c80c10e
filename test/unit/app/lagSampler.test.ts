import { describe, expect, it } from 'vitest';
import { LagHistory, LagSeries, lagTrend } from '../../../src/app/lagHistory';
import { LagSampler, type LagSource } from '../../../src/app/lagSampler';

/**
 * A cluster's lag as the sampler would read it, kept in memory: groups "g0000".."gNNNN",
 * each with a lag that the test moves. Records what the sampler asked for, per tick.
 */
class InMemoryLagSource implements LagSource {
  readonly totalLagCalls: string[][] = [];
  readonly partitionLagCalls: string[] = [];
  listCalls = 0;
  readonly lag = new Map<string, number>();

  constructor(readonly groups: string[]) {
    for (const group of groups) this.lag.set(group, 0);
  }

  async groupIds(): Promise<string[]> {
    this.listCalls++;
    return [...this.groups];
  }

  async totalLag(_ref: string, groups: readonly string[]): Promise<Map<string, number>> {
    this.totalLagCalls.push([...groups]);
    return new Map(groups.map((group) => [group, this.lag.get(group) ?? 0]));
  }

  async partitionLag(_ref: string, group: string) {
    this.partitionLagCalls.push(group);
    const lag = this.lag.get(group) ?? 0;
    return [
      { topic: 'orders', partition: 0, lag: Math.ceil(lag / 2) },
      { topic: 'orders', partition: 1, lag: Math.floor(lag / 2) },
    ];
  }
}

const names = (count: number) => Array.from({ length: count }, (_, index) => `g${String(index).padStart(4, '0')}`);

function sampler(source: LagSource, overrides: Partial<ConstructorParameters<typeof LagSampler>[1]> = {}) {
  let now = 1_000_000;
  const clock = { advance: (ms: number) => (now += ms) };
  const instance = new LagSampler(source, { log: () => undefined, now: () => now, intervalMs: 60_000, ...overrides });
  return { instance, clock };
}

describe('lag sampler', () => {
  it('computes lag for at most groupsPerTick groups per tick, and reaches every one of 2,000 groups round robin', async () => {
    const source = new InMemoryLagSource(names(2_000));
    const { instance, clock } = sampler(source, { groupsPerTick: 100 });
    instance.watch('embedded');
    instance.close(); // ticks are driven by the test
    for (let tick = 0; tick < 20; tick++) {
      await instance.tick();
      clock.advance(5_000);
    }
    expect(source.totalLagCalls).toHaveLength(20);
    expect(Math.max(...source.totalLagCalls.map((batch) => batch.length))).toBe(100);
    expect(new Set(source.totalLagCalls.flat()).size).toBe(2_000);
    expect(instance.trends('embedded').groups).toHaveLength(2_000);
    expect(instance.trends('embedded').cycleMs).toBe(20 * 60_000);
  });

  it('keeps at most maxGroupSeries series and pointsPerSeries points each, however long it runs', async () => {
    const source = new InMemoryLagSource(names(300));
    const { instance, clock } = sampler(source, { groupsPerTick: 300, maxGroupSeries: 50, pointsPerSeries: 8 });
    instance.watch('embedded');
    instance.close();
    for (let tick = 0; tick < 30; tick++) {
      await instance.tick();
      clock.advance(5_000);
    }
    expect(instance.seriesCount.groups).toBe(50);
    expect(instance.trends('embedded').groups).toHaveLength(50);

    const few = new InMemoryLagSource(names(10));
    const bounded = sampler(few, { groupsPerTick: 10, maxGroupSeries: 50, pointsPerSeries: 8 });
    bounded.instance.watch('embedded');
    bounded.instance.close();
    for (let tick = 0; tick < 30; tick++) {
      few.lag.set('g0003', tick);
      await bounded.instance.tick();
      bounded.clock.advance(5_000);
    }
    // The newest 8 of 30 samples, in order.
    expect(bounded.instance.history('embedded', 'g0003').total.map(([, lag]) => lag)).toEqual([22, 23, 24, 25, 26, 27, 28, 29]);
  });

  it('samples a viewed group every tick per partition, and its trend follows the lag up and down', async () => {
    const source = new InMemoryLagSource(names(500));
    const { instance, clock } = sampler(source, { groupsPerTick: 10 });
    instance.view('embedded', 'g0250');
    instance.close();
    for (const lag of [0, 100, 200, 300, 400, 500]) {
      source.lag.set('g0250', lag);
      await instance.tick();
      clock.advance(5_000);
    }
    let history = instance.history('embedded', 'g0250');
    expect(history.total.map(([, lag]) => lag)).toEqual([0, 100, 200, 300, 400, 500]);
    expect(history.partitions.map((partition) => partition.points.map(([, lag]) => lag))).toEqual([
      [0, 50, 100, 150, 200, 250],
      [0, 50, 100, 150, 200, 250],
    ]);
    expect(history.trend).toBe('rising');
    // The viewed group is not also sampled in the round-robin batches.
    expect(source.totalLagCalls.flat()).not.toContain('g0250');

    for (const lag of [400, 300, 200, 100, 0, 0]) {
      source.lag.set('g0250', lag);
      instance.view('embedded', 'g0250');
      await instance.tick();
      clock.advance(5_000);
    }
    history = instance.history('embedded', 'g0250');
    expect(history.trend).toBe('falling');
  });

  it('stops per-partition sampling once the group page has not asked for viewedForMs', async () => {
    const source = new InMemoryLagSource(names(3));
    const { instance, clock } = sampler(source, { viewedForMs: 10_000 });
    instance.view('embedded', 'g0001');
    instance.close();
    await instance.tick();
    clock.advance(11_000);
    await instance.tick();
    expect(source.partitionLagCalls).toEqual(['g0001']);
  });

  it('forgets a deleted group when the list is read again, and samples only the watched cluster', async () => {
    const source = new InMemoryLagSource(names(3));
    const { instance } = sampler(source, { listEveryTicks: 1 });
    instance.watch('embedded');
    instance.close();
    await instance.tick();
    expect(instance.trends('embedded').groups.map((group) => group.group)).toEqual(['g0000', 'g0001', 'g0002']);
    source.groups.splice(1, 1);
    await instance.tick();
    expect(instance.trends('embedded').groups.map((group) => group.group)).toEqual(['g0000', 'g0002']);
    expect(instance.trends('7d1f1b3e-7a43-4f43-9b59-7fb4f6a3f0c1').groups).toEqual([]);
  });

  it('reports why a sample failed and recovers on the next tick', async () => {
    const source = new InMemoryLagSource(names(2));
    let fail = true;
    const flaky: LagSource = { ...source, groupIds: async () => (fail ? Promise.reject(new Error('cluster unreachable')) : source.groupIds()), totalLag: (ref, groups) => source.totalLag(ref, groups), partitionLag: (ref, group) => source.partitionLag(ref, group) };
    const { instance } = sampler(flaky);
    instance.watch('embedded');
    instance.close();
    await instance.tick();
    expect(instance.trends('embedded').lastError).toBe('cluster unreachable');
    fail = false;
    await instance.tick();
    expect(instance.trends('embedded').lastError).toBeNull();
    expect(instance.trends('embedded').groups).toHaveLength(2);
  });
});

describe('lag history', () => {
  it('a series keeps the newest points in order once full', () => {
    const series = new LagSeries(3);
    for (let index = 1; index <= 5; index++) series.append(index, index * 10);
    expect(series.points()).toEqual([
      [3, 30],
      [4, 40],
      [5, 50],
    ]);
    expect(series.points(2)).toEqual([
      [4, 40],
      [5, 50],
    ]);
  });

  it('drops the least recently sampled series first', () => {
    const history = new LagHistory(2, 4);
    history.append('a', 1, 1);
    history.append('b', 1, 1);
    history.append('a', 2, 2);
    history.append('c', 2, 2);
    expect([...history.keys()]).toEqual(['a', 'c']);
  });

  it('calls a trend steady within 5% noise, falling once a backlog is worked off,, and unknown with fewer than two samples', () => {
    expect(lagTrend([[0, 1_000]])).toBe('unknown');
    expect(
      lagTrend([
        [0, 1_000],
        [5, 1_010],
        [10, 990],
        [15, 1_005],
      ]),
    ).toBe('steady');
    expect(
      lagTrend([
        [0, 0],
        [5, 3],
      ]),
    ).toBe('rising');
    // Fell behind, then caught up: falling while the backlog is in the window, then steady.
    const caughtUp: [number, number][] = [0, 0, 15, 30, 0, 0].map((lag, index) => [index * 5, lag]);
    expect(lagTrend(caughtUp)).toBe('falling');
    expect(lagTrend([...caughtUp, [30, 0], [35, 0], [40, 0], [45, 0]])).toBe('steady');
  });
});
