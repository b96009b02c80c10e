import type { ClusterRef } from '../api/schemas/clusterRef';

/**
 * Groups' total lag as last read, shared by the Groups page's lag column (groups.lag) and the
 * lag sampler, so the committed offsets of a group and the end offsets of its partitions are
 * read once when both want them at about the same time (the first paint of the Groups page
 * starts both). A reading is reused while it is at most `maxAgeMs` old; a group whose read
 * is in flight waits for that read instead of starting another.
 */
export const LAG_READING_REUSE_MS = 5_000;

/** Readings older than this are dropped: no caller reuses them, and deleted groups go. */
const KEEP_MS = 60_000;

/** Reads total lag of groups (groupLag.ts); a group without commits may be missing. */
export type GroupLagReader = (ref: ClusterRef, groups: readonly string[]) => Promise<Map<string, number>>;

interface LagReading {
  /** undefined: the group has no committed offsets. */
  readonly lag: number | undefined;
  /** When the read started: end offsets can only have grown since, never the other way. */
  readonly at: number;
}

export interface SharedLagAnswer {
  /** Total lag by group; groups without commits are missing. */
  readonly lag: Map<string, number>;
  /** When the oldest of the figures was read (epoch ms); null when no group was asked. */
  readonly readAt: number | null;
}

export class SharedGroupLag {
  readonly #readings = new Map<ClusterRef, Map<string, LagReading>>();
  readonly #inFlight = new Map<ClusterRef, Map<string, Promise<void>>>();

  constructor(
    private readonly read: GroupLagReader,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Total lag of `groups`, each figure read at most `maxAgeMs` ago. */
  async totalLag(ref: ClusterRef, groups: readonly string[], maxAgeMs: number = LAG_READING_REUSE_MS): Promise<SharedLagAnswer> {
    const readings = this.#mapOf(this.#readings, ref);
    const inFlight = this.#mapOf(this.#inFlight, ref);
    const wanted = [...new Set(groups)];
    const startedAt = this.now();
    this.#prune(readings, startedAt);
    const waits = new Set<Promise<void>>();
    const unread: string[] = [];
    for (const group of wanted) {
      const reading = readings.get(group);
      if (reading !== undefined && startedAt - reading.at <= maxAgeMs) continue;
      const pending = inFlight.get(group);
      if (pending !== undefined) waits.add(pending);
      else unread.push(group);
    }
    if (unread.length > 0) {
      const read = this.read(ref, unread).then((lag) => {
        for (const group of unread) readings.set(group, { lag: lag.get(group), at: startedAt });
      });
      const settled = read.finally(() => {
        for (const group of unread) if (inFlight.get(group) === settled) inFlight.delete(group);
      });
      // Callers waiting on this read see its failure through their own await; none is left unhandled.
      settled.catch(() => undefined);
      for (const group of unread) inFlight.set(group, settled);
      waits.add(settled);
    }
    await Promise.all(waits);
    const lag = new Map<string, number>();
    let readAt: number | null = null;
    for (const group of wanted) {
      const reading = readings.get(group);
      if (reading === undefined) continue;
      if (reading.lag !== undefined) lag.set(group, reading.lag);
      readAt = readAt === null ? reading.at : Math.min(readAt, reading.at);
    }
    return { lag, readAt };
  }

  /** The cluster went away or changed: its readings no longer describe it. */
  forget(ref: ClusterRef): void {
    this.#readings.delete(ref);
    this.#inFlight.delete(ref);
  }

  #prune(readings: Map<string, LagReading>, now: number): void {
    for (const [group, reading] of readings) if (now - reading.at > KEEP_MS) readings.delete(group);
  }

  #mapOf<V>(maps: Map<ClusterRef, Map<string, V>>, ref: ClusterRef): Map<string, V> {
    let map = maps.get(ref);
    if (map === undefined) maps.set(ref, (map = new Map()));
    return map;
  }
}
