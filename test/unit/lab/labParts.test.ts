import { mkdtempSync, rmSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { replicaAssignment } from '../../../src/lab/faultInjector';
import { JournalTail } from '../../../src/lab/journal';
import { decodeLabValue, encodeLabValue } from '../../../src/lab/labRecord';
import { assignFates } from '../../../src/lab/logReader';
import { scenarioFromPreset } from '../../../src/lab/presets';
import { scenarioProblems } from '../../../src/lab/scenario';
import { BatchAttribute } from '../../../src/protocol/records/batchHeader';
import { encodeControlRecordKey, encodeEndTxnMarkerValue } from '../../../src/protocol/records/controlRecord';
import type { DecodedRecordBatch } from '../../../src/protocol/records/recordBatch';

function batch(baseOffset: number, producerId: number, attributes: number, records: { key: Buffer | null; value: Buffer | null }[]): DecodedRecordBatch {
  return {
    header: {
      baseOffset: BigInt(baseOffset),
      batchLength: 0,
      partitionLeaderEpoch: 0,
      magic: 2,
      crc: 0,
      attributes,
      lastOffsetDelta: records.length - 1,
      baseTimestamp: 0n,
      maxTimestamp: 0n,
      producerId: BigInt(producerId),
      producerEpoch: 0,
      baseSequence: 0,
      recordCount: records.length,
    },
    records: records.map((record, i) => ({ attributes: 0, timestampDelta: 0n, offsetDelta: i, key: record.key, value: record.value, headers: [] })),
  } as DecodedRecordBatch;
}

const data = (ids: number[], txn: number | null) => ids.map((id) => ({ key: null, value: Buffer.from(encodeLabValue({ id, producer: 'workload', seq: id, txn })) }));
const marker = (type: 'commit' | 'abort') => [{ key: encodeControlRecordKey(type), value: encodeEndTxnMarkerValue(0) }];
const TXN = BatchAttribute.Transactional;
const CONTROL = BatchAttribute.Transactional | BatchAttribute.Control;

describe('assignFates', () => {
  it('gives transactional records the fate of their producer’s next marker, and leaves unmarked ones open', () => {
    const entries = assignFates(0, [
      batch(0, 7, TXN, data([0, 1], 1)),
      batch(2, 8, TXN, data([2], 5)),
      batch(3, 7, CONTROL, marker('abort')),
      batch(4, -1, 0, data([9], null)),
      batch(5, 8, CONTROL, marker('commit')),
      batch(6, 7, TXN, data([0, 1], 2)),
    ]);
    expect(entries.map((e) => [e.offset, e.value.id, e.fate])).toEqual([
      [0, 0, 'aborted'],
      [1, 1, 'aborted'],
      [2, 2, 'committed'],
      [4, 9, 'plain'],
      [6, 0, 'open'],
      [7, 1, 'open'],
    ]);
  });

  it('skips records the lab did not write', () => {
    expect(assignFates(0, [batch(0, -1, 0, [{ key: null, value: Buffer.from('not json') }, { key: null, value: null }])])).toEqual([]);
  });
});

describe('lab values', () => {
  it('round-trip and reject foreign values', () => {
    const value = { id: 3, producer: 'transform', seq: 3, txn: 1_000_002, sourceTxn: 4 };
    expect(decodeLabValue(Buffer.from(encodeLabValue(value)))).toEqual(value);
    expect(decodeLabValue('{"id":"x"}')).toBeNull();
    expect(decodeLabValue('[1]')).toBeNull();
  });
});

describe('replicaAssignment', () => {
  it('rotates leaders over all brokers', () => {
    expect(replicaAssignment([1, 2, 3], 3, 3, 'kill-leader')).toEqual([
      [1, 2, 3],
      [2, 3, 1],
      [3, 1, 2],
    ]);
  });

  it('keeps the last broker a follower of every partition for isolate-follower', () => {
    const assignment = replicaAssignment([1, 2, 3], 4, 2, 'isolate-follower');
    expect(assignment.map((replicas) => replicas[0])).toEqual([1, 2, 1, 2]);
    expect(assignment.every((replicas) => replicas.includes(3) && replicas.length === 2)).toBe(true);
  });
});

describe('scenarioProblems', () => {
  it('accepts the presets and names what cannot work', () => {
    expect(scenarioProblems(scenarioFromPreset('exactly-once', 'kill-leader'))).toEqual([]);
    const bad = scenarioFromPreset('at-most-once', 'kill-leader', { replicationFactor: 1, minInsyncReplicas: 2, commit: 'transactional' });
    expect(scenarioProblems(bad)).toEqual([
      'min.insync.replicas (2) is larger than the replication factor (1): acks=all could never succeed',
      'a transactional consume-transform-produce needs the transactional producer settings',
      'the kill-leader fault needs a replication factor of at least 2',
    ]);
  });
});

describe('JournalTail', () => {
  it('returns only complete new lines, across calls', () => {
    const dir = mkdtempSync(join(tmpdir(), 'samsa-lab-unit-'));
    try {
      const file = join(dir, 'j.jsonl');
      const tail = new JournalTail(file);
      expect(tail.read()).toEqual([]);
      appendFileSync(file, '{"kind":"processed","instance":0,"id":1,"txn":null,"partition":0,"offset":0}\n{"kind":"commi');
      expect(tail.read().map((e) => e.kind)).toEqual(['processed']);
      appendFileSync(file, 'tted","instance":0,"ids":[1]}\n');
      expect(tail.read()).toEqual([{ kind: 'committed', instance: 0, ids: [1] }]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
