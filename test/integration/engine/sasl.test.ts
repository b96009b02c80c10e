import net from 'node:net';
import { Kafka, logLevel } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KafkaConnection } from '../../../src/protocol/client';
import { ErrorCode } from '../../../src/protocol/errors';
import { ApiKey } from '../../../src/protocol/generated/apis';
import { encodeRequestFrame } from '../../../src/protocol/client/frames';
import { printClusterLogsOnFailure, requireDistBuild, startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { SYSTEM_PYTHON, kcat, runProcess } from '../../helpers/externalClients';

let cluster: EmbeddedCluster | undefined;
printClusterLogsOnFailure(() => cluster);

const saslArgs = (mechanism: string, user: string, password: string) => [
  '-X', 'security.protocol=SASL_PLAINTEXT', '-X', `sasl.mechanisms=${mechanism}`, '-X', `sasl.username=${user}`, '-X', `sasl.password=${password}`,
];

describe('SASL on the embedded cluster (SASL_PLAINTEXT)', () => {
  beforeAll(async () => {
    requireDistBuild();
    cluster = await startEmbeddedCluster({ brokers: 3, extraArgs: ['--sasl', 'alice=alice-secret', '--sasl', 'bob=bob-secret', '--default-replication-factor', '3'] });
  });
  afterAll(async () => {
    await cluster?.stop();
  });

  it.each(['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'])('lets kcat produce and consume with %s, replicated across authenticated brokers', async (mechanism) => {
    const topic = `sasl-${mechanism.toLowerCase()}`;
    const produced = await kcat(cluster!.bootstrap, ['-P', '-t', topic, '-K:', '-X', 'acks=all', ...saslArgs(mechanism, 'alice', 'alice-secret')], { input: 'k1:one\nk2:two\n' });
    expect(produced.exitCode, produced.stderr).toBe(0);
    const consumed = await kcat(cluster!.bootstrap, ['-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%k=%s\\n', ...saslArgs(mechanism, 'bob', 'bob-secret')]);
    expect(consumed.stdout.trim().split('\n')).toEqual(['k1=one', 'k2=two']);
    const metadata = await kcat(cluster!.bootstrap, ['-L', '-J', '-t', topic, ...saslArgs(mechanism, 'bob', 'bob-secret')]);
    const partition = JSON.parse(metadata.stdout).topics[0].partitions[0];
    expect(partition.isrs).toHaveLength(3);
  });

  it('lets kafkajs (SCRAM-SHA-512) and kafka-python (PLAIN) in', async () => {
    const kafka = new Kafka({ brokers: cluster!.bootstrap.split(','), clientId: 'sasl-test', logLevel: logLevel.NOTHING, sasl: { mechanism: 'scram-sha-512', username: 'alice', password: 'alice-secret' } });
    const admin = kafka.admin();
    await admin.connect();
    expect(await admin.listTopics()).toContain('sasl-plain');
    await admin.disconnect();
    const script = [
      'from kafka import KafkaConsumer, TopicPartition',
      `c = KafkaConsumer(bootstrap_servers=${JSON.stringify(cluster!.bootstrap.split(','))}, security_protocol='SASL_PLAINTEXT', sasl_mechanism='PLAIN', sasl_plain_username='bob', sasl_plain_password='bob-secret', consumer_timeout_ms=5000)`,
      "tp = TopicPartition('sasl-plain', 0)",
      'c.assign([tp]); c.seek_to_beginning(tp)',
      "print(','.join(m.value.decode() for m in c))",
    ].join('\n');
    const result = await runProcess(SYSTEM_PYTHON, ['-c', script], { timeoutMs: 30_000 });
    expect(result.stdout.trim(), result.stderr).toBe('one,two');
  });

  it('refuses a wrong password and a client that skips authentication', async () => {
    const wrong = await kcat(cluster!.bootstrap, ['-L', '-m', '3', ...saslArgs('SCRAM-SHA-256', 'alice', 'not-her-password')]);
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.stderr).toMatch(/Authentication failed|authentication/i);
    const [host, port] = cluster!.brokerAddresses[0]!.split(':');
    const plain = new KafkaConnection({ host: host!, port: Number(port), clientId: 'no-sasl', requestTimeoutMs: 3000 });
    await plain.connect();
    await expect(plain.send(ApiKey.Metadata, { topics: null, allowAutoTopicCreation: false, includeClusterAuthorizedOperations: false, includeTopicAuthorizedOperations: false }, { version: 9 })).rejects.toThrow();
    await plain.close();
  });

  it('supports the legacy SaslHandshake v0 flow with raw tokens', async () => {
    const [host, port] = cluster!.brokerAddresses[0]!.split(':');
    const socket = net.connect(Number(port), host!);
    await new Promise((resolve) => socket.once('connect', resolve));
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const frames = () => Buffer.concat(received);
    const waitForBytes = async (count: number) => {
      for (let i = 0; i < 100 && frames().length < count; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    };
    for (const chunk of encodeRequestFrame(ApiKey.SaslHandshake, 0, 1, 'legacy', { mechanism: 'PLAIN' })) socket.write(chunk);
    await waitForBytes(4);
    const handshake = frames();
    expect(handshake.readInt16BE(4 + 4)).toBe(ErrorCode.NONE);
    received.length = 0;
    const token = Buffer.from('\u0000alice\u0000alice-secret');
    const size = Buffer.alloc(4);
    size.writeInt32BE(token.length);
    socket.write(Buffer.concat([size, token]));
    await waitForBytes(4);
    expect(frames().readInt32BE(0)).toBe(0);
    socket.destroy();
  });
});
