/**
 * Transactions (KIP-98, KIP-447) against the embedded cluster with real clients: librdkafka
 * through confluent-kafka (the system Python) and kafkajs. On the 3-broker cluster the
 * topics' partitions (RF 1) and the internal topics are spread over the brokers, so the
 * coordinator's markers cross broker processes. A read_committed reader must see exactly
 * the committed records and never aborted or open ones.
 */
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { startEmbeddedCluster, waitFor, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { runPython } from '../../helpers/externalClients';

const PYTHON_TIMEOUT_MS = 60_000;
const READ_COMMITTED = 1;

/** Python helpers shared by the scripts: an assign-style reader that stops at the end of every partition. */
const PY_READ_ALL = `
import json, sys, time, os
from confluent_kafka import Producer, Consumer, KafkaException, TopicPartition
params = json.load(sys.stdin)
bs = params['bootstrap']

def read_all(topic, partitions, isolation):
    c = Consumer({'bootstrap.servers': bs, 'group.id': 'reader-' + isolation + '-' + str(time.time()), 'isolation.level': isolation,
                  'auto.offset.reset': 'earliest', 'enable.partition.eof': True, 'enable.auto.commit': False})
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got, eofs, deadline = [], set(), time.time() + 20
    while len(eofs) < partitions and time.time() < deadline:
        m = c.poll(0.5)
        if m is None: continue
        if m.error():
            if m.error().code() == -191: eofs.add(m.partition())
            continue
        got.append(m.value().decode())
    c.close()
    if len(eofs) < partitions: raise SystemExit('reader did not reach the end of every partition')
    return sorted(got)
`;

describe.each([1, 3])('transactions on a %i-broker cluster', (brokers) => {
  let cluster: EmbeddedCluster;
  let kafka: Kafka;
  let admin: Admin;

  beforeAll(async () => {
    cluster = await startEmbeddedCluster({ brokers, extraArgs: ['--group-initial-rebalance-delay-ms', '0'] });
    kafka = new Kafka({ clientId: 'samsa-it-txn', brokers: cluster.brokerAddresses, logLevel: logLevel.NOTHING });
    admin = kafka.admin();
    await admin.connect();
  });

  afterAll(async () => {
    await admin?.disconnect().catch(() => undefined);
    await cluster?.stop();
  });

  async function createTopic(topic: string, numPartitions: number): Promise<void> {
    expect(await admin.createTopics({ topics: [{ topic, numPartitions }], waitForLeaders: true })).toBe(true);
    if (brokers > 1) {
      const leaders = new Set((await admin.fetchTopicMetadata({ topics: [topic] })).topics[0]!.partitions.map((p) => p.leader));
      expect(leaders.size, `${topic}'s partitions are spread over the brokers`).toBeGreaterThan(1);
    }
  }

  /** One request to one broker (by id) over our own client. */
  async function request<T>(brokerId: number, send: (connection: KafkaConnection) => Promise<T>): Promise<T> {
    const [host, port] = cluster.brokerAddresses[brokerId - 1]!.split(':');
    const connection = new KafkaConnection({ host: host!, port: Number(port), requestTimeoutMs: 10_000 });
    await connection.connect();
    try {
      await connection.negotiate();
      return await send(connection);
    } finally {
      await connection.close();
    }
  }

  async function leaderOf(topic: string, partition: number): Promise<number> {
    const metadata = await admin.fetchTopicMetadata({ topics: [topic] });
    return metadata.topics[0]!.partitions.find((p) => p.partitionId === partition)!.leader;
  }

  /** (high watermark, last stable offset) of a partition, from ListOffsets latest in both isolation levels. */
  async function endOffsets(topic: string, partition: number): Promise<{ hw: bigint; lso: bigint }> {
    const leader = await leaderOf(topic, partition);
    const latest = (isolationLevel: number) =>
      request(leader, async (c) => {
        const response = await c.send(ApiKey.ListOffsets, {
          replicaId: -1,
          isolationLevel,
          timeoutMs: 0,
          topics: [{ name: topic, partitions: [{ partitionIndex: partition, currentLeaderEpoch: -1, timestamp: -1n, maxNumOffsets: 1 }] }],
        });
        const answer = response.topics[0]!.partitions[0]!;
        expect(answer.errorCode).toBe(ErrorCode.NONE);
        return answer.offset;
      });
    return { hw: await latest(0), lso: await latest(READ_COMMITTED) };
  }

  async function coordinatorOf(key: string, keyType: 0 | 1): Promise<number> {
    return waitFor(`the coordinator of ${key}`, () =>
      request(1, async (c) => {
        const response = await c.send(ApiKey.FindCoordinator, { key, keyType, coordinatorKeys: [] }, { version: 3 });
        return response.errorCode === ErrorCode.NONE ? response.nodeId : undefined;
      }),
    );
  }

  async function describeTransaction(transactionalId: string) {
    const coordinator = await coordinatorOf(transactionalId, 1);
    return request(coordinator, async (c) => (await c.send(ApiKey.DescribeTransactions, { transactionalIds: [transactionalId] })).transactionStates[0]!);
  }

  /** OffsetFetch v7 with RequireStable (KIP-447) from the group's coordinator. */
  async function stableOffsets(groupId: string, topic: string, partitions: number[]) {
    const coordinator = await coordinatorOf(groupId, 0);
    return request(coordinator, async (c) => {
      const response = await c.send(ApiKey.OffsetFetch, { groupId, topics: [{ name: topic, partitionIndexes: partitions }], groups: [], requireStable: true }, { version: 7 });
      return response.topics[0]!.partitions.map((p) => ({ partition: p.partitionIndex, offset: p.committedOffset, errorCode: p.errorCode }));
    });
  }

  async function kafkajsReadCommitted(topic: string, expected: number): Promise<string[]> {
    const consumer = kafka.consumer({ groupId: `kafkajs-rc-${topic}`, readUncommitted: false, maxWaitTimeInMs: 200 });
    const values: string[] = [];
    await consumer.connect();
    try {
      await consumer.subscribe({ topic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => void values.push(message.value!.toString()) });
      await waitFor(`kafkajs to read ${expected} committed records of ${topic}`, () => (values.length >= expected ? true : undefined), 30_000);
      // Anything aborted that slipped through would arrive with or right after the rest.
      await new Promise((resolve) => setTimeout(resolve, 500));
    } finally {
      await consumer.disconnect();
    }
    return values.sort();
  }

  it('confluent-kafka: interleaved commits and aborts over several partitions; read_committed readers see exactly the committed records', async () => {
    const topic = `txn-interleaved-${brokers}`;
    const partitions = 6;
    await createTopic(topic, partitions);
    const result = await runPython<{ committed: string[]; uncommitted: string[]; written: { commit: string[]; abort: string[] } }>(
      'confluent-kafka transactional producer',
      `${PY_READ_ALL}
p = Producer({'bootstrap.servers': bs, 'transactional.id': params['id'], 'linger.ms': 5})
p.init_transactions(30)
written = {'commit': [], 'abort': []}
for t in range(6):
    outcome = 'commit' if t % 2 == 0 else 'abort'
    p.begin_transaction()
    for k in range(12):
        value = f'{outcome}-{t}-{k}'
        p.produce(params['topic'], value=value, partition=k % ${partitions})
        written[outcome].append(value)
    # Flush first, so the aborted records really are in the log and must be filtered by readers.
    p.flush(30)
    if outcome == 'commit': p.commit_transaction(30)
    else: p.abort_transaction(30)
print(json.dumps({'written': written, 'committed': read_all(params['topic'], ${partitions}, 'read_committed'),
                  'uncommitted': read_all(params['topic'], ${partitions}, 'read_uncommitted')}))
`,
      { bootstrap: cluster.bootstrap, topic, id: `interleaved-${brokers}` },
      PYTHON_TIMEOUT_MS,
    );
    expect(result.written.commit).toHaveLength(36);
    expect(result.committed).toEqual([...result.written.commit].sort());
    expect(result.uncommitted).toEqual([...result.written.commit, ...result.written.abort].sort());
    expect(await kafkajsReadCommitted(topic, result.written.commit.length)).toEqual([...result.written.commit].sort());
    for (let p = 0; p < partitions; p++) {
      const { hw, lso } = await endOffsets(topic, p);
      expect(lso, `${topic}-${p} has no open transaction left`).toBe(hw);
    }
    expect(await describeTransaction(`interleaved-${brokers}`)).toMatchObject({ errorCode: ErrorCode.NONE, transactionState: 'CompleteAbort', topics: [] });
  });

  it('confluent-kafka: a second producer with the same transactional.id fences the first, whose open transaction is aborted', async () => {
    const topic = `txn-fencing-${brokers}`;
    await createTopic(topic, 3);
    const result = await runPython<{ error: string | null; fatal: boolean; committed: string[] }>(
      'confluent-kafka fencing',
      `${PY_READ_ALL}
conf = {'bootstrap.servers': bs, 'transactional.id': params['id']}
first = Producer(conf)
first.init_transactions(30)
first.begin_transaction()
for k in range(3): first.produce(params['topic'], value=f'zombie-{k}', partition=k)
first.flush(30)
second = Producer(conf)
second.init_transactions(30)
second.begin_transaction()
for k in range(3): second.produce(params['topic'], value=f'winner-{k}', partition=k)
second.commit_transaction(30)
error, fatal = None, False
try:
    first.commit_transaction(30)
except KafkaException as e:
    error, fatal = e.args[0].name(), e.args[0].fatal()
print(json.dumps({'error': error, 'fatal': fatal, 'committed': read_all(params['topic'], 3, 'read_committed')}))
`,
      { bootstrap: cluster.bootstrap, topic, id: `fencing-${brokers}` },
      PYTHON_TIMEOUT_MS,
    );
    // librdkafka turns PRODUCER_FENCED (and the INVALID_PRODUCER_EPOCH of the bumped markers) into its fatal _FENCED.
    expect(result).toEqual({ error: '_FENCED', fatal: true, committed: ['winner-0', 'winner-1', 'winner-2'] });
  });

  it('aborts a transaction abandoned past its transaction.timeout.ms, and the LSO moves past it', async () => {
    const topic = `txn-timeout-${brokers}`;
    const transactionalId = `abandoned-${brokers}`;
    await createTopic(topic, 2);
    await runPython<{ ok: boolean }>(
      'confluent-kafka abandoned transaction',
      `${PY_READ_ALL}
p = Producer({'bootstrap.servers': bs, 'transactional.id': params['id'], 'transaction.timeout.ms': 2000})
p.init_transactions(30)
p.begin_transaction()
for k in range(4): p.produce(params['topic'], value=f'abandoned-{k}', partition=k % 2)
p.flush(30)
print(json.dumps({'ok': True}))
sys.stdout.flush()
os._exit(0)
`,
      { bootstrap: cluster.bootstrap, topic, id: transactionalId },
      PYTHON_TIMEOUT_MS,
    );
    const open = await describeTransaction(transactionalId);
    expect(open).toMatchObject({ errorCode: ErrorCode.NONE, transactionState: 'Ongoing', transactionTimeoutMs: 2000 });
    const stuck = await endOffsets(topic, 0);
    expect(stuck.lso).toBeLessThan(stuck.hw);
    const coordinator = await coordinatorOf(transactionalId, 1);
    const listed = await request(coordinator, (c) => c.send(ApiKey.ListTransactions, { stateFilters: ['Ongoing'], producerIdFilters: [], durationFilter: -1n }));
    expect(listed.transactionStates).toContainEqual({ transactionalId, producerId: open.producerId, transactionState: 'Ongoing' });
    const producers = await request(await leaderOf(topic, 0), (c) => c.send(ApiKey.DescribeProducers, { topics: [{ name: topic, partitionIndexes: [0] }] }));
    expect(producers.topics[0]!.partitions[0]!.activeProducers).toContainEqual(
      expect.objectContaining({ producerId: open.producerId, producerEpoch: open.producerEpoch, currentTxnStartOffset: stuck.lso }),
    );

    await waitFor('the coordinator to abort the abandoned transaction', async () => ((await describeTransaction(transactionalId)).transactionState === 'CompleteAbort' ? true : undefined), 15_000);
    for (const partition of [0, 1]) {
      const { hw, lso } = await endOffsets(topic, partition);
      expect(lso).toBe(hw);
    }
    const after = await describeTransaction(transactionalId);
    expect(after.producerEpoch, 'the timeout abort bumped the epoch to fence the producer').toBe(open.producerEpoch + 1);
    const readers = await runPython<{ committed: string[]; uncommitted: string[] }>(
      'read the abandoned topic',
      `${PY_READ_ALL}
print(json.dumps({'committed': read_all(params['topic'], 2, 'read_committed'), 'uncommitted': read_all(params['topic'], 2, 'read_uncommitted')}))
`,
      { bootstrap: cluster.bootstrap, topic },
      PYTHON_TIMEOUT_MS,
    );
    expect(readers).toEqual({ committed: [], uncommitted: ['abandoned-0', 'abandoned-1', 'abandoned-2', 'abandoned-3'] });
  });

  it('confluent-kafka consume-transform-produce: group offsets commit atomically with the output, and are unstable until then', async () => {
    const input = `txn-ctp-in-${brokers}`;
    const output = `txn-ctp-out-${brokers}`;
    const groupId = `copier-${brokers}`;
    await createTopic(input, 3);
    await createTopic(output, 3);
    const producer = kafka.producer();
    await producer.connect();
    const records = Array.from({ length: 30 }, (_, i) => ({ value: `record-${i}`, partition: i % 3 }));
    await producer.send({ topic: input, messages: records });
    await producer.disconnect();

    const result = await runPython<{ copied: number; pendingCommitted: string; committed: Record<string, number>; output: string[] }>(
      'confluent-kafka copier',
      `${PY_READ_ALL}
c = Consumer({'bootstrap.servers': bs, 'group.id': params['group'], 'isolation.level': 'read_committed', 'auto.offset.reset': 'earliest',
              'enable.auto.commit': False, 'session.timeout.ms': 10000})
p = Producer({'bootstrap.servers': bs, 'transactional.id': params['id']})
p.init_transactions(30)
c.subscribe([params['input']])
copied, deadline = [], time.time() + 30
while len(copied) < params['count'] and time.time() < deadline:
    msgs = c.consume(100, 1.0)
    msgs = [m for m in msgs if not m.error()]
    if not msgs: continue
    p.begin_transaction()
    for m in msgs:
        p.produce(params['output'], value=m.value().decode().upper(), partition=m.partition())
        copied.append(m.value().decode())
    p.send_offsets_to_transaction(c.position(c.assignment()), c.consumer_group_metadata(), 30)
    p.commit_transaction(30)
# One more transaction that is left pending while we look at the group's offsets.
p.begin_transaction()
p.produce(params['output'], value='LAST', partition=0)
assigned = c.assignment()
positions = c.position(assigned)
p.send_offsets_to_transaction([TopicPartition(tp.topic, tp.partition, tp.offset) for tp in positions], c.consumer_group_metadata(), 30)
pending = 'answered'
try:
    # librdkafka asks with RequireStable (read_committed) and keeps retrying UNSTABLE_OFFSET_COMMIT.
    c.committed(assigned, timeout=2)
except KafkaException as e:
    pending = 'timed out'
sys.stderr.write('pending check done\\n')
p.abort_transaction(30)
committed = {str(tp.partition): tp.offset for tp in c.committed(assigned, timeout=10)}
c.close()
print(json.dumps({'copied': len(copied), 'pendingCommitted': pending, 'committed': committed,
                  'output': read_all(params['output'], 3, 'read_committed')}))
`,
      { bootstrap: cluster.bootstrap, input, output, group: groupId, id: `copier-${brokers}`, count: records.length },
      PYTHON_TIMEOUT_MS,
    );
    expect(result.copied).toBe(records.length);
    expect(result.pendingCommitted).toBe('timed out');
    expect(result.committed).toEqual({ '0': 10, '1': 10, '2': 10 });
    expect(result.output).toEqual(records.map((r) => r.value.toUpperCase()).sort());
    expect(await stableOffsets(groupId, input, [0, 1, 2])).toEqual([0, 1, 2].map((partition) => ({ partition, offset: 10n, errorCode: ErrorCode.NONE })));
  });

  it('kafkajs transactional producer: commit, abort, and sendOffsets visible only after the commit', async () => {
    const topic = `txn-kafkajs-${brokers}`;
    const groupId = `kafkajs-offsets-${brokers}`;
    await createTopic(topic, 3);
    const producer = kafka.producer({ transactionalId: `kafkajs-${brokers}`, idempotent: true, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const committed = await producer.transaction();
      await committed.send({ topic, messages: [0, 1, 2].map((partition) => ({ value: `kept-${partition}`, partition })) });
      await committed.commit();

      const aborted = await producer.transaction();
      await aborted.send({ topic, messages: [0, 1, 2].map((partition) => ({ value: `dropped-${partition}`, partition })) });
      await aborted.abort();

      const withOffsets = await producer.transaction();
      await withOffsets.send({ topic, messages: [{ value: 'kept-with-offsets', partition: 0 }] });
      await withOffsets.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition: 0, offset: '42' }] }] });
      expect(await stableOffsets(groupId, topic, [0])).toEqual([{ partition: 0, offset: -1n, errorCode: ErrorCode.UNSTABLE_OFFSET_COMMIT }]);
      await withOffsets.commit();
      await waitFor('the committed offset to become stable', async () => {
        const [offset] = await stableOffsets(groupId, topic, [0]);
        return offset!.errorCode === ErrorCode.NONE ? offset : undefined;
      });
      expect(await stableOffsets(groupId, topic, [0])).toEqual([{ partition: 0, offset: 42n, errorCode: ErrorCode.NONE }]);
    } finally {
      await producer.disconnect();
    }
    expect(await kafkajsReadCommitted(topic, 4)).toEqual(['kept-0', 'kept-1', 'kept-2', 'kept-with-offsets']);
  });
});
