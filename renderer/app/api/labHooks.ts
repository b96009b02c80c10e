import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/** While a run goes, pushed lab.run events keep the status current; this covers a lost event stream. */
const RUNNING_POLL_MS = 3_000;

export function useLabPresets() {
  return useQuery({ queryKey: queryKeys.lab.presets(), queryFn: ({ signal }) => callApi('lab.presets', {}, signal), staleTime: Infinity });
}

export function useLatestLabRun() {
  return useQuery({
    queryKey: queryKeys.lab.latest(),
    queryFn: ({ signal }) => callApi('lab.status', {}, signal),
    refetchInterval: (query) => {
      const state = query.state.data?.state;
      return state === 'running' || state === 'cancelling' ? RUNNING_POLL_MS : false;
    },
  });
}

export function useStartLab() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'lab.start'>) => callApi('lab.start', input),
    onSuccess: (status) => queryClient.setQueryData(queryKeys.lab.latest(), status),
  });
}

export function useCancelLab() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (runId: string) => callApi('lab.cancel', { runId }),
    onSuccess: (status) => queryClient.setQueryData(queryKeys.lab.latest(), status),
  });
}
