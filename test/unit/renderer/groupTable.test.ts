import { describe, expect, it } from 'vitest';
import type { GroupRow } from '../../../src/api/schemas/groups';
import { filterGroups, nextGroupSort, SORT_BY_NAME, sortGroups, type LagCell } from '../../../renderer/app/groupTable';

const group = (name: string, state = 'Empty', members = 0): GroupRow => ({ group: name, state, protocolType: members > 0 ? 'consumer' : '', members });

const groups = [group('billing', 'Stable', 3), group('audit'), group('payroll', 'Stable', 1), group('refunds'), group('exports'), group('Archive')];
const lag: Record<string, LagCell> = {
  billing: { state: 'known', totalLag: 120 },
  audit: { state: 'known', totalLag: 0 },
  payroll: { state: 'known', totalLag: 120 },
  refunds: { state: 'known', totalLag: null },
  exports: { state: 'loading' },
  Archive: { state: 'failed' },
};
const lagOf = (name: string) => lag[name]!;
const names = (rows: readonly GroupRow[]) => rows.map((row) => row.group);

describe('groups table order', () => {
  it('keeps the listing (by name) for the default sort and sorts names either way otherwise', () => {
    expect(sortGroups(groups, SORT_BY_NAME, lagOf)).toBe(groups);
    expect(names(sortGroups(groups, { key: 'group', direction: 'desc' }, lagOf))).toEqual(['refunds', 'payroll', 'exports', 'billing', 'audit', 'Archive']);
  });

  it('sorts by lag with ties by name; no commits below 0; a figure not read (loading or failed) last in both directions', () => {
    expect(names(sortGroups(groups, { key: 'totalLag', direction: 'desc' }, lagOf))).toEqual(['billing', 'payroll', 'audit', 'refunds', 'Archive', 'exports']);
    expect(names(sortGroups(groups, { key: 'totalLag', direction: 'asc' }, lagOf))).toEqual(['refunds', 'audit', 'billing', 'payroll', 'Archive', 'exports']);
  });

  it('sorts by members and by state, ties by name', () => {
    expect(names(sortGroups(groups, { key: 'members', direction: 'desc' }, lagOf))).toEqual(['billing', 'payroll', 'Archive', 'audit', 'exports', 'refunds']);
    expect(names(sortGroups(groups, { key: 'state', direction: 'asc' }, lagOf))).toEqual(['Archive', 'audit', 'exports', 'refunds', 'billing', 'payroll']);
  });

  it('starts counts descending and text ascending, and flips the sorted column', () => {
    expect(nextGroupSort(SORT_BY_NAME, 'totalLag')).toEqual({ key: 'totalLag', direction: 'desc' });
    expect(nextGroupSort({ key: 'totalLag', direction: 'desc' }, 'totalLag')).toEqual({ key: 'totalLag', direction: 'asc' });
    expect(nextGroupSort({ key: 'totalLag', direction: 'desc' }, 'state')).toEqual({ key: 'state', direction: 'asc' });
    expect(nextGroupSort(SORT_BY_NAME, 'group')).toEqual({ key: 'group', direction: 'desc' });
  });

  it('filters by a case-insensitive part of the group id', () => {
    expect(names(filterGroups(groups, ' AR'))).toEqual(['Archive']);
    expect(names(filterGroups(groups, 'r'))).toEqual(['payroll', 'refunds', 'exports', 'Archive']);
    expect(filterGroups(groups, '  ')).toBe(groups);
  });
});
