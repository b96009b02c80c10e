import type { ClusterEvent } from '../engine/cluster/clusterHost';
import type { FaultFacts } from './explanation';
import type { FaultStep } from './progress';
import type { TransactionCounts } from './producerDriver';
import type { Guarantee, Scenario } from './scenario';
import type { Verification } from './verifier';

/** Everything a run found, as `samsa lab run --json` prints it and the Lab page shows it. */
export interface LabReport extends Verification {
  runId: string;
  scenario: Scenario;
  topics: { input: string; output: string | null };
  group: string;
  /** The ids the producer saw acknowledged (lost ids are a subset). */
  acknowledgedIds: number[];
  /** Sends the producer was told failed (not acknowledged, so not counted as lost). */
  failedSends: number;
  transactions: TransactionCounts | null;
  guarantee: Guarantee;
  /** What the preset promises (null for custom settings). */
  expected: Guarantee | null;
  explanation: string;
  causes: string[];
  fault: FaultFacts & { steps: FaultStep[] };
  events: ClusterEvent[];
  /** Counts over time, for the acknowledged-vs-consumed chart. */
  timeline: { at: number; acknowledged: number; consumed: number }[];
  timings: { startedAt: number; producedMs: number; totalMs: number };
}

/** Long id lists are cut for people; --json has them all. */
function idList(ids: readonly number[], limit = 20): string {
  if (ids.length === 0) return 'none';
  const shown = ids.slice(0, limit).join(', ');
  return ids.length > limit ? `${shown}, ... (${ids.length} in all)` : shown;
}

function acksLabel(acks: number): string {
  return acks === -1 ? 'all' : String(acks);
}

export function formatReport(report: LabReport): string {
  const { scenario } = report;
  const { producer, consumer, workload } = scenario;
  const lines = [
    `Lab run ${report.runId}: ${scenario.preset ?? 'custom settings'}, fault ${scenario.fault}`,
    `  workload   ${workload.records} records, ${workload.partitions} partitions, RF ${workload.replicationFactor}, min.insync.replicas ${workload.minInsyncReplicas}`,
    `  producer   acks=${acksLabel(producer.acks)}, retries ${producer.retries}, idempotent ${producer.idempotent}, transactional ${producer.transactional}`,
    `  consumer   commit ${consumer.commit}, ${consumer.isolation}`,
    '',
    `  acknowledged      ${report.acknowledged}${report.failedSends > 0 ? ` (${report.failedSends} sends failed and were not acknowledged)` : ''}`,
    `  consumed          ${report.consumed} distinct, ${report.deliveries} deliveries`,
    `  lost              ${report.lost.length}: ${idList(report.lost)}`,
    `  duplicates        ${report.duplicates.length}: ${idList(report.duplicates)}`,
    `  out of order      ${report.outOfOrder}`,
  ];
  if (report.transactions !== null) {
    lines.push(`  transactions      ${report.transactions.committed} committed, ${report.transactions.abortedOnPurpose} aborted on purpose, ${report.transactions.failed} failed${report.transactions.committedDespiteError > 0 ? ` (${report.transactions.committedDespiteError} committed although the commit call failed; found in the log and not written again)` : ''}`);
    lines.push(`  aborted data seen ${report.abortedSeen.length}`);
  }
  if (report.fault.steps.length > 0) {
    lines.push('', '  fault');
    for (const step of report.fault.steps) lines.push(`    +${step.at - report.timings.startedAt} ms  ${step.action}`);
  }
  lines.push('', `  guarantee         ${report.guarantee}${report.expected === null ? '' : ` (preset promises ${report.expected})`}`, '', report.explanation);
  return `${lines.join('\n')}\n`;
}
