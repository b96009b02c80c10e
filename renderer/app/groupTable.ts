import type { GroupRow } from '../../src/api/schemas/groups';

/**
 * A group's total lag as the table knows it: a figure (null: no committed offsets), still
 * being read, or unknown because the read that covered it failed.
 */
export type LagCell = { readonly state: 'known'; readonly totalLag: number | null } | { readonly state: 'loading' | 'failed' };

/** What the groups table can be sorted by. */
export type GroupSortKey = 'group' | 'state' | 'members' | 'totalLag';
export interface GroupSort {
  readonly key: GroupSortKey;
  readonly direction: 'asc' | 'desc';
}

export const SORT_BY_NAME: GroupSort = { key: 'group', direction: 'asc' };

/** Case-insensitive substring of the group id; blank matches all. */
export function filterGroups(groups: readonly GroupRow[], search: string): readonly GroupRow[] {
  const needle = search.trim().toLowerCase();
  return needle === '' ? groups : groups.filter((group) => group.group.toLowerCase().includes(needle));
}

/**
 * Where a lag sorts: a figure by its value; a group without committed offsets below 0; a
 * figure not read yet below everything, whichever the direction, so that it never passes for
 * the largest or the smallest lag.
 */
function lagRank(cell: LagCell): number | null {
  if (cell.state !== 'known') return null;
  return cell.totalLag ?? -1;
}

/** Sorts by the chosen column, then by name, so equal values keep a stable, readable order. */
export function sortGroups(groups: readonly GroupRow[], sort: GroupSort, lagOf: (group: string) => LagCell): readonly GroupRow[] {
  if (sort.key === 'group' && sort.direction === 'asc') return groups;
  const sign = sort.direction === 'asc' ? 1 : -1;
  const byName = (a: GroupRow, b: GroupRow) => a.group.localeCompare(b.group);
  switch (sort.key) {
    case 'group':
      return [...groups].sort((a, b) => sign * byName(a, b));
    case 'state':
      return [...groups].sort((a, b) => sign * a.state.localeCompare(b.state) || byName(a, b));
    case 'members':
      return [...groups].sort((a, b) => sign * (a.members - b.members) || byName(a, b));
    case 'totalLag': {
      const ranks = new Map(groups.map((group) => [group.group, lagRank(lagOf(group.group))]));
      return [...groups].sort((a, b) => {
        const left = ranks.get(a.group) ?? null;
        const right = ranks.get(b.group) ?? null;
        if (left === null || right === null) return left === right ? byName(a, b) : left === null ? 1 : -1;
        return sign * (left - right) || byName(a, b);
      });
    }
  }
}

/** Clicking the sorted column flips it; another column starts descending for counts, ascending for text. */
export function nextGroupSort(current: GroupSort, key: GroupSortKey): GroupSort {
  if (current.key === key) return { key, direction: current.direction === 'asc' ? 'desc' : 'asc' };
  return { key, direction: key === 'members' || key === 'totalLag' ? 'desc' : 'asc' };
}
