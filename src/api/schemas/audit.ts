import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';

/** audit.list: the newest changes first, optionally only those of one cluster. */
export const AuditListInputSchema = z.strictObject({
  clusterId: ClusterRefSchema.optional(),
  limit: z.number().int().min(1).max(2_000).optional(),
});

/** One change made through the app or the CLI, as the audit log recorded it. */
export interface AuditRow {
  readonly at: string;
  readonly user: string;
  /** The bootstrap servers the change went to. */
  readonly cluster: string;
  /** The app's cluster reference when the app made the change; null for the CLI. */
  readonly clusterId: string | null;
  /** The saved cluster's name (or "Embedded cluster"), when known. */
  readonly clusterName: string | null;
  readonly kind: string;
  /** One line: what was done ("Deleted topic orders"). */
  readonly summary: string;
  readonly outcome: 'done' | 'failed';
  /** What was asked, as recorded (topic, partitions, configs, mode...). */
  readonly change: unknown;
  readonly before: unknown;
  readonly after: unknown;
  readonly kafkaCommand: string | null;
  readonly error: string | null;
}

export interface AuditList {
  /** The file the log is kept in (JSON lines, never rewritten). */
  readonly path: string;
  readonly entries: readonly AuditRow[];
  /** True when older entries exist beyond the limit. */
  readonly truncated: boolean;
}

/** commands.preview: the equivalent command of a destructive action, shown before it is confirmed. */
export const CommandPreviewSchema = z.discriminatedUnion('action', [
  z.strictObject({ action: z.literal('delete-topic'), clusterId: ClusterRefSchema, topic: z.string().min(1).max(249) }),
  z.strictObject({ action: z.literal('delete-group'), clusterId: ClusterRefSchema, group: z.string().min(1).max(1024) }),
  z.strictObject({ action: z.enum(['stop-broker', 'kill-broker']), brokerId: z.number().int().min(1) }),
]);
