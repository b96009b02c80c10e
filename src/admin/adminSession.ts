import type { Admin, Producer } from 'kafkajs';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import { AdminError, toAdminError } from './adminError';
import type { AdminChange } from './adminChange';
import type { AuditLog } from './auditLog';
import { BrokerRouter } from './brokerRouter';
import { validateSettings, type ConnectionSettings } from './connectionSettings';
import { withDeadline } from './deadline';
import { KafkaJsClients } from './kafkaJsClients';
import { kafkaCliCommand } from './kafkaCommand';

export const DEFAULT_OPERATION_TIMEOUT_MS = 30_000;

export interface AdminSessionOptions {
  settings: ConnectionSettings;
  /** Bound on each operation, whatever retries happen below it. */
  operationTimeoutMs?: number;
  /** Where changes are recorded; null when the caller does not keep an audit log. */
  audit: AuditLog | null;
  /** Passed on to rendered Kafka commands (--command-config FILE). */
  commandConfigPath?: string;
  /** Recorded with each audit entry, so the app can tell its clusters apart when addresses change. */
  auditClusterId?: string;
}

/**
 * A connection to one cluster for admin work: our protocol router (bootstrapped, so a bad
 * address, TLS or SASL setting fails here, fast and named) and kafkajs clients created on
 * first use. Operations are functions over a session (topics.ts, groups.ts, ...), each run
 * through `run()` so it is bounded and its failure is an AdminError.
 */
export class AdminSession {
  readonly operationTimeoutMs: number;
  private bulkView: AdminSession | null = null;

  private constructor(
    private readonly options: AdminSessionOptions,
    readonly router: BrokerRouter,
    private readonly clients: KafkaJsClients,
  ) {
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  }

  static async connect(options: AdminSessionOptions): Promise<AdminSession> {
    validateSettings(options.settings);
    const session = new AdminSession(options, BrokerRouter.forCluster(options.settings), new KafkaJsClients(options.settings));
    try {
      await session.run('connect', () => session.router.bootstrap());
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
  }

  /**
   * This session with its protocol requests on the bulk lane (see Lane in brokerRouter.ts),
   * for reads whose size grows with the cluster (lag of many groups, configs of every topic),
   * so that they never hold up the pages' small reads. Everything else is shared: closing
   * either closes both.
   */
  get bulk(): AdminSession {
    if (this.router.lane === 'bulk') return this;
    this.bulkView ??= new AdminSession(this.options, this.router.onLane('bulk'), this.clients);
    return this.bulkView;
  }

  get settings(): ConnectionSettings {
    return this.options.settings;
  }

  get clusterLabel(): string {
    return this.options.settings.bootstrapServers.join(',');
  }

  /** Runs one operation within the session's bound, turning any failure into an AdminError. */
  async run<T>(what: string, operation: () => Promise<T>): Promise<T> {
    try {
      return await withDeadline(what, this.operationTimeoutMs, operation);
    } catch (error) {
      throw toAdminError(error, what);
    }
  }

  /** Fresh metadata for every topic (leaders move; a cached view would mislead). */
  metadata(): Promise<MetadataResponse> {
    return this.router.refreshMetadata(null);
  }

  admin(): Promise<Admin> {
    return this.clients.admin();
  }

  producer(): Promise<Producer> {
    return this.clients.producer();
  }

  commandFor(change: AdminChange): string {
    return kafkaCliCommand(change, {
      bootstrapServers: this.options.settings.bootstrapServers,
      ...(this.options.commandConfigPath ? { commandConfigPath: this.options.commandConfigPath } : {}),
    });
  }

  /**
   * Applies a change and records it, done or failed, with the state before and after.
   * `before` is read first; a failure to read it aborts the change, since an audit entry
   * without it could not be undone by hand.
   */
  async change<B, A>(change: AdminChange, steps: { before: () => Promise<B>; apply: () => Promise<void>; after: () => Promise<A> }): Promise<{ before: B; after: A; kafkaCommand: string }> {
    const kafkaCommand = this.commandFor(change);
    const before = await steps.before();
    try {
      await steps.apply();
    } catch (error) {
      // Even a failed change may have applied in part.
      this.router.clusterChanged();
      const failure = error instanceof AdminError ? error : toAdminError(error, change.kind);
      await this.options.audit?.append({ cluster: this.clusterLabel, ...this.auditClusterId(), change, outcome: 'failed', before, after: null, kafkaCommand, error: failure.message });
      throw failure;
    }
    this.router.clusterChanged();
    const after = await steps.after();
    await this.options.audit?.append({ cluster: this.clusterLabel, ...this.auditClusterId(), change, outcome: 'done', before, after, kafkaCommand });
    return { before, after, kafkaCommand };
  }

  private auditClusterId(): { clusterId?: string } {
    return this.options.auditClusterId === undefined ? {} : { clusterId: this.options.auditClusterId };
  }

  async close(): Promise<void> {
    await Promise.all([this.router.close(), this.clients.close()]);
  }
}
