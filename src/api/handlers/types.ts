import type { CallName, CallResult, ParsedCallInput } from '../contract';
import type { EventBus } from '../eventBus';
import type { AppInfo } from '../schemas/app';
import type { AuditLog } from '../../admin/auditLog';
import type { AdminSessionPool } from '../../app/adminSessions';
import type { BrokerRoster } from '../../app/brokerRoster';
import type { ClusterStore } from '../../app/clusterStore';
import type { DataChanges } from '../../app/dataChanges';
import type { EmbeddedCluster } from '../../app/embeddedCluster';
import type { LabRuns } from '../../app/labRuns';
import type { LagSampler } from '../../app/lagSampler';
import type { SharedGroupLag } from '../../app/sharedGroupLag';
import type { MinIsrCache } from '../../app/minIsrCache';
import type { SecretStore } from '../../app/secretStore';

/** What every handler can reach. Transports build one per process and share it. */
export interface ApiContext {
  readonly info: AppInfo;
  readonly clusters: ClusterStore;
  readonly events: EventBus;
  readonly embedded: EmbeddedCluster;
  /** Delivery-guarantees lab runs on the embedded cluster, one at a time. */
  readonly lab: LabRuns;
  /** One admin session per cluster; every cluster call goes through it. */
  readonly sessions: AdminSessionPool;
  readonly roster: BrokerRoster;
  readonly dataChanges: DataChanges;
  /** Saved clusters' passwords: OS-encrypted in the desktop app, a user-only file in browser mode. */
  readonly secrets: SecretStore;
  /** Samples consumer lag of the cluster being looked at. */
  readonly lagSampler: LagSampler;
  /** Groups' total lag as last read, shared by groups.lag and the sampler (read once when both want it). */
  readonly groupLag: SharedGroupLag;
  /** min.insync.replicas of every topic, re-read at most once a minute (the overview polls). */
  readonly minIsr: MinIsrCache;
  readonly audit: AuditLog;
}

/** A handler gets its input already validated and parsed by the call's schema. */
export type Handler<M extends CallName> = (
  input: ParsedCallInput<M>,
  context: ApiContext,
) => CallResult<M> | Promise<CallResult<M>>;

export type Handlers = { readonly [M in CallName]: Handler<M> };

/** Types a group of handlers by the contract, so each one's input and result are checked. */
export function defineHandlers<M extends CallName>(handlers: { readonly [K in M]: Handler<K> }): {
  readonly [K in M]: Handler<K>;
} {
  return handlers;
}
