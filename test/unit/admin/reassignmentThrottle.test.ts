import { describe, expect, it } from 'vitest';
import { mergeThrottledReplicas, throttlePlan, withoutPartitions } from '../../../src/admin/reassignmentThrottle';

describe('the throttle of a reassignment', () => {
  it('throttles the current replicas as leaders and the added ones as followers, on every broker involved', () => {
    const original = [
      { topic: 'orders', partition: 0, replicas: [1, 2] },
      { topic: 'orders', partition: 1, replicas: [2, 3] },
      { topic: 'audit', partition: 0, replicas: [1] },
    ];
    const target = [
      { topic: 'orders', partition: 0, replicas: [1, 4] },
      // Only the order changes: nothing is copied, so nothing is throttled.
      { topic: 'orders', partition: 1, replicas: [3, 2] },
      { topic: 'audit', partition: 0, replicas: [5] },
    ];
    expect(throttlePlan(original, target)).toEqual({
      brokers: [1, 2, 4, 5],
      topics: [
        { topic: 'orders', leader: ['0:1', '0:2'], follower: ['0:4'] },
        { topic: 'audit', leader: ['0:1'], follower: ['0:5'] },
      ],
    });
  });

  it('merges into existing lists, keeping other partitions, and removes only the plan\'s partitions', () => {
    expect(mergeThrottledReplicas(null, ['0:1'])).toBe('0:1');
    expect(mergeThrottledReplicas('3:2, 0:1', ['0:1', '0:4'])).toBe('3:2,0:1,0:4');
    expect(mergeThrottledReplicas('*', ['0:1'])).toBe('*');
    expect(withoutPartitions('3:2,0:1,0:4', [0])).toBe('3:2');
    expect(withoutPartitions('0:1,0:4', [0])).toBeNull();
    expect(withoutPartitions('*', [0])).toBeNull();
  });
});
