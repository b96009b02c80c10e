import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodeControlBatch } from '../../src/protocol/records/controlRecord';
import { encodeRecordBatch } from '../../src/protocol/records/recordBatch';

/**
 * Builders for real magic-2 batches (via the protocol's record codec, so CRCs are right),
 * as a leader would store them: offsets and leader epoch already assigned.
 */
/**
 * Default record timestamp: the time the tests started. Kafka (and the log) roll a segment by
 * segment.ms measured from its first batch's timestamp, so ancient default timestamps would
 * roll on every append.
 */
export const RECENT = Date.now();

export interface DataBatchSpec {
  baseOffset: number;
  /** Number of records (offsets baseOffset .. baseOffset + records - 1). Default 1. */
  records?: number;
  /** Timestamp of every record, or one per record. Default RECENT + baseOffset. */
  timestamp?: number | number[];
  epoch?: number;
  producerId?: bigint;
  transactional?: boolean;
  /** Bytes of each record's value, to control batch sizes. Default 10. */
  valueBytes?: number;
}

export function dataBatch(spec: DataBatchSpec): Promise<Buffer> {
  const count = spec.records ?? 1;
  const timestamps = Array.from({ length: count }, (_, i) =>
    Array.isArray(spec.timestamp) ? spec.timestamp[i]! : (spec.timestamp ?? RECENT + spec.baseOffset),
  );
  return encodeRecordBatch({
    baseOffset: BigInt(spec.baseOffset),
    partitionLeaderEpoch: spec.epoch ?? 0,
    transactional: spec.transactional ?? false,
    producerId: spec.producerId ?? -1n,
    producerEpoch: spec.producerId === undefined ? -1 : 0,
    baseSequence: spec.producerId === undefined ? -1 : 0,
    records: timestamps.map((timestamp, i) => ({
      timestamp: BigInt(timestamp),
      key: null,
      value: Buffer.alloc(spec.valueBytes ?? 10, (spec.baseOffset + i) % 256),
    })),
  });
}

export function markerBatch(spec: { baseOffset: number; producerId: bigint; type: 'abort' | 'commit'; epoch?: number; timestamp?: number }): Promise<Buffer> {
  return encodeControlBatch({
    baseOffset: BigInt(spec.baseOffset),
    partitionLeaderEpoch: spec.epoch ?? 0,
    producerId: spec.producerId,
    producerEpoch: 0,
    type: spec.type,
    coordinatorEpoch: 0,
    timestamp: BigInt(spec.timestamp ?? RECENT + spec.baseOffset),
  });
}

/** `count` consecutive data batches starting at `startOffset`, each shaped by `shape(i)`. */
export function dataBatches(
  startOffset: number,
  count: number,
  shape: (index: number) => Omit<DataBatchSpec, 'baseOffset'> = () => ({}),
): Promise<Buffer[]> {
  const specs: DataBatchSpec[] = [];
  let offset = startOffset;
  for (let i = 0; i < count; i++) {
    const spec = { ...shape(i), baseOffset: offset };
    specs.push(spec);
    offset += spec.records ?? 1;
  }
  return Promise.all(specs.map(dataBatch));
}

export const baseOffsetOf = (batch: Buffer): number => Number(batch.readBigInt64BE(0));
export const lastOffsetOf = (batch: Buffer): number => baseOffsetOf(batch) + batch.readInt32BE(23);
export const maxTimestampOf = (batch: Buffer): number => Number(batch.readBigInt64BE(35));

/** A fresh temporary directory, and a function that removes it. */
export function tempDir(prefix = 'samsa-log-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}
