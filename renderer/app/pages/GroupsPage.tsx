import { useDeferredValue, useEffect, useId, useMemo, useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import { GROUP_LAG_ALL_LIMIT, GROUP_LAG_NAMED_MAX, type GroupRow } from '../../../src/api/schemas/groups';
import type { GroupLagTrend, LagTrends } from '../../../src/api/schemas/lag';
import { useGroups, useLagTrends } from '../api/clusterHooks';
import { useAllGroupLag, useGroupLagOf, useGroupLagReadings } from '../api/groupLagHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { LagTrendCell } from '../components/LagChart';
import { PendingColumnNote, PendingValue, UnknownValue } from '../components/PendingColumn';
import { QueryError } from '../components/QueryError';
import { SortButton, ariaSort } from '../components/SortButton';
import { SpacerRow, useKeyboardVirtualRows } from '../components/VirtualRows';
import { formatCount, formatLag, plural } from '../format';
import { filterGroups, nextGroupSort, SORT_BY_NAME, sortGroups, type GroupSort, type GroupSortKey, type LagCell } from '../groupTable';
import { groupHref, navigate } from '../routing';
import { ROW_KEYBOARD_HINT } from '../tableKeyboard';
import { useSettled } from '../useSettled';

const ROW_HEIGHT = 37;

const COLUMNS: { key: GroupSortKey | null; label: string; numeric: boolean }[] = [
  { key: 'group', label: 'Group', numeric: false },
  { key: 'state', label: 'State', numeric: false },
  { key: null, label: 'Protocol', numeric: false },
  { key: 'members', label: 'Members', numeric: true },
  { key: 'totalLag', label: 'Total lag', numeric: true },
  { key: null, label: 'Trend', numeric: false },
];

/**
 * Rows above and below the ones in view whose lag is read with them: a short scroll shows
 * figures at once, while a read stays a few dozen groups whatever the cluster holds.
 */
const LAG_OVERSCAN = 5;
/** Scrolling or typing settles for this long before the rows then in view are read. */
const LAG_SETTLE_MS = 200;

type RowRange = { readonly first: number; readonly last: number };

function LagValue({ cell }: { cell: LagCell }) {
  switch (cell.state) {
    case 'known':
      return <>{formatLag(cell.totalLag)}</>;
    case 'loading':
      return <PendingValue />;
    case 'failed':
      return <UnknownValue reason="Lag could not be read" />;
  }
}

/**
 * Only the rows in view are rendered (useVirtualRows), so thousands of groups stay fast; the
 * rows in view are reported up (`onInView`) so that their lag is read first.
 */
function VirtualGroupTable({
  rows,
  trends,
  lagOf,
  lagLoading,
  sort,
  onSort,
  onInView,
}: {
  rows: readonly GroupRow[];
  trends: LagTrends | undefined;
  lagOf: (group: string) => LagCell;
  lagLoading: boolean;
  sort: GroupSort;
  onSort: (key: GroupSortKey) => void;
  onInView: (range: RowRange | null) => void;
}) {
  const hintId = useId();
  const { indexes, before, after, inView, keyboard, scrollerRef } = useKeyboardVirtualRows(rows.length, ROW_HEIGHT, (index) => navigate(groupHref(rows[index]!.group)));
  const trendOf = useMemo(() => new Map<string, GroupLagTrend>((trends?.groups ?? []).map((entry) => [entry.group, entry])), [trends]);
  const first = inView?.first ?? -1;
  const last = inView?.last ?? -1;
  useEffect(() => onInView(first < 0 ? null : { first, last }), [first, last, onInView]);
  return (
    <div className="virtual-scroller" ref={scrollerRef}>
      <p id={hintId} className="visually-hidden">
        {ROW_KEYBOARD_HINT}
      </p>
      <table className="table sticky-head groups-table" aria-label="Consumer groups" aria-rowcount={rows.length + 1} aria-describedby={hintId}>
        <thead>
          <tr aria-rowindex={1}>
            {COLUMNS.map((column) => {
              const direction = column.key !== null && sort.key === column.key ? sort.direction : null;
              return (
                <th
                  key={column.label}
                  scope="col"
                  className={column.numeric ? 'numeric' : undefined}
                  aria-sort={column.key === null ? undefined : ariaSort(direction)}
                  {...(column.key === 'totalLag' ? { 'aria-busy': lagLoading } : {})}
                  {...(column.label === 'Trend' && trends ? { title: `Sampled every ${Math.round(trends.cycleMs / 1000)} s or so` } : {})}
                >
                  {column.key === null ? column.label : <SortButton label={column.label} direction={direction} onClick={() => onSort(column.key!)} />}
                </th>
              );
            })}
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={before} columns={COLUMNS.length} />
          {indexes.map((index) => {
            const group = rows[index]!;
            const lag = lagOf(group.group);
            return (
              <tr key={group.group} aria-rowindex={index + 2} style={{ height: ROW_HEIGHT }} {...keyboard.rowProps(index)}>
                <th scope="row" className="name-cell">
                  <a href={groupHref(group.group)} className="row-link" title={group.group}>
                    {group.group}
                  </a>
                </th>
                <td>
                  <span className={`status status-${group.state === 'Stable' ? 'good' : group.state === 'Empty' ? 'muted' : 'warn'}`}>{group.state}</span>
                </td>
                <td className="muted">{group.protocolType || '—'}</td>
                <td className="numeric">{formatCount(group.members)}</td>
                <td className={lag.state === 'known' && lag.totalLag !== null && lag.totalLag > 0 ? 'numeric count-bad' : 'numeric'} aria-label="Total lag">
                  <LagValue cell={lag} />
                </td>
                <td aria-label="Trend">
                  <LagTrendCell trend={trendOf.get(group.group)?.trend ?? 'unknown'} points={trendOf.get(group.group)?.points ?? []} />
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

/**
 * The groups of `rows` from `range` widened by LAG_OVERSCAN, by name: the rows whose lag to
 * read now (no more than one call may name, even in a window tall enough to show more).
 */
function groupsAround(rows: readonly GroupRow[], range: RowRange | null): string[] {
  if (range === null || rows.length === 0) return [];
  const first = Math.max(0, range.first - LAG_OVERSCAN);
  const last = Math.min(rows.length - 1, range.last + LAG_OVERSCAN, first + GROUP_LAG_NAMED_MAX - 1);
  return rows
    .slice(first, last + 1)
    .map((row) => row.group)
    .sort();
}

function Groups({ cluster }: { cluster: ClusterEntry }) {
  const groups = useGroups(cluster.id);
  const trends = useLagTrends(cluster.id);
  const data = groups.data;
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState<GroupSort>(SORT_BY_NAME);
  const [inView, setInView] = useState<RowRange | null>(null);
  // Typing stays responsive on long lists: filtering follows the input at lower priority.
  const deferredSearch = useDeferredValue(search);
  const all = data?.groups;
  const sortingByLag = sort.key === 'totalLag';
  const everyLag = useAllGroupLag(cluster.id, sortingByLag && all !== undefined);
  const readings = useGroupLagReadings(cluster.id);
  const filtered = useMemo(() => (all === undefined ? [] : filterGroups(all, deferredSearch)), [all, deferredSearch]);

  // What sorting goes by: the figures received. Whether a read failed changes only what a
  // cell says, not where its row sorts (below every figure either way).
  const receivedLagOf = useMemo(
    () =>
      (group: string): LagCell => {
        const reading = readings.get(group);
        return reading === undefined ? { state: 'loading' } : { state: 'known', totalLag: reading.totalLag };
      },
    [readings],
  );
  // Sorted by lag only once every group's lag is in: sorting the few rows read so far would
  // put them first and pass them off as the largest lag of all.
  const sortApplied = sortingByLag && everyLag.data === undefined ? SORT_BY_NAME : sort;
  const rows = useMemo(() => sortGroups(filtered, sortApplied, receivedLagOf), [filtered, sortApplied, receivedLagOf]);

  // The rows in view are known once the table has laid them out, so their lag is asked after
  // the rows have arrived (a broker answers a connection's requests in order: a lag read in
  // flight would hold the rows' DescribeGroups behind it).
  const around = useMemo(() => groupsAround(rows, inView), [rows, inView]);
  const lagTargets = useSettled(around, around.join('\u0000'), LAG_SETTLE_MS, '');
  const visibleLag = useGroupLagOf(cluster.id, lagTargets);
  const visibleError = visibleLag.isError ? visibleLag.error : null;
  const lagOf = useMemo(() => {
    const failed = visibleError === null ? new Set<string>() : new Set(lagTargets);
    const failedEverything = sortingByLag && everyLag.isError;
    return (group: string): LagCell => {
      const cell = receivedLagOf(group);
      return cell.state === 'loading' && (failedEverything || failed.has(group)) ? { state: 'failed' } : cell;
    };
  }, [receivedLagOf, visibleError, lagTargets, sortingByLag, everyLag.isError]);

  const missingInView = around.filter((group) => !readings.has(group)).length;
  const readingEverything = sortingByLag && everyLag.data === undefined && !everyLag.isError && all !== undefined;
  // Before the table's first layout no row is in view yet, but their lag is about to be asked.
  const awaitingLayout = rows.length > 0 && inView === null;
  const lagLoading = readingEverything || ((awaitingLayout || missingInView > 0) && visibleError === null);
  const lagError = visibleError ?? (sortingByLag ? everyLag.error : null);
  const partial = sortingByLag && everyLag.data !== undefined && all !== undefined && all.length > everyLag.data.limit;
  return (
    <section className="panel groups-panel" aria-labelledby="groups-title">
      <div className="panel-header">
        <h2 id="groups-title" className="panel-title">
          Consumer groups of {cluster.name}
          {all === undefined ? null : (
            <span className="muted heading-note">{rows.length === all.length ? formatCount(all.length) : `${formatCount(rows.length)} of ${formatCount(all.length)}`}</span>
          )}
        </h2>
        <DataAge updatedAt={groups.dataUpdatedAt} fetching={groups.isFetching} />
      </div>
      {all !== undefined && all.length > 0 ? (
        <div className="toolbar" role="search">
          <input type="search" className="search" placeholder="Search groups" aria-label="Search groups" value={search} onChange={(event) => setSearch(event.target.value)} />
        </div>
      ) : null}
      {groups.isError ? (
        <div className="panel-body">
          <QueryError what={`the consumer groups of ${cluster.name}`} error={groups.error} onRetry={() => void groups.refetch()} />
        </div>
      ) : null}
      {partial ? (
        <p className="panel-footnote muted">
          Sorting by Total lag uses the lag of the first {formatCount(everyLag.data.limit)} groups by name; the others sort last until they are scrolled into view. Open a
          group to see its lag.
        </p>
      ) : null}
      {trends.data?.lastError ? <p className="panel-footnote muted">Lag sampling failed: {trends.data.lastError}</p> : null}
      {all === undefined ? (
        groups.isPending ? (
          <p className="empty-inline" role="status">
            Reading the consumer groups…
          </p>
        ) : null
      ) : all.length === 0 ? (
        <p className="empty-inline" role="status">
          No consumer groups yet. A group appears once a consumer with a group.id joins or commits offsets.
        </p>
      ) : rows.length === 0 ? (
        <p className="empty-inline" role="status">
          No group matches “{search.trim()}”.
        </p>
      ) : (
        <VirtualGroupTable
          rows={rows}
          trends={trends.data}
          lagOf={lagOf}
          lagLoading={lagLoading}
          sort={sort}
          onSort={(key) => setSort((current) => nextGroupSort(current, key))}
          onInView={setInView}
        />
      )}
      {/* Below the rows, so they do not move when the column has loaded and the note goes. */}
      {all !== undefined && all.length > 0 ? (
        <PendingColumnNote
          column="Total lag"
          reading={
            readingEverything
              ? `Reading the lag of ${plural(Math.min(all.length, GROUP_LAG_ALL_LIMIT), 'group')} to sort by Total lag; the rows stay in name order until then…`
              : lagLoading
                ? `Reading the lag of ${missingInView > 0 ? plural(missingInView, 'group') : 'the groups in view'} for the Total lag column…`
                : null
          }
          error={lagError}
          onRetry={() => void (visibleError !== null ? visibleLag.refetch() : everyLag.refetch())}
        />
      ) : null}
    </section>
  );
}

export function GroupsPage() {
  return (
    <ClusterGate icon="groups" subject="consumer groups">
      {(cluster) => <Groups cluster={cluster} />}
    </ClusterGate>
  );
}
