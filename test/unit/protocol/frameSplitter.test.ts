import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_FRAME_BYTES, FrameSplitter } from '../../../src/protocol/frameSplitter';
import { seededRandom } from './seededRandom';

function frame(payload: Buffer): Buffer {
  const prefix = Buffer.alloc(4);
  prefix.writeInt32BE(payload.length);
  return Buffer.concat([prefix, payload]);
}

function payloads(random: () => number, count: number): Buffer[] {
  return Array.from({ length: count }, (_, i) => {
    // Mostly small frames, some empty, some larger than a typical chunk.
    const size = i % 7 === 0 ? 0 : i % 5 === 0 ? 5000 + Math.floor(random() * 5000) : Math.floor(random() * 300);
    return Buffer.from(Array.from({ length: size }, () => Math.floor(random() * 256)));
  });
}

/** Cuts `bytes` at random points, including cuts inside size prefixes and 1-byte chunks. */
function randomChunks(random: () => number, bytes: Buffer): Buffer[] {
  const chunks: Buffer[] = [];
  let at = 0;
  while (at < bytes.length) {
    const roll = random();
    const size = roll < 0.3 ? 1 : roll < 0.6 ? 1 + Math.floor(random() * 8) : 1 + Math.floor(random() * 4000);
    chunks.push(bytes.subarray(at, at + size));
    at += size;
  }
  return chunks;
}

describe('FrameSplitter', () => {
  it('reassembles frames split at arbitrary chunk boundaries', () => {
    for (let seed = 1; seed <= 50; seed++) {
      const random = seededRandom(seed);
      const expected = payloads(random, 40);
      const stream = Buffer.concat(expected.map(frame));
      const splitter = new FrameSplitter();
      const received: Buffer[] = [];
      const errors: unknown[] = [];
      for (const chunk of randomChunks(random, stream)) {
        const { frames, error } = splitter.push(chunk);
        if (error) errors.push(error);
        received.push(...frames.map((f) => Buffer.from(f)));
      }
      expect(errors, `seed ${seed}`).toEqual([]);
      expect(received.length, `seed ${seed}`).toBe(expected.length);
      // Buffer.equals instead of a deep toEqual: the same check, without a per-byte walk.
      expect(received.every((f, i) => f.equals(expected[i]!)), `seed ${seed}`).toBe(true);
      expect(splitter.bufferedBytes).toBe(0);
    }
  });

  it('returns many frames from one chunk as views into that chunk, without copying', () => {
    const expected = [Buffer.from('alpha'), Buffer.alloc(0), Buffer.from('a somewhat longer third frame')];
    const chunk = Buffer.concat(expected.map(frame));
    const { frames, error } = new FrameSplitter().push(chunk);
    expect(error).toBeNull();
    expect(frames).toEqual(expected);
    for (const f of frames) expect(f.buffer).toBe(chunk.buffer);
  });

  it('keeps a partial frame until its last byte arrives', () => {
    const splitter = new FrameSplitter();
    const whole = frame(Buffer.from('hello, kafka'));
    expect(splitter.push(whole.subarray(0, 2)).frames).toEqual([]);
    expect(splitter.push(whole.subarray(2, 9)).frames).toEqual([]);
    expect(splitter.bufferedBytes).toBe(9);
    const { frames } = splitter.push(Buffer.concat([whole.subarray(9), frame(Buffer.from('next'))]));
    expect(frames.map(String)).toEqual(['hello, kafka', 'next']);
  });

  it('refuses an oversized frame as soon as its size prefix is read, holding none of it', () => {
    const splitter = new FrameSplitter(1000);
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(1001);
    const first = splitter.push(Buffer.concat([frame(Buffer.from('ok')), prefix.subarray(0, 3)]));
    expect(first.frames.map(String)).toEqual(['ok']);
    expect(first.error).toBeNull();
    const second = splitter.push(prefix.subarray(3));
    expect(second.error).toEqual({ kind: 'frame-too-large', size: 1001, maxFrameBytes: 1000 });
    expect(splitter.bufferedBytes).toBe(0);
    // The stream cannot be resynchronised: later bytes are not read as frames.
    expect(splitter.push(frame(Buffer.from('late')))).toEqual({ frames: [], error: second.error });
  });

  it('applies Kafka\'s default limit of socket.request.max.bytes', () => {
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(DEFAULT_MAX_FRAME_BYTES + 1);
    const { error } = new FrameSplitter().push(prefix);
    expect(error).toMatchObject({ kind: 'frame-too-large', maxFrameBytes: 104_857_600 });
    prefix.writeInt32BE(DEFAULT_MAX_FRAME_BYTES);
    const splitter = new FrameSplitter();
    expect(splitter.push(prefix).error).toBeNull();
  });

  it('rejects a negative size prefix', () => {
    const prefix = Buffer.alloc(4);
    prefix.writeInt32BE(-5);
    const { frames, error } = new FrameSplitter().push(Buffer.concat([frame(Buffer.from('a')), prefix]));
    expect(frames.map(String)).toEqual(['a']);
    expect(error).toEqual({ kind: 'negative-frame-size', size: -5 });
  });
});
