import { z } from 'zod';
import { ClusterIdSchema, type Cluster, type ClusterId, type SecretsSaved } from './cluster';

/**
 * Which cluster a call is about: a saved connection's id, or the built-in embedded cluster.
 * Every page talks to a cluster through this one reference, so the embedded cluster and a
 * production cluster go through the same calls (architecture guide, "One path").
 */
export const EMBEDDED_CLUSTER_ID = 'embedded';

export const ClusterRefSchema = z.union([z.literal(EMBEDDED_CLUSTER_ID), ClusterIdSchema], {
  error: 'Not a cluster: give a saved cluster id or "embedded"',
});
export type ClusterRef = ClusterId | typeof EMBEDDED_CLUSTER_ID;

export const ClusterScopeSchema = z.strictObject({ clusterId: ClusterRefSchema });

export type EmbeddedState = 'stopped' | 'starting' | 'running' | 'stopping' | 'failed';

/** An entry of clusters.list: the embedded cluster first, then the saved connections. */
export type ClusterEntry =
  | ({ readonly kind: 'saved'; readonly secretsSaved: SecretsSaved } & Cluster)
  | {
      readonly kind: 'embedded';
      readonly id: typeof EMBEDDED_CLUSTER_ID;
      readonly name: string;
      /** Empty while the cluster is not running. */
      readonly bootstrapServers: readonly string[];
      readonly state: EmbeddedState;
    };

export function isEmbedded(ref: ClusterRef): ref is typeof EMBEDDED_CLUSTER_ID {
  return ref === EMBEDDED_CLUSTER_ID;
}
