import { InvalidArgumentError, type Command } from 'commander';
import { runConsumerWorker } from '../../lab/consumerWorker';
import { LAB_CONSUMER_SESSION_TIMEOUT_MS, startEmbeddedLabCluster } from '../../lab/embeddedLabCluster';
import { remoteLabCluster, type LabCluster } from '../../lab/labCluster';
import { DEFAULT_RECORDS, scenarioFromPreset, type ScenarioOverrides } from '../../lab/presets';
import type { LabProgressEvent } from '../../lab/progress';
import { formatReport } from '../../lab/report';
import { INTERNAL_CONSUMER_COMMAND } from '../../lab/consumerDriver';
import { LabSettingsError, runScenario } from '../../lab/runner';
import { COMMIT_MODES, FAULT_KINDS, PRESET_NAMES, isFaultKind, isPresetName, type Acks, type CommitMode, type Isolation } from '../../lab/scenario';
import { createLogger } from '../../logging/logger';
import { logToStderr } from '../log';
import { parseNonNegativeInteger, parsePositiveInt } from '../options';

interface LabRunCliOptions {
  preset: string;
  fault: string;
  records: number;
  json?: boolean;
  control?: string;
  acks?: Acks;
  retries?: number;
  idempotence?: boolean;
  transactional?: boolean;
  commit?: CommitMode;
  isolation?: Isolation;
  partitions?: number;
  replicationFactor?: number;
  minInsyncReplicas?: number;
  sessionTimeoutMs?: number;
  faultAt?: number;
  keepTopics?: boolean;
}

function oneOf<T extends string>(values: readonly T[]): (value: string) => T {
  return (value) => {
    if (!(values as readonly string[]).includes(value)) throw new InvalidArgumentError(`Expected one of ${values.join(', ')}.`);
    return value as T;
  };
}

function parseAcks(value: string): Acks {
  if (value === 'all' || value === '-1') return -1;
  if (value === '0' || value === '1') return Number(value) as Acks;
  throw new InvalidArgumentError('Expected 0, 1 or all.');
}

function parsePercent(value: string): number {
  const percent = Number(value);
  if (!/^\d+$/.test(value) || percent < 1 || percent > 99) throw new InvalidArgumentError('Expected a whole percentage from 1 to 99.');
  return percent / 100;
}

/**
 * `samsa lab run`: the delivery-guarantees lab. Runs a preset (optionally adjusted) against
 * a fault on a throwaway embedded cluster or, with --control, on a running `samsa cluster`,
 * and reports what was lost and duplicated. Progress goes to stderr, the report to stdout.
 */
export function registerLabCommands(program: Command): void {
  const lab = program.command('lab').description('Delivery-guarantees lab: run a workload under a fault and count what was lost or duplicated');
  lab
    .command('run')
    .description('Run a preset against a fault and verify what the consumer got')
    .requiredOption('--preset <name>', PRESET_NAMES.join('|'), oneOf(PRESET_NAMES))
    .option('--fault <kind>', FAULT_KINDS.join('|'), oneOf(FAULT_KINDS), 'none')
    .option('--records <n>', 'records in the workload', parsePositiveInt, DEFAULT_RECORDS)
    .option('--json', 'print the report as one JSON object')
    .option('--control <url>', 'use a running `samsa cluster` through its control API instead of a throwaway cluster')
    .option('--acks <acks>', 'override the preset: 0, 1 or all', parseAcks)
    .option('--retries <n>', 'override the preset: producer retries', parseNonNegativeInteger)
    .option('--idempotence', 'override the preset: idempotent producer (KIP-98)')
    .option('--no-idempotence', 'override the preset: producer without idempotence')
    .option('--transactional', 'override the preset: transactional producer (needs idempotence)')
    .option('--no-transactional', 'override the preset: producer without transactions')
    .option('--commit <mode>', `override the preset: ${COMMIT_MODES.join('|')}`, oneOf(COMMIT_MODES))
    .option('--isolation <level>', 'override the preset: read_uncommitted|read_committed', oneOf(['read_uncommitted', 'read_committed'] as const))
    .option('--partitions <n>', 'partitions of the lab topic', parsePositiveInt)
    .option('--replication-factor <n>', 'replication factor of the lab topic', parsePositiveInt)
    .option('--min-insync-replicas <n>', 'min.insync.replicas of the lab topic (overrides the preset)', parsePositiveInt)
    .option('--session-timeout-ms <ms>', 'consumer session.timeout.ms', parsePositiveInt)
    .option('--fault-at <percent>', 'when the fault strikes, in percent of the workload', parsePercent)
    .option('--keep-topics', 'keep the run topics afterwards (with --control)')
    .action(async (options: LabRunCliOptions) => labRun(options));

  program.command(INTERNAL_CONSUMER_COMMAND, { hidden: true }).action(async () => runConsumerWorker());
}

function describeProgress(event: LabProgressEvent, startedAt: number): string | null {
  const at = (time: number) => `+${((time - startedAt) / 1000).toFixed(1)}s`;
  switch (event.type) {
    case 'phase':
      return `${at(event.at)} ${event.phase}`;
    case 'counts':
      return `${at(event.at)} acknowledged ${event.acknowledged}${event.failed > 0 ? ` (failed ${event.failed})` : ''}, consumed ${event.consumed}`;
    case 'fault':
      return `${at(event.step.at)} fault: ${event.step.action}`;
    case 'cluster': {
      const e = event.event;
      switch (e.type) {
        case 'leader-change':
          return `${at(e.at)} cluster: ${e.topic}-${e.partition} leader ${e.previousLeader} -> ${e.leader} (epoch ${e.leaderEpoch})`;
        case 'isr-change':
          return `${at(e.at)} cluster: ${e.topic}-${e.partition} ISR [${e.previousIsr.join(',')}] -> [${e.isr.join(',')}]`;
        case 'unclean-election':
          return `${at(e.at)} cluster: UNCLEAN election of ${e.topic}-${e.partition}: broker ${e.leader} leads, outside ISR [${e.previousIsr.join(',')}]`;
        case 'broker-state':
          return `${at(e.at)} cluster: broker ${e.brokerId} ${e.previous} -> ${e.state}`;
        case 'broker-fault':
          return `${at(e.at)} cluster: broker ${e.brokerId} ${e.isolated ? 'isolated' : 'connected'}, fetch delay ${e.fetchDelayMs} ms`;
      }
    }
  }
}

async function labRun(options: LabRunCliOptions): Promise<void> {
  if (!isPresetName(options.preset) || !isFaultKind(options.fault)) return;
  const embedded = options.control === undefined;
  // The throwaway cluster's brokers inherit this: their routine INFO lines would drown the lab's progress.
  if (embedded) process.env.SAMSA_LOG_LEVEL ??= 'warn';
  const overrides: ScenarioOverrides = {
    records: options.records,
    ...(options.acks === undefined ? {} : { acks: options.acks }),
    ...(options.retries === undefined ? {} : { retries: options.retries }),
    ...(options.idempotence === undefined ? {} : { idempotent: options.idempotence }),
    ...(options.transactional === undefined ? {} : { transactional: options.transactional }),
    ...(options.commit === undefined ? {} : { commit: options.commit }),
    ...(options.isolation === undefined ? {} : { isolation: options.isolation }),
    ...(options.partitions === undefined ? {} : { partitions: options.partitions }),
    ...(options.replicationFactor === undefined ? {} : { replicationFactor: options.replicationFactor }),
    ...(options.minInsyncReplicas === undefined ? {} : { minInsyncReplicas: options.minInsyncReplicas }),
    ...(options.faultAt === undefined ? {} : { faultAt: options.faultAt }),
    sessionTimeoutMs: options.sessionTimeoutMs ?? (embedded ? LAB_CONSUMER_SESSION_TIMEOUT_MS : undefined),
  };
  const scenario = scenarioFromPreset(options.preset, options.fault, overrides);
  const startedAt = Date.now();
  const abort = new AbortController();
  const onSignal = () => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let cluster: (LabCluster & { close(): Promise<void> | void }) | undefined;
  try {
    if (embedded) logToStderr('starting a throwaway 3-broker cluster');
    cluster = embedded ? await startEmbeddedLabCluster(createLogger('lab-cluster')) : await remoteLabCluster(options.control!);
    const report = await runScenario(scenario, {
      cluster,
      signal: abort.signal,
      keepTopics: options.keepTopics ?? false,
      log: logToStderr,
      onProgress: (event) => {
        const line = describeProgress(event, startedAt);
        if (line !== null) process.stderr.write(`lab ${line}\n`);
      },
    });
    process.stdout.write(options.json ? `${JSON.stringify(report)}\n` : formatReport(report));
  } catch (error) {
    logToStderr(error instanceof LabSettingsError ? error.message : `the lab run failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cluster?.close();
  }
}
