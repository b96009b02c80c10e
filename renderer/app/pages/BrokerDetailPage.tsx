import { useState } from 'react';
import type { BrokerDetail, BrokerReplicaRow } from '../../../src/api/schemas/brokers';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useBroker } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatBytes, formatCount, formatLag } from '../format';
import { hrefFor, topicHref } from '../routing';
import { isInternalTopic } from '../timeline';
import { FaultControls, stateOf } from './BrokersPage';

type RoleFilter = 'all' | 'leader' | 'follower';

function Summary({ detail }: { detail: BrokerDetail }) {
  const broker = detail.broker!;
  const state = stateOf(broker);
  const led = detail.replicas.filter((replica) => replica.role === 'leader').length;
  return (
    <table className="table kv-table" aria-label="Broker summary">
      <tbody>
        <tr>
          <th scope="row">Host</th>
          <td className="mono">{broker.host}</td>
        </tr>
        <tr>
          <th scope="row">Port</th>
          <td className="mono">{broker.port}</td>
        </tr>
        <tr>
          <th scope="row">Rack</th>
          <td>{broker.rack ?? <span className="muted">none</span>}</td>
        </tr>
        <tr>
          <th scope="row">Controller</th>
          <td>{broker.isController ? 'yes' : 'no'}</td>
        </tr>
        <tr>
          <th scope="row">State</th>
          <td>
            <span className={`status status-${state.tone}`}>{state.label}</span>
            {broker.process?.pid ? <span className="muted heading-note">pid {broker.process.pid}</span> : null}
          </td>
        </tr>
        <tr>
          <th scope="row">Partitions</th>
          <td>
            {formatCount(led)} led · {formatCount(detail.replicas.length - led)} followed
            {broker.outOfSyncReplicas > 0 ? <span className="text-warn"> · {formatCount(broker.outOfSyncReplicas)} out of sync</span> : null}
          </td>
        </tr>
        <tr>
          <th scope="row">Log size</th>
          <td>
            {detail.logDirs === null ? (
              <span className="muted">unknown: {detail.logDirsUnavailable}</span>
            ) : (
              <ul className="plain-list">
                {detail.logDirs.map((dir) => (
                  <li key={dir.path}>
                    <strong>{formatBytes(dir.sizeBytes)}</strong> in <span className="mono">{dir.path}</span>
                    {dir.totalBytes > 0 ? (
                      <span className="muted">
                        {' '}
                        · {formatBytes(dir.usableBytes)} free of {formatBytes(dir.totalBytes)}
                      </span>
                    ) : null}
                    {dir.error ? <span className="text-warn"> · {dir.error}</span> : null}
                  </li>
                ))}
              </ul>
            )}
          </td>
        </tr>
      </tbody>
    </table>
  );
}

function ReplicaTable({ replicas }: { replicas: readonly BrokerReplicaRow[] }) {
  return (
    <div className="table-wrap">
      <table className="table table-compact" aria-label="Replicas on this broker">
        <thead>
          <tr>
            <th scope="col">Topic</th>
            <th scope="col" className="numeric">
              Partition
            </th>
            <th scope="col">Role</th>
            <th scope="col" className="numeric">
              Leader
            </th>
            <th scope="col">ISR</th>
            <th scope="col" className="numeric">
              Lag
            </th>
            <th scope="col" className="numeric">
              Size
            </th>
          </tr>
        </thead>
        <tbody>
          {replicas.map((replica) => (
            <tr key={`${replica.topic}-${replica.partition}`} aria-label={`${replica.topic} partition ${replica.partition}`} className={replica.inIsr ? undefined : 'row-unhealthy'}>
              <th scope="row" className="name-cell">
                <a href={topicHref(replica.topic)} className="row-link" title={replica.topic}>
                  {replica.topic}
                </a>
              </th>
              <td className="numeric">{replica.partition}</td>
              <td aria-label="Role">{replica.role}</td>
              <td className="numeric" aria-label="Leader">
                {replica.leader ?? <span className="count-bad">none</span>}
              </td>
              <td aria-label="ISR membership">
                <span className={`status status-${replica.inIsr ? 'good' : 'warn'}`}>{replica.inIsr ? 'in sync' : 'out of sync'}</span>
                <span className="muted mono"> [{replica.isr.join(', ')}]</span>
              </td>
              <td className={replica.lag !== null && replica.lag > 0 ? 'numeric count-bad' : 'numeric'} aria-label="Lag">
                {formatLag(replica.lag)}
              </td>
              <td className="numeric" aria-label="Size">
                {formatBytes(replica.sizeBytes)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Broker({ cluster, id }: { cluster: ClusterEntry; id: number }) {
  const broker = useBroker(cluster.id, id);
  const [role, setRole] = useState<RoleFilter>('all');
  const [includeInternal, setIncludeInternal] = useState(false);
  const data = broker.data;
  const shown = (data?.replicas ?? []).filter((replica) => (role === 'all' || replica.role === role) && (includeInternal || !isInternalTopic(replica.topic)));
  return (
    <div className="stack">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <a href={hrefFor('brokers')}>Brokers</a> <span aria-hidden="true">/</span> <span>Broker {id}</span>
      </nav>
      <section className="panel" aria-labelledby="broker-summary-title">
        <div className="panel-header">
          <h2 id="broker-summary-title" className="panel-title">
            Broker {id} of {cluster.name}
            {data?.broker?.isController ? <span className="badge">Controller</span> : null}
          </h2>
          <DataAge updatedAt={broker.dataUpdatedAt} fetching={broker.isFetching} />
        </div>
        {broker.isError ? (
          <div className="panel-body">
            <QueryError what={`broker ${id}`} error={broker.error} onRetry={() => void broker.refetch()} />
          </div>
        ) : null}
        {data === undefined ? (
          broker.isPending ? (
            <p className="empty-inline" role="status">
              Reading the broker…
            </p>
          ) : null
        ) : data.broker === null ? (
          <p className="empty-inline" role="status">
            {cluster.name} has no broker {id}. <a href={hrefFor('brokers')}>See its brokers</a>.
          </p>
        ) : (
          <>
            <Summary detail={data} />
            {cluster.kind === 'embedded' && data.broker.process !== null ? (
              <div className="panel-body">
                <FaultControls broker={data.broker} />
              </div>
            ) : null}
          </>
        )}
      </section>
      {data === undefined || data.broker === null ? null : (
        <section className="panel" aria-labelledby="broker-replicas-title">
          <div className="panel-header">
            <h2 id="broker-replicas-title" className="panel-title">
              Partitions led and followed
              <span className="muted heading-note">{formatCount(shown.length)} shown</span>
            </h2>
          </div>
          <div className="toolbar">
            <div className="segmented" role="radiogroup" aria-label="Role">
              {(['all', 'leader', 'follower'] as const).map((option) => (
                <label key={option} className="segmented-option">
                  <input type="radio" name="broker-role" value={option} checked={role === option} onChange={() => setRole(option)} />
                  {option === 'all' ? 'All' : option === 'leader' ? 'Led' : 'Followed'}
                </label>
              ))}
            </div>
            <label className="checkbox">
              <input type="checkbox" checked={includeInternal} onChange={(event) => setIncludeInternal(event.target.checked)} />
              Internal topics
            </label>
          </div>
          {data.lagUnknownBecause ? <p className="panel-footnote muted">Some lag is unknown: {data.lagUnknownBecause}</p> : null}
          {shown.length === 0 ? (
            <p className="empty-inline" role="status">
              {data.replicas.length === 0 ? `Broker ${id} holds no replicas.` : 'No replica matches these filters.'}
            </p>
          ) : (
            <ReplicaTable replicas={shown} />
          )}
        </section>
      )}
    </div>
  );
}

export function BrokerDetailPage({ id }: { id: number }) {
  return (
    <ClusterGate icon="brokers" subject="this broker">
      {(cluster) => <Broker cluster={cluster} id={id} />}
    </ClusterGate>
  );
}
