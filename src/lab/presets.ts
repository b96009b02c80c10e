import type { ConsumerSettings, FaultKind, PresetName, ProducerSettings, Scenario, Workload } from './scenario';

/**
 * The textbook settings for each delivery guarantee, and the faults that tell them apart:
 * each preset lists the faults a weaker preset does not survive, so running a preset against
 * them shows what its settings buy.
 */
export interface Preset {
  name: PresetName;
  summary: string;
  producer: ProducerSettings;
  consumer: Omit<ConsumerSettings, 'sessionTimeoutMs'>;
  /** min.insync.replicas the preset relies on (acks=all is only as strong as this). */
  minInsyncReplicas: number;
  /**
   * Faults worth running with this preset, with what Kafka predicts for each; `breaks` marks
   * those that can cost the preset records or repeat them.
   */
  faults: Partial<Record<FaultKind, { breaks: boolean; predicts: string }>>;
}

export const PRESETS: Record<PresetName, Preset> = {
  'at-most-once': {
    name: 'at-most-once',
    summary: 'acks=1 without retries, offsets committed before processing: nothing is ever repeated, but a fault can lose records',
    producer: { acks: 1, retries: 0, idempotent: false, transactional: false, abortEvery: 0, batchSize: 20 },
    consumer: { commit: 'before-processing', isolation: 'read_uncommitted' },
    minInsyncReplicas: 1,
    faults: {
      none: { breaks: false, predicts: 'no loss and no duplicates: without a fault every setting delivers once' },
      'kill-leader': { breaks: true, predicts: 'loss: records acknowledged by the leader alone die with it' },
      'kill-consumer': { breaks: true, predicts: 'loss: the batch was committed before it was processed, so the rest of it is skipped' },
      'unclean-election': { breaks: true, predicts: 'loss: an out-of-sync replica becomes leader and the old leader truncates to it' },
    },
  },
  'at-least-once': {
    name: 'at-least-once',
    summary: 'acks=all with retries and min.insync.replicas=2, offsets committed after processing: nothing acknowledged is lost, but records may be repeated',
    producer: { acks: -1, retries: 30, idempotent: false, transactional: false, abortEvery: 0, batchSize: 20 },
    consumer: { commit: 'after-processing', isolation: 'read_uncommitted' },
    minInsyncReplicas: 2,
    faults: {
      none: { breaks: false, predicts: 'no loss and no duplicates' },
      'kill-leader': { breaks: true, predicts: 'no loss; retries after the failover may write records twice' },
      'restart-leader': { breaks: true, predicts: 'no loss; retries may write records twice' },
      'isolate-follower': { breaks: false, predicts: 'no loss: the ISR shrinks and acks=all continues with the remaining replicas' },
      'kill-consumer': { breaks: true, predicts: 'no loss, duplicates: the part of the batch processed before the kill is processed again' },
      'kill-coordinator': { breaks: true, predicts: 'no loss; commits that fail during the coordinator failover may repeat records' },
      'unclean-election': { breaks: true, predicts: 'with min.insync.replicas=1, loss: acks=all was satisfied by the leader alone; with 2, no acknowledged loss' },
    },
  },
  'exactly-once': {
    name: 'exactly-once',
    summary: 'idempotent transactional producer, read_committed consumer, output and offsets committed in one transaction: no loss and no duplicates',
    producer: { acks: -1, retries: 30, idempotent: true, transactional: true, abortEvery: 4, batchSize: 40 },
    consumer: { commit: 'transactional', isolation: 'read_committed' },
    minInsyncReplicas: 2,
    faults: {
      none: { breaks: false, predicts: 'no loss, no duplicates, no aborted data seen' },
      'kill-leader': { breaks: false, predicts: 'no loss, no duplicates: retries are de-duplicated by producer id and sequence, also on the new leader' },
      'restart-leader': { breaks: false, predicts: 'no loss, no duplicates' },
      'isolate-follower': { breaks: false, predicts: 'no loss, no duplicates' },
      'kill-consumer': { breaks: false, predicts: 'no loss, no duplicates: the killed transaction is aborted and redone' },
      'kill-coordinator': { breaks: false, predicts: 'no loss, no duplicates: committed offsets and transactions survive the coordinator failover' },
    },
  },
};

export interface ScenarioOverrides {
  records?: number;
  partitions?: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  acks?: ProducerSettings['acks'];
  retries?: number;
  idempotent?: boolean;
  transactional?: boolean;
  commit?: ConsumerSettings['commit'];
  isolation?: ConsumerSettings['isolation'];
  sessionTimeoutMs?: number;
  faultAt?: number;
}

export const DEFAULT_RECORDS = 600;
/** Kafka's group.min.session.timeout.ms default: the lowest session timeout any cluster accepts. */
export const DEFAULT_SESSION_TIMEOUT_MS = 6000;

export function scenarioFromPreset(name: PresetName, fault: FaultKind, overrides: ScenarioOverrides = {}): Scenario {
  const preset = PRESETS[name];
  const workload: Workload = {
    records: overrides.records ?? DEFAULT_RECORDS,
    partitions: overrides.partitions ?? 3,
    replicationFactor: overrides.replicationFactor ?? 3,
    minInsyncReplicas: overrides.minInsyncReplicas ?? preset.minInsyncReplicas,
  };
  return {
    preset: name,
    workload,
    producer: {
      ...preset.producer,
      ...(overrides.acks === undefined ? {} : { acks: overrides.acks }),
      ...(overrides.retries === undefined ? {} : { retries: overrides.retries }),
      ...(overrides.idempotent === undefined ? {} : { idempotent: overrides.idempotent }),
      ...(overrides.transactional === undefined ? {} : { transactional: overrides.transactional }),
    },
    consumer: {
      commit: overrides.commit ?? preset.consumer.commit,
      isolation: overrides.isolation ?? preset.consumer.isolation,
      sessionTimeoutMs: overrides.sessionTimeoutMs ?? DEFAULT_SESSION_TIMEOUT_MS,
    },
    fault,
    faultAt: overrides.faultAt ?? 0.4,
  };
}
