import type { ApiContext } from '../api/handlers/types';
import { isEmbedded, type ClusterRef } from '../api/schemas/clusterRef';
import type { MetadataResponse } from '../protocol/generated/metadataResponse';
import type { KnownBroker } from './brokerRoster';

/**
 * Which brokers are up (listed by the cluster) and which are down (known but not listed).
 * For the embedded cluster the app knows every configured broker, so one that never came
 * up is reported too.
 */
export function brokerPresence(context: Pick<ApiContext, 'roster' | 'embedded'>, ref: ClusterRef, metadata: MetadataResponse): { live: KnownBroker[]; down: KnownBroker[] } {
  if (isEmbedded(ref)) {
    context.roster.remember(
      ref,
      context.embedded.status().brokers.map((broker) => ({ id: broker.brokerId, host: broker.host, port: broker.port, rack: null })),
    );
  }
  const live = metadata.brokers.map((broker) => ({ id: broker.nodeId, host: broker.host, port: broker.port, rack: broker.rack })).sort((a, b) => a.id - b.id);
  return { live, down: context.roster.observe(ref, live) };
}
