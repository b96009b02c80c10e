import { describe, expect, it } from 'vitest';
import { coordinatorPartitionFor, groupCoordinatorPartition, javaStringHashCode, kafkaAbs } from '../../../../src/engine/coordinator/coordinatorPartition';

describe('javaStringHashCode', () => {
  it('matches Java String.hashCode for ASCII strings, including int32 overflow', () => {
    expect(javaStringHashCode('')).toBe(0);
    expect(javaStringHashCode('hello')).toBe(99162322);
    expect(javaStringHashCode('my-group')).toBe(-1906497762);
    expect(javaStringHashCode('Aa')).toBe(javaStringHashCode('BB'));
  });

  it('hashes UTF-16 code units, so a character outside the BMP counts as two', () => {
    // U+1F600 is the surrogate pair D83D DE00: 0xD83D * 31 + 0xDE00.
    expect(javaStringHashCode('😀')).toBe(0xd83d * 31 + 0xde00);
  });
});

describe('groupCoordinatorPartition', () => {
  it('uses Kafka Utils.abs: the hash whose absolute value overflows maps to 0', () => {
    expect(javaStringHashCode('polygenelubricants')).toBe(-2147483648);
    expect(kafkaAbs(-2147483648)).toBe(0);
    expect(groupCoordinatorPartition('polygenelubricants', 50)).toBe(0);
  });

  it('takes the absolute value of a negative hash, not its low 31 bits', () => {
    // abs(-1906497762) % 50 = 12, while (hash & 0x7fffffff) % 50 would be 36.
    expect(groupCoordinatorPartition('my-group', 50)).toBe(12);
    expect(groupCoordinatorPartition('hello', 50)).toBe(22);
    expect(coordinatorPartitionFor('hello', 1)).toBe(0);
  });

  it('refuses a partition count below one', () => {
    expect(() => groupCoordinatorPartition('g', 0)).toThrow(RangeError);
  });
});
