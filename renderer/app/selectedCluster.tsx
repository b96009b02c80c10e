import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';
import { EMBEDDED_CLUSTER_ID, type ClusterEntry, type ClusterRef } from '../../src/api/schemas/clusterRef';
import { useClusters } from './api/hooks';
import { readPreference, writePreference } from './storedPreference';

const STORAGE_KEY = 'samsa.selectedCluster';
/** Stored when the user chose no cluster, so the embedded default does not come back on reload. */
const NONE = 'none';

interface SelectedClusterValue {
  /** The chosen cluster if it is still listed; undefined while loading or when none is chosen. */
  readonly cluster: ClusterEntry | undefined;
  readonly select: (id: ClusterRef | null) => void;
}

const SelectedClusterContext = createContext<SelectedClusterValue | null>(null);

/**
 * Which cluster this window is looking at. It is view state, like a browser tab's URL, so it
 * lives in the renderer: two windows can look at two clusters, and every call that needs a
 * cluster takes its id explicitly. A new user looks at the embedded cluster, which the app
 * starts on first launch.
 */
export function SelectedClusterProvider({ children }: { children: ReactNode }) {
  const [selectedId, setSelectedId] = useState<string>(() => readPreference(STORAGE_KEY) ?? EMBEDDED_CLUSTER_ID);
  const { data: clusters } = useClusters();
  const select = useCallback((id: ClusterRef | null) => {
    setSelectedId(id ?? NONE);
    writePreference(STORAGE_KEY, id ?? NONE);
  }, []);
  const cluster = clusters?.find((candidate) => candidate.id === selectedId);
  const value = useMemo(() => ({ cluster, select }), [cluster, select]);
  return <SelectedClusterContext.Provider value={value}>{children}</SelectedClusterContext.Provider>;
}

export function useSelectedCluster(): SelectedClusterValue {
  const value = useContext(SelectedClusterContext);
  if (value === null) throw new Error('useSelectedCluster needs a SelectedClusterProvider above it');
  return value;
}
