import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { ClusterOverview } from '../../../src/api/schemas/overview';
import { useOverview } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { QueryError } from '../components/QueryError';
import { formatCount, plural } from '../format';
import { hrefFor } from '../routing';
import { EventsTimeline } from './EventsTimeline';

type Tone = 'neutral' | 'good' | 'bad';

function Tile({ label, value, note, tone, href }: { label: string; value: string; note?: string; tone: Tone; href?: string }) {
  const body = (
    <>
      <span className="tile-label">{label}</span>
      <span className="tile-value">{value}</span>
      {note === undefined ? null : <span className="tile-note">{note}</span>}
    </>
  );
  return (
    <li className={`tile tone-${tone}`} aria-label={`${label}: ${value}${note === undefined ? '' : `, ${note}`}`}>
      {href === undefined ? body : (
        <a className="tile-link" href={href}>
          {body}
        </a>
      )}
    </li>
  );
}

const problem = (count: number): Tone => (count > 0 ? 'bad' : 'good');

function HealthTiles({ overview }: { overview: ClusterOverview }) {
  const down = overview.brokersDown;
  const lagPartial = overview.groupsLagChecked < overview.groups;
  return (
    <ul className="tiles" aria-label="Cluster health">
      <Tile
        label="Brokers up"
        value={`${overview.brokersUp} / ${overview.brokersUp + down.length}`}
        note={down.length === 0 ? 'all up' : `down: ${down.join(', ')}`}
        tone={problem(down.length)}
        href={hrefFor('brokers')}
      />
      <Tile label="Controller" value={overview.controllerId === null ? 'none' : `broker ${overview.controllerId}`} tone={overview.controllerId === null ? 'bad' : 'neutral'} />
      <Tile label="Topics" value={formatCount(overview.topics)} note={`+ ${plural(overview.internalTopics, 'internal topic')}`} tone="neutral" href={hrefFor('topics')} />
      <Tile label="Partitions" value={formatCount(overview.partitions)} tone="neutral" />
      <Tile label="Under-replicated" value={formatCount(overview.underReplicatedPartitions)} note="partitions" tone={problem(overview.underReplicatedPartitions)} href={hrefFor('topics')} />
      <Tile label="Offline" value={formatCount(overview.offlinePartitions)} note="partitions without a leader" tone={problem(overview.offlinePartitions)} href={hrefFor('topics')} />
      <Tile label="Under min ISR" value={formatCount(overview.underMinIsrPartitions)} note="acks=all producers fail" tone={problem(overview.underMinIsrPartitions)} href={hrefFor('topics')} />
      <Tile
        label="Groups with lag"
        value={`${formatCount(overview.groupsWithLag)} / ${formatCount(overview.groups)}`}
        note={lagPartial ? `lag read for the first ${overview.groupsLagChecked} groups only` : 'consumer groups'}
        tone="neutral"
        href={hrefFor('groups')}
      />
    </ul>
  );
}

function Overview({ cluster }: { cluster: ClusterEntry }) {
  const overview = useOverview(cluster.id);
  return (
    <div className="stack">
      <section className="panel" aria-labelledby="health-title">
        <div className="panel-header">
          <h2 id="health-title" className="panel-title">
            Health of {cluster.name}
            {overview.data?.clusterId ? <span className="muted mono heading-note">cluster id {overview.data.clusterId}</span> : null}
          </h2>
          <DataAge updatedAt={overview.dataUpdatedAt} fetching={overview.isFetching} />
        </div>
        <div className="panel-body">
          {overview.isError ? <QueryError what={`the health of ${cluster.name}`} error={overview.error} onRetry={() => void overview.refetch()} /> : null}
          {overview.data === undefined ? (
            overview.isPending ? (
              <p className="loading" role="status">
                Reading the cluster…
              </p>
            ) : null
          ) : (
            <HealthTiles overview={overview.data} />
          )}
        </div>
      </section>
      <EventsTimeline cluster={cluster} />
    </div>
  );
}

export function OverviewPage() {
  return (
    <ClusterGate icon="overview" subject="its health">
      {(cluster) => <Overview cluster={cluster} />}
    </ClusterGate>
  );
}
