import { describe, expect, it } from 'vitest';
import { movedReplicas, type PartitionReplicas } from '../../../src/admin/reassignmentPlan';
import { brokerLoads, changeReplicationFactor, drainBroker } from '../../../src/admin/reassignmentStrategies';

const count = (plan: PartitionReplicas[], broker: number) => plan.filter((entry) => entry.replicas.includes(broker)).length;
const leaders = (plan: PartitionReplicas[], broker: number) => plan.filter((entry) => entry.replicas[0] === broker).length;
const distinct = (plan: PartitionReplicas[]) => plan.every((entry) => new Set(entry.replicas).size === entry.replicas.length);

describe('draining a broker', () => {
  const brokers = [1, 2, 3, 4].map((id) => ({ id, rack: null }));
  const current: PartitionReplicas[] = [
    { topic: 'orders', partition: 0, replicas: [1, 2] },
    { topic: 'orders', partition: 1, replicas: [2, 3] },
    { topic: 'orders', partition: 2, replicas: [3, 4] },
    { topic: 'orders', partition: 3, replicas: [4, 1] },
    { topic: 'orders', partition: 4, replicas: [1, 3] },
    { topic: 'orders', partition: 5, replicas: [2, 1] },
  ];

  it('moves only the drained broker\'s replicas, each into the same position, spread over the others', () => {
    const proposed = drainBroker(current, 1, brokerLoads(brokers, current));
    expect(count(proposed, 1)).toBe(0);
    expect(movedReplicas(current, proposed)).toBe(4);
    // Untouched partitions are identical; touched ones keep their other replica where it was.
    expect(proposed[1]).toEqual(current[1]);
    expect(proposed[2]).toEqual(current[2]);
    expect(proposed[0]!.replicas[1]).toBe(2);
    expect(proposed[3]!.replicas[0]).toBe(4);
    expect(distinct(proposed)).toBe(true);
    // 12 replicas on 3 brokers: 4 each.
    expect([2, 3, 4].map((id) => count(proposed, id))).toEqual([4, 4, 4]);
  });

  it('spreads the drained broker\'s preferred leaderships rather than piling them on one broker', () => {
    const proposed = drainBroker(current, 1, brokerLoads(brokers, current));
    const counts = [2, 3, 4].map((id) => leaders(proposed, id));
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
  });

  it('keeps a replica in the departing replica\'s rack when that rack is otherwise unused by the partition', () => {
    const racked = [
      { id: 1, rack: 'a' },
      { id: 2, rack: 'a' },
      { id: 3, rack: 'b' },
      { id: 4, rack: 'b' },
    ];
    const plan = [{ topic: 't', partition: 0, replicas: [1, 3] }];
    // Broker 4 holds less, but moving to it would put both replicas in rack b.
    expect(drainBroker(plan, 1, brokerLoads(racked, [...plan, { topic: 'u', partition: 0, replicas: [2, 3] }]))).toEqual([{ topic: 't', partition: 0, replicas: [2, 3] }]);
  });

  it('refuses when a partition has as many replicas as there are other brokers', () => {
    const plan = [{ topic: 't', partition: 0, replicas: [1, 2, 3] }];
    expect(() => drainBroker(plan, 1, brokerLoads([1, 2, 3].map((id) => ({ id, rack: null })), plan))).toThrow(/t-0 has 3 replicas and only 2 other broker/);
  });
});

describe('changing the replication factor', () => {
  const brokers = [1, 2, 3].map((id) => ({ id, rack: null }));

  it('adds replicas at the end on the least loaded brokers, keeping existing replicas and preferred leaders', () => {
    const current = [0, 1, 2].map((partition) => ({ topic: 'events', partition, replicas: [partition + 1] }));
    const proposed = changeReplicationFactor(current, 2, brokerLoads(brokers, current));
    expect(proposed.map((entry) => entry.replicas[0])).toEqual([1, 2, 3]);
    expect(proposed.every((entry) => entry.replicas.length === 2)).toBe(true);
    expect(distinct(proposed)).toBe(true);
    expect([1, 2, 3].map((id) => count(proposed, id))).toEqual([2, 2, 2]);
    expect(movedReplicas(current, proposed)).toBe(3);
  });

  it('prefers a rack the partition does not use yet when adding', () => {
    const racked = [
      { id: 1, rack: 'a' },
      { id: 2, rack: 'a' },
      { id: 3, rack: 'b' },
    ];
    const current = [{ topic: 't', partition: 0, replicas: [1] }];
    expect(changeReplicationFactor(current, 2, brokerLoads(racked, [...current, { topic: 'u', partition: 0, replicas: [3] }, { topic: 'u', partition: 1, replicas: [3] }]))[0]!.replicas).toEqual([1, 3]);
  });

  it('removes replicas without moving data and never drops the preferred leader', () => {
    const current = [
      { topic: 't', partition: 0, replicas: [3, 1, 2] },
      { topic: 't', partition: 1, replicas: [1, 2, 3] },
    ];
    const proposed = changeReplicationFactor(current, 1, brokerLoads(brokers, current));
    expect(proposed.map((entry) => entry.replicas)).toEqual([[3], [1]]);
    expect(movedReplicas(current, proposed)).toBe(0);
  });

  it('refuses a factor larger than the cluster', () => {
    expect(() => changeReplicationFactor([{ topic: 't', partition: 0, replicas: [1] }], 4, brokerLoads(brokers, []))).toThrow(/needs 4 brokers, and the cluster has 3/);
  });
});
