import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { CallResult } from '../../../src/api/contract';
import type { TimelineEvent } from '../../../src/api/schemas/embedded';
import { applyLabUpdate } from '../labProgress';
import { appendEvents } from '../timeline';
import { subscribeToEvent } from './client';
import { queryKeys } from './queryKeys';

function appendToCache(queryClient: QueryClient, event: TimelineEvent, clusterId: Parameters<typeof queryKeys.cluster.events>[0]): void {
  queryClient.setQueryData<CallResult<'cluster.events'>>(queryKeys.cluster.events(clusterId), (current) =>
    current === undefined ? current : { ...current, events: appendEvents(current.events, [event]) },
  );
}

/**
 * Keeps the cache in step with the back end: saved clusters changed in another window, data
 * of a cluster changed (refetch just those resources), and embedded cluster events and lab
 * run progress, which go straight into the cache so they update without a round trip.
 */
export function useLiveUpdates(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    const unsubscribers = [
      subscribeToEvent('clusters.changed', () => void queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() })),
      subscribeToEvent('cluster.event', ({ clusterId, event }) => appendToCache(queryClient, event, clusterId)),
      subscribeToEvent('lab.run', (update) => {
        const current = queryClient.getQueryData<CallResult<'lab.status'>>(queryKeys.lab.latest());
        const next = current === undefined || current === null ? null : applyLabUpdate(current, update);
        if (next === null) void queryClient.invalidateQueries({ queryKey: queryKeys.lab.latest() });
        else queryClient.setQueryData(queryKeys.lab.latest(), next);
      }),
      subscribeToEvent('data.changed', ({ clusterId, resources }) => {
        for (const resource of resources) {
          switch (resource) {
            case 'clusters':
              void queryClient.invalidateQueries({ queryKey: queryKeys.clusters.all() });
              break;
            case 'embedded':
              void queryClient.invalidateQueries({ queryKey: queryKeys.embedded.status() });
              break;
            case 'events':
              // Pushed one by one above; a refetch would only repeat them.
              break;
            case 'audit':
              void queryClient.invalidateQueries({ queryKey: queryKeys.audit.all() });
              void queryClient.invalidateQueries({ queryKey: queryKeys.cluster.audit(clusterId) });
              break;
            default:
              void queryClient.invalidateQueries({ queryKey: queryKeys.cluster.resource(clusterId, resource) });
          }
        }
      }),
    ];
    return () => unsubscribers.forEach((unsubscribe) => unsubscribe());
  }, [queryClient]);
}
