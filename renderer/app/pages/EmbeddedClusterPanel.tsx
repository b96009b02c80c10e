import { useId, useState, type FormEvent } from 'react';
import { EMBEDDED_CLUSTER_ID, type EmbeddedState } from '../../../src/api/schemas/clusterRef';
import { MAX_EMBEDDED_BROKERS } from '../../../src/api/schemas/embedded';
import { useEmbeddedStatus, useStartEmbedded, useStopEmbedded } from '../api/embeddedHooks';
import { CopyButton } from '../components/CopyButton';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { plural } from '../format';
import { useSelectedCluster } from '../selectedCluster';

const STATE_LABEL: Record<EmbeddedState, string> = {
  stopped: 'Stopped',
  starting: 'Starting…',
  running: 'Running',
  stopping: 'Stopping…',
  failed: 'Failed to start',
};

function StartForm() {
  const ids = useId();
  const [brokers, setBrokers] = useState('3');
  const [port, setPort] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const start = useStartEmbedded();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const count = Number(brokers);
    if (!Number.isInteger(count) || count < 1 || count > MAX_EMBEDDED_BROKERS) {
      setProblem(`Enter a number of brokers from 1 to ${MAX_EMBEDDED_BROKERS}`);
      return;
    }
    const first = port.trim() === '' ? undefined : Number(port);
    if (first !== undefined && (!Number.isInteger(first) || first < 0 || first > 65535)) {
      setProblem('Enter a port from 1 to 65535, 0 for free ports, or leave it empty');
      return;
    }
    setProblem(null);
    start.mutate({ brokers: count, ...(first === undefined ? {} : { port: first }) });
  };
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Start the embedded cluster" noValidate>
      <div className="field narrow">
        <label htmlFor={`${ids}-brokers`}>Brokers</label>
        <input id={`${ids}-brokers`} type="number" min={1} max={MAX_EMBEDDED_BROKERS} value={brokers} onChange={(event) => setBrokers(event.target.value)} />
      </div>
      <div className="field narrow">
        <label htmlFor={`${ids}-port`}>First port</label>
        <input id={`${ids}-port`} inputMode="numeric" placeholder="9092" value={port} onChange={(event) => setPort(event.target.value)} aria-describedby={`${ids}-port-hint`} />
      </div>
      <button type="submit" className="button button-primary" disabled={start.isPending}>
        {start.isPending ? 'Starting…' : 'Start cluster'}
      </button>
      <p id={`${ids}-port-hint`} className="field-hint full">
        Broker n listens on the first port + n − 1. Empty: 9092 when free, otherwise free ports; 0: always free ports.
      </p>
      {problem === null && !start.isError ? null : (
        <p className="form-error full" role="alert">
          {problem ?? start.error?.message}
        </p>
      )}
    </form>
  );
}

/** The built-in cluster: its state, the address to paste into other tools, start and stop. */
export function EmbeddedClusterPanel() {
  const status = useEmbeddedStatus();
  const stop = useStopEmbedded();
  const { cluster: active, select } = useSelectedCluster();
  const data = status.data;
  const bootstrap = data?.bootstrapServers.join(',') ?? '';
  return (
    <section className="panel" aria-labelledby="embedded-title">
      <div className="panel-header">
        <h2 id="embedded-title" className="panel-title">
          Embedded cluster
          {data === undefined ? null : <span className={`badge state-${data.state}`}>{STATE_LABEL[data.state]}</span>}
          {active?.id === EMBEDDED_CLUSTER_ID ? <span className="badge">Active</span> : null}
        </h2>
        <DataAge updatedAt={status.dataUpdatedAt} fetching={status.isFetching} />
      </div>
      <div className="panel-body">
        {status.isError ? <QueryError what="the embedded cluster’s state" error={status.error} onRetry={() => void status.refetch()} /> : null}
        {data === undefined ? null : (
          <>
            <p className="muted">
              A real multi-broker Kafka cluster run by Samsa on this machine: one process per broker, data in <span className="mono">{data.dataDir}</span>. Stop,
              kill or isolate its brokers on the Brokers page and watch leaders and ISRs react.
            </p>
            {data.state === 'failed' && data.error !== null ? (
              <p className="form-error" role="alert">
                The cluster did not start: {data.error}
              </p>
            ) : null}
            {data.bootstrapServers.length > 0 ? (
              <div className="bootstrap-row">
                <span className="field-label">Bootstrap servers</span>
                <code className="mono bootstrap" aria-label="Embedded bootstrap servers">
                  {bootstrap}
                </code>
                <CopyButton text={bootstrap} label="Copy bootstrap servers" />
              </div>
            ) : null}
            {data.brokers.length > 0 ? (
              <ul className="process-list" aria-label="Broker processes">
                {data.brokers.map((broker) => (
                  <li key={broker.brokerId} className={`process state-${broker.state}`}>
                    <span className="process-dot" aria-hidden="true" />
                    Broker {broker.brokerId} · {broker.state}
                    {broker.isolated ? ' · isolated' : ''}
                  </li>
                ))}
              </ul>
            ) : null}
            <div className="row-actions start">
              {data.state === 'running' ? (
                <>
                  {active?.id === EMBEDDED_CLUSTER_ID ? null : (
                    <button type="button" className="button" onClick={() => select(EMBEDDED_CLUSTER_ID)}>
                      Use embedded cluster
                    </button>
                  )}
                  <button type="button" className="button" disabled={stop.isPending} onClick={() => stop.mutate()}>
                    {stop.isPending ? 'Stopping…' : `Stop ${plural(data.brokers.length, 'broker')}`}
                  </button>
                </>
              ) : null}
            </div>
            {stop.isError ? (
              <p className="form-error" role="alert">
                {stop.error.message}
              </p>
            ) : null}
            {data.state === 'stopped' || data.state === 'failed' ? <StartForm /> : null}
          </>
        )}
      </div>
    </section>
  );
}
