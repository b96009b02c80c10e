import { useId, useMemo } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { GroupLagTrend } from '../../../src/api/schemas/lag';
import { useGroups, useLagTrends } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { LagTrendCell } from '../components/LagChart';
import { QueryError } from '../components/QueryError';
import { formatCount, formatLag } from '../format';
import { groupHref, navigate } from '../routing';
import { ROW_KEYBOARD_HINT, useRowKeyboard } from '../tableKeyboard';

function Groups({ cluster }: { cluster: ClusterEntry }) {
  const hintId = useId();
  const groups = useGroups(cluster.id);
  const trends = useLagTrends(cluster.id);
  const trendOf = useMemo(() => new Map<string, GroupLagTrend>((trends.data?.groups ?? []).map((entry) => [entry.group, entry])), [trends.data]);
  const data = groups.data;
  const keyboard = useRowKeyboard(data?.groups.length ?? 0, (index) => navigate(groupHref(data!.groups[index]!.group)));
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
      {trends.data?.lastError ? <p className="panel-footnote muted">Lag sampling failed: {trends.data.lastError}</p> : null}
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
          <p id={hintId} className="visually-hidden">
            {ROW_KEYBOARD_HINT}
          </p>
          <table className="table" aria-label="Consumer groups" aria-describedby={hintId}>
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
                <th scope="col" title={trends.data ? `Sampled every ${Math.round(trends.data.cycleMs / 1000)} s or so` : undefined}>
                  Trend
                </th>
              </tr>
            </thead>
            <tbody ref={keyboard.containerRef as React.RefObject<HTMLTableSectionElement | null>}>
              {data.groups.map((group, index) => (
                <tr key={group.group} {...keyboard.rowProps(index)}>
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
                  <td aria-label="Trend">
                    <LagTrendCell trend={trendOf.get(group.group)?.trend ?? 'unknown'} points={trendOf.get(group.group)?.points ?? []} />
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
