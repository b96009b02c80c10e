import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/**
 * Reads of one cluster's data. Each polls (so a cluster changed by someone else shows up) and
 * is also refetched at once when the back end hints that its resource changed. Failures are
 * retried once by the client's defaults and then shown inline by the page.
 */
const POLL_MS = 5_000;

export function useOverview(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.overview(ref), queryFn: () => callApi('cluster.overview', { clusterId: ref }), refetchInterval: POLL_MS });
}

export function useClusterEvents(ref: ClusterRef) {
  // Pushed events are appended to this query's data (liveUpdates.ts); polling only catches gaps.
  return useQuery({ queryKey: queryKeys.cluster.events(ref), queryFn: () => callApi('cluster.events', { clusterId: ref }), refetchInterval: POLL_MS * 6 });
}

export function useBrokers(ref: ClusterRef) {
  return useQuery({ queryKey: queryKeys.cluster.brokers(ref), queryFn: () => callApi('brokers.list', { clusterId: ref }), refetchInterval: POLL_MS });
}

export function useTopics(ref: ClusterRef | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.cluster.topics(ref ?? 'embedded'),
    queryFn: () => callApi('topics.list', { clusterId: ref! }),
    refetchInterval: POLL_MS,
    enabled: ref !== undefined && (options.enabled ?? true),
    placeholderData: keepPreviousData,
  });
}

export function useTopic(ref: ClusterRef, topic: string) {
  return useQuery({ queryKey: queryKeys.cluster.topic(ref, topic), queryFn: () => callApi('topics.describe', { clusterId: ref, topic }), refetchInterval: POLL_MS });
}

export function useGroups(ref: ClusterRef | undefined, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: queryKeys.cluster.groups(ref ?? 'embedded'),
    queryFn: () => callApi('groups.list', { clusterId: ref! }),
    refetchInterval: POLL_MS,
    enabled: ref !== undefined && (options.enabled ?? true),
  });
}

export function useGroup(ref: ClusterRef, group: string) {
  return useQuery({ queryKey: queryKeys.cluster.group(ref, group), queryFn: () => callApi('groups.describe', { clusterId: ref, group }), refetchInterval: POLL_MS });
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
