import { requireDistBuild, SAMSA_CLI } from './embeddedCluster';
import { expectSuccess, runProcess } from './externalClients';

/**
 * Runs `samsa lab run ... --json` as a user would (the built CLI, its own throwaway cluster
 * unless --control is given) and returns the report. Failures carry everything the run
 * printed: its stderr is the progress log (phases, fault steps, leader and ISR changes).
 */
export interface LabReportJson {
  acknowledged: number;
  acknowledgedIds: number[];
  consumed: number;
  deliveries: number;
  lost: number[];
  lostFromLog: number[];
  lostByConsumer: number[];
  duplicates: number[];
  producedDuplicates: number[];
  processedDuplicates: number[];
  outOfOrder: number;
  abortedSeen: number[];
  failedSends: number;
  guarantee: string;
  expected: string | null;
  explanation: string;
  transactions: { committed: number; abortedOnPurpose: number; failed: number; committedDespiteError: number } | null;
  fault: { kind: string; injected: boolean; brokerId: number | null; steps: { action: string }[]; uncleanElections: { partition: number; leader: number }[] };
  events: { type: string; topic?: string; partition?: number; leader?: number }[];
  topics: { input: string; output: string | null };
  timeline: { at: number; acknowledged: number; consumed: number }[];
}

/** One run: cluster start, workload, fault, healing, drain and verification stay well inside this. */
export const LAB_RUN_TIMEOUT_MS = 100_000;

export async function runLab(args: string[]): Promise<LabReportJson & { stderr: string }> {
  requireDistBuild();
  const result = expectSuccess(`samsa lab run ${args.join(' ')}`, await runProcess(process.execPath, [SAMSA_CLI, 'lab', 'run', ...args, '--json'], { timeoutMs: LAB_RUN_TIMEOUT_MS }));
  return { ...(JSON.parse(result.stdout) as LabReportJson), stderr: result.stderr };
}

/** The run's story, for assertion messages: the explanation, then the progress log. */
export function story(report: { explanation: string; stderr: string }): string {
  return `${report.explanation}\n--- progress ---\n${report.stderr.slice(-6000)}`;
}
