import { hashKey, keepPreviousData, useMutation, useQuery, useQueryClient, type QueryKey } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/**
 * Reads of one cluster's data. Each polls (so a cluster changed by someone else shows up) and
 * is also refetched at once when the back end hints that its resource changed. Failures are
 * retried once by the client's defaults and then shown inline by the page.
 */
export const POLL_MS = 5_000;

/**
 * The expensive reads (min ISR configs of every topic, lag of every group) are polled in
 * proportion to what they cost: a read that took 2 s is repeated every 20 s, so refreshing
 * never keeps the cluster busy more than a tenth of the time, while a small cluster's cheap
 * reads still refresh every POLL_MS.
 */
const COST_FACTOR = 10;
const MAX_COSTLY_POLL_MS = 120_000;
const readDurations = new Map<string, number>();

export async function timedRead<T>(queryKey: QueryKey, read: () => Promise<T>): Promise<T> {
  const started = performance.now();
  const record = () => readDurations.set(hashKey(queryKey), performance.now() - started);
  try {
    const result = await read();
    record();
    return result;
  } catch (error) {
    // A read abandoned with its page says nothing about what the read costs.
    if (!(error instanceof DOMException && error.name === 'AbortError')) record();
    throw error;
  }
}

export function costProportionalInterval(query: { readonly queryHash: string }): number {
  const lastRead = readDurations.get(query.queryHash) ?? 0;
  return Math.min(MAX_COSTLY_POLL_MS, Math.max(POLL_MS, lastRead * COST_FACTOR));
}

export function useOverview(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.overview(ref), queryFn: ({ signal }) => callApi('cluster.overview', { clusterId: ref }, signal), refetchInterval: POLL_MS });
}

export function useClusterEvents(ref: ClusterRef) {
  // Pushed events are appended to this query's data (liveUpdates.ts); polling only catches gaps.
  return useQuery({ queryKey: queryKeys.cluster.events(ref), queryFn: ({ signal }) => callApi('cluster.events', { clusterId: ref }, signal), refetchInterval: POLL_MS * 6 });
}

export function useBrokers(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.brokers(ref), queryFn: ({ signal }) => callApi('brokers.list', { clusterId: ref }, signal), refetchInterval: POLL_MS });
}

export function useTopics(ref: ClusterRef | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.cluster.topics(ref ?? 'embedded'),
    queryFn: ({ signal }) => callApi('topics.list', { clusterId: ref! }, signal),
    refetchInterval: POLL_MS,
    enabled: ref !== undefined && (options.enabled ?? true),
    placeholderData: keepPreviousData,
  });
}

/** min.insync.replicas of every topic: the topics table's under-min-ISR column, after the rows. */
export function useTopicMinIsr(ref: ClusterRef) {
  const queryKey = queryKeys.cluster.topicMinIsr(ref);
  return useQuery({
    queryKey,
    queryFn: ({ signal }) => timedRead(queryKey, () => callApi('topics.minInsyncReplicas', { clusterId: ref }, signal)),
    refetchInterval: costProportionalInterval,
    // Coming back to the page or the window within the interval reuses the last read.
    staleTime: costProportionalInterval,
  });
}

export function useTopic(ref: ClusterRef, topic: string) {
  return useQuery({ queryKey: queryKeys.cluster.topic(ref, topic), queryFn: ({ signal }) => callApi('topics.describe', { clusterId: ref, topic }, signal), refetchInterval: POLL_MS });
}

export function useGroups(ref: ClusterRef | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.cluster.groups(ref ?? 'embedded'),
    queryFn: ({ signal }) => callApi('groups.list', { clusterId: ref! }, signal),
    refetchInterval: POLL_MS,
    enabled: ref !== undefined && (options.enabled ?? true),
  });
}

export function useGroup(ref: ClusterRef, group: string) {
  return useQuery({ queryKey: queryKeys.cluster.group(ref, group), queryFn: ({ signal }) => callApi('groups.describe', { clusterId: ref, group }, signal), refetchInterval: POLL_MS });
}

export function useCreateTopic() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'topics.create'>) => callApi('topics.create', input),
    onSuccess: (_result, input) => queryClient.invalidateQueries({ queryKey: queryKeys.cluster.all(input.clusterId) }),
  });
}

export function useDeleteTopic() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'topics.delete'>) => callApi('topics.delete', input),
    onSuccess: (_result, input) => {
      queryClient.removeQueries({ queryKey: queryKeys.cluster.topic(input.clusterId, input.topic) });
      return queryClient.invalidateQueries({ queryKey: queryKeys.cluster.all(input.clusterId) });
    },
  });
}

export function useBroker(ref: ClusterRef, id: number) {
  return useQuery({ queryKey: queryKeys.cluster.broker(ref, id), queryFn: ({ signal }) => callApi('brokers.describe', { clusterId: ref, brokerId: id }, signal), refetchInterval: POLL_MS });
}

/** Sampled by the back end on its own interval; polling here only picks up new samples. */
export function useLagTrends(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.lagTrends(ref), queryFn: () => callApi('groups.lagTrends', { clusterId: ref }), refetchInterval: POLL_MS });
}

export function useLagHistory(ref: ClusterRef, group: string) {
  return useQuery({ queryKey: queryKeys.cluster.lagHistory(ref, group), queryFn: () => callApi('groups.lagHistory', { clusterId: ref, group }), refetchInterval: POLL_MS });
}

/** One cluster's changes, for the events timeline. */
export function useClusterAudit(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.audit(ref), queryFn: ({ signal }) => callApi('audit.list', { clusterId: ref, limit: 200 }, signal), refetchInterval: POLL_MS * 6 });
}

/** Every cluster's changes, for the audit log page. */
export function useAuditLog() {
  return useQuery({ queryKey: queryKeys.audit.all(), queryFn: ({ signal }) => callApi('audit.list', { limit: 2_000 }, signal), refetchInterval: POLL_MS * 2 });
}

/** The equivalent command of a destructive action, fetched when its confirmation opens. */
export function useCommandPreview(input: CallInput<'commands.preview'> | null) {
  return useQuery({
    queryKey: ['command-preview', input] as const,
    queryFn: ({ signal }) => callApi('commands.preview', input!, signal),
    enabled: input !== null,
    staleTime: 60_000,
    retry: false,
  });
}
