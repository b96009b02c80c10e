import { z } from 'zod';
import type { Preset } from '../../lab/presets';
import type { LabPhase, LabProgressEvent } from '../../lab/progress';
import type { LabReport } from '../../lab/report';
import { COMMIT_MODES, FAULT_KINDS, PRESET_NAMES, type FaultKind, type PresetName, type Scenario } from '../../lab/scenario';

/**
 * The delivery-guarantees lab as the app runs it on its embedded cluster (product guide,
 * target 5). A run is a preset plus the settings the user changed, exactly as
 * `samsa lab run --preset P --fault F [overrides]` describes it, so the page can show the
 * equivalent command and the report has the shape `--json` prints. The lab's vocabulary
 * (presets, faults, commit modes) comes from src/lab/scenario.ts, a module of plain
 * constants, and the report types from src/lab: one definition for the CLI and the app.
 */
export const MAX_LAB_RECORDS = 100_000;
export const MAX_LAB_PARTITIONS = 50;

export const LabStartSchema = z.strictObject({
  preset: z.enum(PRESET_NAMES),
  fault: z.enum(FAULT_KINDS).default('none'),
  records: z.number().int().min(10, { error: 'The workload needs at least 10 records' }).max(MAX_LAB_RECORDS, { error: `At most ${MAX_LAB_RECORDS} records` }).optional(),
  partitions: z.number().int().min(1).max(MAX_LAB_PARTITIONS, { error: `At most ${MAX_LAB_PARTITIONS} partitions` }).optional(),
  replicationFactor: z.number().int().min(1).max(9).optional(),
  minInsyncReplicas: z.number().int().min(1).max(9).optional(),
  /** -1 is acks=all. */
  acks: z.union([z.literal(0), z.literal(1), z.literal(-1)]).optional(),
  retries: z.number().int().min(0).max(100).optional(),
  idempotent: z.boolean().optional(),
  transactional: z.boolean().optional(),
  commit: z.enum(COMMIT_MODES).optional(),
  isolation: z.enum(['read_uncommitted', 'read_committed']).optional(),
});
export type LabStartInput = z.input<typeof LabStartSchema>;
export type LabStartSettings = z.output<typeof LabStartSchema>;

export const LabRunScopeSchema = z.strictObject({ runId: z.string().trim().min(1).max(64) });
export const LabStatusInputSchema = z.strictObject({ runId: z.string().trim().min(1).max(64).optional() });

/** running -> done | failed; running -> cancelling (cleaning up) -> cancelled. */
export type LabRunState = 'running' | 'cancelling' | 'done' | 'failed' | 'cancelled';

export interface LabCounts {
  readonly acknowledged: number;
  readonly failed: number;
  readonly consumed: number;
  readonly at: number;
}

export interface LabRunStatus {
  readonly runId: string;
  readonly state: LabRunState;
  readonly settings: LabStartSettings;
  readonly scenario: Scenario;
  /** `samsa lab run ... --json` for the same scenario, on a throwaway cluster. */
  readonly command: string;
  readonly phase: LabPhase;
  readonly startedAt: number;
  readonly finishedAt: number | null;
  readonly counts: LabCounts | null;
  /** Counts over time so far (the report has the final series). */
  readonly timeline: readonly { readonly at: number; readonly acknowledged: number; readonly consumed: number }[];
  readonly steps: LabReport['fault']['steps'];
  /** Set when state is done. */
  readonly report: LabReport | null;
  /** Why the run failed, when state is failed. */
  readonly error: string | null;
}

export interface LabPresetInfo {
  readonly name: PresetName;
  readonly summary: string;
  readonly scenario: Scenario;
  /** What Kafka predicts for each fault worth running with this preset. */
  readonly faults: Preset['faults'];
}

export interface LabPresets {
  readonly presets: readonly LabPresetInfo[];
  readonly faults: readonly FaultKind[];
}

/** Pushed while a run goes: progress (phase, counts, fault steps), then its end. */
export type LabRunUpdate =
  | { readonly runId: string; readonly kind: 'progress'; readonly event: Exclude<LabProgressEvent, { type: 'cluster' }> }
  | { readonly runId: string; readonly kind: 'state'; readonly state: LabRunState };

export type { LabReport, LabPhase, Scenario, FaultKind, PresetName };
