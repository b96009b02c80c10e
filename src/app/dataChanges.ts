import type { DataResource } from '../api/contract';
import type { EventBus } from '../api/eventBus';
import type { ClusterRef } from '../api/schemas/clusterRef';

/**
 * Coalesces "data changed" hints: a killed broker moves dozens of leaders in a burst, and
 * the renderer should refetch once for the burst, not once per partition.
 */
const COALESCE_MS = 250;

export class DataChanges {
  readonly #pending = new Map<ClusterRef, Set<DataResource>>();
  #timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly events: EventBus,
    /** Called at once (not coalesced), so a cache can drop what the change made wrong before the next read. */
    private readonly onMark: (clusterId: ClusterRef, resources: readonly DataResource[]) => void = () => undefined,
  ) {}

  mark(clusterId: ClusterRef, resources: readonly DataResource[]): void {
    this.onMark(clusterId, resources);
    const set = this.#pending.get(clusterId) ?? new Set<DataResource>();
    for (const resource of resources) set.add(resource);
    this.#pending.set(clusterId, set);
    if (this.#timer === null) {
      this.#timer = setTimeout(() => this.flush(), COALESCE_MS);
      this.#timer.unref();
    }
  }

  flush(): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const [clusterId, resources] of pending) this.events.emit('data.changed', { clusterId, resources: [...resources] });
  }
}
