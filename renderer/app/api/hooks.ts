import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

export function useAppInfo() {
  return useQuery({ queryKey: queryKeys.app.info(), queryFn: ({ signal }) => callApi('app.info', {}, signal), staleTime: Infinity });
}

/** For the Clusters page: suspends while loading and lets the page's error boundary show failures. */
export function useClustersSuspense() {
  return useSuspenseQuery({ queryKey: queryKeys.clusters.list(), queryFn: ({ signal }) => callApi('clusters.list', {}, signal) });
}

/** For chrome around the pages (the header's switcher), which handles its own loading and errors. */
export function useClusters() {
  return useQuery({ queryKey: queryKeys.clusters.list(), queryFn: ({ signal }) => callApi('clusters.list', {}, signal) });
}

export function useAddCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'clusters.add'>) => callApi('clusters.add', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() }),
  });
}

export function useRemoveCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'clusters.remove'>) => callApi('clusters.remove', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() }),
  });
}

export function useUpdateCluster() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'clusters.update'>) => callApi('clusters.update', input),
    onSuccess: (_result, input) =>
      Promise.all([queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() }), queryClient.invalidateQueries({ queryKey: queryKeys.cluster.all(input.id) })]),
  });
}

/** Connects with unsaved settings; nothing is cached, each click tries again. */
export function useTestConnection() {
  return useMutation({ mutationFn: (input: CallInput<'clusters.test'>) => callApi('clusters.test', input) });
}
