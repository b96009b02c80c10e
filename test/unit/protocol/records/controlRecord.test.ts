import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isDecodeError } from '../../../../src/protocol/primitives/decodeError';
import { BatchAttribute, verifyBatchCrc } from '../../../../src/protocol/records/batchHeader';
import {
  CONTROL_BATCH_PEEK_BYTES,
  encodeControlBatch,
  encodeControlRecordKey,
  encodeEndTxnMarkerValue,
  parseControlBatch,
  markerCoordinatorEpoch,
  parseControlRecord,
} from '../../../../src/protocol/records/controlRecord';
import type { Record } from '../../../../src/protocol/records/record';
import { encodeRecordBatch } from '../../../../src/protocol/records/recordBatch';

// kafkajs internals are CommonJS without types, loaded through require.
const require = createRequire(import.meta.url);
const KafkajsDecoder = require('kafkajs/src/protocol/decoder');
const kafkajsDecodeBatch = require('kafkajs/src/protocol/recordBatch/v0/decoder');

const T0 = 1_700_000_000_000n;

const controlRecord = (key: Buffer | null, value: Buffer | null): Record => ({
  attributes: 0,
  timestampDelta: 0n,
  offsetDelta: 0,
  key,
  value,
  headers: [],
});

describe('end-transaction marker bytes', () => {
  it('key is version 0 + type (abort 0, commit 1); value is version 0 + coordinator epoch', () => {
    expect(encodeControlRecordKey('abort').toString('hex')).toBe('00000000');
    expect(encodeControlRecordKey('commit').toString('hex')).toBe('00000001');
    expect(encodeEndTxnMarkerValue(7).toString('hex')).toBe('000000000007');
  });
});

describe('control batches', () => {
  for (const type of ['commit', 'abort'] as const) {
    it(`a ${type} marker round-trips with the producer's id and epoch`, async () => {
      const batch = await encodeControlBatch({
        type,
        coordinatorEpoch: 12,
        producerId: 4000n,
        producerEpoch: 3,
        timestamp: T0,
        baseOffset: 88n,
        partitionLeaderEpoch: 5,
      });
      expect(verifyBatchCrc(batch)).toBe(true);
      const { header, marker } = await parseControlBatch(batch);
      expect(marker).toEqual({ kind: 'end-txn', type, coordinatorEpoch: 12 });
      expect(header).toMatchObject({
        baseOffset: 88n,
        partitionLeaderEpoch: 5,
        attributes: BatchAttribute.Transactional | BatchAttribute.Control,
        producerId: 4000n,
        producerEpoch: 3,
        baseSequence: -1,
        recordCount: 1,
        lastOffsetDelta: 0,
        baseTimestamp: T0,
        maxTimestamp: T0,
      });
    });
  }

  it('lays the record out exactly: 4-byte key, 6-byte value, no headers', async () => {
    const batch = await encodeControlBatch({ type: 'commit', coordinatorEpoch: 1, producerId: 1n, producerEpoch: 0, timestamp: T0 });
    // length 16 (zigzag 0x20), attributes, tsDelta, offsetDelta, key len 4, key, value len 6, value, 0 headers
    expect(batch.subarray(61).toString('hex')).toBe('20000000' + '08' + '00000001' + '0c' + '000000000001' + '00');
  });

  it('kafkajs sees a transactional control batch with our key and value', async () => {
    const batch = await encodeControlBatch({ type: 'abort', coordinatorEpoch: 2, producerId: 9n, producerEpoch: 1, timestamp: T0 });
    const theirs = await kafkajsDecodeBatch(new KafkajsDecoder(batch));
    expect(theirs.isControlBatch).toBe(true);
    expect(theirs.inTransaction).toBe(true);
    expect(theirs.producerId).toBe('9');
    expect(theirs.records[0].key.toString('hex')).toBe('00000000');
    expect(theirs.records[0].value.toString('hex')).toBe('000000000002');
  });

  it('refuses a batch without the control bit', async () => {
    const batch = await encodeRecordBatch({ transactional: true, records: [{ value: Buffer.from('data'), timestamp: T0 }] });
    await expect(parseControlBatch(batch)).rejects.toSatisfy(isDecodeError);
  });

  it('refuses a control batch with more than one record', async () => {
    const marker = { key: encodeControlRecordKey('commit'), value: encodeEndTxnMarkerValue(0), timestamp: T0 };
    const batch = await encodeRecordBatch({ control: true, transactional: true, records: [marker, marker] });
    await expect(parseControlBatch(batch)).rejects.toThrow(/2 records/);
  });
});

describe('parseControlRecord', () => {
  it('reads newer key and value versions as version 0, as Kafka does', () => {
    const key = Buffer.from('00010001', 'hex');
    const value = Buffer.from('0001000000090000', 'hex');
    expect(parseControlRecord(controlRecord(key, value))).toEqual({ kind: 'end-txn', type: 'commit', coordinatorEpoch: 9 });
  });

  it('reports control types other than markers (e.g. KRaft leader change, type 2) as unknown', () => {
    expect(parseControlRecord(controlRecord(Buffer.from('00000002', 'hex'), Buffer.alloc(10)))).toEqual({
      kind: 'unknown',
      typeCode: 2,
    });
  });

  it('rejects short or null keys and values and negative versions', () => {
    const bad: [Buffer | null, Buffer | null][] = [
      [null, encodeEndTxnMarkerValue(0)],
      [Buffer.from('000000', 'hex'), encodeEndTxnMarkerValue(0)],
      [Buffer.from('ffff0001', 'hex'), encodeEndTxnMarkerValue(0)],
      [encodeControlRecordKey('commit'), null],
      [encodeControlRecordKey('commit'), Buffer.from('0000000000', 'hex')],
      [encodeControlRecordKey('abort'), Buffer.from('ffff00000000', 'hex')],
    ];
    for (const [key, value] of bad) {
      expect(() => parseControlRecord(controlRecord(key, value))).toThrow(
        expect.objectContaining({ name: 'DecodeError', kind: 'invalid-value' }),
      );
    }
  });
});

describe('markerCoordinatorEpoch', () => {
  it("reads a marker's coordinator epoch from the leading bytes a log scan peeks, and null when they end too soon", async () => {
    const batch = await encodeControlBatch({ type: 'commit', coordinatorEpoch: 1234, producerId: 5n, producerEpoch: 2, timestamp: 1n });
    expect(batch.length).toBeLessThanOrEqual(CONTROL_BATCH_PEEK_BYTES);
    expect(markerCoordinatorEpoch(batch)).toBe(1234);
    const abort = await encodeControlBatch({ type: 'abort', coordinatorEpoch: 0, producerId: 5n, producerEpoch: 2, timestamp: 1n });
    expect(markerCoordinatorEpoch(abort)).toBe(0);
    expect(markerCoordinatorEpoch(batch.subarray(0, batch.length - 4))).toBeNull();
  });
});
