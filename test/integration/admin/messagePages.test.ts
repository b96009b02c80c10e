import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMessages, type RawMessage } from '../../../src/admin/messages';
import type { AdminSession } from '../../../src/admin/adminSession';
import { connectTestSession } from '../../helpers/adminSession';
import { checkTopicConfigChange, createTopic, deleteRecords, describeTopic } from '../../../src/admin/topics';
import { startEmbeddedCluster, type EmbeddedCluster } from '../../helpers/embeddedCluster';
import { expectSuccess, kcat } from '../../helpers/externalClients';

// Paging through a topic the way the UI does (each page continues exactly where the last one
// stopped), the newest N, and a page resuming after its records were deleted; kcat writes.

let cluster: EmbeddedCluster;
let session: AdminSession;

beforeAll(async () => {
  cluster = await startEmbeddedCluster({ brokers: 3 });
  session = await connectTestSession(cluster.bootstrap);
  await createTopic(session, { topic: 'pages', partitions: 3, replicationFactor: 2, configs: {} });
  for (const [partition, count] of [
    [0, 11],
    [1, 7],
    [2, 5],
  ] as const) {
    const lines = Array.from({ length: count }, (_, index) => `k${partition}-${index}|v${partition}-${index}`);
    // One kcat run per message makes one batch each, so a fetch returns many batches to cut.
    expectSuccess('kcat produce', await kcat(cluster.bootstrap, ['-P', '-t', 'pages', '-p', String(partition), '-K', '|', '-X', 'linger.ms=0', '-X', 'batch.num.messages=1'], { input: `${lines.join('\n')}\n` }));
  }
}, 120_000);

afterAll(async () => {
  await session?.close();
  await cluster?.stop();
});

const ids = (messages: RawMessage[]) => messages.map((message) => `${message.partition}@${message.offset}`);

describe('readMessages pages', () => {
  it('page after page of 4 returns every message once, in order per partition, then nothing at the end', async () => {
    const seen: string[] = [];
    let start: Parameters<typeof readMessages>[1]['start'] = { kind: 'earliest' };
    for (let page = 0; page < 20; page++) {
      const result = await readMessages(session, { topic: 'pages', start, maxMessages: 4, idleWaitMs: 0 });
      expect(result.messages.length).toBeLessThanOrEqual(4);
      if (result.messages.length === 0) break;
      seen.push(...ids(result.messages));
      start = { kind: 'positions', offsets: result.nextOffsets };
    }
    const expected = [0, 1, 2].flatMap((partition) => Array.from({ length: [11, 7, 5][partition]! }, (_, offset) => `${partition}@${offset}`));
    expect([...seen].sort()).toEqual([...expected].sort());
    expect(new Set(seen).size).toBe(seen.length);
    for (const partition of [0, 1, 2]) {
      const offsets = seen.filter((id) => id.startsWith(`${partition}@`)).map((id) => Number(id.split('@')[1]));
      expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    }
  });

  it('the newest N are the last N of each partition, with their size, key and value bytes', async () => {
    const result = await readMessages(session, { topic: 'pages', start: { kind: 'newest', count: 2 }, maxMessages: 100, idleWaitMs: 0 });
    expect(ids(result.messages)).toEqual(['0@9', '0@10', '1@5', '1@6', '2@3', '2@4']);
    const last = result.messages.at(-1)!;
    expect(last.key?.toString()).toBe('k2-4');
    expect(last.value?.toString()).toBe('v2-4');
    expect(last.size).toBe('k2-4'.length + 'v2-4'.length);
    expect(result.nextOffsets).toEqual({ 0: 11, 1: 7, 2: 5 });
  });

  it('a partition missing from the positions (added since the last page) is read from its log start', async () => {
    const result = await readMessages(session, { topic: 'pages', start: { kind: 'positions', offsets: { 0: 11, 1: 7 } }, maxMessages: 100, idleWaitMs: 0 });
    expect(ids(result.messages)).toEqual(['2@0', '2@1', '2@2', '2@3', '2@4']);
  });

  it('a next page whose records were deleted meanwhile resumes at the new log start', async () => {
    const first = await readMessages(session, { topic: 'pages', partitions: [0], start: { kind: 'earliest' }, maxMessages: 2, idleWaitMs: 0 });
    expect(first.nextOffsets).toEqual({ 0: 2 });
    await deleteRecords(session, 'pages', [{ partition: 0, offset: 6 }]);
    const next = await readMessages(session, { topic: 'pages', partitions: [0], start: { kind: 'positions', offsets: first.nextOffsets }, maxMessages: 2, idleWaitMs: 0 });
    expect(ids(next.messages)).toEqual(['0@6', '0@7']);
    expect((await describeTopic(session, 'pages')).partitions[0]!.logStartOffset).toBe(6);
  });

  it('a tail read waits at the end for a message produced meanwhile and returns it without waiting again', async () => {
    const end = await readMessages(session, { topic: 'pages', partitions: [1], start: { kind: 'latest' }, maxMessages: 10, idleWaitMs: 0 });
    expect(end.messages).toEqual([]);
    const waiting = readMessages(session, { topic: 'pages', partitions: [1], start: { kind: 'positions', offsets: end.nextOffsets }, maxMessages: 10, idleWaitMs: 3_000, stopWaitingOnceRead: true });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expectSuccess('kcat produce', await kcat(cluster.bootstrap, ['-P', '-t', 'pages', '-p', '1', '-K', '|'], { input: 'tail|arrived\n' }));
    const tailed = await waiting;
    expect(ids(tailed.messages)).toEqual(['1@7']);
    expect(tailed.nextOffsets).toEqual({ 1: 8 });
  });

  it('a config check with validateOnly reports the broker refusal and changes nothing', async () => {
    await expect(checkTopicConfigChange(session, 'pages', { 'retention.ms': 'soon' }, [])).rejects.toThrow(/INVALID_CONFIG/);
    await expect(checkTopicConfigChange(session, 'pages', { 'retention.ms': '1000' }, [])).resolves.toMatchObject({ kafkaCommand: expect.stringContaining('--add-config retention.ms=1000') });
    const configs = (await describeTopic(session, 'pages')).configs;
    expect(configs.find((entry) => entry.name === 'retention.ms')).toMatchObject({ value: '604800000', source: 'DEFAULT_CONFIG' });
  });
});
