import { useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { reassignmentConfirmation, type OngoingReassignmentRow } from '../../../src/api/schemas/reassignments';
import { useCancelReassignment, useReassignments } from '../api/operationHooks';
import { ClusterGate } from '../components/ClusterGate';
import { CommandBlock } from '../components/CommandBlock';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { TypedConfirm } from '../components/TypedConfirm';
import { formatLag, plural } from '../format';
import { topicHref } from '../routing';
import { ReassignmentWizard } from './ReassignmentWizard';

/**
 * The reassignment studio: what is moving now, how far each new replica has caught up, a
 * cancel for it, and the wizard for a new reassignment.
 */
function ProgressBar({ broker, lag, caughtUp }: { broker: number; lag: number | null; caughtUp: number | null }) {
  const percent = caughtUp === null ? null : Math.round(caughtUp * 100);
  const label = `Broker ${broker}: ${lag === null ? 'progress unknown' : lag === 0 ? 'caught up' : `${formatLag(lag)} offsets behind the leader`}`;
  return (
    <li className="progress" aria-label={label} title={label}>
      <span className="mono">{broker}</span>
      <span className="progress-bar" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent ?? undefined} aria-label={`Broker ${broker} caught up`}>
        <span className={percent === 100 ? 'progress-fill complete' : 'progress-fill'} style={{ width: `${percent ?? 0}%` }} />
      </span>
      <span className="muted nowrap">{lag === null ? 'unknown' : lag === 0 ? 'caught up' : `${formatLag(lag)} behind`}</span>
    </li>
  );
}

function Ongoing({ cluster }: { cluster: ClusterEntry }) {
  const list = useReassignments(cluster.id);
  const cancel = useCancelReassignment();
  const [cancelling, setCancelling] = useState<readonly OngoingReassignmentRow[] | null>(null);
  const [cancelled, setCancelled] = useState<string | null>(null);
  const rows = list.data?.partitions ?? [];
  return (
    <section className="panel" aria-labelledby="ongoing-title">
      <div className="panel-header">
        <h2 id="ongoing-title" className="panel-title">
          In progress
          {rows.length > 0 ? <span className="muted heading-note">{plural(rows.length, 'partition')} moving · refreshing every 2 s</span> : null}
        </h2>
        <div className="panel-tools">
          <DataAge updatedAt={list.dataUpdatedAt} fetching={list.isFetching} />
          {rows.length > 1 && cancelling === null ? (
            <button type="button" className="button button-danger-outline" onClick={() => setCancelling(rows)}>
              Cancel all…
            </button>
          ) : null}
        </div>
      </div>
      {list.isError ? (
        <div className="panel-body">
          <QueryError what="the running reassignments" error={list.error} onRetry={() => void list.refetch()} />
        </div>
      ) : null}
      {cancelling === null ? null : (
        <div className="panel-body">
          <TypedConfirm
            name={reassignmentConfirmation(cancelling)}
            action="Cancel the reassignment of"
            consequence={`${plural(cancelling.length, 'partition')} go back to their original replicas; replicas already copied to new brokers are deleted there.`}
            pending={cancel.isPending}
            error={cancel.isError ? cancel.error.message : null}
            onCancel={() => setCancelling(null)}
            onConfirm={(confirmation) =>
              cancel.mutate(
                { clusterId: cluster.id, partitions: cancelling.map((row) => ({ topic: row.topic, partition: row.partition, replicas: [...row.replicas] })), confirmation },
                {
                  onSuccess: (result) => {
                    setCancelling(null);
                    setCancelled(result.kafkaCommand);
                  },
                },
              )
            }
          />
        </div>
      )}
      {cancelled === null ? null : (
        <div className="panel-body">
          <p className="notice" role="status">
            Reassignment cancelled: the partitions are back on their original replicas.
          </p>
          <CommandBlock command={cancelled} />
        </div>
      )}
      {list.data?.progressUnavailable ? <p className="panel-footnote muted">Some progress is unknown: {list.data.progressUnavailable}</p> : null}
      {list.data === undefined ? (
        list.isPending ? (
          <p className="empty-inline" role="status">
            Reading reassignments…
          </p>
        ) : null
      ) : rows.length === 0 ? (
        <p className="empty-inline">No reassignment is running on {cluster.name}.</p>
      ) : (
        <div className="table-wrap">
          <table className="table table-compact" aria-label="Reassignments in progress">
            <thead>
              <tr>
                <th scope="col">Topic</th>
                <th scope="col" className="numeric">
                  Partition
                </th>
                <th scope="col">Replicas</th>
                <th scope="col">Adding</th>
                <th scope="col">Removing</th>
                <th scope="col">Progress of new replicas</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr key={`${row.topic}-${row.partition}`} aria-label={`${row.topic} partition ${row.partition}`}>
                  <th scope="row" className="name-cell">
                    <a className="row-link" href={topicHref(row.topic)}>
                      {row.topic}
                    </a>
                  </th>
                  <td className="numeric">{row.partition}</td>
                  <td className="mono">{row.replicas.join(', ')}</td>
                  <td className="mono replica-added" aria-label="Adding">
                    {row.addingReplicas.join(', ') || <span className="muted">—</span>}
                  </td>
                  <td className="mono" aria-label="Removing">
                    {row.removingReplicas.join(', ') || <span className="muted">—</span>}
                  </td>
                  <td>
                    {row.progress.length === 0 ? (
                      <span className="muted">no replica to copy</span>
                    ) : (
                      <ul className="progress-list">
                        {row.progress.map((entry) => (
                          <ProgressBar key={entry.broker} {...entry} />
                        ))}
                      </ul>
                    )}
                  </td>
                  <td className="row-actions">
                    <button type="button" className="button button-quiet" disabled={cancelling !== null} onClick={() => setCancelling([row])}>
                      Cancel…
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function Reassignments({ cluster }: { cluster: ClusterEntry }) {
  const [creating, setCreating] = useState(false);
  return (
    <div className="stack">
      <Ongoing cluster={cluster} />
      {creating ? (
        <ReassignmentWizard cluster={cluster} onClose={() => setCreating(false)} />
      ) : (
        <div className="row-actions start">
          <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
            New reassignment…
          </button>
        </div>
      )}
    </div>
  );
}

export function ReassignmentsPage() {
  return (
    <ClusterGate icon="reassignments" subject="its reassignments">
      {(cluster) => <Reassignments cluster={cluster} />}
    </ClusterGate>
  );
}
