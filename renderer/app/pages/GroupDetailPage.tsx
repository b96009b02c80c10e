import { useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { GroupDetail } from '../../../src/api/schemas/groups';
import { useGroup, useLagHistory } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { LagChart } from '../components/LagChart';
import { QueryError } from '../components/QueryError';
import { formatCount, formatLag, plural } from '../format';
import { hrefFor, topicHref } from '../routing';
import { OffsetResetWizard } from './OffsetResetWizard';

function assignmentText(assignment: GroupDetail['members'][number]['assignment']): string {
  if (assignment === null) return 'not a consumer-protocol assignment';
  if (assignment.length === 0) return 'nothing assigned';
  return assignment.map((entry) => `${entry.topic} [${entry.partitions.join(', ')}]`).join('; ');
}

function Members({ group }: { group: GroupDetail }) {
  if (group.members.length === 0) {
    return <p className="empty-inline">No active members: the group is {group.state}. Its committed offsets are below.</p>;
  }
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Members">
        <thead>
          <tr>
            <th scope="col">Client id</th>
            <th scope="col">Host</th>
            <th scope="col">Member id</th>
            <th scope="col">Assignment</th>
          </tr>
        </thead>
        <tbody>
          {group.members.map((member) => (
            <tr key={member.memberId}>
              <th scope="row">{member.clientId || <span className="muted">—</span>}</th>
              <td className="mono">{member.host}</td>
              <td className="mono truncate" title={member.memberId}>
                {member.memberId}
              </td>
              <td>{assignmentText(member.assignment)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Offsets({ group }: { group: GroupDetail }) {
  if (group.partitions.length === 0) return <p className="empty-inline">The group has no committed offsets and no assigned partitions.</p>;
  return (
    <div className="table-wrap">
      <table className="table" aria-label="Partition offsets">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col" className="numeric">
              Committed
            </th>
            <th scope="col" className="numeric">
              End offset
            </th>
            <th scope="col" className="numeric">
              Lag
            </th>
            <th scope="col">Consumer</th>
          </tr>
        </thead>
        <tbody>
          {group.partitions.map((row) => (
            <tr key={`${row.topic}-${row.partition}`} aria-label={`${row.topic} partition ${row.partition}`}>
              <th scope="row" className="name-cell">
                <a href={topicHref(row.topic)} className="row-link">
                  {row.topic}
                </a>
              </th>
              <td className="numeric">{row.partition}</td>
              <td className="numeric" aria-label="Committed offset">
                {row.committedOffset === null ? <span className="muted">none</span> : formatCount(row.committedOffset)}
              </td>
              <td className="numeric" aria-label="End offset">
                {formatCount(row.endOffset)}
              </td>
              <td className={row.lag !== null && row.lag > 0 ? 'numeric count-bad' : 'numeric'} aria-label="Lag">
                {formatLag(row.lag)}
              </td>
              <td className="muted">{row.clientId === null ? '—' : `${row.clientId} on ${row.host ?? '?'}`}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Partition lines drawn beside the total; more would be a tangle rather than information. */
const PARTITION_LINES = 6;

function LagOverTime({ cluster, name }: { cluster: ClusterEntry; name: string }) {
  const history = useLagHistory(cluster.id, name);
  const data = history.data;
  // The partitions with the most lag now are the ones worth a line.
  const lines = (data?.partitions ?? [])
    .filter((partition) => partition.points.length > 0)
    .sort((a, b) => b.points.at(-1)![1] - a.points.at(-1)![1])
    .slice(0, PARTITION_LINES)
    .map((partition) => ({ label: `${partition.topic}-${partition.partition}`, points: partition.points }));
  return (
    <section className="panel" aria-labelledby="lag-history-title">
      <div className="panel-header">
        <h2 id="lag-history-title" className="panel-title">
          Lag over time
          {data === undefined ? null : (
            <span className="muted heading-note">
              {data.total.length} samples · {data.trend === 'unknown' ? 'trend not known yet' : data.trend}
            </span>
          )}
        </h2>
        <DataAge updatedAt={history.dataUpdatedAt} fetching={history.isFetching} />
      </div>
      {history.isError ? (
        <div className="panel-body">
          <QueryError what={`the lag history of ${name}`} error={history.error} onRetry={() => void history.refetch()} />
        </div>
      ) : null}
      {data?.lastError ? <p className="panel-footnote muted">The last sample failed: {data.lastError}</p> : null}
      {data === undefined ? null : <LagChart title={`Total lag of ${name}`} total={data.total} lines={lines} trend={data.trend} />}
      {data === undefined ? null : (
        <p className="panel-footnote muted">
          Sampled by Samsa every {Math.round(data.intervalMs / 1000)} s while this page is open (per partition), and about every {Math.round(data.cycleMs / 1000)} s otherwise; kept in memory
          while the app runs.
        </p>
      )}
    </section>
  );
}

function Group({ cluster, name }: { cluster: ClusterEntry; name: string }) {
  const group = useGroup(cluster.id, name);
  const [resetting, setResetting] = useState(false);
  const data = group.data;
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={hrefFor('groups')}>Consumer groups</a> <span aria-hidden="true">/</span> <span className="mono">{name}</span>
      </nav>
      <section className="panel" aria-labelledby="group-summary-title">
        <div className="panel-header">
          <h2 id="group-summary-title" className="panel-title">
            {data === undefined ? 'Group' : `${data.state} · ${plural(data.members.length, 'member')} · total lag ${formatLag(data.totalLag)}`}
            {data?.protocol ? <span className="muted heading-note">assignor {data.protocol}</span> : null}
          </h2>
          <DataAge updatedAt={group.dataUpdatedAt} fetching={group.isFetching} />
        </div>
        {group.isError ? (
          <div className="panel-body">
            <QueryError what={`group ${name}`} error={group.error} onRetry={() => void group.refetch()} />
          </div>
        ) : null}
        {data === undefined ? (
          group.isPending ? (
            <p className="empty-inline" role="status">
              Reading the group…
            </p>
          ) : null
        ) : (
          <Members group={data} />
        )}
      </section>
      {data === undefined || !resetting ? null : <OffsetResetWizard cluster={cluster} group={data} onClose={() => setResetting(false)} />}
      <LagOverTime cluster={cluster} name={name} />
      {data === undefined ? null : (
        <section className="panel" aria-labelledby="offsets-title">
          <div className="panel-header">
            <h2 id="offsets-title" className="panel-title">
              Offsets and lag
              <span className="muted heading-note">{formatCount(data.partitions.length)} partitions</span>
            </h2>
            {resetting ? null : (
              <button type="button" className="button" onClick={() => setResetting(true)}>
                Reset offsets…
              </button>
            )}
          </div>
          <Offsets group={data} />
        </section>
      )}
    </div>
  );
}

export function GroupDetailPage({ name }: { name: string }) {
  return (
    <ClusterGate icon="groups" subject="this group">
      {(cluster) => <Group cluster={cluster} name={name} />}
    </ClusterGate>
  );
}
