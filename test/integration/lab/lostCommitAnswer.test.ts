import { connect, type Socket } from 'node:net';
import type { ISocketFactory } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminSession } from '../../../src/admin/adminSession';
import { connectTestSession } from '../../helpers/adminSession';
import { createTopic } from '../../../src/admin/topics';
import { readSettledTopicLog, transactionCommitted } from '../../../src/lab/logReader';
import { produceWorkload } from '../../../src/lab/producerDriver';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';

// A commit whose answer never reaches the producer: the coordinator logged the commit, then
// the connection dropped (in the lab, the coordinator was killed in between). kafkajs throws
// and cannot retry the commit, although the transaction is committed. The lab's producer must
// find that out before writing the records again, or they are committed twice.

let cluster: EmbeddedCluster;
let session: AdminSession;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  session = await connectTestSession(cluster.bootstrap);
}, 60_000);

afterAll(async () => {
  await session?.close();
  await cluster?.stop();
});

/** Where a request frame keeps its API key: after the 4-byte size prefix. */
const API_KEY_OFFSET = 4;

/**
 * TCP connections that pass everything through, except that the first EndTxn's answer is
 * swallowed and its connection closed, as when the coordinator dies after logging the commit.
 * kafkajs writes each request as one buffer, so the frame's API key is at a fixed place.
 */
function losingFirstEndTxnAnswer(): { socketFactory: ISocketFactory; answersLost: () => number } {
  let armed = true;
  let lost = 0;
  const socketFactory: ISocketFactory = ({ host, port, onConnect }) => {
    const socket: Socket = connect({ host, port }, onConnect);
    let swallowNextAnswer = false;
    const write = socket.write.bind(socket) as (chunk: unknown, ...rest: unknown[]) => boolean;
    socket.write = ((chunk: unknown, ...rest: unknown[]) => {
      if (armed && Buffer.isBuffer(chunk) && chunk.length > API_KEY_OFFSET + 2 && chunk.readInt16BE(API_KEY_OFFSET) === ApiKey.EndTxn) {
        armed = false;
        swallowNextAnswer = true;
      }
      return write(chunk, ...rest);
    }) as Socket['write'];
    const emit = socket.emit.bind(socket) as (event: string | symbol, ...args: unknown[]) => boolean;
    socket.emit = ((event: string | symbol, ...args: unknown[]) => {
      if (event === 'data' && swallowNextAnswer) {
        swallowNextAnswer = false;
        lost += 1;
        // As the client sees a broker dying: the connection reset, the answer never read.
        socket.destroy(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
        return true;
      }
      return emit(event, ...args);
    }) as Socket['emit'];
    return socket;
  };
  return { socketFactory, answersLost: () => lost };
}

describe('lab producer: a commit whose answer is lost', () => {
  it('is found committed in the log and not written again', async () => {
    const topic = 'lost-commit-answer';
    await createTopic(session, { topic, partitions: 3, replicationFactor: 3, configs: {} });
    const network = losingFirstEndTxnAnswer();
    const signal = new AbortController().signal;
    const outcome = await produceWorkload({
      bootstrap: cluster.bootstrap.split(','),
      topic,
      workload: { records: 120, partitions: 3, replicationFactor: 3, minInsyncReplicas: 2 },
      settings: { acks: -1, retries: 10, idempotent: true, transactional: true, abortEvery: 0, batchSize: 40 },
      transactionalId: 'lost-commit-answer-producer',
      beforeSend: async () => undefined,
      onProgress: () => undefined,
      committedInLog: (txn) => transactionCommitted(session, topic, txn, signal),
      signal,
      socketFactory: network.socketFactory,
    });

    expect(network.answersLost()).toBe(1);
    const committedIds = (await readSettledTopicLog(session, topic, signal)).filter((entry) => entry.fate === 'committed').map((entry) => entry.value.id);
    expect(new Set(committedIds).size, 'distinct ids committed').toBe(120);
    expect(committedIds.length, 'records committed, repeats included').toBe(120);
    expect(outcome.transactions).toEqual({ committed: 3, abortedOnPurpose: 0, failed: 0, committedDespiteError: 1 });
    expect(outcome.failed).toEqual([]);
    expect([...outcome.acknowledged].sort((a, b) => a - b)).toEqual(Array.from({ length: 120 }, (_, id) => id));
  }, 60_000);
});
