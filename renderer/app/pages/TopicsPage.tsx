import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { CallResult } from '../../../src/api/contract';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { useTopicMinIsr, useTopics } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { PendingColumnNote, PendingValue, UnknownValue } from '../components/PendingColumn';
import { QueryError } from '../components/QueryError';
import { SortButton, ariaSort } from '../components/SortButton';
import { SpacerRow, useKeyboardVirtualRows } from '../components/VirtualRows';
import { formatCount, formatTime, plural } from '../format';
import { navigate, topicHref } from '../routing';
import { ROW_KEYBOARD_HINT } from '../tableKeyboard';
import {
  filterTopics,
  isUnhealthy,
  nextSort,
  sortTopics,
  withMinIsr,
  type MinIsrCount,
  type MinIsrState,
  type TopicSort,
  type TopicSortKey,
  type TopicTableRow,
} from '../topicTable';
import { CreateTopicForm } from './CreateTopicForm';

const ROW_HEIGHT = 37;

const COLUMNS: { key: TopicSortKey; label: string; numeric: boolean }[] = [
  { key: 'name', label: 'Name', numeric: false },
  { key: 'partitions', label: 'Partitions', numeric: true },
  { key: 'replicationFactor', label: 'RF', numeric: true },
  { key: 'underReplicatedPartitions', label: 'Under-replicated', numeric: true },
  { key: 'offlinePartitions', label: 'Offline', numeric: true },
  { key: 'underMinIsrPartitions', label: 'Under min ISR', numeric: true },
];

function Count({ value }: { value: number }) {
  return <span className={value > 0 ? 'count-bad' : undefined}>{formatCount(value)}</span>;
}

function MinIsrCell({ value }: { value: MinIsrCount }) {
  if (value === 'loading') return <PendingValue />;
  if (value === 'unknown') return <UnknownValue reason="min.insync.replicas could not be read" />;
  return <Count value={value} />;
}

/** Only the rows in view are rendered (useVirtualRows), so ten thousand topics scroll smoothly. */
function VirtualTopicTable({
  rows,
  sort,
  onSort,
  minIsrLoading,
  minIsrReadAt,
}: {
  rows: readonly TopicTableRow[];
  sort: TopicSort;
  onSort: (key: TopicSortKey) => void;
  minIsrLoading: boolean;
  minIsrReadAt: number;
}) {
  const hintId = useId();
  const { indexes, before, after, keyboard, scrollerRef } = useKeyboardVirtualRows(rows.length, ROW_HEIGHT, (index) => navigate(topicHref(rows[index]!.name)));
  return (
    <div className="virtual-scroller" ref={scrollerRef}>
      <p id={hintId} className="visually-hidden">
        {ROW_KEYBOARD_HINT}
      </p>
      <table className="table sticky-head topics-table" aria-label="Topics" aria-rowcount={rows.length + 1} aria-describedby={hintId}>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const direction = sort.key === column.key ? sort.direction : null;
              return (
                <th
                  key={column.key}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={ariaSort(direction)}
                  {...(column.key === 'underMinIsrPartitions'
                    ? { 'aria-busy': minIsrLoading, title: minIsrReadAt === 0 ? 'Reading min.insync.replicas…' : `min.insync.replicas as read at ${formatTime(minIsrReadAt)}` }
                    : {})}
                >
                  <SortButton label={column.label} direction={direction} onClick={() => onSort(column.key)} />
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={before} columns={COLUMNS.length} />
          {indexes.map((index) => {
            const topic = rows[index]!;
            return (
              <tr
                key={topic.name}
                aria-rowindex={index + 2}
                style={{ height: ROW_HEIGHT }}
                className={isUnhealthy(topic) ? 'row-unhealthy' : undefined}
                {...keyboard.rowProps(index)}
              >
                <th scope="row" className="name-cell">
                  <a href={topicHref(topic.name)} className="row-link" title={topic.name}>
                    {topic.name}
                  </a>
                  {topic.internal ? <span className="badge badge-muted">internal</span> : null}
                </th>
                <td className="numeric">{formatCount(topic.partitions)}</td>
                <td className="numeric">{topic.replicationFactor}</td>
                <td className="numeric">
                  <Count value={topic.underReplicatedPartitions} />
                </td>
                <td className="numeric">
                  <Count value={topic.offlinePartitions} />
                </td>
                <td className="numeric">
                  <MinIsrCell value={topic.underMinIsrPartitions} />
                </td>
              </tr>
            );
          })}
          <SpacerRow height={after} columns={COLUMNS.length} />
        </tbody>
      </table>
    </div>
  );
}

function Topics({ cluster }: { cluster: ClusterEntry }) {
  const topics = useTopics(cluster.id);
  const minIsr = useTopicMinIsr(cluster.id);
  const [search, setSearch] = useState('');
  const [unhealthyOnly, setUnhealthyOnly] = useState(false);
  const [includeInternal, setIncludeInternal] = useState(false);
  const [sort, setSort] = useState<TopicSort>({ key: 'name', direction: 'asc' });
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CallResult<'topics.create'> | null>(null);
  // Typing stays responsive on huge lists: filtering follows the input at lower priority.
  const deferredSearch = useDeferredValue(search);
  const listed = topics.data?.topics;
  const minIsrList = minIsr.data;
  const minIsrFailed = minIsr.isError;
  const minIsrState = useMemo<MinIsrState>(
    () => (minIsrList !== undefined ? { state: 'loaded', list: minIsrList } : minIsrFailed ? { state: 'failed' } : { state: 'loading' }),
    [minIsrList, minIsrFailed],
  );
  const all = useMemo(() => (listed === undefined ? undefined : withMinIsr(listed, minIsrState)), [listed, minIsrState]);
  const rows = useMemo(
    () => (all === undefined ? [] : sortTopics(filterTopics(all, { search: deferredSearch, unhealthyOnly, includeInternal }), sort)),
    [all, deferredSearch, unhealthyOnly, includeInternal, sort],
  );
  const minIsrLoading = minIsrState.state === 'loading' || (all?.some((topic) => topic.underMinIsrPartitions === 'loading') ?? false);
  const liveBrokers = topics.data?.liveBrokers ?? 1;

  return (
    <div className="stack">
      {creating ? (
        <section className="panel">
          <CreateTopicForm
            clusterId={cluster.id}
            defaultReplicationFactor={Math.min(3, Math.max(1, liveBrokers))}
            onDone={(result) => {
              setCreating(false);
              setCreated(result);
            }}
          />
        </section>
      ) : null}
      {created === null ? null : (
        <div className="notice" role="status">
          <span>
            Created topic <a href={topicHref(created.topic)}>{created.topic}</a>. Equivalent command:
          </span>
          <code className="mono command">{created.kafkaCommand}</code>
          <button type="button" className="button button-quiet" onClick={() => setCreated(null)} aria-label="Dismiss">
            Dismiss
          </button>
        </div>
      )}
      <section className="panel topics-panel" aria-labelledby="topics-title">
        <div className="panel-header">
          <h2 id="topics-title" className="panel-title">
            Topics of {cluster.name}
            {all === undefined ? null : (
              <span className="muted heading-note">
                {rows.length === all.length ? formatCount(all.length) : `${formatCount(rows.length)} of ${formatCount(all.length)}`}
              </span>
            )}
          </h2>
          <DataAge updatedAt={topics.dataUpdatedAt} fetching={topics.isFetching} />
        </div>
        <div className="toolbar" role="search">
          <input type="search" className="search" placeholder="Search topics" aria-label="Search topics" value={search} onChange={(event) => setSearch(event.target.value)} />
          <label className="checkbox">
            <input type="checkbox" checked={unhealthyOnly} onChange={(event) => setUnhealthyOnly(event.target.checked)} />
            Unhealthy only
          </label>
          <label className="checkbox">
            <input type="checkbox" checked={includeInternal} onChange={(event) => setIncludeInternal(event.target.checked)} />
            Internal topics
          </label>
          <span className="toolbar-spacer" />
          {creating ? null : (
            <button type="button" className="button button-primary" onClick={() => setCreating(true)}>
              Create topic
            </button>
          )}
        </div>
        {topics.isError ? (
          <div className="panel-body">
            <QueryError what={`the topics of ${cluster.name}`} error={topics.error} onRetry={() => void topics.refetch()} />
          </div>
        ) : null}
        {all === undefined ? (
          topics.isPending ? (
            <p className="empty-inline" role="status">
              Reading the topics…
            </p>
          ) : null
        ) : rows.length === 0 ? (
          <p className="empty-inline" role="status">
            {all.length === 0
              ? 'This cluster has no topics yet. Create one to start.'
              : unhealthyOnly && search.trim() === ''
                ? minIsrState.state === 'loaded' && !minIsrLoading
                  ? 'Every topic is healthy: no partition is offline, under-replicated or under its min ISR.'
                  : 'No partition is offline or under-replicated; min ISR is not known yet.'
                : 'No topic matches these filters.'}
          </p>
        ) : (
          <VirtualTopicTable
            rows={rows}
            sort={sort}
            onSort={(key) => setSort((current) => nextSort(current, key))}
            minIsrLoading={minIsrLoading}
            minIsrReadAt={minIsr.dataUpdatedAt}
          />
        )}
        {/* Below the rows, so they do not move when the column has loaded and the note goes. */}
        {all === undefined ? null : (
          <PendingColumnNote
            column="Under min ISR"
            reading={
              minIsrLoading
                ? `Reading min.insync.replicas of ${plural(all.length, 'topic')} for the Under min ISR column${unhealthyOnly ? '; until then, Unhealthy only goes by offline and under-replicated partitions' : ''}…`
                : null
            }
            error={minIsr.isError ? minIsr.error : null}
            onRetry={() => void minIsr.refetch()}
          />
        )}
      </section>
    </div>
  );
}

export function TopicsPage() {
  return (
    <ClusterGate icon="topics" subject="topics">
      {(cluster) => <Topics cluster={cluster} />}
    </ClusterGate>
  );
}
