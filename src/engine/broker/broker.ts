import { randomUUID } from 'node:crypto';
import type { Logger } from '../../logging/logger';
import type { ControllerClient } from '../controller/controllerClient';
import { MetadataImage } from '../metadata/metadataImage';
import type { MetadataLogEntry } from '../metadata/records';
import { ReplicaManager } from '../partition/replicaManager';
import { createGroupCoordinator, type GroupCoordinator } from '../coordinator/groupCoordinator';
import { InternalTopicLog } from '../coordinator/internalTopicLog';
import { ProducerIdAllocator } from '../coordinator/producerIdAllocator';
import { createTransactionCoordinator, type TransactionCoordinator } from '../coordinator/transactionCoordinator';
import { WireTxnMarkerWriter } from '../coordinator/transactionMarkers';
import type { AnyApiHandler } from './apiHandler';
import { interBrokerConnections } from './interBrokerConnection';
import { SaslAuthenticator } from './sasl/saslAuthenticator';
import { saslHandlers } from './handlers/sasl';
import type { BrokerConfig } from './brokerConfig';
import type { BrokerServices } from './brokerServices';
import { apiVersionsHandler } from './handlers/apiVersions';
import { deleteRecordsHandler } from './handlers/deleteRecords';
import { describeClusterHandler } from './handlers/describeCluster';
import { describeLogDirsHandler } from './handlers/describeLogDirs';
import { electLeadersHandler } from './handlers/electLeaders';
import { fetchHandler } from './handlers/fetch';
import { offsetForLeaderEpochHandler } from './handlers/offsetForLeaderEpoch';
import { alterPartitionReassignmentsHandler, listPartitionReassignmentsHandler } from './handlers/partitionReassignments';
import { findCoordinatorHandler } from './handlers/findCoordinator';
import { groupHandlers } from './handlers/groupHandlers';
import { listOffsetsHandler } from './handlers/listOffsets';
import { metadataHandler } from './handlers/metadata';
import { produceHandler } from './handlers/produce';
import { topicAdminHandlers } from './handlers/topicAdmin';
import { transactionHandlers } from './handlers/transactionHandlers';
import { RequestPipeline } from './requestPipeline';
import { SocketServer } from './socketServer';

/**
 * One Kafka broker: a socket server answering clients, the replicas it hosts, and its view of
 * the cluster metadata, which it receives from the controller in log order and applies
 * before anything else reacts to it.
 */
export class Broker {
  readonly metadata = new MetadataImage();
  readonly replicas: ReplicaManager;
  readonly groups: GroupCoordinator;
  readonly transactions: TransactionCoordinator;
  private readonly server: SocketServer;
  private readonly pipeline: RequestPipeline;
  private boundPort = 0;

  constructor(
    readonly config: BrokerConfig,
    private readonly controller: ControllerClient,
    private readonly log: Logger,
  ) {
    const connect = interBrokerConnections(config.interBrokerCredentials);
    this.replicas = new ReplicaManager({
      brokerId: config.brokerId,
      dataDir: config.dataDir,
      metadata: this.metadata,
      topicDefaults: config.topicDefaults,
      replicaLagTimeMaxMs: config.replicaLagTimeMaxMs,
      controller,
      connect,
      log: log.child('replicas'),
    });
    const services: BrokerServices = { config, metadata: this.metadata, controller, replicas: this.replicas, log };
    this.groups = createGroupCoordinator({
      config,
      log: new InternalTopicLog('__consumer_offsets', this.replicas, this.metadata),
      logger: log.child('groups'),
    });
    const producerIds = new ProducerIdAllocator((count) => controller.call('allocateProducerIds', count));
    this.transactions = createTransactionCoordinator({
      config,
      log: new InternalTopicLog('__transaction_state', this.replicas, this.metadata),
      markers: new WireTxnMarkerWriter({ metadata: this.metadata, logger: log.child('txn-markers'), connect }),
      producerIds,
      offsetsPartitionFor: (groupId) => this.groups.partitionFor(groupId),
      logger: log.child('transactions'),
    });
    this.replicas.onLeadershipChange((partition, topic) => {
      const coordinator = topic.name === '__consumer_offsets' ? this.groups : topic.name === '__transaction_state' ? this.transactions : undefined;
      if (coordinator === undefined) return;
      if (partition.role === 'leader') void coordinator.onBecomeLeader(partition.index, partition.leaderEpoch);
      else coordinator.onResign(partition.index);
    });
    const handlers: AnyApiHandler[] = [
      apiVersionsHandler(() => this.pipeline.supportedApis()),
      metadataHandler(services),
      produceHandler(services),
      fetchHandler(services),
      listOffsetsHandler(services),
      findCoordinatorHandler(services),
      offsetForLeaderEpochHandler(services),
      electLeadersHandler(services),
      describeLogDirsHandler(services),
      describeClusterHandler(services),
      alterPartitionReassignmentsHandler(services),
      listPartitionReassignmentsHandler(services),
      deleteRecordsHandler(services),
      ...groupHandlers(this.groups, { partitionExists: (topic, partition) => this.metadata.partition(topic, partition) !== undefined }),
      ...topicAdminHandlers(services),
      ...transactionHandlers({ services, transactions: this.transactions, groups: this.groups, producerIds }),
    ];
    // A SASL listener also lets the brokers' own user in (inter-broker traffic).
    const authenticator =
      config.sasl === null
        ? undefined
        : new SaslAuthenticator({
            // Brokers authenticate to each other with PLAIN, so a SASL listener always offers it.
            mechanisms: [...new Set([...config.sasl.mechanisms, ...(config.interBrokerCredentials ? (['PLAIN'] as const) : [])])],
            users: { ...config.sasl.users, ...(config.interBrokerCredentials ? { [config.interBrokerCredentials.user]: config.interBrokerCredentials.password } : {}) },
          });
    if (authenticator !== undefined) handlers.push(...saslHandlers(authenticator));
    this.pipeline = new RequestPipeline(handlers, log.child('requests'), authenticator);
    this.server = new SocketServer(
      { host: config.host, port: config.port, maxFrameBytes: config.socketRequestMaxBytes },
      this.pipeline,
      log.child('network'),
    );
  }

  get port(): number {
    return this.boundPort;
  }

  /** Listens, registers with the controller and applies the metadata backlog. */
  async start(): Promise<void> {
    this.boundPort = await this.server.listen();
    await this.controller.register(
      {
        brokerId: this.config.brokerId,
        host: this.config.advertisedHost,
        port: this.boundPort,
        rack: this.config.rack,
        incarnationId: randomUUID(),
      },
      this.metadata.offset + 1,
      (entries) => this.applyMetadata(entries),
    );
    this.log.info(`broker ${this.config.brokerId} serving on ${this.config.host}:${this.boundPort}`);
  }

  private applyMetadata(entries: MetadataLogEntry[]): void {
    const fresh = entries.filter((entry) => entry.offset > this.metadata.offset);
    for (const entry of fresh) this.metadata.apply(entry);
    this.replicas.applyMetadata(fresh);
  }

  /** Controlled shutdown: leadership moves away first, then connections and logs close. */
  async stop(): Promise<void> {
    await this.controller.unregister(this.config.brokerId);
    await this.server.close();
    this.groups.shutdown();
    await this.transactions.shutdown();
    await this.replicas.close();
    this.log.info(`broker ${this.config.brokerId} stopped`);
  }
}
