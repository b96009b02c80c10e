import { describe, expect, it } from 'vitest';
import { ALL_ERRORS, ErrorCode, KafkaError, errorInfo, isKafkaError, isKnownErrorCode } from '../../../src/protocol/errors';

describe('Kafka error codes', () => {
  it('maps well-known names to the codes on the wire', () => {
    expect(ErrorCode.UNKNOWN_SERVER_ERROR).toBe(-1);
    expect(ErrorCode.NONE).toBe(0);
    expect(ErrorCode.OFFSET_OUT_OF_RANGE).toBe(1);
    expect(ErrorCode.NOT_LEADER_OR_FOLLOWER).toBe(6);
    expect(ErrorCode.NOT_ENOUGH_REPLICAS).toBe(19);
    expect(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND).toBe(20);
    expect(ErrorCode.UNSUPPORTED_VERSION).toBe(35);
    expect(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER).toBe(45);
    expect(ErrorCode.INVALID_PRODUCER_EPOCH).toBe(47);
    expect(ErrorCode.CONCURRENT_TRANSACTIONS).toBe(51);
    expect(ErrorCode.UNSTABLE_OFFSET_COMMIT).toBe(88);
    expect(ErrorCode.PRODUCER_FENCED).toBe(90);
    expect(ErrorCode.REBOOTSTRAP_REQUIRED).toBe(129);
  });

  it('classifies retriable errors as Kafka does', () => {
    const retriable = (code: number) => errorInfo(code).retriable;
    expect(retriable(ErrorCode.NOT_LEADER_OR_FOLLOWER)).toBe(true);
    expect(retriable(ErrorCode.NOT_ENOUGH_REPLICAS)).toBe(true);
    expect(retriable(ErrorCode.NOT_ENOUGH_REPLICAS_AFTER_APPEND)).toBe(true);
    expect(retriable(ErrorCode.CONCURRENT_TRANSACTIONS)).toBe(true);
    expect(retriable(ErrorCode.UNSTABLE_OFFSET_COMMIT)).toBe(true);
    expect(retriable(ErrorCode.UNSUPPORTED_VERSION)).toBe(false);
    expect(retriable(ErrorCode.OUT_OF_ORDER_SEQUENCE_NUMBER)).toBe(false);
    expect(retriable(ErrorCode.INVALID_PRODUCER_EPOCH)).toBe(false);
    expect(retriable(ErrorCode.PRODUCER_FENCED)).toBe(false);
    expect(retriable(ErrorCode.NONE)).toBe(false);
  });

  it('lists every code from -1 upward once, without gaps, with a unique name', () => {
    const codes = ALL_ERRORS.map((error) => error.code);
    expect(new Set(codes).size).toBe(codes.length);
    expect(new Set(ALL_ERRORS.map((error) => error.name)).size).toBe(codes.length);
    expect(codes).toEqual(codes.map((_, index) => index - 1));
    expect(codes.at(-1)).toBeGreaterThanOrEqual(129);
    for (const error of ALL_ERRORS) {
      expect(error.name).toMatch(/^[A-Z][A-Z0-9_]*$/);
      expect(error.message.length).toBeGreaterThan(5);
      expect(ErrorCode[error.name as keyof typeof ErrorCode]).toBe(error.code);
    }
  });

  it('keeps an unknown code intact and treats it as a non-retriable server error', () => {
    expect(isKnownErrorCode(999)).toBe(false);
    expect(isKnownErrorCode(6)).toBe(true);
    const info = errorInfo(999);
    expect(info).toMatchObject({ code: 999, name: 'UNKNOWN_SERVER_ERROR', retriable: false });
    expect(info.message).toContain('999');
  });

  it('raises a code as a KafkaError carrying the Kafka name and the detail', () => {
    const error = new KafkaError(ErrorCode.NOT_COORDINATOR, 'group billing');
    expect(isKafkaError(error)).toBe(true);
    expect(error).toBeInstanceOf(Error);
    expect(error.code).toBe(16);
    expect(error.name).toBe('NOT_COORDINATOR');
    expect(error.retriable).toBe(true);
    expect(error.message).toContain('group billing');
    expect(isKafkaError(new Error('x'))).toBe(false);
  });
});
