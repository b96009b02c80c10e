import { AdminError } from '../admin/adminError';
import { AdminSession } from '../admin/adminSession';
import type { AuditLog } from '../admin/auditLog';
import { DEFAULT_CONNECT_TIMEOUT_MS, type ConnectionSettings } from '../admin/connectionSettings';
import { ApiError } from '../api/envelope';
import type { ClusterRef } from '../api/schemas/clusterRef';
import { adminErrorToApiError } from './adminErrors';

/** Bounds for the UI: a page should say "unreachable" within seconds, not after Kafka's 30 s. */
const UI_REQUEST_TIMEOUT_MS = 10_000;
const UI_OPERATION_TIMEOUT_MS = 15_000;

/** Where a cluster's connection settings come from: the saved list or the embedded cluster. */
export type SettingsResolver = (ref: ClusterRef) => Promise<Omit<ConnectionSettings, 'clientId' | 'connectTimeoutMs' | 'requestTimeoutMs'>>;

/**
 * One admin session per cluster, opened on first use and shared by every call about that
 * cluster, then closed when the cluster is removed, changed or stopped. A session whose
 * cluster went away (a broker it was talking to died) is replaced once, transparently: the
 * new one bootstraps from the whole list, so the page keeps working during a failover.
 */
export class AdminSessionPool {
  readonly #sessions = new Map<ClusterRef, Promise<AdminSession>>();

  constructor(
    private readonly resolveSettings: SettingsResolver,
    private readonly audit: AuditLog,
  ) {}

  async use<T>(ref: ClusterRef, operation: (session: AdminSession) => Promise<T>): Promise<T> {
    try {
      try {
        return await operation(await this.#session(ref));
      } catch (error) {
        if (!(error instanceof AdminError) || error.kind !== 'unreachable') throw error;
        await this.close(ref);
        return await operation(await this.#session(ref));
      }
    } catch (error) {
      if (error instanceof AdminError) throw adminErrorToApiError(error);
      throw error;
    }
  }

  async close(ref: ClusterRef): Promise<void> {
    const pending = this.#sessions.get(ref);
    this.#sessions.delete(ref);
    await (await pending?.catch(() => null))?.close();
  }

  async closeAll(): Promise<void> {
    await Promise.all([...this.#sessions.keys()].map((ref) => this.close(ref)));
  }

  #session(ref: ClusterRef): Promise<AdminSession> {
    let pending = this.#sessions.get(ref);
    if (pending === undefined) {
      pending = this.#connect(ref);
      this.#sessions.set(ref, pending);
      // A failed connection is forgotten, so the next call (a retry, the next poll) tries again.
      pending.catch(() => {
        if (this.#sessions.get(ref) === pending) this.#sessions.delete(ref);
      });
    }
    return pending;
  }

  async #connect(ref: ClusterRef): Promise<AdminSession> {
    const settings = await this.resolveSettings(ref);
    if (settings.bootstrapServers.length === 0) throw new ApiError('cluster-unavailable', 'The cluster has no bootstrap servers to connect to.');
    return AdminSession.connect({
      settings: { ...settings, clientId: 'samsa-ui', connectTimeoutMs: DEFAULT_CONNECT_TIMEOUT_MS, requestTimeoutMs: UI_REQUEST_TIMEOUT_MS },
      operationTimeoutMs: UI_OPERATION_TIMEOUT_MS,
      audit: this.audit,
      auditClusterId: ref,
    });
  }
}
