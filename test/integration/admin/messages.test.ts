import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../src/protocol/errors';
import { ClusterAdmin } from '../../helpers/clusterControl';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat } from '../../helpers/externalClients';
import { samsaCli, type SamsaCli } from '../../helpers/samsaCli';

// Browsing and producing messages with the CLI, checked against kcat on the other side.

interface MessageJson {
  partition: number;
  offset: number;
  timestamp: number;
  key: unknown;
  keyFormat: string | null;
  value: unknown;
  valueFormat: string | null;
  headers: { key: string; value: unknown; format: string | null }[];
}

let cluster: EmbeddedCluster;
let cli: SamsaCli;
let connection: string[];

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  cli = samsaCli();
  connection = ['--bootstrap-server', cluster.bootstrap];
  await cli.json(['topics', 'create', ...connection, '--topic', 'events', '--partitions', '2']);
});

afterAll(async () => {
  await cluster?.stop();
  cli?.cleanUp();
});

async function kcatProduceWith(partition: number, codec: string, lines: string[], headers: string[] = []): Promise<void> {
  expectSuccess(
    `kcat produce ${codec}`,
    await kcat(cluster.bootstrap, ['-P', '-t', 'events', '-p', String(partition), '-K', '|', '-z', codec, ...headers.flatMap((header) => ['-H', header])], { input: `${lines.join('\n')}\n` }),
  );
}

describe('samsa messages consume', () => {
  it('shows what kcat produced: keys, values, headers, from batches in every compression codec', async () => {
    await kcatProduceWith(0, 'gzip', ['k1|plain text', 'k2|{"amount":12,"currency":"EUR"}'], ['trace=abc', 'origin=kcat']);
    await kcatProduceWith(0, 'snappy', ['k3|snappy value']);
    await kcatProduceWith(1, 'lz4', ['k4|lz4 value']);
    await kcatProduceWith(1, 'zstd', ['k5|zstd value']);

    const messages = await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events', '--from-beginning', '--format', 'json']);
    expect(messages.map((message) => [message.partition, message.offset, message.key, message.value])).toEqual([
      [0, 0, 'k1', 'plain text'],
      [0, 1, 'k2', { amount: 12, currency: 'EUR' }],
      [0, 2, 'k3', 'snappy value'],
      [1, 0, 'k4', 'lz4 value'],
      [1, 1, 'k5', 'zstd value'],
    ]);
    // JSON that does not parse falls back to text, and says so.
    expect(messages.map((message) => message.valueFormat)).toEqual(['text', 'json', 'text', 'text', 'text']);
    expect(messages[0]!.headers).toEqual([
      { key: 'trace', value: 'abc', format: 'text' },
      { key: 'origin', value: 'kcat', format: 'text' },
    ]);
    expect(messages[2]!.headers).toEqual([]);
  });

  it('starts at an offset or a time, stops after --max-messages, and prints console-consumer style lines', async () => {
    const fromOffset = await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events', '--partition', '0', '--offset', '1', '--max-messages', '1']);
    expect(fromOffset.map((message) => [message.offset, message.key])).toEqual([[1, 'k2']]);

    const all = await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events', '--partition', '0', '--from-beginning']);
    const third = all[2]!;
    const fromTime = await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events', '--partition', '0', '--from-datetime', new Date(third.timestamp).toISOString()]);
    expect(fromTime[0]!.timestamp).toBeGreaterThanOrEqual(third.timestamp);
    expect(fromTime.at(-1)!.offset).toBe(2);

    const text = await cli.run(['messages', 'consume', ...connection, '--topic', 'events', '--partition', '0', '--from-beginning', '--property', 'print.key=true', '--property', 'print.offset=true', '--property', 'print.headers=true']);
    expect(text.exitCode).toBe(0);
    expect(text.stdout.split('\n')[0]).toBe('Offset:0\ttrace:abc,origin:kcat\tk1\tplain text');
    expect(text.stderr).toContain('processed a total of 3 messages');
  });

  it('hex shows the bytes, and the default start (the end) shows nothing old', async () => {
    const hex = await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events', '--partition', '1', '--from-beginning', '--format', 'hex', '--max-messages', '1']);
    expect(hex[0]).toMatchObject({ key: Buffer.from('k4').toString('hex'), value: Buffer.from('lz4 value').toString('hex'), valueFormat: 'hex' });
    expect(await cli.json<MessageJson[]>(['messages', 'consume', ...connection, '--topic', 'events'])).toEqual([]);
  });

  it('keeps waiting when the partition changes leader, and shows what is then produced on the new leader', async () => {
    await cli.json(['topics', 'create', ...connection, '--topic', 'moving', '--partitions', '1', '--replication-factor', '3']);
    const admin = new ClusterAdmin(cluster);
    try {
      const before = await admin.waitForPartition('moving', 'a full ISR', (view) => view.leader !== -1 && view.isr.length === 3);
      const waiting = cli.run(['messages', 'consume', ...connection, '--topic', 'moving', '--max-messages', '1', '--timeout-ms', '60000', '--json'], { timeoutMs: 90_000 });
      // Long enough for the CLI to be waiting at the end of the log (on a busy machine it may still be starting, which is fine too).
      await new Promise((done) => setTimeout(done, 3_000));
      const newLeader = before.replicas.find((id) => id !== before.leader)!;
      expect(await admin.reassign('moving', [newLeader, ...before.replicas.filter((id) => id !== newLeader)])).toBe(ErrorCode.NONE);
      await admin.waitForPartition('moving', `broker ${newLeader} preferred, all in sync`, (view) => view.replicas[0] === newLeader && view.isr.length === 3);
      expect(await admin.electLeaders('preferred', 'moving')).toBe(ErrorCode.NONE);
      await admin.waitForPartition('moving', `broker ${newLeader} leading`, (view) => view.leader === newLeader);
      expectSuccess('kcat produce after the move', await kcat(cluster.bootstrap, ['-P', '-t', 'moving', '-p', '0'], { input: 'after the move\n' }));
      const result = await waiting;
      expect(result.stderr).toBe('');
      expect(result.exitCode).toBe(0);
      expect((JSON.parse(result.stdout) as MessageJson[]).map((message) => message.value)).toEqual(['after the move']);
    } finally {
      await admin.close();
    }
  }, 120_000);
});

describe('samsa messages produce', () => {
  it('writes messages with key and headers that kcat reads back, one audit entry each', async () => {
    const single = await cli.json<{ partition: number; offset: number }[]>(['messages', 'produce', ...connection, '--topic', 'events', '--partition', '1', '--key', 'order-9', '--value', 'shipped', '--header', 'source=samsa']);
    expect(single).toEqual([{ partition: 1, offset: 2 }]);
    const fromStdin = await cli.json<{ partition: number; offset: number }[]>(
      ['messages', 'produce', ...connection, '--topic', 'events', '--partition', '1', '--property', 'parse.key=true', '--property', 'key.separator=:'],
      { input: 'a:first\nb:second\n' },
    );
    expect(fromStdin).toEqual([
      { partition: 1, offset: 3 },
      { partition: 1, offset: 4 },
    ]);

    const read = expectSuccess('kcat consume', await kcat(cluster.bootstrap, ['-C', '-t', 'events', '-p', '1', '-o', '2', '-e', '-q', '-f', '%o|%k|%s|%h\\n']));
    expect(read.stdout.trim().split('\n')).toEqual(['2|order-9|shipped|source=samsa', '3|a|first|', '4|b|second|']);
    expect(cli.auditLog().trim().split('\n').filter((line) => line.includes('"kind":"produce"'))).toHaveLength(3);
  });
});
