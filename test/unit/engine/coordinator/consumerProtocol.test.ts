import { describe, expect, it } from 'vitest';
import {
  decodeConsumerAssignment,
  decodeConsumerSubscription,
  encodeConsumerAssignment,
  encodeConsumerSubscription,
} from '../../../../src/engine/coordinator/consumerProtocol';
import { defaultConsumerProtocolSubscription } from '../../../../src/protocol/generated/consumerProtocolSubscription';

describe('consumer protocol bytes', () => {
  it('round-trips a subscription and an assignment', () => {
    const subscription = { ...defaultConsumerProtocolSubscription(), topics: ['orders', 'payments'], rackId: 'rack-a' };
    expect(decodeConsumerSubscription(encodeConsumerSubscription(subscription))).toEqual(subscription);
    const assignment = { assignedPartitions: [{ topic: 'orders', partitions: [0, 2] }], userData: Buffer.from('u') };
    expect(decodeConsumerAssignment(encodeConsumerAssignment(assignment, 0))).toEqual(assignment);
  });

  it('reads a version newer than it knows with the newest schema it has, as Kafka does', () => {
    const bytes = encodeConsumerSubscription({ ...defaultConsumerProtocolSubscription(), topics: ['orders'] });
    bytes.writeInt16BE(9, 0);
    expect(decodeConsumerSubscription(bytes)?.topics).toEqual(['orders']);
  });

  it('answers null for bytes that are not a consumer subscription', () => {
    expect(decodeConsumerSubscription(Buffer.from([0, 0, 0x7f]))).toBeNull();
    expect(decodeConsumerSubscription(Buffer.alloc(0))).toBeNull();
  });
});
