import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useGroups } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatCount, formatLag } from '../format';
import { groupHref } from '../routing';

function Groups({ cluster }: { cluster: ClusterEntry }) {
  const groups = useGroups(cluster.id);
  const data = groups.data;
  const partial = data !== undefined && data.lagUnavailable === null && data.lagChecked < data.groups.length;
  return (
    <section className="panel" aria-labelledby="groups-title">
      <div className="panel-header">
        <h2 id="groups-title" className="panel-title">
          Consumer groups of {cluster.name}
          {data === undefined ? null : <span className="muted heading-note">{formatCount(data.groups.length)}</span>}
        </h2>
        <DataAge updatedAt={groups.dataUpdatedAt} fetching={groups.isFetching} />
      </div>
      {groups.isError ? (
        <div className="panel-body">
          <QueryError what={`the consumer groups of ${cluster.name}`} error={groups.error} onRetry={() => void groups.refetch()} />
        </div>
      ) : null}
      {data?.lagUnavailable ? <p className="panel-footnote muted">Lag is unknown: {data.lagUnavailable}</p> : null}
      {partial ? <p className="panel-footnote muted">Lag is computed for the first {data.lagChecked} groups by name; open a group to see its lag.</p> : null}
      {data === undefined ? (
        groups.isPending ? (
          <p className="empty-inline" role="status">
            Reading the consumer groups…
          </p>
        ) : null
      ) : data.groups.length === 0 ? (
        <p className="empty-inline" role="status">
          No consumer groups yet. A group appears once a consumer with a group.id joins or commits offsets.
        </p>
      ) : (
        <div className="table-wrap">
          <table className="table" aria-label="Consumer groups">
            <thead>
              <tr>
                <th scope="col">Group</th>
                <th scope="col">State</th>
                <th scope="col">Protocol</th>
                <th scope="col" className="numeric">
                  Members
                </th>
                <th scope="col" className="numeric">
                  Total lag
                </th>
              </tr>
            </thead>
            <tbody>
              {data.groups.map((group) => (
                <tr key={group.group}>
                  <th scope="row" className="name-cell">
                    <a href={groupHref(group.group)} className="row-link" title={group.group}>
                      {group.group}
                    </a>
                  </th>
                  <td>
                    <span className={`status status-${group.state === 'Stable' ? 'good' : group.state === 'Empty' ? 'muted' : 'warn'}`}>{group.state}</span>
                  </td>
                  <td className="muted">{group.protocolType || '—'}</td>
                  <td className="numeric">{formatCount(group.members)}</td>
                  <td className={group.totalLag !== null && group.totalLag > 0 ? 'numeric count-bad' : 'numeric'} aria-label="Total lag">
                    {formatLag(group.totalLag)}
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

export function GroupsPage() {
  return (
    <ClusterGate icon="groups" subject="consumer groups">
      {(cluster) => <Groups cluster={cluster} />}
    </ClusterGate>
  );
}
