import { describe, expect, it } from 'vitest';
import { formatReassignmentJson, generateReassignment, movedReplicas, parseReassignmentJson, parseTopicsToMoveJson } from '../../../src/admin/reassignmentPlan';

const count = (plan: { replicas: number[] }[], broker: number) => plan.flatMap((entry) => entry.replicas).filter((id) => id === broker).length;

describe('reassignment plan generation', () => {
  it('drains a broker onto the others evenly, moving only its replicas and keeping preferred leaders elsewhere', () => {
    const current = [
      { topic: 't', partition: 0, replicas: [1, 2] },
      { topic: 't', partition: 1, replicas: [2, 3] },
      { topic: 't', partition: 2, replicas: [3, 1] },
      { topic: 't', partition: 3, replicas: [1, 3] },
    ];
    const proposed = generateReassignment(current, [1, 2, 4]);
    expect(proposed.every((entry) => !entry.replicas.includes(3))).toBe(true);
    // 8 replicas over 3 brokers: 3, 3 and 2, the extra ones to the brokers that already hold the most.
    expect([1, 2, 4].map((id) => count(proposed, id))).toEqual([3, 3, 2]);
    expect(movedReplicas(current, proposed)).toBe(3);
    expect(proposed[0]!.replicas).toEqual([1, 2]);
    for (const entry of proposed) expect(new Set(entry.replicas).size).toBe(entry.replicas.length);
  });

  it('moves nothing when the assignment is already balanced over the list', () => {
    const current = [
      { topic: 'a', partition: 0, replicas: [1] },
      { topic: 'a', partition: 1, replicas: [2] },
    ];
    expect(generateReassignment(current, [2, 1])).toEqual(current);
  });

  it('spreads a single-broker topic over new brokers, counts differing by at most one', () => {
    const current = Array.from({ length: 7 }, (_, partition) => ({ topic: 'x', partition, replicas: [1] }));
    const proposed = generateReassignment(current, [1, 2, 3]);
    const counts = [1, 2, 3].map((id) => count(proposed, id));
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect(count(proposed, 1)).toBe(3);
    expect(movedReplicas(current, proposed)).toBe(4);
  });

  it('refuses a replication factor larger than the broker list', () => {
    expect(() => generateReassignment([{ topic: 't', partition: 0, replicas: [1, 2, 3] }], [1, 2])).toThrow(/t-0 has 3 replicas but --broker-list has only 2 broker/);
  });
});

describe('kafka-reassign-partitions.sh JSON', () => {
  it('round-trips a reassignment with log_dirs "any"', () => {
    const text = formatReassignmentJson([{ topic: 'b', partition: 0, replicas: [2, 1] }, { topic: 'a', partition: 1, replicas: [3] }]);
    expect(JSON.parse(text)).toEqual({
      version: 1,
      partitions: [
        { topic: 'a', partition: 1, replicas: [3], log_dirs: ['any'] },
        { topic: 'b', partition: 0, replicas: [2, 1], log_dirs: ['any', 'any'] },
      ],
    });
    expect(parseReassignmentJson(text, 'r.json')).toEqual([
      { topic: 'a', partition: 1, replicas: [3] },
      { topic: 'b', partition: 0, replicas: [2, 1] },
    ]);
  });

  it('reads the topics-to-move file', () => {
    expect(parseTopicsToMoveJson('{"version":1,"topics":[{"topic":"a"},{"topic":"b"},{"topic":"a"}]}', 'm.json')).toEqual(['a', 'b']);
  });

  it.each([
    ['{', /r.json is not valid JSON/],
    ['{"version":1}', /non-empty "partitions" array/],
    ['{"partitions":[{"topic":"t","partition":-1,"replicas":[1]}]}', /partitions\[0\]: "partition" must be a whole number/],
    ['{"partitions":[{"topic":"t","partition":0,"replicas":[]}]}', /"replicas" must be a non-empty list of broker ids/],
    ['{"partitions":[{"topic":"t","partition":0,"replicas":[1],"log_dirs":["/data"]}]}', /"log_dirs" may only be "any"/],
    ['{"partitions":[{"topic":"t","partition":0,"replicas":[1]},{"topic":"t","partition":0,"replicas":[2]}]}', /partitions\[1\]: t-0 appears more than once/],
  ])('rejects %j', (text, message) => {
    expect(() => parseReassignmentJson(text, 'r.json')).toThrow(message);
  });
});
