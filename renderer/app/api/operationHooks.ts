import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/**
 * The operational wizards' calls: offset resets and reassignments. Plans and previews are
 * mutations (asked for on demand, never polled); changes invalidate the cluster's data.
 */
const RUNNING_POLL_MS = 2_000;
const IDLE_POLL_MS = 10_000;

export function useResetOffsets() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CallInput<'groups.resetOffsets'>) => callApi('groups.resetOffsets', input),
    onSuccess: (result, input) => (result.executed ? queryClient.invalidateQueries({ queryKey: queryKeys.cluster.resource(input.clusterId, 'groups') }) : undefined),
  });
}

/** Polls quickly while anything is moving, so progress bars advance on their own. */
export function useReassignments(ref: ClusterRef) {
  return useQuery({
    queryKey: queryKeys.cluster.reassignments(ref),
    queryFn: ({ signal }) => callApi('reassignments.list', { clusterId: ref }, signal),
    refetchInterval: (query) => ((query.state.data?.partitions.length ?? 0) > 0 ? RUNNING_POLL_MS : IDLE_POLL_MS),
  });
}

export function useProposeReassignment() {
  return useMutation({ mutationFn: (input: CallInput<'reassignments.propose'>) => callApi('reassignments.propose', input) });
}

export function useParseReassignment() {
  return useMutation({ mutationFn: (input: CallInput<'reassignments.parse'>) => callApi('reassignments.parse', input) });
}

export function usePreviewReassignment() {
  return useMutation({ mutationFn: (input: CallInput<'reassignments.preview'>) => callApi('reassignments.preview', input) });
}

/** Verification of a started plan, polled until every partition is complete. */
export function useVerifyReassignment(input: CallInput<'reassignments.verify'> | null) {
  return useQuery({
    queryKey: [...queryKeys.cluster.reassignments(input?.clusterId ?? 'embedded'), 'verify', input?.partitions ?? []],
    queryFn: ({ signal }) => callApi('reassignments.verify', input!, signal),
    enabled: input !== null,
    refetchInterval: (query) => (query.state.data !== undefined && query.state.data.partitions.every((row) => row.status === 'complete') ? false : RUNNING_POLL_MS),
  });
}

function useInvalidateCluster() {
  const queryClient = useQueryClient();
  return (clusterId: ClusterRef) => queryClient.invalidateQueries({ queryKey: queryKeys.cluster.all(clusterId) });
}

export function useExecuteReassignment() {
  const invalidate = useInvalidateCluster();
  return useMutation({ mutationFn: (input: CallInput<'reassignments.execute'>) => callApi('reassignments.execute', input), onSettled: (_result, _error, input) => invalidate(input.clusterId) });
}

export function useCancelReassignment() {
  const invalidate = useInvalidateCluster();
  return useMutation({ mutationFn: (input: CallInput<'reassignments.cancel'>) => callApi('reassignments.cancel', input), onSettled: (_result, _error, input) => invalidate(input.clusterId) });
}

export function useElectPreferred() {
  const invalidate = useInvalidateCluster();
  return useMutation({ mutationFn: (input: CallInput<'leaders.electPreferred'>) => callApi('leaders.electPreferred', input), onSettled: (_result, _error, input) => invalidate(input.clusterId) });
}
