import { expect } from 'vitest';

/** Joins the chunks of an encoded frame, checks its size prefix, and returns the payload. */
export function framePayload(chunks: Buffer[]): Buffer {
  const whole = Buffer.concat(chunks);
  expect(whole.readInt32BE(0)).toBe(whole.length - 4);
  return whole.subarray(4);
}
