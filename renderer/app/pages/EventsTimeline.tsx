import { useId, useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useClusterEvents } from '../api/clusterHooks';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatTime } from '../format';
import { describeEvent, visibleEvents } from '../timeline';

/** The newest events shown; older ones stay in the back end's history. */
const SHOWN = 200;

/** Leader changes, ISR shrinks and expansions, broker state and faults, newest first. */
export function EventsTimeline({ cluster }: { cluster: ClusterEntry }) {
  const ids = useId();
  const [includeInternal, setIncludeInternal] = useState(false);
  const events = useClusterEvents(cluster.id);
  const all = events.data?.events ?? [];
  const shown = visibleEvents(all, includeInternal).slice(-SHOWN).reverse();
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
          <DataAge updatedAt={events.dataUpdatedAt} fetching={events.isFetching} />
        </div>
      </div>
      {events.isError ? (
        <div className="panel-body">
          <QueryError what="the events" error={events.error} onRetry={() => void events.refetch()} />
        </div>
      ) : null}
      {events.data !== undefined && !events.data.recorded ? (
        <p className="empty-inline" role="status">
          Samsa records events only for the embedded cluster, which it runs itself. For {cluster.name}, watch the health tiles above.
        </p>
      ) : events.data !== undefined && shown.length === 0 ? (
        <p className="empty-inline" role="status">
          {all.length === 0 ? 'Nothing has happened yet. Stop or kill a broker on the Brokers page to see leaders move.' : 'Only internal topics changed so far.'}
        </p>
      ) : (
        <ol className="timeline" aria-label="Cluster events, newest first">
          {shown.map((event) => {
            const described = describeEvent(event);
            return (
              <li key={event.seq} className={`timeline-item severity-${described.severity}`}>
                <time className="timeline-time mono" dateTime={new Date(event.at).toISOString()}>
                  {formatTime(event.at)}
                </time>
                <span className="timeline-marker" aria-hidden="true" />
                <span className="timeline-text">
                  <span className="timeline-title">{described.title}</span>
                  <span className="timeline-detail">{described.detail}</span>
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
