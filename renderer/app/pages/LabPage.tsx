import { EMBEDDED_CLUSTER_ID } from '../../../src/api/schemas/clusterRef';
import { useClusters } from '../api/hooks';
import { useLabPresets, useLatestLabRun } from '../api/labHooks';
import { EmptyState } from '../components/EmptyState';
import { QueryError } from '../components/QueryError';
import { hrefFor } from '../routing';
import { EventsTimeline } from './EventsTimeline';
import { LabRunPanel } from './LabRunPanel';
import { LabSetupForm } from './LabSetupForm';

/**
 * The delivery-guarantees lab: pick a preset and a fault, run it on the embedded cluster,
 * watch the run and the cluster's reaction side by side, then read what was lost or
 * duplicated and why. It always uses the embedded cluster, whichever cluster is selected:
 * the lab breaks brokers on purpose, which Samsa does only to the cluster it runs itself.
 */
export function LabPage() {
  const clusters = useClusters();
  const presets = useLabPresets();
  const latest = useLatestLabRun();
  const embedded = clusters.data?.find((cluster) => cluster.id === EMBEDDED_CLUSTER_ID);

  if (clusters.isError) return <QueryError what="the clusters" error={clusters.error} onRetry={() => void clusters.refetch()} />;
  if (embedded === undefined || embedded.kind !== 'embedded') return <p className="loading" role="status">Loading…</p>;
  const run = latest.data ?? null;
  if (embedded.state !== 'running') {
    const title = `The embedded cluster is ${embedded.state}`;
    const advice = 'The lab runs its workloads and faults on the embedded cluster. Start it on the Clusters page to run the lab.';
    const toClusters = (
      <a className="button button-primary" href={hrefFor('clusters')}>
        Go to Clusters
      </a>
    );
    if (run === null) {
      return (
        <EmptyState icon="lab" title={title}>
          <p>{advice}</p>
          {toClusters}
        </EmptyState>
      );
    }
    // The last run stays readable after the cluster stops: its result is what the user came back for.
    return (
      <div className="stack">
        <section className="panel" aria-labelledby="lab-cluster-state">
          <div className="panel-header">
            <h2 id="lab-cluster-state" className="panel-title">
              {title}
            </h2>
            <div className="panel-tools">{toClusters}</div>
          </div>
          <div className="panel-body">
            <p className="muted">{advice} The last run is below.</p>
          </div>
        </section>
        <LabRunPanel key={run.runId} status={run} />
      </div>
    );
  }

  const busy = run !== null && (run.state === 'running' || run.state === 'cancelling');
  return (
    <div className="lab-grid">
      <div className="stack">
        {presets.isError ? <QueryError what="the lab presets" error={presets.error} onRetry={() => void presets.refetch()} /> : null}
        {presets.data === undefined ? null : <LabSetupForm presets={presets.data} busy={busy} />}
        {latest.isError ? <QueryError what="the lab run" error={latest.error} onRetry={() => void latest.refetch()} /> : null}
        {run === null ? null : <LabRunPanel key={run.runId} status={run} />}
      </div>
      <EventsTimeline cluster={embedded} />
    </div>
  );
}
