import { useId } from 'react';
import type { LabRunStatus } from '../../../src/api/schemas/lab';
import { useCancelLab } from '../api/labHooks';
import { formatCount } from '../format';
import { acksLabel, FAULT_LABELS, PHASES, secondsSince, STATE_LABELS } from '../labText';
import { LabChart } from './LabChart';
import { LabResult } from './LabResult';

function Phases({ status }: { status: LabRunStatus }) {
  const current = PHASES.findIndex((entry) => entry.phase === status.phase);
  const ended = status.state !== 'running' && status.state !== 'cancelling';
  return (
    <ol className="lab-phases" aria-label="Phases">
      {PHASES.map((entry, index) => {
        const state = index < current || (ended && index === current && status.state === 'done') ? 'past' : index === current ? (ended ? 'stopped' : 'current') : 'future';
        return (
          <li key={entry.phase} className={`lab-phase phase-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            {entry.label}
          </li>
        );
      })}
    </ol>
  );
}

const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

function settingsLine(status: LabRunStatus): string {
  const { workload, producer, consumer } = status.scenario;
  return `${formatCount(workload.records)} records, ${workload.partitions} partitions, RF ${workload.replicationFactor}, min.insync.replicas ${workload.minInsyncReplicas} · acks=${acksLabel(producer.acks)}, retries ${producer.retries}${producer.idempotent ? ', idempotent' : ''}${producer.transactional ? ', transactional' : ''} · commit ${consumer.commit}, ${consumer.isolation}`;
}

/**
 * One run: what it runs, where it is (phases, live counts, fault steps), the chart, and
 * once it is over the result, or why it failed.
 */
export function LabRunPanel({ status }: { status: LabRunStatus }) {
  const ids = useId();
  const cancel = useCancelLab();
  const { report } = status;
  const samples = report?.timeline ?? status.timeline;
  const steps = report?.fault.steps ?? status.steps;
  const running = status.state === 'running';
  return (
    <>
      <section className="panel" aria-labelledby={`${ids}-title`} aria-busy={running || status.state === 'cancelling'}>
        <div className="panel-header">
          <h2 id={`${ids}-title`} className="panel-title">
            Run {status.runId}: {status.scenario.preset ?? 'custom settings'}, {lowerFirst(FAULT_LABELS[status.scenario.fault])}
            <span className={`badge lab-state state-${status.state}`} role="status">
              {STATE_LABELS[status.state]}
            </span>
          </h2>
          {running ? (
            <div className="panel-tools">
              <button type="button" className="button button-danger-outline" onClick={() => cancel.mutate(status.runId)} disabled={cancel.isPending}>
                Cancel run
              </button>
            </div>
          ) : null}
        </div>
        <div className="panel-body">
          <p className="muted">{settingsLine(status)}</p>
          <Phases status={status} />
          <ul className="tiles lab-live" aria-label="Live counts">
            <li className="tile" aria-label={`Acknowledged: ${formatCount(status.counts?.acknowledged ?? 0)}`}>
              <span className="tile-label">Acknowledged</span>
              <span className="tile-value">{formatCount(status.counts?.acknowledged ?? 0)}</span>
              <span className="tile-note">of {formatCount(status.scenario.workload.records)} records</span>
            </li>
            <li className="tile" aria-label={`Processed: ${formatCount(status.counts?.consumed ?? 0)}`}>
              <span className="tile-label">Processed</span>
              <span className="tile-value">{formatCount(status.counts?.consumed ?? 0)}</span>
              <span className="tile-note">by the consumer, repeats included</span>
            </li>
            <li className={`tile ${(status.counts?.failed ?? 0) > 0 ? 'tone-bad' : ''}`} aria-label={`Failed sends: ${formatCount(status.counts?.failed ?? 0)}`}>
              <span className="tile-label">Failed sends</span>
              <span className="tile-value">{formatCount(status.counts?.failed ?? 0)}</span>
              <span className="tile-note">the producer was told so</span>
            </li>
          </ul>
          <LabChart samples={samples} steps={steps} startedAt={status.startedAt} records={status.scenario.workload.records} />
          {steps.length > 0 ? (
            <div>
              <h3 className="field-label">Fault steps</h3>
              <ol className="lab-steps" aria-label="Fault steps">
                {steps.map((step, index) => (
                  <li key={`${step.at}-${index}`}>
                    <span className="mono muted">{secondsSince(status.startedAt, step.at)}</span> {step.action}
                  </li>
                ))}
              </ol>
            </div>
          ) : running ? (
            <p className="muted">{status.scenario.fault === 'none' ? 'No fault in this run.' : 'The fault strikes once its moment in the workload comes.'}</p>
          ) : null}
          {status.state === 'failed' ? (
            <p className="form-error" role="alert">
              The run failed: {status.error}
            </p>
          ) : null}
          {status.state === 'cancelling' ? <p className="note">Cancelling: stopping the consumer, healing the cluster and deleting the run's topics…</p> : null}
          {status.state === 'cancelled' ? <p className="note">Cancelled. The cluster was healed and the run's topics deleted.</p> : null}
          {cancel.isError ? (
            <p className="form-error" role="alert">
              {cancel.error.message}
            </p>
          ) : null}
        </div>
      </section>
      {report === null ? null : <LabResult report={report} command={status.command} />}
    </>
  );
}
