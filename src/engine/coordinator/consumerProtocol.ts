import {
  decodeConsumerProtocolAssignment,
  encodeConsumerProtocolAssignment,
  type ConsumerProtocolAssignment,
} from '../../protocol/generated/consumerProtocolAssignment';
import {
  decodeConsumerProtocolSubscription,
  encodeConsumerProtocolSubscription,
  type ConsumerProtocolSubscription,
} from '../../protocol/generated/consumerProtocolSubscription';
import { ByteReader } from '../../protocol/primitives/byteReader';
import { ByteWriter } from '../../protocol/primitives/byteWriter';
import { isDecodeError } from '../../protocol/primitives/decodeError';

/**
 * The bytes consumers put in JoinGroup metadata (their subscription) and SyncGroup
 * assignments, for groups whose protocol type is "consumer". The coordinator treats them as
 * opaque except to learn which topics a group is subscribed to (OffsetDelete refuses those,
 * KIP-496); the admin side decodes them to show subscriptions and assignments.
 *
 * Layout (Kafka's ConsumerProtocol): int16 version, then the schema at that version. A newer
 * client may send a version above ours; its fields are a superset, so Kafka reads it with the
 * highest version it knows, and so do we.
 */
export const CONSUMER_PROTOCOL_TYPE = 'consumer';
const HIGHEST_KNOWN_VERSION = 3;

function readVersioned<T>(bytes: Buffer, decode: (reader: ByteReader, version: number) => T): T | null {
  if (bytes.length < 2) return null;
  try {
    const reader = new ByteReader(bytes);
    const version = reader.int16();
    if (version < 0) return null;
    return decode(reader, Math.min(version, HIGHEST_KNOWN_VERSION));
  } catch (error) {
    if (isDecodeError(error)) return null;
    throw error;
  }
}

/** The subscription in a consumer's JoinGroup metadata, or null when the bytes are not one. */
export function decodeConsumerSubscription(bytes: Buffer): ConsumerProtocolSubscription | null {
  return readVersioned(bytes, decodeConsumerProtocolSubscription);
}

/** The assignment a leader sent for a consumer, or null when the bytes are not one. */
export function decodeConsumerAssignment(bytes: Buffer): ConsumerProtocolAssignment | null {
  return readVersioned(bytes, decodeConsumerProtocolAssignment);
}

export function encodeConsumerSubscription(subscription: ConsumerProtocolSubscription, version = HIGHEST_KNOWN_VERSION): Buffer {
  const writer = new ByteWriter().int16(version);
  encodeConsumerProtocolSubscription(writer, subscription, version);
  return writer.toBuffer();
}

export function encodeConsumerAssignment(assignment: ConsumerProtocolAssignment, version = HIGHEST_KNOWN_VERSION): Buffer {
  const writer = new ByteWriter().int16(version);
  encodeConsumerProtocolAssignment(writer, assignment, version);
  return writer.toBuffer();
}
