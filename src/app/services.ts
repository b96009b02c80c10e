import { AuditLog } from '../admin/auditLog';
import { totalLagOfGroups } from '../admin/groupLag';
import { minInsyncReplicasByTopic } from '../admin/minInsyncReplicas';
import { createDispatcher, type Dispatch } from '../api/dispatcher';
import { ApiError } from '../api/envelope';
import { EventBus } from '../api/eventBus';
import { handlers } from '../api/handlers/index';
import type { ApiContext } from '../api/handlers/types';
import type { AppMode } from '../api/schemas/app';
import { isEmbedded, type ClusterRef } from '../api/schemas/clusterRef';
import { createLogger } from '../logging/logger';
import { AdminSessionPool, type SettingsResolver } from './adminSessions';
import { BrokerRoster } from './brokerRoster';
import { ClusterStore } from './clusterStore';
import { DataChanges } from './dataChanges';
import { connectionOf } from './clusterConnection';
import { EmbeddedCluster } from './embeddedCluster';
import { LabRuns } from './labRuns';
import { LagSampler } from './lagSampler';
import { sessionLagSource } from './lagSource';
import { MinIsrCache } from './minIsrCache';
import { SharedGroupLag } from './sharedGroupLag';
import { userOnlyFileSecretStore, type SecretStore } from './secretStore';

/** Set to 1 to keep the app from starting the embedded cluster at launch (tests, CI, scripts). */
export const NO_EMBEDDED_AUTOSTART_ENV = 'SAMSA_NO_EMBEDDED_AUTOSTART';

export interface AppOptions {
  readonly mode: AppMode;
  readonly version: string;
  readonly dataDir: string;
  /** Where unexpected failures are reported; stderr in the CLI, the console in Electron. */
  readonly log: (message: string) => void;
  /**
   * Start the embedded cluster at launch unless the user stopped it last time. Defaults to
   * true, or false when SAMSA_NO_EMBEDDED_AUTOSTART=1.
   */
  readonly embeddedAutoStart?: boolean;
  /**
   * Where saved clusters' passwords go. The desktop app passes its safeStorage store
   * (main/safeStorageSecrets.ts); browser mode defaults to a user-only file in the data dir.
   */
  readonly secrets?: SecretStore;
}

export interface AppBackend {
  readonly context: ApiContext;
  readonly dispatch: Dispatch;
  /** Closes admin sessions and shuts the embedded cluster down; call before the process exits. */
  close(): Promise<void>;
}

/** Wires the back end both transports serve: the stores, the event bus and the dispatcher. */
export function createBackend(options: AppOptions): AppBackend {
  const events = new EventBus((error) => options.log(`event listener failed: ${describe(error)}`));
  const clusters = new ClusterStore(options.dataDir);
  // Committed or end offsets changed through the app (an offset reset, records produced or
  // deleted, a topic deleted): lag read before the change is wrong, not just old.
  const dataChanges = new DataChanges(events, (ref, resources) => {
    if (resources.includes('groups')) groupLag.forget(ref);
  });
  const roster = new BrokerRoster();
  const secrets = options.secrets ?? userOnlyFileSecretStore(options.dataDir);
  const audit = new AuditLog(options.dataDir);

  const resolveSettings: SettingsResolver = async (ref) => {
    if (isEmbedded(ref)) {
      const servers = embedded.bootstrapServers;
      if (servers.length === 0) throw new ApiError('cluster-unavailable', `The embedded cluster is ${embedded.state}: start it on the Clusters page.`);
      return { bootstrapServers: servers, securityProtocol: 'PLAINTEXT' };
    }
    const saved = (await clusters.list()).find((cluster) => cluster.id === ref);
    if (saved === undefined) throw new ApiError('not-found', `No saved cluster has id ${ref}; it may have been removed in another window.`);
    return connectionOf(saved, await secrets.get(saved.id));
  };
  const sessions = new AdminSessionPool(resolveSettings, audit);
  audit.onAppend((entry) => {
    if (entry.clusterId !== undefined) dataChanges.mark(entry.clusterId as ClusterRef, ['audit']);
  });
  // Lag of many groups and configs of every topic grow with the cluster: read on the bulk
  // lane, so the pages' rows never wait behind them at a broker.
  const groupLag = new SharedGroupLag((ref, groups) => sessions.use(ref, (session) => totalLagOfGroups(session.bulk, [...groups])));
  const lagSampler = new LagSampler(sessionLagSource(sessions, groupLag), { log: options.log });
  const minIsr = new MinIsrCache((ref, topics) => sessions.use(ref, (session) => minInsyncReplicasByTopic(session.bulk, [...topics])));

  const embedded = new EmbeddedCluster({
    appDataDir: options.dataDir,
    log: createLogger('embedded'),
    onEvent: (event) => {
      events.emit('cluster.event', { clusterId: 'embedded', event });
      const processChange = event.type === 'broker-state' || event.type === 'broker-fault';
      dataChanges.mark('embedded', processChange ? ['embedded', 'overview', 'brokers', 'topics', 'events'] : ['overview', 'brokers', 'topics', 'events']);
    },
    onStateChange: (state) => {
      if (state === 'stopped' || state === 'failed') {
        void sessions.close('embedded');
        minIsr.forget('embedded');
        groupLag.forget('embedded');
        roster.forget('embedded');
      }
      dataChanges.mark('embedded', ['clusters', 'embedded', 'overview', 'brokers', 'topics', 'groups', 'events']);
    },
  });

  const lab = new LabRuns({ embedded, events, log: createLogger('lab') });

  const context: ApiContext = {
    info: {
      name: 'Samsa',
      version: options.version,
      mode: options.mode,
      platform: process.platform,
      dataDir: options.dataDir,
      secretStorage: secrets.info,
    },
    clusters,
    events,
    embedded,
    lab,
    sessions,
    roster,
    dataChanges,
    secrets,
    lagSampler,
    groupLag,
    minIsr,
    audit,
  };
  const dispatch = createDispatcher(handlers, context, (method, error) => options.log(`${method} failed: ${describe(error)}`));

  const autoStart = options.embeddedAutoStart ?? process.env[NO_EMBEDDED_AUTOSTART_ENV] !== '1';
  if (autoStart) {
    embedded.autoStart().catch((error: unknown) => options.log(`the embedded cluster did not start: ${describe(error)}`));
  }

  return {
    context,
    dispatch,
    close: async () => {
      // A run in progress heals the cluster and deletes its topics before the cluster stops.
      await lab.close();
      lagSampler.close();
      await sessions.closeAll();
      await embedded.stop(false);
    },
  };
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}
