/**
 * What a lab run is made of: a workload, the producer's and the consumer's settings, and
 * one fault. These are plain data so the CLI, the UI and tests describe a run the same way
 * and a report can echo back exactly what was run.
 */

/** Producer acks: 0 = fire and forget, 1 = the leader wrote it, -1 (all) = the ISR has it. */
export type Acks = 0 | 1 | -1;

export interface ProducerSettings {
  acks: Acks;
  /** Client-side retries of a failed send (kafkajs `retry.retries`). */
  retries: number;
  /** KIP-98 idempotence: the broker de-duplicates retried batches by producer id and sequence. */
  idempotent: boolean;
  /** Writes in transactions (implies idempotence): a read_committed consumer sees each one all or nothing. */
  transactional: boolean;
  /**
   * With transactions: every n-th transaction is aborted on purpose (and its records written
   * again in the next one), so a run shows whether the consumer sees aborted data. 0 = never.
   */
  abortEvery: number;
  /** Records per send (per transaction when transactional). */
  batchSize: number;
}

/**
 * When the consumer commits its offsets, which decides what a crash costs:
 * before processing loses the rest of a batch, after processing repeats it, and in a
 * transaction (consume-transform-produce, KIP-98/KIP-447) the output and the offsets
 * commit together.
 */
export const COMMIT_MODES = ['auto', 'before-processing', 'after-processing', 'transactional'] as const;
export type CommitMode = (typeof COMMIT_MODES)[number];

export type Isolation = 'read_uncommitted' | 'read_committed';

export interface ConsumerSettings {
  commit: CommitMode;
  isolation: Isolation;
  /** session.timeout.ms: how soon the group notices a killed consumer. */
  sessionTimeoutMs: number;
}

export interface Workload {
  records: number;
  partitions: number;
  replicationFactor: number;
  minInsyncReplicas: number;
}

export const FAULT_KINDS = ['none', 'kill-leader', 'restart-leader', 'isolate-follower', 'kill-consumer', 'kill-coordinator', 'unclean-election'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface Scenario {
  /** Preset the settings came from, if any (reports compare the outcome with its promise). */
  preset: PresetName | null;
  workload: Workload;
  producer: ProducerSettings;
  consumer: ConsumerSettings;
  fault: FaultKind;
  /** Fraction of the workload (acknowledged or processed records) at which the fault strikes. */
  faultAt: number;
}

export const PRESET_NAMES = ['at-most-once', 'at-least-once', 'exactly-once'] as const;
export type PresetName = (typeof PRESET_NAMES)[number];

/** The delivery guarantee a run achieved; `none` = records were both lost and duplicated. */
export type Guarantee = PresetName | 'none';

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

export function isPresetName(value: string): value is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(value);
}

/** Settings that cannot work together, as sentences a user can act on; empty when valid. */
export function scenarioProblems(scenario: Scenario): string[] {
  const { workload, producer, consumer } = scenario;
  const problems: string[] = [];
  if (workload.records < 10) problems.push('the workload needs at least 10 records');
  if (workload.partitions < 1) problems.push('the topic needs at least 1 partition');
  if (workload.minInsyncReplicas > workload.replicationFactor) {
    problems.push(`min.insync.replicas (${workload.minInsyncReplicas}) is larger than the replication factor (${workload.replicationFactor}): acks=all could never succeed`);
  }
  if (producer.transactional && !producer.idempotent) problems.push('transactions need idempotence (KIP-98): turn idempotence on');
  if ((producer.idempotent || producer.transactional) && producer.acks !== -1) problems.push('idempotence and transactions need acks=all (KIP-98)');
  if (consumer.commit === 'transactional' && !producer.transactional) problems.push('a transactional consume-transform-produce needs the transactional producer settings');
  if (producer.batchSize < 1) problems.push('the batch size must be at least 1');
  if (producer.transactional && producer.abortEvery === 1) problems.push('aborting every transaction would never commit anything: abortEvery must be 0 or at least 2');
  if (!(scenario.faultAt > 0 && scenario.faultAt < 1)) problems.push('the fault must strike strictly between 0% and 100% of the workload');
  const needsReplicas = scenario.fault === 'kill-leader' || scenario.fault === 'restart-leader' || scenario.fault === 'isolate-follower' || scenario.fault === 'unclean-election';
  if (needsReplicas && workload.replicationFactor < 2) problems.push(`the ${scenario.fault} fault needs a replication factor of at least 2`);
  return problems;
}
