import type { ClusterRef } from '../api/schemas/clusterRef';
import type { GroupLagHistory, LagTrends } from '../api/schemas/lag';
import { LagHistory, lagTrend } from './lagHistory';

/** Where the sampler reads lag from; the app's implementation goes through the admin session pool (lagSource.ts). */
export interface LagSource {
  /** Every consumer group of the cluster (a cheap ListGroups; no offsets). */
  groupIds(ref: ClusterRef): Promise<string[]>;
  /** Total lag of each named group; groups without commits may be missing. */
  totalLag(ref: ClusterRef, groups: readonly string[]): Promise<Map<string, number>>;
  /** Lag of each partition the group has committed offsets for. */
  partitionLag(ref: ClusterRef, group: string): Promise<{ topic: string; partition: number; lag: number | null }[]>;
}

export interface LagSamplerOptions {
  readonly intervalMs: number;
  /** Bound on groups whose lag is computed per tick; the rest wait for their turn (round robin). */
  readonly groupsPerTick: number;
  readonly pointsPerSeries: number;
  /** Bound on group series kept (all clusters together). */
  readonly maxGroupSeries: number;
  /** Bound on per-partition series kept for viewed groups. */
  readonly maxPartitionSeries: number;
  /** The group list is re-read every this many ticks. */
  readonly listEveryTicks: number;
  /** A group page keeps its per-partition sampling this long after its last request. */
  readonly viewedForMs: number;
  /** At most this many groups get per-partition sampling at once (the most recently viewed). */
  readonly maxViewedGroups: number;
  /** Points returned per group for the groups table's sparklines. */
  readonly sparklinePoints: number;
  readonly now: () => number;
  readonly log: (message: string) => void;
}

export const DEFAULT_LAG_SAMPLER_OPTIONS: Omit<LagSamplerOptions, 'log'> = {
  intervalMs: 5_000,
  groupsPerTick: 100,
  pointsPerSeries: 240,
  maxGroupSeries: 2_500,
  maxPartitionSeries: 2_000,
  listEveryTicks: 6,
  viewedForMs: 30_000,
  maxViewedGroups: 3,
  sparklinePoints: 24,
  now: () => Date.now(),
};

const SEPARATOR = '\u0000';
const groupKey = (ref: ClusterRef, group: string) => `${ref}${SEPARATOR}${group}`;
const partitionKey = (ref: ClusterRef, group: string, topic: string, partition: number) => `${ref}${SEPARATOR}${group}${SEPARATOR}${topic}${SEPARATOR}${partition}`;

/**
 * Samples consumer lag of the cluster the UI is looking at, in the back end, while the app
 * runs: every tick it computes total lag for the next `groupsPerTick` groups (round robin, so
 * 2,000 groups cost the cluster no more per tick than 100) and per-partition lag for the
 * groups whose pages are open. Only one cluster is sampled: the one last watched.
 */
export class LagSampler {
  readonly #options: LagSamplerOptions;
  readonly #groups: LagHistory;
  readonly #partitions: LagHistory;
  #watched: ClusterRef | null = null;
  #groupIds: string[] | null = null;
  #cursor = 0;
  #ticks = 0;
  #running = false;
  #listStale = false;
  #lastError: string | null = null;
  /** group -> time its page last asked, for the watched cluster; insertion order is recency. */
  readonly #viewed = new Map<string, number>();
  #timer: NodeJS.Timeout | null = null;
  #firstTick: NodeJS.Timeout | null = null;

  constructor(
    private readonly source: LagSource,
    options: Partial<LagSamplerOptions> & Pick<LagSamplerOptions, 'log'>,
  ) {
    this.#options = { ...DEFAULT_LAG_SAMPLER_OPTIONS, ...options };
    this.#groups = new LagHistory(this.#options.maxGroupSeries, this.#options.pointsPerSeries);
    this.#partitions = new LagHistory(this.#options.maxPartitionSeries, this.#options.pointsPerSeries);
  }

  /** Samples this cluster from now on (the UI's selected cluster); starts the timer on first use. */
  watch(ref: ClusterRef): void {
    if (this.#watched !== ref) {
      this.#watched = ref;
      this.#groupIds = null;
      this.#cursor = 0;
      this.#viewed.clear();
      this.#lastError = null;
    }
    if (this.#timer === null) {
      this.#timer = setInterval(() => void this.tick(), this.#options.intervalMs);
      this.#timer.unref();
      // The first sample comes at once, so a chart has a point before the first interval ends.
      this.#firstTick = setTimeout(() => void this.tick(), 0);
      this.#firstTick.unref();
    }
  }

  /** A group's page is open: sample its partitions every tick for a while. */
  view(ref: ClusterRef, group: string): void {
    this.watch(ref);
    this.#viewed.delete(group);
    this.#viewed.set(group, this.#options.now());
    // A group newer than the last list is listed at the next tick rather than up to listEveryTicks later.
    if (this.#groupIds !== null && !this.#groupIds.includes(group)) this.#listStale = true;
    while (this.#viewed.size > this.#options.maxViewedGroups) this.#viewed.delete(this.#viewed.keys().next().value as string);
  }

  /** One sampling round; the timer calls it, tests call it directly. Overlapping calls are skipped. */
  async tick(): Promise<void> {
    const ref = this.#watched;
    if (ref === null || this.#running) return;
    this.#running = true;
    try {
      if (this.#groupIds === null || this.#listStale || this.#ticks % this.#options.listEveryTicks === 0) await this.#refreshGroupList(ref);
      if (this.#watched !== ref) return;
      const viewed = this.#viewedGroups();
      const batch = this.#nextBatch(new Set(viewed));
      const [totals, partitions] = await Promise.all([
        batch.length === 0 ? new Map<string, number>() : this.source.totalLag(ref, batch),
        // One viewed group failing (deleted a moment ago) must not cost the others their sample.
        Promise.all(viewed.map(async (group) => [group, await this.source.partitionLag(ref, group).catch(() => null)] as const)),
      ]);
      const at = this.#options.now();
      for (const [group, lag] of totals) this.#groups.append(groupKey(ref, group), at, lag);
      for (const [group, rows] of partitions) {
        if (rows === null) continue;
        let total = 0;
        for (const row of rows) {
          if (row.lag === null) continue;
          total += row.lag;
          this.#partitions.append(partitionKey(ref, group, row.topic, row.partition), at, row.lag);
        }
        this.#groups.append(groupKey(ref, group), at, total);
      }
      this.#lastError = null;
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
    } finally {
      this.#ticks++;
      this.#running = false;
    }
  }

  trends(ref: ClusterRef): LagTrends {
    const prefix = `${ref}${SEPARATOR}`;
    const groups = [];
    for (const key of this.#groups.keys()) {
      if (!key.startsWith(prefix)) continue;
      const points = this.#groups.get(key)!.points();
      groups.push({ group: key.slice(prefix.length), trend: lagTrend(points), points: points.slice(-this.#options.sparklinePoints) });
    }
    groups.sort((a, b) => a.group.localeCompare(b.group));
    return { ...this.#state(ref), groups };
  }

  history(ref: ClusterRef, group: string): GroupLagHistory {
    const total = this.#groups.get(groupKey(ref, group))?.points() ?? [];
    const prefix = `${groupKey(ref, group)}${SEPARATOR}`;
    const partitions = [];
    for (const key of this.#partitions.keys()) {
      if (!key.startsWith(prefix)) continue;
      const [topic, partition] = key.slice(prefix.length).split(SEPARATOR) as [string, string];
      partitions.push({ topic, partition: Number(partition), points: this.#partitions.get(key)!.points() });
    }
    partitions.sort((a, b) => a.topic.localeCompare(b.topic) || a.partition - b.partition);
    return { ...this.#state(ref), group, trend: lagTrend(total), total, partitions };
  }

  /** How many series are held: what the memory bound is about. */
  get seriesCount(): { groups: number; partitions: number } {
    return { groups: this.#groups.size, partitions: this.#partitions.size };
  }

  close(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    if (this.#firstTick !== null) clearTimeout(this.#firstTick);
    this.#timer = null;
    this.#firstTick = null;
  }

  #state(ref: ClusterRef) {
    const groupCount = ref === this.#watched ? (this.#groupIds?.length ?? 0) : 0;
    const ticksPerCycle = Math.max(1, Math.ceil(groupCount / this.#options.groupsPerTick));
    return {
      intervalMs: this.#options.intervalMs,
      cycleMs: ticksPerCycle * this.#options.intervalMs,
      groupsPerTick: this.#options.groupsPerTick,
      lastError: ref === this.#watched ? this.#lastError : null,
    };
  }

  async #refreshGroupList(ref: ClusterRef): Promise<void> {
    const ids = [...new Set(await this.source.groupIds(ref))].sort();
    if (this.#watched !== ref) return;
    this.#groupIds = ids;
    this.#listStale = false;
    const present = new Set(ids.map((group) => groupKey(ref, group)));
    // A deleted group's history goes with it; other clusters' history stays until evicted.
    this.#groups.retain(`${ref}${SEPARATOR}`, (key) => present.has(key));
    this.#partitions.retain(`${ref}${SEPARATOR}`, (key) => present.has(key.split(SEPARATOR).slice(0, 2).join(SEPARATOR)));
  }

  #viewedGroups(): string[] {
    const cutoff = this.#options.now() - this.#options.viewedForMs;
    for (const [group, at] of [...this.#viewed]) if (at < cutoff) this.#viewed.delete(group);
    const known = new Set(this.#groupIds ?? []);
    return [...this.#viewed.keys()].filter((group) => known.has(group));
  }

  #nextBatch(skip: ReadonlySet<string>): string[] {
    const ids = (this.#groupIds ?? []).filter((group) => !skip.has(group));
    if (ids.length === 0) return [];
    const count = Math.min(this.#options.groupsPerTick, ids.length);
    const start = this.#cursor % ids.length;
    const batch = [...ids.slice(start, start + count), ...ids.slice(0, Math.max(0, start + count - ids.length))];
    this.#cursor = (start + count) % ids.length;
    return batch;
  }
}
