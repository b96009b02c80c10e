import { decodeGroupMetadataKey, encodeGroupMetadataKey } from '../../protocol/generated/groupMetadataKey';
import { decodeGroupMetadataValue, encodeGroupMetadataValue, type GroupMetadataValue } from '../../protocol/generated/groupMetadataValue';
import { decodeOffsetCommitKey, encodeOffsetCommitKey } from '../../protocol/generated/offsetCommitKey';
import { decodeOffsetCommitValue, encodeOffsetCommitValue } from '../../protocol/generated/offsetCommitValue';
import { ByteReader } from '../../protocol/primitives/byteReader';
import { ByteWriter } from '../../protocol/primitives/byteWriter';
import type { CoordinatorRecord } from './coordinatorLog';
import type { CommittedOffset } from './offsetStore';

/**
 * The records of `__consumer_offsets`, in Kafka's own format so a log written here reads like
 * one written by Kafka (and the other way round). Keys and values start with an int16 schema
 * version; the key version says what the record is:
 *   0, 1  OffsetCommitKey   (group, topic, partition) -> OffsetCommitValue
 *   2     GroupMetadataKey  (group)                   -> GroupMetadataValue
 *   3+    records of the KIP-848 consumer protocol, which this coordinator does not serve
 * A null value is a tombstone: the offset or the group was deleted (and compaction drops the key).
 */

/** Versions we write: what Kafka 3.x writes for classic groups (v3 values carry leader epochs and group.instance.id). */
const OFFSET_KEY_VERSION = 1;
const GROUP_KEY_VERSION = 2;
const OFFSET_VALUE_VERSION = 3;
const GROUP_VALUE_VERSION = 3;

export type GroupRecordKey =
  | { kind: 'offset'; groupId: string; topic: string; partition: number }
  | { kind: 'group'; groupId: string }
  | { kind: 'other'; version: number };

function versioned(version: number, write: (writer: ByteWriter) => void): Buffer {
  const writer = new ByteWriter().int16(version);
  write(writer);
  return writer.toBuffer();
}

export function offsetKey(groupId: string, topic: string, partition: number): Buffer {
  return versioned(OFFSET_KEY_VERSION, (w) => encodeOffsetCommitKey(w, { group: groupId, topic, partition }, OFFSET_KEY_VERSION));
}

export function groupKey(groupId: string): Buffer {
  return versioned(GROUP_KEY_VERSION, (w) => encodeGroupMetadataKey(w, { group: groupId }, GROUP_KEY_VERSION));
}

export function offsetCommitRecord(groupId: string, topic: string, partition: number, committed: CommittedOffset): CoordinatorRecord {
  const value = versioned(OFFSET_VALUE_VERSION, (w) =>
    encodeOffsetCommitValue(
      w,
      {
        offset: committed.offset,
        leaderEpoch: committed.leaderEpoch,
        metadata: committed.metadata,
        commitTimestamp: BigInt(committed.commitTimestamp),
        expireTimestamp: -1n,
      },
      OFFSET_VALUE_VERSION,
    ),
  );
  return { key: offsetKey(groupId, topic, partition), value };
}

export function offsetTombstone(groupId: string, topic: string, partition: number): CoordinatorRecord {
  return { key: offsetKey(groupId, topic, partition), value: null };
}

export function groupMetadataRecord(groupId: string, value: GroupMetadataValue): CoordinatorRecord {
  return { key: groupKey(groupId), value: versioned(GROUP_VALUE_VERSION, (w) => encodeGroupMetadataValue(w, value, GROUP_VALUE_VERSION)) };
}

export function groupTombstone(groupId: string): CoordinatorRecord {
  return { key: groupKey(groupId), value: null };
}

export function decodeGroupRecordKey(key: Buffer): GroupRecordKey {
  const reader = new ByteReader(key);
  const version = reader.int16();
  if (version === 0 || version === 1) {
    const { group, topic, partition } = decodeOffsetCommitKey(reader, version);
    return { kind: 'offset', groupId: group, topic, partition };
  }
  if (version === 2) return { kind: 'group', groupId: decodeGroupMetadataKey(reader, version).group };
  return { kind: 'other', version };
}

export function decodeOffsetRecordValue(value: Buffer): CommittedOffset {
  const reader = new ByteReader(value);
  const decoded = decodeOffsetCommitValue(reader, reader.int16());
  return {
    offset: decoded.offset,
    leaderEpoch: decoded.leaderEpoch,
    metadata: decoded.metadata,
    commitTimestamp: Number(decoded.commitTimestamp),
  };
}

export function decodeGroupRecordValue(value: Buffer): GroupMetadataValue {
  const reader = new ByteReader(value);
  return decodeGroupMetadataValue(reader, reader.int16());
}
