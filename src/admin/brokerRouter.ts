import { KafkaConnection } from '../protocol/client/kafkaConnection';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../protocol/generated/apis';
import { defaultMetadataRequest, defaultMetadataRequestTopic } from '../protocol/generated/metadataRequest';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import { apiDescriptor } from '../protocol/requestFrame';
import { AdminError, rootCauseMessage, toAdminError } from './adminError';
import { parseHostPort, tlsOptions, type ConnectionSettings } from './connectionSettings';
import { saslAuthenticator } from './saslAuthenticator';

/**
 * Our own protocol connections, for the requests kafkajs lacks or hides details of
 * (Metadata with leader epochs and racks, ListOffsets per partition, Fetch, DescribeLogDirs,
 * IncrementalAlterConfigs, OffsetDelete; later ElectLeaders and reassignments). Connections
 * are opened on first use with the session's TLS and SASL settings, and a request goes to
 * the broker that must answer it: a given broker (a partition's leader, a group's
 * coordinator), the controller, or any broker.
 */
export type Target = { broker: number } | 'any' | 'controller';

/**
 * Which of its two connections to a broker a router sends on. A Kafka broker reads a
 * connection's next request only once it has answered the previous one, so on a single
 * connection a page's small read (the topics' Metadata, the groups' DescribeGroups) would
 * wait behind a read in flight whose size grows with the cluster (offsets of every group's
 * partitions, configs of every topic). Such reads go on the bulk lane; everything else on
 * the interactive one. Both lanes connect, negotiate and authenticate the same way.
 */
export type Lane = 'interactive' | 'bulk';

interface BrokerConnection {
  connection: KafkaConnection;
  versions: ReadonlyMap<ApiKeyValue, number>;
}

/** What the routers of one session's lanes share: the connections of both lanes and the metadata. */
class SharedRouting {
  readonly connections = new Map<string, Promise<BrokerConnection>>();
  /** The last full metadata. */
  metadata: MetadataResponse | null = null;
  /** The full Metadata read in flight that later callers may share (see refreshMetadata). */
  sharedFullRead: Promise<MetadataResponse> | null = null;

  constructor(readonly settings: ConnectionSettings) {}
}

export class BrokerRouter {
  private constructor(
    private readonly shared: SharedRouting,
    readonly lane: Lane,
  ) {}

  /** A router on the interactive lane of a cluster not connected to yet; bootstrap() connects. */
  static forCluster(settings: ConnectionSettings): BrokerRouter {
    return new BrokerRouter(new SharedRouting(settings), 'interactive');
  }

  /** The same session's router on `lane`: same settings and metadata, that lane's connections. */
  onLane(lane: Lane): BrokerRouter {
    return lane === this.lane ? this : new BrokerRouter(this.shared, lane);
  }

  private get settings(): ConnectionSettings {
    return this.shared.settings;
  }

  /** Connects to the first bootstrap server that answers and reads cluster metadata. */
  async bootstrap(): Promise<MetadataResponse> {
    const failures: AdminError[] = [];
    for (const address of this.settings.bootstrapServers) {
      try {
        await this.connectionTo(address);
        return await this.refreshMetadata(null, address);
      } catch (error) {
        failures.push(toAdminError(error, `connect to ${address}`));
      }
    }
    // Authentication and TLS problems say more than "unreachable" about what to fix.
    const best = failures.find((failure) => failure.kind === 'auth-failed' || failure.kind === 'tls-failed') ?? failures[0]!;
    const servers = this.settings.bootstrapServers.join(',');
    throw new AdminError(best.kind, `cannot connect to the cluster at ${servers}: ${rootCauseMessage(best)}`, best.kafkaError, { cause: best });
  }

  get metadata(): MetadataResponse {
    if (!this.shared.metadata) throw new Error('BrokerRouter used before bootstrap()');
    return this.shared.metadata;
  }

  /**
   * Metadata for `topics` (null: all topics), never creating a topic by asking about it.
   *
   * A read of all topics shares the one in flight, if any: at 100,000 partitions each costs
   * the broker and this process hundreds of milliseconds, and a page opened while the
   * overview's poll reads the same metadata would otherwise wait for both reads, one behind
   * the other. The answer is then at most one read's time older than the call, as it could
   * be anyway with the controller's changes still on their way to the broker. A change the
   * session makes ends the sharing (clusterChanged), so the app's own change always shows.
   */
  async refreshMetadata(topics: string[] | null = null, address?: string): Promise<MetadataResponse> {
    if (topics !== null || address !== undefined) return this.readMetadata(topics, address);
    const { shared } = this;
    if (shared.sharedFullRead) return shared.sharedFullRead;
    const read = this.readMetadata(null);
    shared.sharedFullRead = read;
    const done = () => {
      if (shared.sharedFullRead === read) shared.sharedFullRead = null;
    };
    read.then(done, done);
    return read;
  }

  /** The session changed the cluster: a full Metadata read already in flight may not show it, so later callers send their own. */
  clusterChanged(): void {
    this.shared.sharedFullRead = null;
  }

  private async readMetadata(topics: string[] | null, address?: string): Promise<MetadataResponse> {
    const request = {
      ...defaultMetadataRequest(),
      allowAutoTopicCreation: false,
      topics: topics === null ? null : topics.map((name) => ({ ...defaultMetadataRequestTopic(), name })),
    };
    const response = address ? await this.sendTo(address, ApiKey.Metadata, request) : await this.send('any', ApiKey.Metadata, request);
    // Every Metadata answer lists all live brokers and the controller, so a topic-scoped one
    // refreshes them too: a broker that restarted is routable (and counted live for replica
    // lag) as soon as a topic's page sees it back in the ISR. Only a full answer replaces the topics.
    this.shared.metadata = topics === null ? response : { ...response, topics: this.shared.metadata?.topics ?? [] };
    return response;
  }

  /** The version both sides support for `apiKey` on a broker we are connected to, or null. */
  async versionOn(target: Target, apiKey: ApiKeyValue): Promise<number | null> {
    const { versions } = await this.connectionTo(this.addressOf(target));
    return versions.get(apiKey) ?? null;
  }

  async send<K extends ApiKeyValue>(target: Target, apiKey: K, request: RequestByKey[K]): Promise<ResponseByKey[K]> {
    return this.sendTo(this.addressOf(target), apiKey, request);
  }

  /** Sends the same kind of request to several brokers at once, keyed by broker id. */
  async sendToBrokers<K extends ApiKeyValue>(brokerIds: number[], apiKey: K, request: (brokerId: number) => RequestByKey[K]): Promise<Map<number, ResponseByKey[K] | AdminError>> {
    const results = await Promise.all(
      brokerIds.map(async (brokerId) => {
        try {
          return [brokerId, await this.send({ broker: brokerId }, apiKey, request(brokerId))] as const;
        } catch (error) {
          return [brokerId, toAdminError(error, `broker ${brokerId}`)] as const;
        }
      }),
    );
    return new Map<number, ResponseByKey[K] | AdminError>(results);
  }

  /** Closes the connections of every lane: the session is over. */
  async close(): Promise<void> {
    const connections = [...this.shared.connections.values()];
    this.shared.connections.clear();
    await Promise.all(connections.map(async (pending) => (await pending.catch(() => null))?.connection.close()));
  }

  private async sendTo<K extends ApiKeyValue>(address: string, apiKey: K, request: RequestByKey[K]): Promise<ResponseByKey[K]> {
    const { connection, versions } = await this.connectionTo(address);
    const version = versions.get(apiKey);
    if (version === undefined) {
      throw new AdminError('unsupported', `the broker at ${address} does not serve ${apiDescriptor(apiKey)?.name ?? `API ${apiKey}`}`);
    }
    return connection.send(apiKey, request, { version, timeoutMs: this.settings.requestTimeoutMs });
  }

  private addressOf(target: Target): string {
    if (target === 'any') {
      const known = this.shared.metadata?.brokers[0];
      return known ? `${known.host}:${known.port}` : this.settings.bootstrapServers[0]!;
    }
    const brokerId = target === 'controller' ? this.metadata.controllerId : target.broker;
    if (brokerId < 0) throw new AdminError('kafka', 'the cluster has no active controller right now; try again shortly');
    const broker = this.metadata.brokers.find((entry) => entry.nodeId === brokerId);
    if (!broker) throw new AdminError('unreachable', `broker ${brokerId} is not in the cluster's metadata (is it down?)`);
    return `${broker.host}:${broker.port}`;
  }

  private connectionTo(address: string): Promise<BrokerConnection> {
    const key = `${this.lane} ${address}`;
    const { connections } = this.shared;
    let pending = connections.get(key);
    if (!pending) {
      pending = this.open(address);
      connections.set(key, pending);
      // A failed connection is forgotten so the next request tries again.
      pending.catch(() => connections.delete(key));
    }
    return pending.then((entry) => {
      if (entry.connection.isReady) return entry;
      connections.delete(key);
      return this.connectionTo(address);
    });
  }

  private async open(address: string): Promise<BrokerConnection> {
    const { host, port } = parseHostPort(address);
    const tls = tlsOptions(this.settings);
    const sasl = this.settings.sasl;
    const connection = new KafkaConnection({
      host,
      port,
      clientId: this.settings.clientId,
      connectTimeoutMs: this.settings.connectTimeoutMs,
      requestTimeoutMs: this.settings.requestTimeoutMs,
      softwareName: 'samsa-admin',
      ...(tls ? { tls: { ...tls, servername: /^[\d.]+$|:/.test(host) ? undefined : host } } : {}),
      ...(sasl ? { authenticate: saslAuthenticator(sasl, address) } : {}),
    });
    await connection.connect();
    try {
      // KIP-511 negotiation, falling back to the broker's ApiVersions range when it is older than ours.
      return { connection, versions: await connection.negotiate() };
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
}
