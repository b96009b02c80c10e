import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ClusterHost } from '../engine/cluster/clusterHost';
import type { Logger } from '../logging/logger';
import { hostLabCluster, type LabCluster } from './labCluster';

/**
 * A throwaway 3-broker cluster for one lab run, in a temporary directory that is removed
 * afterwards. Its timeouts are short so faults play out in seconds: a follower leaves the
 * ISR after 3 s behind, an unreachable broker is fenced after 3 s, and a killed consumer's
 * partitions move after its 3 s session. Brokers are separate processes started from this
 * program (`internal-broker`), so this works from the CLI bundle and the app.
 */
export const LAB_CLUSTER_BROKERS = 3;
export const LAB_REPLICA_LAG_TIME_MAX_MS = 3000;
export const LAB_BROKER_SESSION_TIMEOUT_MS = 3000;
/** The consumer session timeout lab runs use on this cluster (its group.min.session.timeout.ms allows it). */
export const LAB_CONSUMER_SESSION_TIMEOUT_MS = 3000;

export interface EmbeddedLabCluster extends LabCluster {
  close(): Promise<void>;
}

export async function startEmbeddedLabCluster(log: Logger): Promise<EmbeddedLabCluster> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samsa-lab-cluster-'));
  const host = new ClusterHost(
    {
      brokers: LAB_CLUSTER_BROKERS,
      dataDir,
      port: 0,
      brokerSessionTimeoutMs: LAB_BROKER_SESSION_TIMEOUT_MS,
      brokerOverrides: {
        replicaLagTimeMaxMs: LAB_REPLICA_LAG_TIME_MAX_MS,
        groupInitialRebalanceDelayMs: 0,
        groupMinSessionTimeoutMs: 1000,
        defaultReplicationFactor: LAB_CLUSTER_BROKERS,
      },
    },
    log,
  );
  const close = async () => {
    await host.shutdown().catch((error: unknown) => log.warn(`lab cluster shutdown: ${String(error)}`));
    rmSync(dataDir, { recursive: true, force: true });
  };
  try {
    await host.start();
  } catch (error) {
    await close();
    throw error;
  }
  return { ...hostLabCluster(host), close };
}
