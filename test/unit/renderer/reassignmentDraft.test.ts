import { describe, expect, it } from 'vitest';
import { draftFrom, parseReplicaList, planOf } from '../../../renderer/app/reassignmentDraft';

describe('the reassignment wizard\'s editable plan', () => {
  it('reads replica lists typed with commas or spaces, in order, and names what is wrong', () => {
    expect(parseReplicaList(' 3, 1 2 ')).toEqual({ ok: true, replicas: [3, 1, 2] });
    expect(parseReplicaList('')).toEqual({ ok: false, error: 'List at least one broker id' });
    expect(parseReplicaList('1,x')).toEqual({ ok: false, error: '"x" is not a broker id' });
    expect(parseReplicaList('2,2')).toEqual({ ok: false, error: 'Broker 2 is listed twice' });
  });

  it('pairs each proposed partition with its current replicas and turns edits back into a plan', () => {
    const rows = draftFrom([{ topic: 't', partition: 0, replicas: [1] }], [{ topic: 't', partition: 0, replicas: [2, 3] }]);
    expect(rows).toEqual([{ topic: 't', partition: 0, current: [1], text: '2, 3' }]);
    expect(planOf([{ ...rows[0]!, text: '3 2' }])).toEqual({ ok: true, partitions: [{ topic: 't', partition: 0, replicas: [3, 2] }] });
    const failed = planOf([{ ...rows[0]!, text: '3,3' }]);
    expect(failed.ok ? null : [...failed.errors]).toEqual([[0, 'Broker 3 is listed twice']]);
  });
});
