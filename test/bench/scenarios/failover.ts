import path from 'node:path';
import { KafkaConnection } from '../../../src/protocol/client';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { defaultCreateTopicsRequest, defaultCreateTopicsRequestCreatableTopic } from '../../../src/protocol/generated/createTopicsRequest';
import { defaultMetadataRequest } from '../../../src/protocol/generated/metadataRequest';
import { defaultProduceRequest } from '../../../src/protocol/generated/produceRequest';
import { encodeRecordBatch } from '../../../src/protocol/records/recordBatch';
import { brokerAction, startCluster, type BenchCluster } from '../cluster';
import { figure, type Figure } from '../figure';

const TOPIC = 'failover';

async function connect(host: string, port: number): Promise<KafkaConnection> {
  const connection = new KafkaConnection({ host, port, clientId: 'bench-failover', connectTimeoutMs: 1000, requestTimeoutMs: 5000 });
  await connection.connect();
  await connection.negotiate();
  return connection;
}

async function partitionState(cluster: BenchCluster): Promise<{ leader: number; isr: number[]; ports: Map<number, number> }> {
  for (const address of cluster.bootstrap.split(',')) {
    const [host, port] = address.split(':');
    try {
      const connection = await connect(host!, Number(port));
      try {
        const metadata = await connection.send(ApiKey.Metadata, { ...defaultMetadataRequest(), topics: [{ topicId: 'AAAAAAAAAAAAAAAAAAAAAA', name: TOPIC }], allowAutoTopicCreation: false });
        const partition = metadata.topics[0]?.partitions[0];
        return { leader: partition?.leaderId ?? -1, isr: partition?.isrNodes ?? [], ports: new Map(metadata.brokers.map((b) => [b.nodeId, b.port])) };
      } finally {
        await connection.close();
      }
    } catch {
      // That broker is down: ask the next one.
    }
  }
  throw new Error('no broker answered metadata');
}

async function produceOnce(port: number): Promise<boolean> {
  try {
    const connection = await connect('127.0.0.1', port);
    try {
      const records = await encodeRecordBatch({ records: [{ value: Buffer.from('failover') }] });
      const response = await connection.send(ApiKey.Produce, { ...defaultProduceRequest(), acks: -1, timeoutMs: 2000, topicData: [{ name: TOPIC, partitionData: [{ index: 0, records }] }] });
      return response.responses[0]?.partitionResponses[0]?.errorCode === 0;
    } finally {
      await connection.close();
    }
  } catch {
    return false;
  }
}

/**
 * Time from SIGKILL of a partition leader (RF 3, min.insync.replicas 2) to an acks=all
 * produce succeeding on the new leader, seen by a client that polls metadata every 10 ms.
 * The baseline is the same produce round trip with no failure, so the ratio is the cost of
 * the failover in round trips.
 */
export async function failover(work: string, runs: number): Promise<Figure[]> {
  const cluster = await startCluster(path.join(work, 'failover'), 3, ['--replica-lag-time-max-ms', '2000']);
  const times: number[] = [];
  const roundTrips: number[] = [];
  try {
    const [host, port] = cluster.bootstrap.split(',')[0]!.split(':');
    const admin = await connect(host!, Number(port));
    await admin.send(ApiKey.CreateTopics, {
      ...defaultCreateTopicsRequest(),
      topics: [{ ...defaultCreateTopicsRequestCreatableTopic(), name: TOPIC, numPartitions: 1, replicationFactor: 3, configs: [{ name: 'min.insync.replicas', value: '2' }] }],
    });
    await admin.close();
    for (let run = 0; run < runs; run++) {
      let state = await partitionState(cluster);
      for (let i = 0; i < 200 && (state.isr.length < 3 || state.leader < 0); i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        state = await partitionState(cluster);
      }
      const started = process.hrtime.bigint();
      if (!(await produceOnce(state.ports.get(state.leader)!))) throw new Error('produce before the failover failed');
      roundTrips.push(Number(process.hrtime.bigint() - started) / 1e6);
      const killed = state.leader;
      const killedAt = process.hrtime.bigint();
      await brokerAction(cluster, killed, 'kill');
      let served = false;
      for (let i = 0; i < 1000 && !served; i++) {
        const now = await partitionState(cluster);
        if (now.leader >= 0 && now.leader !== killed) served = await produceOnce(now.ports.get(now.leader)!);
        if (!served) await new Promise((resolve) => setTimeout(resolve, 10));
      }
      if (!served) throw new Error('no new leader served produce within the bound');
      times.push(Number(process.hrtime.bigint() - killedAt) / 1e6);
      await brokerAction(cluster, killed, 'start');
      process.stderr.write(`bench: failover run ${run + 1}/${runs}\n`);
    }
  } finally {
    await cluster.stop();
  }
  return [figure('failover (kill leader -> acks=all produce on new leader)', 'ms', times, 'acks=all produce round trip, no failure', roundTrips)];
}
