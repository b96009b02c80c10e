import type { LagPoint, LagTrend } from '../api/schemas/lag';

/**
 * Bounded lag history: a fixed-size ring of samples per series, and a bounded number of
 * series, the least recently sampled dropped first. Memory is therefore at most
 * maxSeries x pointsPerSeries x 16 bytes however many groups a cluster has and however long
 * the app runs.
 */
export class LagSeries {
  readonly #times: Float64Array;
  readonly #values: Float64Array;
  #start = 0;
  #length = 0;

  constructor(readonly capacity: number) {
    this.#times = new Float64Array(capacity);
    this.#values = new Float64Array(capacity);
  }

  get length(): number {
    return this.#length;
  }

  append(at: number, lag: number): void {
    const index = (this.#start + this.#length) % this.capacity;
    this.#times[index] = at;
    this.#values[index] = lag;
    if (this.#length < this.capacity) this.#length++;
    else this.#start = (this.#start + 1) % this.capacity;
  }

  /** The last `limit` points (all by default), oldest first. */
  points(limit = this.#length): LagPoint[] {
    const count = Math.min(limit, this.#length);
    const result: LagPoint[] = [];
    for (let offset = this.#length - count; offset < this.#length; offset++) {
      const index = (this.#start + offset) % this.capacity;
      result.push([this.#times[index]!, this.#values[index]!]);
    }
    return result;
  }
}

export class LagHistory {
  readonly #series = new Map<string, LagSeries>();

  constructor(
    readonly maxSeries: number,
    readonly pointsPerSeries: number,
  ) {}

  get size(): number {
    return this.#series.size;
  }

  append(key: string, at: number, lag: number): void {
    let series = this.#series.get(key);
    if (series === undefined) {
      series = new LagSeries(this.pointsPerSeries);
    } else {
      // Re-inserting keeps the map ordered by last sample, so the first key is the stalest.
      this.#series.delete(key);
    }
    this.#series.set(key, series);
    series.append(at, lag);
    while (this.#series.size > this.maxSeries) {
      const stalest = this.#series.keys().next().value as string;
      this.#series.delete(stalest);
    }
  }

  get(key: string): LagSeries | undefined {
    return this.#series.get(key);
  }

  /** Drops every series whose key starts with `prefix` and is not kept. */
  retain(prefix: string, keep: (key: string) => boolean): void {
    for (const key of [...this.#series.keys()]) {
      if (key.startsWith(prefix) && !keep(key)) this.#series.delete(key);
    }
  }

  keys(): IterableIterator<string> {
    return this.#series.keys();
  }
}

/** Samples a trend looks back over: enough to ignore one noisy sample, few enough to react. */
export const TREND_WINDOW = 6;

/**
 * Compares the latest samples with the ones before them in the window: rising or falling when
 * the mean of the last two moved by more than 5% (and at least one message) from the mean of
 * the earlier ones, steady otherwise. A group that fell behind and has caught up again reads
 * "falling" while the backlog is still in the window, then "steady".
 */
export function lagTrend(points: readonly LagPoint[]): LagTrend {
  const window = points.slice(-TREND_WINDOW);
  if (window.length < 2) return 'unknown';
  const split = window.length >= 4 ? window.length - 2 : window.length - 1;
  const mean = (part: readonly LagPoint[]) => part.reduce((sum, [, lag]) => sum + lag, 0) / part.length;
  const earlier = mean(window.slice(0, split));
  const recent = mean(window.slice(split));
  const tolerance = Math.max(1, Math.max(earlier, recent) * 0.05);
  if (recent - earlier > tolerance) return 'rising';
  if (earlier - recent > tolerance) return 'falling';
  return 'steady';
}
