import { useId, useState } from 'react';
import type { AuditRow } from '../../../src/api/schemas/audit';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { TimelineEvent } from '../../../src/api/schemas/embedded';
import { useClusterAudit, useClusterEvents } from '../api/clusterHooks';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatTime } from '../format';
import { hrefFor } from '../routing';
import { describeEvent, visibleEvents, type EventSeverity } from '../timeline';

/** The newest events shown; older ones stay in the back end's history. */
const SHOWN = 200;

interface TimelineItem {
  readonly key: string;
  readonly at: number;
  readonly source: 'cluster' | 'admin';
  readonly title: string;
  readonly detail: string;
  readonly severity: EventSeverity;
}

function clusterItem(event: TimelineEvent): TimelineItem {
  return { key: `event-${event.seq}`, at: event.at, source: 'cluster', ...describeEvent(event) };
}

/** Changes made through Samsa sit among the cluster's own events, marked as admin actions. */
function adminItem(row: AuditRow, index: number): TimelineItem {
  return {
    key: `admin-${row.at}-${index}`,
    at: Date.parse(row.at),
    source: 'admin',
    title: row.summary,
    detail: row.outcome === 'failed' ? `failed: ${row.error ?? 'unknown error'}` : `by ${row.user}${row.clusterId === null ? ' with the CLI' : ''}`,
    severity: row.outcome === 'failed' ? 'danger' : 'info',
  };
}

/** Leader changes, ISR shrinks and expansions, broker state and faults, and admin actions, newest first. */
export function EventsTimeline({ cluster }: { cluster: ClusterEntry }) {
  const ids = useId();
  const [includeInternal, setIncludeInternal] = useState(false);
  const events = useClusterEvents(cluster.id);
  const audit = useClusterAudit(cluster.id);
  const all = events.data?.events ?? [];
  const shown = [...visibleEvents(all, includeInternal).map(clusterItem), ...(audit.data?.entries ?? []).map(adminItem)]
    .sort((a, b) => a.at - b.at)
    .slice(-SHOWN)
    .reverse();
  return (
    <section className="panel events-panel" aria-labelledby={`${ids}-title`}>
      <div className="panel-header">
        <h2 id={`${ids}-title`} className="panel-title">
          Events
        </h2>
        <div className="panel-tools">
          <label className="checkbox">
            <input type="checkbox" checked={includeInternal} onChange={(event) => setIncludeInternal(event.target.checked)} />
            Include internal topics
          </label>
          <a href={hrefFor('audit')}>Audit log</a>
          <DataAge updatedAt={events.dataUpdatedAt} fetching={events.isFetching} />
        </div>
      </div>
      {events.isError ? (
        <div className="panel-body">
          <QueryError what="the events" error={events.error} onRetry={() => void events.refetch()} />
        </div>
      ) : null}
      {events.data !== undefined && !events.data.recorded ? (
        <p className="panel-footnote muted">
          Samsa records broker, leader and ISR events only for the embedded cluster, which it runs itself. For {cluster.name}, watch the health tiles above; changes made through Samsa are listed
          here.
        </p>
      ) : null}
      {events.data !== undefined && shown.length === 0 ? (
        <p className="empty-inline" role="status">
          {all.length === 0 ? 'Nothing has happened yet. Stop or kill a broker on the Brokers page to see leaders move.' : 'Only internal topics changed so far.'}
        </p>
      ) : (
        <ol className="timeline" aria-label="Cluster events, newest first">
          {shown.map((item) => (
            <li key={item.key} className={`timeline-item severity-${item.severity} kind-${item.source}`}>
              <time className="timeline-time mono" dateTime={new Date(item.at).toISOString()}>
                {formatTime(item.at)}
              </time>
              <span className="timeline-marker" aria-hidden="true" />
              <span className="timeline-text">
                {item.source === 'admin' ? <span className="timeline-kind">Admin action</span> : null}
                <span className="timeline-title">{item.title}</span>
                <span className="timeline-detail">{item.detail}</span>
              </span>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
