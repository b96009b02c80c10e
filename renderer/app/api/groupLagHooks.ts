import { hashKey, skipToken, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { GroupLagList } from '../../../src/api/schemas/groups';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { callApi } from './client';
import { costProportionalInterval, POLL_MS, timedRead } from './clusterHooks';
import { queryKeys } from './queryKeys';

/**
 * The groups table's Total lag column at any number of groups: lag is read for the rows in
 * view (groups.lag with their names), and for every group only while the table is sorted by
 * lag, which needs them all. Each answer is merged into one cache entry of readings, so a
 * row keeps its figure when it scrolls out of view and back, and the sort and the rows in
 * view share what either read.
 *
 * Every group is NOT read in the background once the rows in view are done: at 2,000 groups
 * that read costs the cluster seconds (an OffsetFetch per coordinator and a ListOffsets per
 * leader over every group's partitions), a broker answers a connection's requests in order,
 * so the next rows scrolled into view would wait behind it, and polling it would repeat that
 * cost every few seconds for figures nobody sees. The lag sampler already reads every group
 * round robin (100 per tick), for the trends and the Overview, and the back end reuses its
 * readings (sharedGroupLag.ts), so the page adds only what is on screen.
 */

/** A group's total lag as received; null: the group has no committed offsets (or no longer exists). */
export interface GroupLagReading {
  readonly totalLag: number | null;
  /** When the page received it (epoch ms). */
  readonly receivedAt: number;
}

export type GroupLagReadings = ReadonlyMap<string, GroupLagReading>;

const NO_READINGS: GroupLagReadings = new Map();

/**
 * A row scrolled into view whose figure arrived less than this long ago is not asked again.
 * Shorter than the poll, so the poll's refetch of the rows in view always reads them afresh.
 */
const FRESH_FOR_MS = POLL_MS / 2;

function remember(queryClient: QueryClient, ref: ClusterRef, answer: GroupLagList): void {
  const receivedAt = Date.now();
  queryClient.setQueryData<GroupLagReadings>(queryKeys.cluster.groupLagReadings(ref), (current) => {
    const next = new Map(current);
    for (const entry of answer.groups) next.set(entry.group, { totalLag: entry.totalLag, receivedAt });
    return next;
  });
}

/** Every figure received so far for this cluster's groups; it only changes through the reads below. */
export function useGroupLagReadings(ref: ClusterRef): GroupLagReadings {
  const readings = useQuery<GroupLagReadings>({ queryKey: queryKeys.cluster.groupLagReadings(ref), queryFn: skipToken, staleTime: Infinity });
  return readings.data ?? NO_READINGS;
}

/**
 * Reads the lag of `groups` (the rows in view, in a stable order so the same rows are the
 * same query) and polls it. `groups` empty: nothing to read. The poll's interval follows what
 * the reads cost, timed under one key for all of them rather than one per scroll position.
 */
export function useGroupLagOf(ref: ClusterRef, groups: readonly string[]) {
  const queryClient = useQueryClient();
  const queryKey = queryKeys.cluster.groupLagOf(ref, groups);
  const timingKey = queryKeys.cluster.groupLagOf(ref, []);
  return useQuery({
    queryKey,
    enabled: groups.length > 0,
    // A left page (or rows scrolled away from) aborts its read and frees the connection.
    queryFn: ({ signal }) =>
      timedRead(timingKey, async () => {
        // A change the back end hinted (an offset reset, a produce) makes every figure old.
        const invalidated = queryClient.getQueryState(queryKey)?.isInvalidated ?? false;
        const readings = queryClient.getQueryData<GroupLagReadings>(queryKeys.cluster.groupLagReadings(ref));
        const now = Date.now();
        const due = invalidated
          ? groups
          : groups.filter((group) => {
              const reading = readings?.get(group);
              return reading === undefined || now - reading.receivedAt > FRESH_FOR_MS;
            });
        if (due.length === 0) return { asked: 0 };
        remember(queryClient, ref, await callApi('groups.lag', { clusterId: ref, groups: [...due] }, signal));
        return { asked: due.length };
      }),
    refetchInterval: () => costProportionalInterval({ queryHash: hashKey(timingKey) }),
  });
}

/** Reads every group's lag (up to the back end's limit) while `enabled`: what sorting by lag needs. */
export function useAllGroupLag(ref: ClusterRef, enabled: boolean) {
  const queryClient = useQueryClient();
  const queryKey = queryKeys.cluster.groupLagAll(ref);
  return useQuery({
    queryKey,
    enabled,
    queryFn: ({ signal }) =>
      timedRead(queryKey, async () => {
        const answer = await callApi('groups.lag', { clusterId: ref }, signal);
        remember(queryClient, ref, answer);
        return answer;
      }),
    refetchInterval: costProportionalInterval,
    // Sorting by lag again within the interval reuses the last read.
    staleTime: costProportionalInterval,
  });
}
