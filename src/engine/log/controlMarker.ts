import { ByteReader } from '../../protocol/primitives/byteReader';
import { BATCH_HEADER_SIZE } from '../../protocol/records/batchHeader';
import { parseControlRecord } from '../../protocol/records/controlRecord';
import { decodeRecord } from '../../protocol/records/record';

/**
 * The end-transaction marker a control batch carries, read synchronously from its single
 * record. Kafka writes control batches uncompressed, so the record follows the header as is
 * and the log needs neither the async batch decoder nor decompression on its append path.
 * Other control types (KRaft's leader change, snapshots) are 'other'.
 */
export type ControlMarker = 'abort' | 'commit' | 'other';

export function controlMarkerOf(batch: Buffer): ControlMarker {
  const control = parseControlRecord(decodeRecord(new ByteReader(batch, BATCH_HEADER_SIZE)));
  return control.kind === 'end-txn' ? control.type : 'other';
}

/**
 * Leading bytes of a batch that hold a whole end-transaction control record (length,
 * attributes, deltas, 4-byte key, 6-byte value, header count), with room to spare.
 */
export const CONTROL_MARKER_PEEK_BYTES = BATCH_HEADER_SIZE + 64;
