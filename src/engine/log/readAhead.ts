/**
 * Segment bytes read into memory ahead of a consumer's next Fetch. librdkafka and the Java
 * client keep one Fetch in flight per broker and parse each answer before they ask for the
 * next, so a consumer reading a stored partition waits for the broker's disk read on every
 * round trip; read once the previous answer has been handed to the socket, while the client
 * parses, those bytes are ready when its next Fetch comes. Node has no sendfile for sockets,
 * so this is as close to one as it allows: the copy from the page cache still happens, but
 * not while the client waits.
 *
 * The bytes held are bounded broker-wide: a new read-ahead drops the oldest ones first, so
 * consumers that stop fetching cost nothing for long.
 */
export interface ReadAheadHolder {
  /** Forgets the bytes it holds (and gives them back to the budget). */
  dropReadAhead(): void;
}

export class ReadAheadBudget {
  /** Insertion order is age: the first holder read ahead the longest ago. */
  private readonly held = new Map<ReadAheadHolder, number>();
  private used = 0;

  constructor(readonly capacityBytes: number) {}

  get usedBytes(): number {
    return this.used;
  }

  /** Makes room for `bytes` more held by `holder`, dropping the oldest other holders' bytes first. */
  reserve(holder: ReadAheadHolder, bytes: number): void {
    this.release(holder);
    while (this.used + bytes > this.capacityBytes && this.held.size > 0) {
      const [oldest] = this.held.keys();
      oldest!.dropReadAhead();
      // A holder's dropReadAhead releases it; make sure the loop always moves on.
      this.release(oldest!);
    }
    this.held.set(holder, bytes);
    this.used += bytes;
  }

  release(holder: ReadAheadHolder): void {
    const bytes = this.held.get(holder);
    if (bytes === undefined) return;
    this.held.delete(holder);
    this.used -= bytes;
  }
}

/** At most this much per read-ahead: the default partition fetch size of librdkafka and the Java consumer. */
export const READ_AHEAD_MAX_BYTES = 1 << 20;

/** The process's budget (a broker is one process): 32 partitions' worth of consumers reading ahead at once. */
export const readAheadBudget = new ReadAheadBudget(32 * READ_AHEAD_MAX_BYTES);
