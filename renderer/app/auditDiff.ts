import type { AuditRow } from '../../src/api/schemas/audit';

/**
 * Before/after of an audit entry as rows a person can scan: both values are flattened to
 * dotted paths ("overrides.retention.ms", "partitions") and compared path by path. A value
 * that is null or absent as a whole (a topic before it was created) shows as "none".
 */
export interface DiffRow {
  readonly path: string;
  readonly before: string | null;
  readonly after: string | null;
  readonly changed: boolean;
}

function flatten(value: unknown, prefix: string, into: Map<string, string>): void {
  if (value !== null && typeof value === 'object') {
    const entries = Array.isArray(value) ? value.map((item, index) => [String(index), item] as const) : Object.entries(value);
    if (entries.length === 0) into.set(prefix || '(value)', Array.isArray(value) ? '[]' : '{}');
    for (const [key, item] of entries) flatten(item, prefix === '' ? key : `${prefix}.${key}`, into);
    return;
  }
  if (value === null || value === undefined) {
    if (prefix !== '') into.set(prefix, 'null');
    return;
  }
  into.set(prefix || '(value)', typeof value === 'string' ? value : JSON.stringify(value));
}

export function diffValues(before: unknown, after: unknown): DiffRow[] {
  const left = new Map<string, string>();
  const right = new Map<string, string>();
  flatten(before, '', left);
  flatten(after, '', right);
  const paths = [...new Set([...left.keys(), ...right.keys()])].sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  return paths.map((path) => {
    const was = left.get(path) ?? null;
    const now = right.get(path) ?? null;
    return { path, before: was, after: now, changed: was !== now };
  });
}

export interface AuditFilter {
  readonly cluster: string;
  readonly kind: string;
  readonly text: string;
}

/** The name the audit view shows for an entry's cluster: the app's name, else its addresses. */
export function clusterLabel(row: AuditRow): string {
  return row.clusterName ?? row.cluster;
}

export function filterAudit(rows: readonly AuditRow[], filter: AuditFilter): AuditRow[] {
  const needle = filter.text.trim().toLowerCase();
  return rows.filter(
    (row) =>
      (filter.cluster === '' || clusterLabel(row) === filter.cluster) &&
      (filter.kind === '' || row.kind === filter.kind) &&
      (needle === '' || [row.summary, row.user, row.cluster, row.clusterName ?? '', row.kafkaCommand ?? '', row.error ?? ''].some((field) => field.toLowerCase().includes(needle))),
  );
}
