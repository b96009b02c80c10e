/**
 * Turns a TCP byte stream into Kafka frames: int32 size, then `size` bytes of payload.
 *
 * A frame that lies within one chunk is returned as a view into that chunk (no copy); only a
 * frame spread over several chunks is joined, once, when its last byte arrives. The size
 * prefix is checked the moment it is complete, so a peer announcing a huge frame is refused
 * before we hold any of its body; memory is never reserved from a size a peer sent us.
 */

/** Kafka's socket.request.max.bytes default. */
export const DEFAULT_MAX_FRAME_BYTES = 104_857_600;

const SIZE_PREFIX_BYTES = 4;

export type FrameError =
  | { kind: 'frame-too-large'; size: number; maxFrameBytes: number }
  | { kind: 'negative-frame-size'; size: number };

export interface SplitResult {
  /** Complete frame payloads (without their size prefix), in arrival order. */
  frames: Buffer[];
  /**
   * Set once the stream is unusable: the peer cannot be resynchronised after a bad size, so
   * the caller closes the connection. Frames before the bad prefix are still in `frames`.
   */
  error: FrameError | null;
}

export class FrameSplitter {
  /** Bytes of the frame in progress (prefix included) that arrived in earlier chunks. */
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  /** Payload size of the frame in progress, once its prefix is complete. */
  private expected: number | null = null;
  private failure: FrameError | null = null;

  constructor(private readonly maxFrameBytes = DEFAULT_MAX_FRAME_BYTES) {}

  /** Bytes held for an incomplete frame; for tests and diagnostics. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  push(chunk: Buffer): SplitResult {
    const frames: Buffer[] = [];
    if (this.failure) return { frames, error: this.failure };

    let at = 0;
    if (this.pendingBytes > 0) {
      at = this.continuePending(chunk, frames);
      if (this.failure || at === chunk.length) return { frames, error: this.failure };
    }

    // Fast path: frames that start in this chunk and end in it are views into it.
    while (chunk.length - at >= SIZE_PREFIX_BYTES) {
      const size = chunk.readInt32BE(at);
      const error = this.check(size);
      if (error) return { frames, error };
      const end = at + SIZE_PREFIX_BYTES + size;
      if (end > chunk.length) break;
      frames.push(chunk.subarray(at + SIZE_PREFIX_BYTES, end));
      at = end;
    }

    if (at < chunk.length) {
      const rest = chunk.subarray(at);
      this.pending.push(rest);
      this.pendingBytes = rest.length;
      this.expected = rest.length >= SIZE_PREFIX_BYTES ? rest.readInt32BE(0) : null;
    }
    return { frames, error: null };
  }

  /** Feeds the start of `chunk` into the frame in progress; returns how much it consumed. */
  private continuePending(chunk: Buffer, frames: Buffer[]): number {
    let at = 0;
    if (this.expected === null) {
      // The size prefix itself was split: complete it from this chunk first.
      const missing = SIZE_PREFIX_BYTES - this.pendingBytes;
      const take = Math.min(missing, chunk.length);
      this.append(chunk.subarray(0, take));
      at = take;
      if (this.pendingBytes < SIZE_PREFIX_BYTES) return at;
      const prefix = Buffer.concat(this.pending, SIZE_PREFIX_BYTES);
      this.pending = [prefix];
      const size = prefix.readInt32BE(0);
      if (this.check(size)) return at;
      this.expected = size;
    }

    const frameBytes = SIZE_PREFIX_BYTES + this.expected;
    const take = Math.min(frameBytes - this.pendingBytes, chunk.length - at);
    this.append(chunk.subarray(at, at + take));
    at += take;
    if (this.pendingBytes === frameBytes) {
      frames.push(Buffer.concat(this.pending, frameBytes).subarray(SIZE_PREFIX_BYTES));
      this.pending = [];
      this.pendingBytes = 0;
      this.expected = null;
    }
    return at;
  }

  private append(piece: Buffer): void {
    if (piece.length === 0) return;
    this.pending.push(piece);
    this.pendingBytes += piece.length;
  }

  private check(size: number): FrameError | null {
    if (size < 0) this.failure = { kind: 'negative-frame-size', size };
    else if (size > this.maxFrameBytes) {
      this.failure = { kind: 'frame-too-large', size, maxFrameBytes: this.maxFrameBytes };
    }
    if (this.failure) this.dropPending();
    return this.failure;
  }

  private dropPending(): void {
    this.pending = [];
    this.pendingBytes = 0;
    this.expected = null;
  }
}
