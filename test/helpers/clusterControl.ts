import { KafkaConnection } from '../../src/protocol/client/kafkaConnection';
import { ApiKey, type ApiKeyValue, type RequestByKey, type ResponseByKey } from '../../src/protocol/generated/apis';
import { defaultAlterPartitionReassignmentsRequest } from '../../src/protocol/generated/alterPartitionReassignmentsRequest';
import { defaultElectLeadersRequest } from '../../src/protocol/generated/electLeadersRequest';
import { defaultListOffsetsRequest } from '../../src/protocol/generated/listOffsetsRequest';
import { defaultListPartitionReassignmentsRequest } from '../../src/protocol/generated/listPartitionReassignmentsRequest';
import { defaultMetadataRequest, defaultMetadataRequestTopic } from '../../src/protocol/generated/metadataRequest';
import { waitFor, type EmbeddedCluster } from './embeddedCluster';

/**
 * What fault tests need beyond starting the cluster: the control API's fault actions and
 * event stream, and a small admin over our own Kafka client for the requests kafkajs lacks
 * (leader epochs in Metadata, ListOffsets against one broker, ElectLeaders, reassignments).
 * Connections are opened per broker on demand and reopened after that broker restarts.
 */

const CONTROL_TIMEOUT_MS = 30_000;

export type FaultAction = 'isolate' | 'heal' | 'slow';

/** A ClusterEvent from the control API (src/engine/cluster/clusterHost.ts), as JSON. */
export interface ClusterEventJson {
  type: 'broker-state' | 'broker-fault' | 'unclean-election' | 'leader-change' | 'isr-change';
  topic?: string;
  partition?: number;
  leader?: number;
  previousLeader?: number;
  previousIsr?: number[];
  isr?: number[];
  leaderEpoch?: number;
  brokerId?: number;
  at: number;
}

/** isolate / heal / slow (delayMs 0 restores normal fetching); returns the events it caused. */
export async function faultAction(cluster: EmbeddedCluster, brokerId: number, action: FaultAction, delayMs = 0): Promise<ClusterEventJson[]> {
  const query = action === 'slow' ? `?delayMs=${delayMs}` : '';
  const response = await fetch(`${cluster.controlUrl}/v1/brokers/${brokerId}/${action}${query}`, { method: 'POST', signal: AbortSignal.timeout(CONTROL_TIMEOUT_MS) });
  const body = (await response.json()) as { events?: ClusterEventJson[]; error?: string };
  if (!response.ok) throw new Error(`broker ${brokerId} ${action} failed (${response.status}): ${body.error ?? ''}`);
  return body.events ?? [];
}

/** Collects the control API's Server-Sent Events from subscription until close(). */
export interface EventRecorder {
  readonly events: ClusterEventJson[];
  close(): void;
}

export async function recordClusterEvents(cluster: EmbeddedCluster): Promise<EventRecorder> {
  const abort = new AbortController();
  const response = await fetch(`${cluster.controlUrl}/v1/events`, { signal: abort.signal });
  if (!response.ok || response.body === null) throw new Error(`GET /v1/events answered ${response.status}`);
  const events: ClusterEventJson[] = [];
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  void (async () => {
    let buffered = '';
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        buffered += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) >= 0) {
          const message = buffered.slice(0, end);
          buffered = buffered.slice(end + 2);
          for (const line of message.split('\n')) if (line.startsWith('data: ')) events.push(JSON.parse(line.slice(6)) as ClusterEventJson);
        }
      }
    } catch {
      // Aborted by close(), or the cluster went away: the events so far stay readable.
    }
  })();
  return { events, close: () => abort.abort() };
}

export interface PartitionView {
  leader: number;
  leaderEpoch: number;
  replicas: number[];
  isr: number[];
}

const sameMembers = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((id) => b.includes(id));

/** Our Kafka client against the cluster's brokers, for tests. */
export class ClusterAdmin {
  private readonly connections = new Map<number, KafkaConnection>();

  constructor(private readonly cluster: EmbeddedCluster) {}

  private address(brokerId: number): { host: string; port: number } {
    const address = this.cluster.brokerAddresses[brokerId - 1];
    if (address === undefined) throw new Error(`no broker ${brokerId}`);
    const [host, port] = address.split(':');
    return { host: host!, port: Number(port) };
  }

  /** A ready connection to one broker, reconnecting when the previous one died with it. */
  async connection(brokerId: number): Promise<KafkaConnection> {
    const existing = this.connections.get(brokerId);
    if (existing?.isReady) return existing;
    await existing?.close();
    const connection = new KafkaConnection({ ...this.address(brokerId), clientId: 'samsa-it-admin', requestTimeoutMs: 15_000, connectTimeoutMs: 3_000 });
    this.connections.set(brokerId, connection);
    await connection.connect();
    await connection.negotiate();
    return connection;
  }

  async send<K extends ApiKeyValue>(brokerId: number, apiKey: K, request: RequestByKey[K]): Promise<ResponseByKey[K]> {
    return (await this.connection(brokerId)).send(apiKey, request);
  }

  /** Sends to the first running broker that answers (brokers may be down in fault tests). */
  async sendToAny<K extends ApiKeyValue>(apiKey: K, request: RequestByKey[K]): Promise<ResponseByKey[K]> {
    const running = (await this.cluster.brokers()).filter((broker) => broker.state === 'running').map((broker) => broker.brokerId);
    let lastError: unknown = new Error('no broker is running');
    for (const brokerId of running) {
      try {
        return await this.send(brokerId, apiKey, request);
      } catch (error) {
        lastError = error;
      }
    }
    throw lastError;
  }

  /** Leader, leader epoch, replicas and ISR as a broker's Metadata answers them. */
  async partition(topic: string, partition = 0, brokerId?: number): Promise<PartitionView> {
    const request = { ...defaultMetadataRequest(), topics: [{ ...defaultMetadataRequestTopic(), name: topic }], allowAutoTopicCreation: false };
    const response = brokerId === undefined ? await this.sendToAny(ApiKey.Metadata, request) : await this.send(brokerId, ApiKey.Metadata, request);
    const found = response.topics.find((t) => t.name === topic)?.partitions.find((p) => p.partitionIndex === partition);
    if (found === undefined) throw new Error(`no metadata for ${topic}-${partition}`);
    return { leader: found.leaderId, leaderEpoch: found.leaderEpoch, replicas: found.replicaNodes, isr: found.isrNodes };
  }

  /** Polls metadata until `accept` approves the partition's state. */
  waitForPartition(topic: string, what: string, accept: (view: PartitionView) => boolean, timeoutMs = 15_000, partition = 0): Promise<PartitionView> {
    return waitFor(
      `${topic}-${partition}: ${what}`,
      async () => {
        const view = await this.partition(topic, partition);
        return accept(view) ? view : undefined;
      },
      timeoutMs,
      100,
    );
  }

  /** A leader other than `not` (and not -1). */
  waitForNewLeader(topic: string, not: number, timeoutMs = 15_000, partition = 0): Promise<PartitionView> {
    return this.waitForPartition(topic, `a leader other than ${not}`, (view) => view.leader !== -1 && view.leader !== not, timeoutMs, partition);
  }

  waitForIsr(topic: string, isr: readonly number[], timeoutMs = 15_000, partition = 0): Promise<PartitionView> {
    return this.waitForPartition(topic, `ISR {${isr.join(',')}}`, (view) => view.leader !== -1 && sameMembers(view.isr, isr), timeoutMs, partition);
  }

  /**
   * ListOffsets LATEST against one broker as a consumer asks it (read_uncommitted): the
   * leader's high watermark. Throws with the error code when that broker cannot answer.
   */
  async highWatermark(brokerId: number, topic: string, partition = 0): Promise<number> {
    const response = await this.send(brokerId, ApiKey.ListOffsets, {
      ...defaultListOffsetsRequest(),
      replicaId: -1,
      isolationLevel: 0,
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }] }],
    });
    const answer = response.topics[0]?.partitions[0];
    if (answer === undefined || answer.errorCode !== 0) throw new Error(`ListOffsets on broker ${brokerId} for ${topic}-${partition}: error ${answer?.errorCode}`);
    return Number(answer.offset);
  }

  /** ElectLeaders (electionType 0 = preferred, 1 = unclean); returns the partition's error code. */
  async electLeaders(type: 'preferred' | 'unclean', topic: string, partition = 0): Promise<number> {
    const response = await this.sendToAny(ApiKey.ElectLeaders, {
      ...defaultElectLeadersRequest(),
      electionType: type === 'preferred' ? 0 : 1,
      topicPartitions: [{ topic, partitions: [partition] }],
      timeoutMs: 10_000,
    });
    if (response.errorCode !== 0) return response.errorCode;
    return response.replicaElectionResults[0]?.partitionResult[0]?.errorCode ?? -1;
  }

  /** AlterPartitionReassignments for one partition (replicas null cancels); returns its error code. */
  async reassign(topic: string, replicas: number[] | null, partition = 0): Promise<number> {
    const response = await this.sendToAny(ApiKey.AlterPartitionReassignments, {
      ...defaultAlterPartitionReassignmentsRequest(),
      topics: [{ name: topic, partitions: [{ partitionIndex: partition, replicas }] }],
    });
    if (response.errorCode !== 0) return response.errorCode;
    return response.responses[0]?.partitions[0]?.errorCode ?? -1;
  }

  /** Every ongoing reassignment, as `topic-partition` → replicas/adding/removing. */
  async reassignments(): Promise<{ partition: string; replicas: number[]; adding: number[]; removing: number[] }[]> {
    const response = await this.sendToAny(ApiKey.ListPartitionReassignments, { ...defaultListPartitionReassignmentsRequest(), topics: null });
    if (response.errorCode !== 0) throw new Error(`ListPartitionReassignments: error ${response.errorCode}`);
    return response.topics.flatMap((topic) =>
      topic.partitions.map((p) => ({ partition: `${topic.name}-${p.partitionIndex}`, replicas: p.replicas, adding: p.addingReplicas, removing: p.removingReplicas })),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.connections.values()].map((connection) => connection.close().catch(() => undefined)));
    this.connections.clear();
  }
}
