import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CallInput } from '../../../src/api/contract';
import { EMBEDDED_CLUSTER_ID } from '../../../src/api/schemas/clusterRef';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/** Refetched on data.changed; the interval covers a lost event stream. */
const STATUS_POLL_MS = 5_000;

export function useEmbeddedStatus() {
  return useQuery({ queryKey: queryKeys.embedded.status(), queryFn: ({ signal }) => callApi('embedded.status', {}, signal), refetchInterval: STATUS_POLL_MS });
}

/** Everything that depends on the embedded cluster's lifecycle. */
function useInvalidateEmbedded() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: queryKeys.embedded.status() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() }),
      queryClient.invalidateQueries({ queryKey: queryKeys.cluster.all(EMBEDDED_CLUSTER_ID) }),
    ]);
}

export function useStartEmbedded() {
  const invalidate = useInvalidateEmbedded();
  return useMutation({ mutationFn: (input: CallInput<'embedded.start'>) => callApi('embedded.start', input), onSettled: invalidate });
}

export function useStopEmbedded() {
  const invalidate = useInvalidateEmbedded();
  return useMutation({ mutationFn: () => callApi('embedded.stop', {}), onSettled: invalidate });
}

export function useBrokerAction() {
  const invalidate = useInvalidateEmbedded();
  return useMutation({ mutationFn: (input: CallInput<'embedded.broker'>) => callApi('embedded.broker', input), onSettled: invalidate });
}
