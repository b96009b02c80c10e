import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Controller, type CreateTopicSpec } from '../../../../src/engine/controller/controller';
import { placeReplicas } from '../../../../src/engine/controller/replicaPlacement';
import { NO_LEADER } from '../../../../src/engine/metadata/records';
import { ErrorCode } from '../../../../src/protocol/errors';

const topic = (name: string, numPartitions: number, replicationFactor: number, configs: Record<string, string> = {}): CreateTopicSpec => ({
  name,
  numPartitions,
  replicationFactor,
  assignments: [],
  configs,
});

describe('controller', () => {
  let dir: string;
  let controller: Controller;

  const open = () => new Controller({ metadataDir: dir, numPartitions: 1, defaultReplicationFactor: 1 });
  const register = (c: Controller, ...ids: number[]) => {
    for (const id of ids) c.registerBroker({ brokerId: id, host: '127.0.0.1', port: 9090 + id, rack: null, incarnationId: `i${id}` });
  };

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'samsa-controller-'));
    controller = open();
    register(controller, 1, 2, 3);
  });
  afterEach(() => {
    controller.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('creates a topic with replicas spread over the brokers and every replica in the ISR', () => {
    const [result] = controller.createTopics([topic('orders', 6, 3)]);
    expect(result).toMatchObject({ errorCode: 0, numPartitions: 6, replicationFactor: 3 });
    const partitions = controller.image.topicsByName.get('orders')!.partitions;
    expect(partitions).toHaveLength(6);
    const leaders = partitions.map((p) => p.leader);
    expect(new Set(leaders)).toEqual(new Set([1, 2, 3]));
    for (const p of partitions) {
      expect(new Set(p.replicas).size).toBe(3);
      expect(p.isr).toEqual(p.replicas);
      expect(p.leader).toBe(p.replicas[0]);
      expect(p.leaderEpoch).toBe(0);
    }
  });

  it('rejects bad topics with the error codes Kafka uses', () => {
    controller.createTopics([topic('exists', 1, 1)]);
    const results = controller.createTopics([
      topic('exists', 1, 1),
      topic('bad/name', 1, 1),
      topic('zero', 0, 1),
      topic('too-many-replicas', 1, 4),
      topic('bad-config', 1, 1, { 'retention.ms': 'soon' }),
      topic('unknown-config', 1, 1, { 'no.such.config': '1' }),
    ]);
    expect(results.map((r) => r.errorCode)).toEqual([
      ErrorCode.TOPIC_ALREADY_EXISTS,
      ErrorCode.INVALID_TOPIC_EXCEPTION,
      ErrorCode.INVALID_PARTITIONS,
      ErrorCode.INVALID_REPLICATION_FACTOR,
      ErrorCode.INVALID_CONFIG,
      ErrorCode.INVALID_CONFIG,
    ]);
    expect(results[3]!.errorMessage).toContain('larger than the 3 available brokers');
    expect(results[4]!.errorMessage).toContain('retention.ms');
    expect([...controller.image.topicsByName.keys()]).toEqual(['exists']);
  });

  it('validates without creating when asked to', () => {
    const [result] = controller.createTopics([topic('dry', 3, 2)], true);
    expect(result!.errorCode).toBe(0);
    expect(controller.image.topicsByName.has('dry')).toBe(false);
  });

  it('moves leadership to the next ISR member when a broker is fenced, and back on return', () => {
    controller.createTopics([{ ...topic('t', -1, -1), assignments: [{ partition: 0, brokerIds: [2, 3, 1] }] }]);
    controller.fenceBroker(2);
    let state = controller.image.partition('t', 0)!;
    expect(state.leader).toBe(3);
    expect(state.isr).toEqual([3, 1]);
    expect(state.leaderEpoch).toBe(1);
    controller.fenceBroker(3);
    controller.fenceBroker(1);
    state = controller.image.partition('t', 0)!;
    // The last ISR member stays in the ISR so the partition comes back clean with it.
    expect(state.leader).toBe(NO_LEADER);
    expect(state.isr).toEqual([1]);
    register(controller, 3);
    expect(controller.image.partition('t', 0)!.leader).toBe(NO_LEADER);
    register(controller, 1);
    state = controller.image.partition('t', 0)!;
    expect(state.leader).toBe(1);
    expect(state.leaderEpoch).toBe(4);
  });

  it('grows partitions, alters configs all-or-nothing and deletes topics', () => {
    controller.createTopics([topic('grow', 2, 2)]);
    expect(controller.createPartitions('grow', 2, null).errorCode).toBe(ErrorCode.INVALID_PARTITIONS);
    expect(controller.createPartitions('grow', 5, null).errorCode).toBe(0);
    expect(controller.image.topicsByName.get('grow')!.partitions).toHaveLength(5);

    const bad = controller.alterTopicConfigs('grow', [
      { name: 'retention.ms', op: 'set', value: '1000' },
      { name: 'min.insync.replicas', op: 'set', value: '0' },
    ], false);
    expect(bad.errorCode).toBe(ErrorCode.INVALID_CONFIG);
    expect(controller.image.topicsByName.get('grow')!.configs).toEqual({});
    expect(controller.alterTopicConfigs('grow', [{ name: 'cleanup.policy', op: 'append', value: 'compact' }], false).errorCode).toBe(0);
    expect(controller.image.topicsByName.get('grow')!.configs).toEqual({ 'cleanup.policy': 'delete,compact' });

    expect(controller.deleteTopic({ name: 'grow' }).errorCode).toBe(0);
    expect(controller.deleteTopic({ name: 'grow' }).errorCode).toBe(ErrorCode.UNKNOWN_TOPIC_OR_PARTITION);
  });

  it('keeps dynamic broker configs per broker and cluster-wide in the metadata log, refusing static settings and bad values', () => {
    expect(controller.alterBrokerConfigs('2', [{ name: 'leader.replication.throttled.rate', op: 'set', value: '1000' }], false).errorCode).toBe(0);
    expect(controller.alterBrokerConfigs('', [{ name: 'follower.replication.throttled.rate', op: 'set', value: '2000' }], false).errorCode).toBe(0);
    const refused = controller.alterBrokerConfigs('2', [{ name: 'num.partitions', op: 'set', value: '3' }], false);
    expect(refused).toEqual({ errorCode: ErrorCode.INVALID_REQUEST, errorMessage: expect.stringMatching(/^Cannot update these configs dynamically: num\.partitions/) });
    const negative = controller.alterBrokerConfigs('2', [{ name: 'leader.replication.throttled.rate', op: 'set', value: '-5' }], false);
    expect(negative).toEqual({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: expect.stringContaining('leader.replication.throttled.rate') });
    expect(controller.alterBrokerConfigs('two', [{ name: 'leader.replication.throttled.rate', op: 'set', value: '5' }], false).errorCode).toBe(ErrorCode.INVALID_REQUEST);
    expect(controller.alterBrokerConfigs('3', [{ name: 'leader.replication.throttled.rate', op: 'set', value: '5' }], false, true).errorCode).toBe(0);

    controller.close();
    controller = open();
    expect(Object.fromEntries(controller.image.perBrokerConfigs.get(2) ?? [])).toEqual({ 'leader.replication.throttled.rate': '1000' });
    expect(controller.image.perBrokerConfigs.has(3)).toBe(false);
    expect(Object.fromEntries(controller.image.brokerConfigs)).toEqual({ 'follower.replication.throttled.rate': '2000' });
    // AlterConfigs (replace) with nothing removes the broker's own values.
    expect(controller.alterBrokerConfigs('2', [], true).errorCode).toBe(0);
    expect(Object.fromEntries(controller.image.perBrokerConfigs.get(2) ?? [])).toEqual({});
  });

  it('validates throttled-replica lists: * or partition:broker pairs', () => {
    controller.createTopics([topic('throttled', 2, 2)]);
    const set = (value: string) => controller.alterTopicConfigs('throttled', [{ name: 'leader.replication.throttled.replicas', op: 'set', value }], false);
    for (const good of ['*', '0:1', '0:1,1:2', ' 0 : 1 , 1:2', '']) expect(set(good).errorCode, good).toBe(0);
    for (const bad of ['0:1,*', '0-1', '0:', 'a:1', '0:1;1:2']) {
      expect(set(bad), bad).toEqual({ errorCode: ErrorCode.INVALID_CONFIG, errorMessage: expect.stringContaining('must be * or a list of partitionId:brokerId pairs') });
    }
  });

  it('recovers its metadata from disk, dropping a torn last record', () => {
    controller.createTopics([topic('durable', 3, 3, { 'retention.ms': '1000' })]);
    const pid = controller.allocateProducerIds(100);
    controller.close();
    fs.appendFileSync(path.join(dir, 'metadata.log'), '{"offset": 99, "rec');
    controller = open();
    const durable = controller.image.topicsByName.get('durable')!;
    expect(durable.partitions).toHaveLength(3);
    expect(durable.configs).toEqual({ 'retention.ms': '1000' });
    expect(controller.allocateProducerIds(1).firstProducerId).toBe(pid.firstProducerId + 100);
  });

  it('replaces a log of mostly superseded states by a snapshot at start, and the image it rebuilds is the same', () => {
    controller.createTopics([topic('kept', 4, 3, { 'retention.ms': '5000' }), topic('gone', 3, 2)]);
    controller.alterTopicConfigs('kept', [{ name: 'cleanup.policy', op: 'set', value: 'compact' }], false);
    controller.alterBrokerConfigs('2', [{ name: 'leader.replication.throttled.rate', op: 'set', value: '1000' }], false);
    controller.alterBrokerConfigs('', [{ name: 'follower.replication.throttled.rate', op: 'set', value: '2000' }], false);
    controller.allocateProducerIds(50);
    controller.deleteTopic({ name: 'gone' });
    // History: brokers going down and coming back, each moving leaders and ISRs.
    for (let round = 0; round < 240; round++) {
      controller.fenceBroker(1 + (round % 3));
      register(controller, 1 + (round % 3));
    }
    controller.fenceBroker(3);
    const before = controller.image;
    const records = controller.readFrom(0).length;
    expect(records).toBeGreaterThan(1000);
    controller.close();

    controller = open();
    expect(controller.compaction).toEqual({ replacedRecords: records, snapshotRecords: expect.any(Number) });
    expect(controller.compaction!.snapshotRecords).toBeLessThan(30);
    const after = controller.image;
    expect([...after.brokers.values()]).toEqual([...before.brokers.values()]);
    expect([...after.topicsByName.keys()]).toEqual(['kept']);
    expect(after.topicsByName.get('kept')).toEqual(before.topicsByName.get('kept'));
    expect(after.topicsByName.get('kept')!.configs).toEqual({ 'retention.ms': '5000', 'cleanup.policy': 'compact' });
    expect(Object.fromEntries(after.brokerConfigs)).toEqual({ 'follower.replication.throttled.rate': '2000' });
    expect(Object.fromEntries(after.perBrokerConfigs.get(2)!)).toEqual({ 'leader.replication.throttled.rate': '1000' });
    expect(after.nextProducerId).toBe(before.nextProducerId);
    expect(fs.readFileSync(path.join(dir, 'metadata.log'), 'utf8').trim().split('\n')).toHaveLength(controller.compaction!.snapshotRecords);

    // The log goes on from the snapshot, and a short log is left as it is at the next start.
    controller.createTopics([topic('later', 1, 1)]);
    controller.close();
    controller = open();
    expect(controller.compaction).toBeNull();
    expect([...controller.image.topicsByName.keys()].sort()).toEqual(['kept', 'later']);
    expect(controller.readFrom(0).map((entry) => entry.offset)).toEqual([...controller.readFrom(0).keys()]);
  });

  it('publishes records to subscribers in log order', () => {
    const offsets: number[] = [];
    controller.subscribe((entries) => offsets.push(...entries.map((e) => e.offset)));
    controller.createTopics([topic('a', 2, 1), topic('b', 1, 1)]);
    expect(offsets.length).toBeGreaterThan(0);
    expect(offsets).toEqual([...offsets].sort((x, y) => x - y));
    expect(offsets[0]).toBe(controller.readFrom(0).length - offsets.length);
  });
});

describe('replica placement', () => {
  const brokers = (n: number, racks?: string[]) =>
    Array.from({ length: n }, (_, i) => ({ brokerId: i + 1, rack: racks?.[i] ?? null }));

  it('gives every broker an equal share of leaders and replicas', () => {
    const plan = placeReplicas(brokers(3), 30, 3);
    const leaders = new Map<number, number>();
    const replicas = new Map<number, number>();
    for (const assignment of plan) {
      leaders.set(assignment[0]!, (leaders.get(assignment[0]!) ?? 0) + 1);
      for (const id of assignment) replicas.set(id, (replicas.get(id) ?? 0) + 1);
      expect(new Set(assignment).size).toBe(3);
    }
    expect([...leaders.values()]).toEqual([10, 10, 10]);
    expect([...replicas.values()]).toEqual([30, 30, 30]);
  });

  it('puts the replicas of a partition on different racks when it can', () => {
    const plan = placeReplicas(brokers(6, ['a', 'a', 'b', 'b', 'c', 'c']), 12, 3);
    const rackOf = (id: number) => ['a', 'a', 'b', 'b', 'c', 'c'][id - 1];
    for (const assignment of plan) expect(new Set(assignment.map(rackOf)).size).toBe(3);
  });
});
