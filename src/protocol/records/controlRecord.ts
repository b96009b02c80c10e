import { ByteReader } from '../primitives/byteReader';
import { DecodeError } from '../primitives/decodeError';
import { BATCH_HEADER_SIZE, type BatchHeader, isControl } from './batchHeader';
import { decodeRecord, type Record } from './record';
import { decodeRecordBatch, encodeRecordBatch } from './recordBatch';

/**
 * Transaction markers (KIP-98). When a transaction ends, the coordinator has a control
 * batch written to every partition it touched: attributes transactional|control, the
 * producer's id and epoch, one record whose
 *   key   = int16 version (0) + int16 type (0 abort, 1 commit)
 *   value = int16 version (0) + int32 coordinatorEpoch.
 * Consumers never see these records; read_committed consumers use them to drop aborted
 * data, and the LSO moves past a transaction once its marker is written.
 */

export type EndTxnMarkerType = 'abort' | 'commit';

export interface EndTxnMarker {
  type: EndTxnMarkerType;
  coordinatorEpoch: number;
}

/**
 * A parsed control record. Kafka defines further control types (KIP-595 leader change,
 * KRaft snapshot headers and footers) that only appear in the metadata log; like Kafka's
 * clients we surface them as unknown instead of failing.
 */
export type ControlRecord = ({ kind: 'end-txn' } & EndTxnMarker) | { kind: 'unknown'; typeCode: number };

const CONTROL_KEY_VERSION = 0;
const END_TXN_MARKER_VERSION = 0;
const CONTROL_KEY_SIZE = 4;
const END_TXN_MARKER_SIZE = 6;
const TYPE_CODES: { readonly [type in EndTxnMarkerType]: number } = { abort: 0, commit: 1 };

export function encodeControlRecordKey(type: EndTxnMarkerType): Buffer {
  const key = Buffer.alloc(CONTROL_KEY_SIZE);
  key.writeInt16BE(CONTROL_KEY_VERSION, 0);
  key.writeInt16BE(TYPE_CODES[type], 2);
  return key;
}

export function encodeEndTxnMarkerValue(coordinatorEpoch: number): Buffer {
  const value = Buffer.alloc(END_TXN_MARKER_SIZE);
  value.writeInt16BE(END_TXN_MARKER_VERSION, 0);
  value.writeInt32BE(coordinatorEpoch, 2);
  return value;
}

export interface ControlBatchOptions extends EndTxnMarker {
  producerId: bigint;
  producerEpoch: number;
  timestamp: bigint;
  baseOffset?: bigint;
  partitionLeaderEpoch?: number;
}

/** A whole control batch carrying one end-transaction marker, uncompressed as Kafka writes it. */
export function encodeControlBatch(options: ControlBatchOptions): Promise<Buffer> {
  return encodeRecordBatch({
    baseOffset: options.baseOffset ?? 0n,
    partitionLeaderEpoch: options.partitionLeaderEpoch ?? -1,
    baseTimestamp: options.timestamp,
    transactional: true,
    control: true,
    producerId: options.producerId,
    producerEpoch: options.producerEpoch,
    records: [
      {
        key: encodeControlRecordKey(options.type),
        value: encodeEndTxnMarkerValue(options.coordinatorEpoch),
      },
    ],
  });
}

/**
 * Reads a control record. Newer key or value versions are read as version 0, which is what
 * Kafka does: later versions may only append fields.
 */
export function parseControlRecord(record: Record): ControlRecord {
  const { key, value } = record;
  if (key === null || key.length < CONTROL_KEY_SIZE) {
    throw new DecodeError('invalid-value', `control record key must be at least ${CONTROL_KEY_SIZE} bytes`);
  }
  const keyVersion = key.readInt16BE(0);
  if (keyVersion < 0) throw new DecodeError('invalid-value', `control record key version ${keyVersion}`);
  const typeCode = key.readInt16BE(2);
  const type = typeCode === TYPE_CODES.abort ? 'abort' : typeCode === TYPE_CODES.commit ? 'commit' : null;
  if (type === null) return { kind: 'unknown', typeCode };
  if (value === null || value.length < END_TXN_MARKER_SIZE) {
    throw new DecodeError('invalid-value', `end-transaction marker value must be at least ${END_TXN_MARKER_SIZE} bytes`);
  }
  const valueVersion = value.readInt16BE(0);
  if (valueVersion < 0) throw new DecodeError('invalid-value', `end-transaction marker version ${valueVersion}`);
  return { kind: 'end-txn', type, coordinatorEpoch: value.readInt32BE(2) };
}

export interface ParsedControlBatch {
  header: BatchHeader;
  marker: ControlRecord;
}

/**
 * Decodes a control batch (exactly one record, as Kafka writes them). End-transaction
 * markers are also transactional; other control batches are not, so only the control bit
 * is required here.
 */
export async function parseControlBatch(batch: Buffer): Promise<ParsedControlBatch> {
  const { header, records } = await decodeRecordBatch(batch);
  if (!isControl(header.attributes)) {
    throw new DecodeError('invalid-value', 'batch is not a control batch');
  }
  const [record] = records;
  if (record === undefined || records.length !== 1) {
    throw new DecodeError('invalid-value', `control batch holds ${records.length} records, expected 1`);
  }
  return { header, marker: parseControlRecord(record) };
}

/**
 * Leading bytes of a control batch that hold its header and its end-transaction marker
 * record (about 22 bytes in version 0; later versions may append fields).
 */
export const CONTROL_BATCH_PEEK_BYTES = BATCH_HEADER_SIZE + 64;

/**
 * The coordinator epoch of the end-transaction marker in a control batch's leading bytes,
 * read without the (asynchronous) batch decoder: Kafka never compresses control batches.
 * Null for another control record, or when the bytes end before the marker does.
 */
export function markerCoordinatorEpoch(batch: Buffer): number | null {
  try {
    const marker = parseControlRecord(decodeRecord(new ByteReader(batch, BATCH_HEADER_SIZE)));
    return marker.kind === 'end-txn' ? marker.coordinatorEpoch : null;
  } catch (error) {
    if (error instanceof DecodeError || error instanceof RangeError) return null;
    throw error;
  }
}
