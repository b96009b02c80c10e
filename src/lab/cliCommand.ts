import { scenarioFromPreset, type ScenarioOverrides } from './presets';
import type { Acks, FaultKind, PresetName } from './scenario';

/**
 * The `samsa lab run` command line for a preset, a fault and adjusted settings: the same
 * scenario on a throwaway cluster, printing the report as JSON. Only settings that differ
 * from the preset become flags, so the command reads like what the user changed. The
 * consumer's session timeout is left out: it depends on the cluster (the throwaway one
 * allows a shorter one) and changes when things happen, not what.
 */
const ACKS_FLAG: Record<Acks, string> = { 0: '0', 1: '1', [-1]: 'all' };

export function labRunCommand(preset: PresetName, fault: FaultKind, overrides: ScenarioOverrides): string {
  const base = scenarioFromPreset(preset, fault);
  const run = scenarioFromPreset(preset, fault, overrides);
  const flags = ['--preset', preset, '--fault', fault, '--records', String(run.workload.records)];
  const changed = <T>(value: T, baseline: T, flag: string, text = String(value)) => {
    if (value !== baseline) flags.push(flag, text);
  };
  const toggled = (value: boolean, baseline: boolean, name: string) => {
    if (value !== baseline) flags.push(value ? `--${name}` : `--no-${name}`);
  };
  changed(run.workload.partitions, base.workload.partitions, '--partitions');
  changed(run.workload.replicationFactor, base.workload.replicationFactor, '--replication-factor');
  changed(run.workload.minInsyncReplicas, base.workload.minInsyncReplicas, '--min-insync-replicas');
  changed(run.producer.acks, base.producer.acks, '--acks', ACKS_FLAG[run.producer.acks]);
  changed(run.producer.retries, base.producer.retries, '--retries');
  toggled(run.producer.idempotent, base.producer.idempotent, 'idempotence');
  toggled(run.producer.transactional, base.producer.transactional, 'transactional');
  changed(run.consumer.commit, base.consumer.commit, '--commit');
  changed(run.consumer.isolation, base.consumer.isolation, '--isolation');
  changed(run.faultAt, base.faultAt, '--fault-at', String(Math.round(run.faultAt * 100)));
  return ['samsa', 'lab', 'run', ...flags, '--json'].join(' ');
}
