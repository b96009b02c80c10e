import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { CallInput } from '../../../src/api/contract';
import type { ClusterRef } from '../../../src/api/schemas/clusterRef';
import type { MessageRow, MessageStart } from '../../../src/api/schemas/topicData';
import { callApi } from './client';
import { queryKeys } from './queryKeys';

/**
 * A topic's messages and the changes of its detail page. A browse is an infinite query whose
 * next page starts where the last one stopped; it is never polled, since the user chose the
 * position. The live tail is a loop of bounded reads that stops with the component.
 */
export interface BrowseRequest {
  readonly partition: number | null;
  readonly start: MessageStart;
  readonly pageSize: number;
  /** Changes with every click on Read, so reading the same position again reads it anew. */
  readonly readId: number;
}

export function useMessagePages(ref: ClusterRef, topic: string, request: BrowseRequest | null) {
  return useInfiniteQuery({
    queryKey: queryKeys.cluster.messages(ref, topic, request),
    enabled: request !== null,
    initialPageParam: request?.start ?? ({ kind: 'earliest' } as MessageStart),
    queryFn: ({ pageParam, signal }) => callApi('messages.read', { clusterId: ref, topic, partition: request!.partition, start: pageParam, limit: request!.pageSize, waitMs: 0 }, signal),
    getNextPageParam: (page): MessageStart => ({ kind: 'positions', offsets: { ...page.nextOffsets } }),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
}

/** Newest messages kept by a tail; older ones drop off so a busy topic cannot fill memory. */
export const TAIL_BUFFER = 1_000;
const TAIL_WAIT_MS = 2_000;
const TAIL_BATCH = 200;
const TAIL_RETRY_MS = 3_000;
const EMPTY_TAIL = { messages: [], dropped: 0 };

export interface LiveTail {
  /** Newest first. */
  readonly messages: readonly MessageRow[];
  readonly error: Error | null;
  /** Messages that arrived but dropped off the buffer. */
  readonly dropped: number;
  readonly clear: () => void;
}

/**
 * Follows a topic from its end: each read waits at the broker (a long poll, bounded by
 * TAIL_WAIT_MS) and the next continues from where it stopped. Pausing stops asking but keeps
 * the position, so resuming shows what arrived meanwhile; leaving the page ends the loop.
 */
export function useLiveTail(ref: ClusterRef, topic: string, partition: number | null, running: boolean): LiveTail {
  const [buffer, setBuffer] = useState<{ messages: readonly MessageRow[]; dropped: number }>(EMPTY_TAIL);
  const [error, setError] = useState<Error | null>(null);
  const position = useRef<MessageStart>({ kind: 'latest' });

  // A new topic or partition starts a new tail from the end.
  useEffect(() => {
    position.current = { kind: 'latest' };
    setBuffer(EMPTY_TAIL);
  }, [ref, topic, partition]);

  useEffect(() => {
    if (!running) return;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const loop = async () => {
      while (!stopped) {
        try {
          const page = await callApi('messages.read', { clusterId: ref, topic, partition, start: position.current, limit: TAIL_BATCH, waitMs: TAIL_WAIT_MS });
          if (stopped) return;
          position.current = { kind: 'positions', offsets: { ...page.nextOffsets } };
          setError(null);
          if (page.messages.length > 0) {
            const arrived = [...page.messages].sort((a, b) => b.timestamp - a.timestamp || b.offset - a.offset);
            setBuffer((current) => {
              const next = [...arrived, ...current.messages];
              return { messages: next.slice(0, TAIL_BUFFER), dropped: current.dropped + Math.max(0, next.length - TAIL_BUFFER) };
            });
          }
        } catch (failure) {
          if (stopped) return;
          setError(failure as Error);
          await new Promise((resolve) => (retry = setTimeout(resolve, TAIL_RETRY_MS)));
        }
      }
    };
    void loop();
    return () => {
      stopped = true;
      clearTimeout(retry);
    };
  }, [ref, topic, partition, running]);

  return { messages: buffer.messages, dropped: buffer.dropped, error, clear: () => setBuffer(EMPTY_TAIL) };
}

/** Refreshes what a topic change affects: the topic's detail and list, and the cluster's health. */
function useInvalidateTopic() {
  const queryClient = useQueryClient();
  return (ref: ClusterRef) => queryClient.invalidateQueries({ queryKey: queryKeys.cluster.resource(ref, 'topics') });
}

export function useProduceMessage() {
  const invalidate = useInvalidateTopic();
  return useMutation({ mutationFn: (input: CallInput<'messages.produce'>) => callApi('messages.produce', input), onSuccess: (_result, input) => invalidate(input.clusterId) });
}

export function useAlterTopicConfigs() {
  const invalidate = useInvalidateTopic();
  return useMutation({
    mutationFn: (input: CallInput<'topics.alterConfigs'>) => callApi('topics.alterConfigs', input),
    onSuccess: (result, input) => (result.applied ? invalidate(input.clusterId) : undefined),
  });
}

export function useAddPartitions() {
  const invalidate = useInvalidateTopic();
  return useMutation({ mutationFn: (input: CallInput<'topics.addPartitions'>) => callApi('topics.addPartitions', input), onSuccess: (_result, input) => invalidate(input.clusterId) });
}

export function useDeleteRecords() {
  const invalidate = useInvalidateTopic();
  return useMutation({ mutationFn: (input: CallInput<'topics.deleteRecords'>) => callApi('topics.deleteRecords', input), onSuccess: (_result, input) => invalidate(input.clusterId) });
}

/** The Kafka command of a change being confirmed; null while the change is not valid yet. */
export function useChangeCommand(ref: ClusterRef, change: CallInput<'topics.previewCommand'>['change'] | null) {
  return useQuery({
    queryKey: queryKeys.cluster.command(ref, change),
    queryFn: ({ signal }) => callApi('topics.previewCommand', { clusterId: ref, change: change! }, signal),
    enabled: change !== null,
    staleTime: Infinity,
  });
}
