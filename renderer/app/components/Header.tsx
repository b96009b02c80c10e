import { useClusters } from '../api/hooks';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useSelectedCluster } from '../selectedCluster';
import { useTheme } from '../theme';
import { Icon } from './Icon';

function optionLabel(entry: ClusterEntry): string {
  return entry.kind === 'embedded' ? `${entry.name} (${entry.state})` : entry.name;
}

function ClusterSwitcher() {
  const { data: clusters, isError, error } = useClusters();
  const { cluster, select } = useSelectedCluster();

  if (isError) {
    return (
      // The page below shows the full reason with a retry; the header only flags it.
      <span className="switcher-status" role="status" title={error.message}>
        Saved clusters unavailable
      </span>
    );
  }
  return (
    <label className="switcher">
      <span className="switcher-label">Cluster</span>
      <select
        aria-label="Active cluster"
        value={cluster?.id ?? ''}
        disabled={clusters === undefined}
        onChange={(event) => select(event.target.value === '' ? null : event.target.value)}
      >
        <option value="">{clusters === undefined ? 'Loading…' : 'Choose a cluster'}</option>
        {clusters?.map((candidate) => (
          <option key={candidate.id} value={candidate.id}>
            {optionLabel(candidate)}
          </option>
        ))}
      </select>
    </label>
  );
}

function ThemeToggle() {
  const { theme, toggle } = useTheme();
  const next = theme === 'dark' ? 'light' : 'dark';
  return (
    <button type="button" className="button button-icon" onClick={toggle} aria-label={`Switch to ${next} theme`} title={`Switch to ${next} theme`}>
      <Icon name={theme === 'dark' ? 'sun' : 'moon'} />
    </button>
  );
}

export function Header({ title, onOpenPalette }: { title: string; onOpenPalette: () => void }) {
  return (
    <header className="topbar">
      <h1 className="page-title" title={title}>
        {title}
      </h1>
      <div className="topbar-actions">
        <button type="button" className="button palette-button" onClick={onOpenPalette} aria-keyshortcuts="Control+K Meta+K">
          Go to…
          <kbd>Ctrl K</kbd>
        </button>
        <ClusterSwitcher />
        <ThemeToggle />
      </div>
    </header>
  );
}
