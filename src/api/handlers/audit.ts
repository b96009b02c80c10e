import type { AuditEntry } from '../../admin/auditLog';
import { summarizeChange } from '../../admin/changeSummary';
import type { AuditRow } from '../schemas/audit';
import { isEmbedded } from '../schemas/clusterRef';
import { defineHandlers } from './types';

const DEFAULT_LIMIT = 500;
/** Entries read to find one cluster's: the log holds every cluster's changes interleaved. */
const SCAN_FOR_ONE_CLUSTER = 5_000;

export const auditHandlers = defineHandlers({
  'audit.list': async ({ clusterId, limit = DEFAULT_LIMIT }, { audit, clusters, embedded }) => {
    const saved = await clusters.list();
    const names = new Map<string, string>([['embedded', 'Embedded cluster'], ...saved.map((cluster) => [cluster.id, cluster.name] as const)]);
    // CLI entries carry only the addresses; they belong to a cluster whose bootstrap servers match.
    const byAddress = new Map<string, string>(saved.map((cluster) => [cluster.bootstrapServers.join(','), cluster.id]));
    if (embedded.bootstrapServers.length > 0) byAddress.set(embedded.bootstrapServers.join(','), 'embedded');
    const refOf = (entry: AuditEntry) => entry.clusterId ?? byAddress.get(entry.cluster) ?? null;

    const scanned = await audit.read(clusterId === undefined ? limit + 1 : SCAN_FOR_ONE_CLUSTER);
    const matching = clusterId === undefined ? scanned : scanned.filter((entry) => refOf(entry) === clusterId || (isEmbedded(clusterId) && entry.clusterId === 'embedded'));
    const entries = matching.slice(0, limit).map((entry): AuditRow => {
      const ref = refOf(entry);
      return {
        at: entry.at,
        user: entry.user,
        cluster: entry.cluster,
        clusterId: entry.clusterId ?? null,
        clusterName: ref === null ? null : (names.get(ref) ?? null),
        kind: entry.change.kind,
        summary: summarizeChange(entry.change),
        outcome: entry.outcome,
        change: entry.change,
        before: entry.before ?? null,
        after: entry.after ?? null,
        kafkaCommand: entry.kafkaCommand ?? null,
        error: entry.error ?? null,
      };
    });
    return { path: audit.path, entries, truncated: matching.length > limit };
  },
});
