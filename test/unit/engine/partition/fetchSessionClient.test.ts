import { describe, expect, it } from 'vitest';
import { FetchSessionClient, type PartitionFetchState } from '../../../../src/engine/partition/fetchSessionClient';
import { ErrorCode } from '../../../../src/protocol/errors';

const state = (partition: number, fetchOffset: number, overrides: Partial<PartitionFetchState> = {}): PartitionFetchState => ({
  topic: 't',
  partition,
  fetchOffset: BigInt(fetchOffset),
  logStartOffset: 0n,
  partitionMaxBytes: 1 << 20,
  currentLeaderEpoch: 1,
  lastFetchedEpoch: 1,
  ...overrides,
});

const names = (states: readonly PartitionFetchState[]) => states.map((s) => s.partition);

/** A client whose session 42 is open with partitions 0, 1 and 2 at offset 0. */
function opened(): FetchSessionClient {
  const client = new FetchSessionClient();
  const full = client.build([state(0, 0), state(1, 0), state(2, 0)]);
  expect(client.handleResponse(full, ErrorCode.NONE, 42)).toBe(true);
  return client;
}

describe('FetchSessionClient', () => {
  it('opens with a full request, then names only the partitions whose fetch state changed', () => {
    const client = new FetchSessionClient();
    const full = client.build([state(0, 0), state(1, 0)]);
    expect(full).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true, forgotten: [] });
    expect(names(full.partitions)).toEqual([0, 1]);
    expect(client.handleResponse(full, ErrorCode.NONE, 42)).toBe(true);

    const unchanged = client.build([state(0, 0), state(1, 0)]);
    expect(unchanged).toMatchObject({ sessionId: 42, sessionEpoch: 1, full: false, partitions: [], forgotten: [] });
    client.handleResponse(unchanged, ErrorCode.NONE, 42);

    // Every field the leader keeps counts as a change.
    for (const change of [{ fetchOffset: 5n }, { logStartOffset: 3n }, { partitionMaxBytes: 10 }, { currentLeaderEpoch: 2 }, { lastFetchedEpoch: 2 }]) {
      const request = client.build([state(0, 0), { ...state(1, 0), ...change }]);
      expect(names(request.partitions), JSON.stringify(change, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))).toEqual([1]);
      client.handleResponse(request, ErrorCode.NONE, 42);
      // Back to the first state for the next change: that is a change too.
      const back = client.build([state(0, 0), state(1, 0)]);
      expect(names(back.partitions)).toEqual([1]);
      client.handleResponse(back, ErrorCode.NONE, 42);
    }
  });

  it('knows a state object handed back unchanged, and still sees partitions dropped or forgotten beside such objects', () => {
    const client = new FetchSessionClient();
    const [zero, one, two] = [state(0, 0), state(1, 0), state(2, 0)];
    client.handleResponse(client.build([zero, one, two]), ErrorCode.NONE, 42);

    const same = client.build([zero, one, two]);
    expect(same).toMatchObject({ full: false, partitions: [], forgotten: [] });
    client.handleResponse(same, ErrorCode.NONE, 42);

    // The same objects for 0 and 2, partition 1 left out: forgotten although nothing was looked up by key.
    const dropped = client.build([zero, two]);
    expect(dropped.partitions).toEqual([]);
    expect(dropped.forgotten).toEqual([{ topic: 't', partition: 1 }]);
    client.handleResponse(dropped, ErrorCode.NONE, 42);

    // A replica replaced locally: its old object, handed back, is sent whole.
    client.forget('t', 2);
    const replaced = client.build([zero, two]);
    expect(names(replaced.partitions)).toEqual([2]);
    expect(replaced.forgotten).toEqual([{ topic: 't', partition: 2 }]);
    client.handleResponse(replaced, ErrorCode.NONE, 42);

    // A new object with an old object's content is no change; a changed one is.
    const moved = client.build([state(0, 0), state(2, 7)]);
    expect(names(moved.partitions)).toEqual([2]);
    expect(moved.forgotten).toEqual([]);
  });

  it('forgets partitions left out and sends them whole when they come back', () => {
    const client = opened();
    const without = client.build([state(0, 0), state(2, 0)]);
    expect(without.forgotten).toEqual([{ topic: 't', partition: 1 }]);
    expect(without.partitions).toEqual([]);
    client.handleResponse(without, ErrorCode.NONE, 42);
    const back = client.build([state(0, 0), state(1, 0), state(2, 0)]);
    expect(names(back.partitions)).toEqual([1]);
    expect(back.forgotten).toEqual([]);
  });

  it('a replaced replica is forgotten and re-added in the same request even when its state is the same', () => {
    const client = opened();
    client.forget('t', 1);
    const request = client.build([state(0, 0), state(1, 0), state(2, 0)]);
    expect(request.forgotten).toEqual([{ topic: 't', partition: 1 }]);
    expect(names(request.partitions)).toEqual([1]);
  });

  it('starts over in full after a session error, naming the old session so the leader closes it', () => {
    for (const error of [ErrorCode.FETCH_SESSION_ID_NOT_FOUND, ErrorCode.INVALID_FETCH_SESSION_EPOCH, ErrorCode.NOT_LEADER_OR_FOLLOWER]) {
      const client = opened();
      const incremental = client.build([state(0, 1), state(1, 0), state(2, 0)]);
      expect(client.handleResponse(incremental, error, 0)).toBe(false);
      const again = client.build([state(0, 1), state(1, 0), state(2, 0)]);
      expect(again).toMatchObject({ sessionId: 42, sessionEpoch: 0, full: true });
      expect(names(again.partitions)).toEqual([0, 1, 2]);
    }
  });

  it('ignores an answer to a request sent before a reset (a dropped connection)', () => {
    const client = opened();
    const inFlight = client.build([state(0, 1), state(1, 0), state(2, 0)]);
    client.reset();
    expect(client.handleResponse(inFlight, ErrorCode.NONE, 42)).toBe(false);
    expect(client.build([state(0, 1)])).toMatchObject({ sessionEpoch: 0, full: true });
  });

  it('stays with full requests while the leader gives no session (its cache is full)', () => {
    const client = new FetchSessionClient();
    const first = client.build([state(0, 0)]);
    expect(client.handleResponse(first, ErrorCode.NONE, 0)).toBe(true);
    expect(client.build([state(0, 0)])).toMatchObject({ sessionId: 0, sessionEpoch: 0, full: true });
  });

  it('counts epochs up from 1 after the full request', () => {
    const client = opened();
    for (let epoch = 1; epoch <= 5; epoch++) {
      const request = client.build([state(0, 0), state(1, 0), state(2, 0)]);
      expect(request.sessionEpoch).toBe(epoch);
      client.handleResponse(request, ErrorCode.NONE, 42);
    }
  });
});
