import { useState } from 'react';
import type { SecuritySettings } from '../../../src/api/schemas/cluster';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useClustersSuspense, useRemoveCluster } from '../api/hooks';
import { useSelectedCluster } from '../selectedCluster';
import { ClusterForm } from './ClusterForm';
import { EmbeddedClusterPanel } from './EmbeddedClusterPanel';

function describeSecurity(security: SecuritySettings): string {
  switch (security.protocol) {
    case 'PLAINTEXT':
    case 'SSL':
      return security.protocol;
    case 'SASL_PLAINTEXT':
    case 'SASL_SSL':
      return `${security.protocol} · ${security.sasl.mechanism} as ${security.sasl.username}`;
  }
}

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

type SavedCluster = Extract<ClusterEntry, { kind: 'saved' }>;

function describeSecrets(cluster: SavedCluster): string | null {
  const saved = [cluster.secretsSaved.saslPassword ? 'password' : null, cluster.secretsSaved.tlsKeyPassphrase ? 'key passphrase' : null].filter(Boolean);
  return saved.length === 0 ? null : `${saved.join(' and ')} saved`;
}

function ClusterRow({ cluster, active, onEdit }: { cluster: SavedCluster; active: boolean; onEdit: () => void }) {
  const { select } = useSelectedCluster();
  const remove = useRemoveCluster();
  const [confirming, setConfirming] = useState(false);
  return (
    <tr aria-current={active ? 'true' : undefined}>
      <th scope="row" className="nowrap">
        {cluster.name}
        {active ? <span className="badge">Active</span> : null}
      </th>
      <td>
        <ul className="server-list mono" aria-label={`Bootstrap servers of ${cluster.name}`}>
          {cluster.bootstrapServers.map((server) => (
            <li key={server}>{server}</li>
          ))}
        </ul>
      </td>
      <td>
        {describeSecurity(cluster.security)}
        {describeSecrets(cluster) ? <span className="muted"> · {describeSecrets(cluster)}</span> : null}
      </td>
      <td className="muted nowrap">
        <time dateTime={cluster.createdAt} title={dateTimeFormat.format(new Date(cluster.createdAt))}>
          {dateFormat.format(new Date(cluster.createdAt))}
        </time>
      </td>
      <td>
        <div className="row-actions">
        {remove.isError ? (
          <span className="inline-error" role="alert">
            {remove.error.message}
          </span>
        ) : null}
        {confirming ? (
          <>
            <button
              type="button"
              className="button button-danger"
              disabled={remove.isPending}
              onClick={() =>
                remove.mutate(
                  { id: cluster.id },
                  {
                    onSuccess: () => {
                      if (active) select(null);
                    },
                  },
                )
              }
            >
              Remove {cluster.name}
            </button>
            <button type="button" className="button" onClick={() => setConfirming(false)}>
              Keep
            </button>
          </>
        ) : (
          <>
            {active ? null : (
              <button type="button" className="button" onClick={() => select(cluster.id)} aria-label={`Use ${cluster.name}`}>
                Use
              </button>
            )}
            <button type="button" className="button" onClick={onEdit} aria-label={`Edit ${cluster.name}`}>
              Edit
            </button>
            <button type="button" className="button" onClick={() => setConfirming(true)} aria-label={`Remove ${cluster.name}…`}>
              Remove…
            </button>
          </>
        )}
        </div>
      </td>
    </tr>
  );
}

export function ClustersPage() {
  const { data: entries } = useClustersSuspense();
  const clusters = entries.flatMap((entry) => (entry.kind === 'saved' ? [entry] : []));
  const { cluster: active, select } = useSelectedCluster();
  const [editingId, setEditingId] = useState<string | null>(null);
  const editing = clusters.find((cluster) => cluster.id === editingId);
  return (
    <div className="page-grid">
      <div className="stack">
      <EmbeddedClusterPanel />
      <section className="panel" aria-labelledby="saved-clusters-title">
        <div className="panel-header">
          <h2 id="saved-clusters-title" className="panel-title">
            Saved connections
          </h2>
          <span className="muted">{clusters.length === 1 ? '1 cluster' : `${clusters.length} clusters`}</span>
        </div>
        {clusters.length === 0 ? (
          <div className="empty-inline" role="status">
            <p>
              <strong>No clusters saved yet.</strong> Add one with its bootstrap servers to start.
            </p>
          </div>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Bootstrap servers</th>
                  <th scope="col">Security</th>
                  <th scope="col">Added</th>
                  <th scope="col">
                    <span className="visually-hidden">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {clusters.map((cluster) => (
                  <ClusterRow key={cluster.id} cluster={cluster} active={cluster.id === active?.id} onEdit={() => setEditingId(cluster.id)} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>
      </div>
      <section className="panel">
        {editing === undefined ? (
          <ClusterForm
            onSaved={(cluster) => {
              // The first cluster saved becomes the active one; later ones leave the choice alone.
              if (active === undefined || active.kind === 'embedded') select(cluster.id);
            }}
          />
        ) : (
          <ClusterForm key={editing.id} cluster={editing} onSaved={() => setEditingId(null)} onCancel={() => setEditingId(null)} />
        )}
      </section>
    </div>
  );
}
