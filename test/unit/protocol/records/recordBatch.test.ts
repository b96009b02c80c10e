import { crc32c } from '@node-rs/crc32';
import { describe, expect, it } from 'vitest';
import { ByteWriter } from '../../../../src/protocol/primitives/byteWriter';
import { isDecodeError } from '../../../../src/protocol/primitives/decodeError';
import {
  BatchAttribute,
  COMPRESSION_CODECS,
  compressionOf,
  patchBatchHeader,
  readBatchHeader,
  stampLogAppendTime,
  verifyBatchCrc,
} from '../../../../src/protocol/records/batchHeader';
import { compress } from '../../../../src/protocol/records/compression';
import {
  decodeRecordBatch,
  decodeRecordBatches,
  encodeRecordBatch,
  recordOffset,
  recordTimestamp,
  type RecordInput,
} from '../../../../src/protocol/records/recordBatch';

const T0 = 1_700_000_000_000n;

const mixedRecords: RecordInput[] = [
  { key: Buffer.from('k1'), value: Buffer.from('v1'), timestamp: T0 },
  { key: null, value: Buffer.from('null key'), timestamp: T0 + 5n },
  { key: Buffer.from('empty value'), value: Buffer.alloc(0), timestamp: T0 + 2n },
  { key: Buffer.from('tombstone'), value: null, timestamp: T0 + 9n },
  {
    key: Buffer.from('headers'),
    value: Buffer.from('h'),
    timestamp: T0 - 3n,
    headers: [
      { key: 'trace-id', value: Buffer.from('abc') },
      { key: 'trace-id', value: Buffer.from('duplicate keys are allowed') },
      { key: 'nullable', value: null },
      { key: 'ключ', value: Buffer.alloc(0) },
    ],
  },
];

/** Kafka's CRC-32C computed here directly, not through batchHeader.ts. */
const independentCrc = (batch: Buffer): number => crc32c(batch.subarray(21)) >>> 0;

/** A batch around arbitrary record bytes, with a valid length and CRC, for malformed cases. */
function batchAround(records: Buffer, recordCount: number, attributes = 0): Buffer {
  const header = new ByteWriter(61)
    .int64(0n)
    .int32(49 + records.length)
    .int32(0)
    .int8(2)
    .uint32(0)
    .int16(attributes)
    .int32(Math.max(recordCount - 1, 0))
    .int64(T0)
    .int64(T0)
    .int64(-1n)
    .int16(-1)
    .int32(-1)
    .int32(recordCount)
    .toBuffer();
  const batch = Buffer.concat([header, records]);
  batch.writeUInt32BE(independentCrc(batch), 17);
  return batch;
}

async function expectDecodeError(promise: Promise<unknown>, kind?: string): Promise<void> {
  await expect(promise).rejects.toSatisfy(
    (error: unknown) => isDecodeError(error) && (kind === undefined || error.kind === kind),
  );
}

describe('encodeRecordBatch / decodeRecordBatch round trip', () => {
  for (const codec of COMPRESSION_CODECS) {
    it(`${codec}: header fields and every record come back as written`, async () => {
      const batch = await encodeRecordBatch({
        baseOffset: 1000n,
        partitionLeaderEpoch: 7,
        compression: codec,
        producerId: 42n,
        producerEpoch: 3,
        baseSequence: 99,
        records: mixedRecords,
      });
      expect(batch.readUInt32BE(17)).toBe(independentCrc(batch));
      const { header, records } = await decodeRecordBatch(batch);
      expect(header).toMatchObject({
        baseOffset: 1000n,
        batchLength: batch.length - 12,
        partitionLeaderEpoch: 7,
        magic: 2,
        lastOffsetDelta: 4,
        baseTimestamp: T0,
        maxTimestamp: T0 + 9n,
        producerId: 42n,
        producerEpoch: 3,
        baseSequence: 99,
        recordCount: 5,
      });
      expect(compressionOf(header.attributes)).toBe(codec);
      expect(records.map((record) => recordOffset(header, record))).toEqual([1000n, 1001n, 1002n, 1003n, 1004n]);
      expect(records.map((record) => recordTimestamp(header, record))).toEqual(mixedRecords.map((r) => r.timestamp));
      records.forEach((record, i) => {
        const input = mixedRecords[i]!;
        expect(record.key).toEqual(input.key);
        expect(record.value).toEqual(input.value);
        expect(record.headers).toEqual(input.headers ?? []);
        expect(record.attributes).toBe(0);
      });
    });

    it(`${codec}: 10,000 small records`, async () => {
      const inputs = Array.from({ length: 10_000 }, (_, i) => ({
        key: Buffer.from(`key-${i}`),
        value: Buffer.from(`value-${i}`.repeat(i % 7)),
        timestamp: T0 + BigInt(i),
      }));
      const { header, records } = await decodeRecordBatch(await encodeRecordBatch({ compression: codec, records: inputs }));
      expect(header.recordCount).toBe(10_000);
      expect(header.lastOffsetDelta).toBe(9_999);
      expect(header.maxTimestamp).toBe(T0 + 9_999n);
      expect(records[9_999]!.key!.toString()).toBe('key-9999');
      expect(records.every((record, i) => record.value!.equals(inputs[i]!.value))).toBe(true);
    });

    it(`${codec}: a 1 MB record`, async () => {
      const value = Buffer.alloc(1024 * 1024);
      for (let i = 0; i < value.length; i++) value[i] = (i * 7919) % 251;
      const batch = await encodeRecordBatch({ compression: codec, records: [{ key: null, value, timestamp: T0 }] });
      const { records } = await decodeRecordBatch(batch);
      expect(records[0]!.value!.equals(value)).toBe(true);
    });
  }

  it('uncompressed keys and values are views into the batch, not copies', async () => {
    const batch = await encodeRecordBatch({ records: mixedRecords });
    const { records } = await decodeRecordBatch(batch);
    expect(records[0]!.value!.buffer).toBe(batch.buffer);
    batch[batch.indexOf('v1')] = 'w'.charCodeAt(0);
    expect(records[0]!.value!.toString()).toBe('w1');
  });

  it('sets attribute bits for transactional, control and LogAppendTime batches', async () => {
    const batch = await encodeRecordBatch({
      compression: 'lz4',
      transactional: true,
      control: true,
      logAppendTime: T0 + 500n,
      records: [{ value: Buffer.from('x'), timestamp: T0 }],
    });
    const { header, records } = await decodeRecordBatch(batch);
    expect(header.attributes).toBe(3 | BatchAttribute.Transactional | BatchAttribute.Control | BatchAttribute.LogAppendTime);
    expect(header.maxTimestamp).toBe(T0 + 500n);
    expect(recordTimestamp(header, records[0]!)).toBe(T0 + 500n);
  });

  it('uses the no-producer defaults Kafka producers send without idempotence', async () => {
    const header = readBatchHeader(await encodeRecordBatch({ records: [{ value: null, timestamp: T0 }] }));
    expect(header).toMatchObject({ baseOffset: 0n, partitionLeaderEpoch: -1, producerId: -1n, producerEpoch: -1, baseSequence: -1 });
  });

  it('computes deltas from explicit offsets and a base timestamp', async () => {
    const batch = await encodeRecordBatch({
      baseOffset: 50n,
      baseTimestamp: T0,
      records: [
        { value: Buffer.from('a'), offset: 50n, timestamp: T0 + 10n },
        { value: Buffer.from('b'), offset: 52n },
      ],
    });
    const { header, records } = await decodeRecordBatch(batch);
    expect(records.map((r) => [r.offsetDelta, r.timestampDelta])).toEqual([
      [0, 10n],
      [2, 0n],
    ]);
    expect(header.lastOffsetDelta).toBe(2);
    expect(header.maxTimestamp).toBe(T0 + 10n);
  });

  it('writes the exact bytes of a one-record batch, field by field', async () => {
    const batch = await encodeRecordBatch({
      baseOffset: 0n,
      partitionLeaderEpoch: 0,
      records: [{ key: Buffer.from('k'), value: Buffer.from('v'), timestamp: T0 }],
    });
    // record: length 8 (zigzag 0x10), attributes, tsDelta, offsetDelta, key 'k', value 'v', 0 headers
    expect(batch.subarray(61).toString('hex')).toBe('10000000026b027600');
    expect(batch.readInt32BE(8)).toBe(49 + 9);
    expect(batch.readInt16BE(21)).toBe(0);
  });
});

describe('malformed batches are DecodeErrors', () => {
  it('every truncation of a batch', async () => {
    const batch = await encodeRecordBatch({ records: mixedRecords });
    for (let cut = 0; cut < batch.length; cut++) {
      await expectDecodeError(decodeRecordBatch(batch.subarray(0, cut)));
    }
  });

  it('a flipped byte anywhere in the CRC-covered region is a bad CRC', async () => {
    const batch = await encodeRecordBatch({ compression: 'gzip', records: mixedRecords });
    for (const at of [21, 30, 60, 61, batch.length - 1]) {
      const damaged = Buffer.from(batch);
      damaged[at]! ^= 0x01;
      await expectDecodeError(decodeRecordBatch(damaged), 'bad-crc');
    }
  });

  it('verifyCrc: false skips the check (the bytes are then decoded as they are)', async () => {
    const batch = await encodeRecordBatch({ records: [{ value: Buffer.from('abc'), timestamp: T0 }] });
    batch[batch.length - 3] = 'x'.charCodeAt(0); // the 'b' of 'abc' (then the header count)
    const { records } = await decodeRecordBatch(batch, { verifyCrc: false });
    expect(records[0]!.value!.toString()).toBe('axc');
  });

  it('a varint longer than 5 bytes', async () => {
    await expectDecodeError(decodeRecordBatch(batchAround(Buffer.from('ffffffffffff01', 'hex'), 1)), 'invalid-varint');
  });

  it('a record count larger than the records', async () => {
    const good = await encodeRecordBatch({ records: mixedRecords.slice(0, 2) });
    const records = good.subarray(61);
    await expectDecodeError(decodeRecordBatch(batchAround(records, 3)));
    await expectDecodeError(decodeRecordBatch(batchAround(records, 0x7fffffff)), 'invalid-value');
    await expectDecodeError(decodeRecordBatch(batchAround(records, -1)), 'invalid-value');
  });

  it('a record count smaller than the records leaves trailing bytes', async () => {
    const good = await encodeRecordBatch({ records: mixedRecords.slice(0, 2) });
    await expectDecodeError(decodeRecordBatch(batchAround(good.subarray(61), 1)), 'trailing-bytes');
  });

  it('a record whose fields end before its declared length, or run past it', async () => {
    // length 9 but the body is the 8-byte record 'k'/'v' plus one stray byte
    await expectDecodeError(decodeRecordBatch(batchAround(Buffer.from('12000000026b02760000', 'hex'), 1)), 'trailing-bytes');
    // length 6: the value field runs past the record
    await expectDecodeError(decodeRecordBatch(batchAround(Buffer.from('0c000000026b027600', 'hex'), 1)), 'truncated');
  });

  it('forged header counts, negative lengths and null header keys', async () => {
    const record = (body: string): Buffer => {
      const bytes = Buffer.from(body, 'hex');
      return Buffer.concat([new ByteWriter().varint(bytes.length).toBuffer(), bytes]);
    };
    // attributes, ts, offset, key null, value null, then the header part
    await expectDecodeError(decodeRecordBatch(batchAround(record('0000000101feffffff0f'), 1)), 'invalid-value');
    await expectDecodeError(decodeRecordBatch(batchAround(record('00000001010201010000'), 1)), 'null-not-allowed');
    await expectDecodeError(decodeRecordBatch(batchAround(record('000000030100'), 1)), 'negative-length');
  });

  it('a corrupt compressed payload under a valid CRC', async () => {
    for (const codec of ['gzip', 'snappy', 'lz4', 'zstd'] as const) {
      const payload = await compress(codec, Buffer.from('a record set that is about to be damaged'.repeat(5)));
      const damaged = payload.subarray(0, payload.length - 6);
      const attributes = ['none', 'gzip', 'snappy', 'lz4', 'zstd'].indexOf(codec);
      await expectDecodeError(decodeRecordBatch(batchAround(damaged, 1, attributes)), 'invalid-value');
    }
  });

  it('an unknown compression codec, a wrong magic and bytes after the batch', async () => {
    await expectDecodeError(decodeRecordBatch(batchAround(Buffer.alloc(0), 0, 5)), 'invalid-value');
    const batch = await encodeRecordBatch({ records: mixedRecords });
    const v1 = Buffer.from(batch);
    v1[16] = 1;
    await expectDecodeError(decodeRecordBatch(v1), 'invalid-value');
    await expectDecodeError(decodeRecordBatch(Buffer.concat([batch, Buffer.alloc(3)])), 'trailing-bytes');
  });

  it('2,100 random mutations under a recomputed CRC decode or fail with DecodeError, without hanging', async () => {
    for (const codec of ['none', 'gzip', 'zstd'] as const) {
      const batch = await encodeRecordBatch({ compression: codec, records: mixedRecords });
      for (let i = 0; i < 700; i++) {
        const mutated = Buffer.from(batch);
        const at = 21 + Math.floor(Math.random() * (mutated.length - 21));
        mutated[at] = Math.floor(Math.random() * 256);
        mutated.writeUInt32BE(independentCrc(mutated), 17);
        try {
          await decodeRecordBatch(mutated);
        } catch (error) {
          expect(isDecodeError(error), String(error)).toBe(true);
        }
      }
    }
  }, 30_000);
});

describe('decodeRecordBatches', () => {
  it('decodes concatenated batches and reports a partial tail wherever the cut falls', async () => {
    const batches = await Promise.all(
      (['none', 'gzip', 'snappy', 'lz4'] as const).map((compression, i) =>
        encodeRecordBatch({ compression, baseOffset: BigInt(i * 10), records: mixedRecords }),
      ),
    );
    const whole = Buffer.concat(batches.slice(0, 3));
    const last = batches[3]!;
    for (const tail of [0, 1, 11, 12, 61, last.length - 1]) {
      const { batches: decoded, partialTailBytes } = await decodeRecordBatches(Buffer.concat([whole, last.subarray(0, tail)]));
      expect(decoded.map((batch) => batch.header.baseOffset)).toEqual([0n, 10n, 20n]);
      expect(partialTailBytes).toBe(tail);
    }
    const all = await decodeRecordBatches(Buffer.concat(batches));
    expect(all.batches).toHaveLength(4);
    expect(all.batches[3]!.records[4]!.headers[0]!.key).toBe('trace-id');
  });

  it('fails on a bad CRC in a middle batch', async () => {
    const a = await encodeRecordBatch({ records: mixedRecords });
    const b = await encodeRecordBatch({ records: mixedRecords });
    b[b.length - 1]! ^= 0xff;
    await expectDecodeError(decodeRecordBatches(Buffer.concat([a, b, a])), 'bad-crc');
  });
});

describe('header rewrites on the broker path', () => {
  it('patchBatchHeader assigns offsets and epoch and keeps the CRC valid', async () => {
    const batch = await encodeRecordBatch({ compression: 'snappy', records: mixedRecords });
    const crcBefore = batch.readUInt32BE(17);
    patchBatchHeader(batch, 123_456n, 9);
    expect(batch.readUInt32BE(17)).toBe(crcBefore);
    expect(verifyBatchCrc(batch)).toBe(true);
    const { header, records } = await decodeRecordBatch(batch);
    expect(header.partitionLeaderEpoch).toBe(9);
    expect(recordOffset(header, records[4]!)).toBe(123_460n);
  });

  it('stampLogAppendTime recomputes the CRC and every record then reports the append time', async () => {
    const batch = await encodeRecordBatch({ compression: 'zstd', records: mixedRecords });
    const appendTime = T0 + 60_000n;
    stampLogAppendTime(batch, appendTime);
    expect(batch.readUInt32BE(17)).toBe(independentCrc(batch));
    const { header, records } = await decodeRecordBatch(batch);
    expect(header.attributes & BatchAttribute.LogAppendTime).not.toBe(0);
    expect(compressionOf(header.attributes)).toBe('zstd');
    expect(records.map((record) => recordTimestamp(header, record))).toEqual(records.map(() => appendTime));
  });
});
