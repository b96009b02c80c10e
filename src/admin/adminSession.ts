import kafkajs, { type Admin, type Kafka, type Producer } from 'kafkajs';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import { AdminError, toAdminError } from './adminError';
import type { AdminChange } from './adminChange';
import type { AuditLog } from './auditLog';
import { BrokerRouter } from './brokerRouter';
import { kafkaJsConfig, validateSettings, type ConnectionSettings } from './connectionSettings';
import { withDeadline } from './deadline';
import { kafkaCliCommand } from './kafkaCommand';

const { Kafka: KafkaClient, logLevel } = kafkajs;

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
  readonly router: BrokerRouter;
  readonly operationTimeoutMs: number;
  private kafka: Kafka | null = null;
  private adminClient: Promise<Admin> | null = null;
  private producerClient: Promise<Producer> | null = null;

  private constructor(private readonly options: AdminSessionOptions) {
    this.router = new BrokerRouter(options.settings);
    this.operationTimeoutMs = options.operationTimeoutMs ?? DEFAULT_OPERATION_TIMEOUT_MS;
  }

  static async connect(options: AdminSessionOptions): Promise<AdminSession> {
    validateSettings(options.settings);
    const session = new AdminSession(options);
    try {
      await session.run('connect', () => session.router.bootstrap());
    } catch (error) {
      await session.close();
      throw error;
    }
    return session;
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
    if (!this.adminClient) {
      const admin = this.kafkaClient().admin({ retry: { retries: 2 } });
      this.adminClient = admin.connect().then(() => admin);
      this.adminClient.catch(() => {
        this.adminClient = null;
      });
    }
    return this.adminClient;
  }

  producer(): Promise<Producer> {
    if (!this.producerClient) {
      // Never create topics by producing to them: a typo must be an error, not a new topic.
      const producer = this.kafkaClient().producer({ allowAutoTopicCreation: false, retry: { retries: 2 } });
      this.producerClient = producer.connect().then(() => producer);
      this.producerClient.catch(() => {
        this.producerClient = null;
      });
    }
    return this.producerClient;
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
      const failure = error instanceof AdminError ? error : toAdminError(error, change.kind);
      await this.options.audit?.append({ cluster: this.clusterLabel, ...this.auditClusterId(), change, outcome: 'failed', before, after: null, kafkaCommand, error: failure.message });
      throw failure;
    }
    const after = await steps.after();
    await this.options.audit?.append({ cluster: this.clusterLabel, ...this.auditClusterId(), change, outcome: 'done', before, after, kafkaCommand });
    return { before, after, kafkaCommand };
  }

  private auditClusterId(): { clusterId?: string } {
    return this.options.auditClusterId === undefined ? {} : { clusterId: this.options.auditClusterId };
  }

  async close(): Promise<void> {
    const admin = this.adminClient;
    const producer = this.producerClient;
    this.adminClient = null;
    this.producerClient = null;
    await Promise.all([
      this.router.close(),
      admin?.then((client) => client.disconnect()).catch(() => undefined),
      producer?.then((client) => client.disconnect()).catch(() => undefined),
    ]);
  }

  private kafkaClient(): Kafka {
    // kafkajs logs to stdout by default, which would corrupt --json output; its errors reach us as exceptions.
    this.kafka ??= new KafkaClient({ ...kafkaJsConfig(this.options.settings), logLevel: logLevel.NOTHING });
    return this.kafka;
  }
}
