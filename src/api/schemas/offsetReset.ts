import { z } from 'zod';
import { ClusterRefSchema } from './clusterRef';
import { TopicNameSchema } from './topics';

/**
 * The offset reset wizard's call: the modes and scopes of
 * `kafka-consumer-groups.sh --reset-offsets`, as the user entered them (the back end parses
 * date-times, durations and CSV with the same parsers as the CLI, so both reject the same
 * input with the same words). A dry run returns the plan; an execution also needs the group
 * name typed again.
 */
export const ResetModeInputSchema = z.discriminatedUnion('mode', [
  z.strictObject({ mode: z.literal('to-earliest') }),
  z.strictObject({ mode: z.literal('to-latest') }),
  z.strictObject({ mode: z.literal('to-current') }),
  z.strictObject({ mode: z.literal('to-offset'), offset: z.number().int().min(0, { error: 'The offset is a whole number of at least 0' }) }),
  z.strictObject({ mode: z.literal('shift-by'), shift: z.number().int({ error: 'The shift is a whole number (negative to re-read)' }) }),
  /** Kafka's YYYY-MM-DDTHH:mm:SS.sss with an optional zone. */
  z.strictObject({ mode: z.literal('to-datetime'), datetime: z.string().min(1, { error: 'Enter a date and time' }).max(64) }),
  /** ISO-8601, e.g. PT1H or P1D. */
  z.strictObject({ mode: z.literal('by-duration'), duration: z.string().min(1, { error: 'Enter a duration such as PT1H or P1D' }).max(64) }),
  /** Kafka's CSV (topic,partition,offset per line); fileName is how the plan names it. */
  z.strictObject({
    mode: z.literal('from-file'),
    csv: z.string().min(1, { error: 'Paste or load a CSV of topic,partition,offset lines' }).max(5_000_000),
    fileName: z.string().min(1).max(255).default('reset-offsets.csv'),
  }),
]);
export type ResetModeInput = z.input<typeof ResetModeInputSchema>;
export type ResetModeName = ResetModeInput['mode'];

export const ResetScopeInputSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all-topics') }),
  z.strictObject({
    kind: z.literal('topics'),
    topics: z
      .array(z.strictObject({ topic: TopicNameSchema, partitions: z.array(z.number().int().min(0)).min(1).optional() }))
      .min(1, { error: 'Choose at least one topic' }),
  }),
]);
export type ResetScopeInput = z.input<typeof ResetScopeInputSchema>;

export const ResetOffsetsSchema = z
  .strictObject({
    clusterId: ClusterRefSchema,
    group: z.string().min(1).max(1024),
    mode: ResetModeInputSchema,
    /** Ignored for from-file, whose lines are the scope. */
    scope: ResetScopeInputSchema,
    execute: z.boolean(),
    /** The group name typed again; required to execute. */
    confirmation: z.string().optional(),
  })
  .refine((input) => !input.execute || input.confirmation === input.group, {
    error: 'Type the group name exactly to confirm the reset',
    path: ['confirmation'],
  });
export type ResetOffsetsInput = z.input<typeof ResetOffsetsSchema>;

export interface ResetPlanRow {
  readonly topic: string;
  readonly partition: number;
  readonly currentOffset: number | null;
  readonly newOffset: number;
  /** What the mode asked for; differs from newOffset only when clamped to the log. */
  readonly requestedOffset: number;
  readonly clampedTo: 'log-start' | 'log-end' | null;
  readonly logStartOffset: number;
  readonly logEndOffset: number;
  readonly messagesReread: number | null;
  readonly messagesSkipped: number | null;
}

export interface ResetOffsetsResult {
  readonly group: string;
  readonly executed: boolean;
  /** The group's state when the plan was made: only Empty and Dead groups can be reset. */
  readonly state: string;
  readonly members: readonly { readonly memberId: string; readonly clientId: string; readonly host: string }[];
  readonly plan: readonly ResetPlanRow[];
  /** The equivalent kafka-consumer-groups.sh command (a script writing the CSV first for from-file). */
  readonly kafkaCommand: string;
  /** The plan's new offsets in Kafka's CSV (what --export writes). */
  readonly planCsv: string;
  /** The offsets before, in the same CSV: what an undo resets to (partitions without a committed offset are absent). */
  readonly previousCsv: string;
}
