import { useDeferredValue, useId, useMemo, useState } from 'react';
import type { ClusterEntry } from '../../../src/api/schemas/clusterRef';
import type { GroupLagList, GroupRow } from '../../../src/api/schemas/groups';
import type { GroupLagTrend, LagTrends } from '../../../src/api/schemas/lag';
import { useGroupLag, useGroups, useLagTrends } from '../api/clusterHooks';
import { ClusterGate } from '../components/ClusterGate';
import { DataAge } from '../components/DataAge';
import { LagTrendCell } from '../components/LagChart';
import { PendingColumnNote, PendingValue, UnknownValue } from '../components/PendingColumn';
import { QueryError } from '../components/QueryError';
import { SpacerRow, useKeyboardVirtualRows } from '../components/VirtualRows';
import { formatCount, formatLag, plural } from '../format';
import { groupHref, navigate } from '../routing';
import { ROW_KEYBOARD_HINT } from '../tableKeyboard';

const ROW_HEIGHT = 37;
const COLUMN_COUNT = 6;

/** Case-insensitive substring of the group id; blank matches all. */
function filterGroups(groups: readonly GroupRow[], search: string): readonly GroupRow[] {
  const needle = search.trim().toLowerCase();
  return needle === '' ? groups : groups.filter((group) => group.group.toLowerCase().includes(needle));
}

/**
 * A group's total lag as the table knows it: a figure (null: no committed offsets), still
 * being read, beyond the bulk read's limit, or unknown because the read failed.
 */
type LagCell = { readonly state: 'known'; readonly totalLag: number | null } | { readonly state: 'loading' | 'not-computed' | 'failed' };

function lagLookup(lag: GroupLagList | undefined, failed: boolean): (group: string) => LagCell {
  if (lag === undefined) {
    const cell: LagCell = { state: failed ? 'failed' : 'loading' };
    return () => cell;
  }
  const byGroup = new Map(lag.groups.map((entry) => [entry.group, entry.totalLag]));
  const checkedAll = lag.groups.length < lag.limit;
  return (group) => {
    const totalLag = byGroup.get(group);
    if (totalLag !== undefined) return { state: 'known', totalLag };
    // Listed after the lag was read (a new group) while under the limit: the next read has it.
    return { state: checkedAll ? 'loading' : 'not-computed' };
  };
}

function LagValue({ cell }: { cell: LagCell }) {
  switch (cell.state) {
    case 'known':
      return <>{formatLag(cell.totalLag)}</>;
    case 'loading':
      return <PendingValue />;
    case 'not-computed':
      return <UnknownValue reason="Lag is computed for the first groups by name; open the group to see its lag" />;
    case 'failed':
      return <UnknownValue reason="Lag could not be read" />;
  }
}

/** Only the rows in view are rendered (useVirtualRows), so thousands of groups stay fast. */
function VirtualGroupTable({
  rows,
  trends,
  lagOf,
  lagLoading,
}: {
  rows: readonly GroupRow[];
  trends: LagTrends | undefined;
  lagOf: (group: string) => LagCell;
  lagLoading: boolean;
}) {
  const hintId = useId();
  const { indexes, before, after, keyboard, scrollerRef } = useKeyboardVirtualRows(rows.length, ROW_HEIGHT, (index) => navigate(groupHref(rows[index]!.group)));
  const trendOf = useMemo(() => new Map<string, GroupLagTrend>((trends?.groups ?? []).map((entry) => [entry.group, entry])), [trends]);
  return (
    <div className="virtual-scroller" ref={scrollerRef}>
      <p id={hintId} className="visually-hidden">
        {ROW_KEYBOARD_HINT}
      </p>
      <table className="table sticky-head groups-table" aria-label="Consumer groups" aria-rowcount={rows.length + 1} aria-describedby={hintId}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col">Group</th>
            <th scope="col">State</th>
            <th scope="col">Protocol</th>
            <th scope="col" className="numeric">
              Members
            </th>
            <th scope="col" className="numeric" aria-busy={lagLoading}>
              Total lag
            </th>
            <th scope="col" title={trends ? `Sampled every ${Math.round(trends.cycleMs / 1000)} s or so` : undefined}>
              Trend
            </th>
          </tr>
        </thead>
        <tbody>
          <SpacerRow height={before} columns={COLUMN_COUNT} />
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
          <SpacerRow height={after} columns={COLUMN_COUNT} />
        </tbody>
      </table>
    </div>
  );
}

function Groups({ cluster }: { cluster: ClusterEntry }) {
  const groups = useGroups(cluster.id);
  const lag = useGroupLag(cluster.id, { enabled: groups.data !== undefined });
  const trends = useLagTrends(cluster.id);
  const data = groups.data;
  const [search, setSearch] = useState('');
  // Typing stays responsive on long lists: filtering follows the input at lower priority.
  const deferredSearch = useDeferredValue(search);
  const all = data?.groups;
  const rows = useMemo(() => (all === undefined ? [] : filterGroups(all, deferredSearch)), [all, deferredSearch]);
  const lagOf = useMemo(() => lagLookup(lag.data, lag.isError), [lag.data, lag.isError]);
  const lagLoading = all !== undefined && !lag.isError && (lag.data === undefined || all.some((group) => lagOf(group.group).state === 'loading'));
  const partial = lag.data !== undefined && all !== undefined && lag.data.groups.length < all.length && lag.data.groups.length >= lag.data.limit;
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
      {partial ? <p className="panel-footnote muted">Lag is computed for the first {formatCount(lag.data.limit)} groups by name; open a group to see its lag.</p> : null}
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
        <VirtualGroupTable rows={rows} trends={trends.data} lagOf={lagOf} lagLoading={lagLoading} />
      )}
      {/* Below the rows, so they do not move when the column has loaded and the note goes. */}
      {all !== undefined && all.length > 0 ? (
        <PendingColumnNote
          column="Total lag"
          reading={lagLoading ? `Reading the lag of ${plural(Math.min(all.length, lag.data?.limit ?? all.length), 'group')} for the Total lag column…` : null}
          error={lag.isError ? lag.error : null}
          onRetry={() => void lag.refetch()}
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
