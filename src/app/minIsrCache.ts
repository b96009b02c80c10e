import type { ClusterRef } from '../api/schemas/clusterRef';

/** Reads min.insync.replicas of the named topics (DescribeConfigs); topics that no longer exist are left out. */
export type MinIsrReader = (ref: ClusterRef, topics: readonly string[]) => Promise<Map<string, number>>;

/** Configs change rarely; the overview polls every few seconds and must not re-read 10,000 topics' configs each time. */
export const MIN_ISR_MAX_AGE_MS = 60_000;

interface ClusterEntry {
  readonly readAt: number;
  readonly values: Map<string, number>;
}

/**
 * min.insync.replicas of every topic of a cluster, shared by the overview and the topics
 * table: one full read per cluster at most every `maxAgeMs` (concurrent callers share it),
 * and topics it lacks (created since) read on their own.
 *
 * The app forgets a topic when it changes that topic's configs, creates or deletes it, so its
 * own changes show at once. A change made by another tool (kafka-configs.sh on a topic, a new
 * broker-wide default, a topic deleted and re-created elsewhere with other configs) shows
 * within `maxAgeMs`: the price of not asking a large cluster for every topic's configs on
 * every poll.
 */
export class MinIsrCache {
  readonly #clusters = new Map<ClusterRef, ClusterEntry>();
  readonly #fullReads = new Map<ClusterRef, Promise<Map<string, number>>>();
  /** Counts forget() calls: a read that overlapped one may hold a value from before the change, so it is used once and not kept. */
  #forgets = 0;

  constructor(
    private readonly read: MinIsrReader,
    private readonly maxAgeMs = MIN_ISR_MAX_AGE_MS,
    private readonly now: () => number = () => Date.now(),
  ) {}

  async get(ref: ClusterRef, topics: readonly string[]): Promise<Map<string, number>> {
    const cached = this.#clusters.get(ref);
    const known = cached === undefined || this.now() - cached.readAt > this.maxAgeMs ? await this.#fullRead(ref, topics) : cached.values;
    const missing = topics.filter((topic) => !known.has(topic));
    const added = missing.length > 0 ? await this.#readMissing(ref, missing) : new Map<string, number>();
    const result = new Map<string, number>();
    for (const topic of topics) {
      const value = known.get(topic) ?? added.get(topic);
      if (value !== undefined) result.set(topic, value);
    }
    return result;
  }

  /** The app changed a topic's configs, created or deleted it (or the whole cluster changed): read it again next time. */
  forget(ref: ClusterRef, topic?: string): void {
    this.#forgets += 1;
    if (topic === undefined) this.#clusters.delete(ref);
    else this.#clusters.get(ref)?.values.delete(topic);
  }

  #fullRead(ref: ClusterRef, topics: readonly string[]): Promise<Map<string, number>> {
    let pending = this.#fullReads.get(ref);
    if (pending === undefined) {
      const startedAt = this.now();
      const forgetsBefore = this.#forgets;
      pending = this.read(ref, topics)
        .then((values) => {
          if (this.#forgets === forgetsBefore) this.#clusters.set(ref, { readAt: startedAt, values });
          return values;
        })
        .finally(() => this.#fullReads.delete(ref));
      this.#fullReads.set(ref, pending);
    }
    return pending;
  }

  async #readMissing(ref: ClusterRef, topics: readonly string[]): Promise<Map<string, number>> {
    const forgetsBefore = this.#forgets;
    const values = await this.read(ref, topics);
    const entry = this.#clusters.get(ref);
    if (entry !== undefined && this.#forgets === forgetsBefore) for (const [topic, value] of values) entry.values.set(topic, value);
    return values;
  }
}
