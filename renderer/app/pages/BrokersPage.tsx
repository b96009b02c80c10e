import { useId, useState } from 'react';
import type { BrokerRow } from '../../../src/api/schemas/brokers';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { BrokerAction } from '../../../src/api/schemas/embedded';
import { useBrokers } from '../api/clusterHooks';
import { useBrokerAction } from '../api/embeddedHooks';
import { ClusterGate } from '../components/ClusterGate';
import { PreviewedCommand } from '../components/PreviewedCommand';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatBytes, formatCount } from '../format';
import { brokerHref, navigate } from '../routing';
import { ROW_KEYBOARD_HINT, useRowKeyboard } from '../tableKeyboard';

/** Stopping and killing take partitions' replicas away, so they ask first; the rest act at once. */
const CONSEQUENCE: Partial<Record<BrokerAction, string>> = {
  stop: 'Controlled shutdown: its leaderships move first, then the process exits.',
  kill: 'SIGKILL: the process dies at once, as in a crash; it recovers from disk on start.',
};

export function stateOf(broker: BrokerRow): { label: string; tone: 'good' | 'bad' | 'warn' } {
  if (broker.process?.isolated) return { label: 'isolated', tone: 'warn' };
  if (broker.status === 'down') return { label: broker.process === null ? 'down' : `down (${broker.process.state})`, tone: 'bad' };
  if (broker.process !== null && broker.process.state !== 'running') return { label: broker.process.state, tone: 'warn' };
  return { label: 'up', tone: 'good' };
}

export function FaultControls({ broker }: { broker: BrokerRow }) {
  const action = useBrokerAction();
  const [confirming, setConfirming] = useState<BrokerAction | null>(null);
  const process = broker.process!;
  const running = process.state === 'running';
  const run = (kind: BrokerAction) => {
    setConfirming(null);
    action.mutate({ id: broker.id, action: kind });
  };
  if (confirming !== null) {
    return (
      <div className="row-actions" role="group" aria-label={`Confirm ${confirming} broker ${broker.id}`}>
        <span className="confirm-inline">
          {CONSEQUENCE[confirming]}
          <PreviewedCommand input={{ action: confirming === 'kill' ? 'kill-broker' : 'stop-broker', brokerId: broker.id }} />
        </span>
        <button type="button" className="button button-danger" onClick={() => run(confirming)}>
          {confirming === 'kill' ? 'Kill' : 'Stop'} broker {broker.id}
        </button>
        <button type="button" className="button" onClick={() => setConfirming(null)}>
          Cancel
        </button>
      </div>
    );
  }
  return (
    <div className="row-actions" role="group" aria-label={`Controls of broker ${broker.id}`}>
      {action.isError ? (
        <span className="inline-error" role="alert">
          {action.error.message}
        </span>
      ) : null}
      {action.isPending ? (
        <span className="muted" role="status">
          Working…
        </span>
      ) : null}
      {running ? (
        <>
          {process.isolated ? (
            <button type="button" className="button" disabled={action.isPending} onClick={() => run('heal')} aria-label={`Heal broker ${broker.id}`}>
              Heal
            </button>
          ) : (
            <button type="button" className="button" disabled={action.isPending} onClick={() => run('isolate')} aria-label={`Isolate broker ${broker.id}`}>
              Isolate
            </button>
          )}
          <button type="button" className="button" disabled={action.isPending} onClick={() => setConfirming('stop')} aria-label={`Stop broker ${broker.id}…`}>
            Stop…
          </button>
          <button type="button" className="button button-danger-outline" disabled={action.isPending} onClick={() => setConfirming('kill')} aria-label={`Kill broker ${broker.id}…`}>
            Kill…
          </button>
        </>
      ) : process.state === 'stopped' || process.state === 'killed' || process.state === 'crashed' ? (
        <button type="button" className="button button-primary" disabled={action.isPending} onClick={() => run('start')} aria-label={`Start broker ${broker.id}`}>
          Start
        </button>
      ) : null}
    </div>
  );
}

function BrokerTable({ cluster }: { cluster: ClusterEntry }) {
  const hintId = useId();
  const brokers = useBrokers(cluster.id);
  const controllable = cluster.kind === 'embedded';
  const keyboard = useRowKeyboard(brokers.data?.length ?? 0, (index) => navigate(brokerHref(brokers.data![index]!.id)));
  return (
    <section className="panel" aria-labelledby="brokers-title">
      <div className="panel-header">
        <h2 id="brokers-title" className="panel-title">
          Brokers of {cluster.name}
        </h2>
        <DataAge updatedAt={brokers.dataUpdatedAt} fetching={brokers.isFetching} />
      </div>
      {brokers.isError ? (
        <div className="panel-body">
          <QueryError what={`the brokers of ${cluster.name}`} error={brokers.error} onRetry={() => void brokers.refetch()} />
        </div>
      ) : null}
      {brokers.data === undefined ? (
        brokers.isPending ? (
          <p className="empty-inline" role="status">
            Reading the brokers…
          </p>
        ) : null
      ) : (
        <div className="table-wrap">
          <p id={hintId} className="visually-hidden">
            {ROW_KEYBOARD_HINT}
          </p>
          <table className="table table-compact" aria-label="Brokers" aria-describedby={hintId}>
            <thead>
              <tr>
                <th scope="col">Id</th>
                <th scope="col">Host:port</th>
                <th scope="col">Rack</th>
                <th scope="col" className="numeric">
                  Leaders
                </th>
                <th scope="col" className="numeric">
                  Replicas
                </th>
                <th scope="col" className="numeric">
                  Out of sync
                </th>
                <th scope="col" className="numeric">
                  Log size
                </th>
                <th scope="col">State</th>
                {controllable ? (
                  <th scope="col">
                    <span className="visually-hidden">Fault controls</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody ref={keyboard.containerRef as React.RefObject<HTMLTableSectionElement | null>}>
              {brokers.data.map((broker, index) => {
                const state = stateOf(broker);
                return (
                  <tr key={broker.id} aria-label={`Broker ${broker.id}`} {...keyboard.rowProps(index)}>
                    <th scope="row" className="nowrap">
                      <a href={brokerHref(broker.id)} className="row-link" aria-label={`Broker ${broker.id} details`}>
                        {broker.id}
                      </a>
                      {broker.isController ? <span className="badge">Controller</span> : null}
                    </th>
                    <td className="mono nowrap">
                      {broker.host}:{broker.port}
                    </td>
                    <td>{broker.rack ?? <span className="muted">—</span>}</td>
                    <td className="numeric">{formatCount(broker.leaders)}</td>
                    <td className="numeric">{formatCount(broker.replicas)}</td>
                    <td className={broker.outOfSyncReplicas > 0 ? 'numeric text-warn' : 'numeric'}>{formatCount(broker.outOfSyncReplicas)}</td>
                    <td className="numeric" title={broker.logDirsUnavailable ?? undefined}>
                      {formatBytes(broker.logDirBytes)}
                    </td>
                    <td>
                      <span className={`status status-${state.tone}`}>{state.label}</span>
                    </td>
                    {controllable ? <td>{broker.process === null ? null : <FaultControls broker={broker} />}</td> : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {controllable ? null : (
        <p className="panel-footnote muted">Stop, kill and isolate are available for the embedded cluster only: Samsa does not control the brokers of other clusters.</p>
      )}
    </section>
  );
}

export function BrokersPage() {
  return (
    <ClusterGate icon="brokers" subject="brokers">
      {(cluster) => <BrokerTable cluster={cluster} />}
    </ClusterGate>
  );
}
