import { resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { defaultDataDir } from '../../app/dataDir';
import type { BrokerConfig } from '../../engine/broker/brokerConfig';
import { ClusterHost } from '../../engine/cluster/clusterHost';
import { runBrokerProcess } from '../../engine/cluster/brokerMain';
import { SASL_MECHANISMS, type SaslMechanism, type SaslSettings } from '../../engine/broker/sasl/saslAuthenticator';
import { createLogger } from '../../logging/logger';
import { startClusterControlServer } from '../../server/clusterControlServer';
import { logToStderr } from '../log';
import { parsePort, parsePositiveInt } from '../options';

interface ClusterOptions {
  brokers: number;
  dataDir?: string;
  port: number;
  controlPort: number;
  host: string;
  racks?: string;
  groupInitialRebalanceDelayMs?: number;
  replicaLagTimeMaxMs?: number;
  brokerSessionTimeoutMs?: number;
  defaultReplicationFactor?: number;
  config: string[];
  sasl: string[];
  saslMechanisms: string;
}

const BROKER_ACTIONS = ['stop', 'kill', 'start', 'isolate', 'heal', 'slow'] as const;

function collectUser(value: string, previous: string[]): string[] {
  if (!/^[^=]+=.+$/.test(value)) throw new InvalidArgumentError('Expected user=password.');
  return [...previous, value];
}

function parseSasl(users: string[], mechanisms: string): SaslSettings | null {
  if (users.length === 0) return null;
  const chosen = mechanisms.split(',').map((m) => m.trim().toUpperCase());
  const unknown = chosen.find((m) => !(SASL_MECHANISMS as readonly string[]).includes(m));
  if (unknown !== undefined) throw new InvalidArgumentError(`Unknown SASL mechanism ${unknown}; expected ${SASL_MECHANISMS.join(', ')}.`);
  return {
    mechanisms: chosen as SaslMechanism[],
    users: Object.fromEntries(users.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)])),
  };
}

/**
 * `--config` entries that are broker settings rather than topic defaults, mapped to the
 * broker configuration (everything else is a broker-level topic default such as
 * min.insync.replicas or log.retention.ms).
 */
const BROKER_SETTINGS: Record<string, (value: string) => Partial<BrokerConfig>> = {
  'auto.create.topics.enable': (v) => ({ autoCreateTopicsEnable: parseBooleanSetting('auto.create.topics.enable', v) }),
  'num.partitions': (v) => ({ numPartitions: parseIntSetting('num.partitions', v) }),
  'default.replication.factor': (v) => ({ defaultReplicationFactor: parseIntSetting('default.replication.factor', v) }),
  'offsets.topic.replication.factor': (v) => ({ offsetsTopicReplicationFactor: parseIntSetting('offsets.topic.replication.factor', v) }),
  'offsets.topic.num.partitions': (v) => ({ offsetsTopicNumPartitions: parseIntSetting('offsets.topic.num.partitions', v) }),
  'transaction.state.log.replication.factor': (v) => ({ transactionStateLogReplicationFactor: parseIntSetting('transaction.state.log.replication.factor', v) }),
  'group.initial.rebalance.delay.ms': (v) => ({ groupInitialRebalanceDelayMs: parseIntSetting('group.initial.rebalance.delay.ms', v, 0) }),
  'offsets.retention.minutes': (v) => ({ offsetsRetentionMinutes: parseIntSetting('offsets.retention.minutes', v) }),
  'offsets.retention.check.interval.ms': (v) => ({ offsetsRetentionCheckIntervalMs: parseIntSetting('offsets.retention.check.interval.ms', v) }),
  'replica.lag.time.max.ms': (v) => ({ replicaLagTimeMaxMs: parseIntSetting('replica.lag.time.max.ms', v) }),
  'socket.request.max.bytes': (v) => ({ socketRequestMaxBytes: parseIntSetting('socket.request.max.bytes', v) }),
};

function parseBooleanSetting(name: string, value: string): boolean {
  if (!/^(true|false)$/i.test(value)) throw new InvalidArgumentError(`${name} must be true or false, got "${value}".`);
  return value.toLowerCase() === 'true';
}

function parseIntSetting(name: string, value: string, min = 1): number {
  if (!/^\d+$/.test(value) || Number(value) < min) throw new InvalidArgumentError(`${name} must be a whole number of at least ${min}, got "${value}".`);
  return Number(value);
}

function splitConfig(entries: string[]): { broker: Partial<BrokerConfig>; topicDefaults: Record<string, string> } {
  let broker: Partial<BrokerConfig> = {};
  const topicDefaults: Record<string, string> = {};
  for (const entry of entries) {
    const name = entry.slice(0, entry.indexOf('='));
    const value = entry.slice(entry.indexOf('=') + 1);
    const setting = BROKER_SETTINGS[name];
    if (setting !== undefined) broker = { ...broker, ...setting(value) };
    else topicDefaults[name] = value;
  }
  return { broker, topicDefaults };
}

function collectConfig(value: string, previous: string[]): string[] {
  if (!/^[a-z0-9.]+=.*$/.test(value)) throw new InvalidArgumentError('Expected key=value, e.g. min.insync.replicas=2.');
  return [...previous, value];
}

function parseNonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('Expected a whole number of at least 0.');
  return Number(value);
}

/**
 * `samsa cluster`: runs the embedded cluster in the foreground and prints exactly one line,
 * `ready bootstrap=... control=...`, once every broker serves clients. SIGINT/SIGTERM shut
 * it down cleanly. `samsa cluster broker stop|kill|start ID` drives a running cluster.
 */
export function registerClusterCommands(program: Command): void {
  const cluster = program
    .command('cluster')
    .description('Run an embedded multi-broker Kafka cluster in the foreground')
    .option('--brokers <n>', 'number of brokers (ids 1..n)', parsePositiveInt, 3)
    .option('--data-dir <dir>', 'where the cluster keeps its data (default: <app data dir>/cluster)')
    .option('--port <port>', 'port of broker 1; broker i listens on port+i-1 (0 = free ports)', parsePort, 9092)
    .option('--host <address>', 'address brokers listen on and advertise (127.0.0.1 keeps the cluster private to this machine)', '127.0.0.1')
    .option('--control-port <port>', 'port of the control API on 127.0.0.1 (0 = a free port)', parsePort, 0)
    .option('--racks <list>', 'comma-separated racks assigned to brokers in turn (rack-aware placement)')
    .option('--group-initial-rebalance-delay-ms <ms>', 'group.initial.rebalance.delay.ms for every broker', parseNonNegativeInt)
    .option('--replica-lag-time-max-ms <ms>', 'replica.lag.time.max.ms: how long a follower may lag before leaving the ISR', parsePositiveInt)
    .option('--broker-session-timeout-ms <ms>', 'broker.session.timeout.ms: an isolated broker is fenced after this long', parsePositiveInt)
    .option('--default-replication-factor <n>', 'default.replication.factor for new topics', parsePositiveInt)
    .option('--sasl <user=password>', 'require SASL authentication (SASL_PLAINTEXT) and add this user (repeatable)', collectUser, [])
    .option('--sasl-mechanisms <list>', `mechanisms offered with --sasl (${SASL_MECHANISMS.join(', ')})`, SASL_MECHANISMS.join(','))
    .option('--config <key=value>', 'a broker-level topic default such as min.insync.replicas=2 or unclean.leader.election.enable=true (repeatable)', collectConfig, [])
    .action(async (options: ClusterOptions) => runCluster(options));

  cluster
    .command('broker')
    .description('Stop (controlled shutdown), kill (SIGKILL), start, isolate, heal or slow a broker of a running cluster')
    .argument('<action>', BROKER_ACTIONS.join('|'), (value: string) => {
      if (!(BROKER_ACTIONS as readonly string[]).includes(value)) throw new InvalidArgumentError(`Expected one of ${BROKER_ACTIONS.join(', ')}.`);
      return value;
    })
    .argument('<id>', 'broker id', parsePositiveInt)
    .requiredOption('--control <url>', 'the control URL printed by `samsa cluster`')
    .option('--delay-ms <ms>', 'with slow: delay before each follower fetch (0 restores normal speed)', parseNonNegativeInt, 0)
    .option('--json', 'print the result as JSON')
    .action(async (action: string, id: number, options: { control: string; json?: boolean; delayMs: number }) => brokerAction(action, id, options));

  program.command('internal-broker', { hidden: true }).action(async () => runBrokerProcess());
}

async function runCluster(options: ClusterOptions): Promise<void> {
  const log = createLogger('cluster');
  const dataDir = resolve(options.dataDir ?? `${defaultDataDir()}/cluster`);
  let config: ReturnType<typeof splitConfig>;
  try {
    config = splitConfig(options.config);
  } catch (error) {
    logToStderr(error instanceof Error ? error.message : String(error));
    process.exit(2);
  }
  const host = new ClusterHost(
    {
      brokers: options.brokers,
      dataDir,
      port: options.port,
      host: options.host,
      racks: options.racks?.split(',').map((rack) => rack.trim()).filter(Boolean),
      ...(options.brokerSessionTimeoutMs === undefined ? {} : { brokerSessionTimeoutMs: options.brokerSessionTimeoutMs }),
      sasl: parseSasl(options.sasl, options.saslMechanisms),
      brokerOverrides: {
        ...config.broker,
        ...(options.groupInitialRebalanceDelayMs === undefined ? {} : { groupInitialRebalanceDelayMs: options.groupInitialRebalanceDelayMs }),
        ...(options.replicaLagTimeMaxMs === undefined ? {} : { replicaLagTimeMaxMs: options.replicaLagTimeMaxMs }),
        ...(options.defaultReplicationFactor === undefined ? {} : { defaultReplicationFactor: options.defaultReplicationFactor }),
        topicDefaults: config.topicDefaults,
      },
    },
    log,
  );
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log.info('shutting down the cluster');
    await host.shutdown();
    await control?.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown());
  process.on('SIGTERM', () => void shutdown());
  let control: Awaited<ReturnType<typeof startClusterControlServer>> | undefined;
  try {
    control = await startClusterControlServer(host, options.controlPort);
    await host.start();
  } catch (error) {
    logToStderr(`the cluster could not start: ${error instanceof Error ? error.message : String(error)}`);
    await host.shutdown().catch(() => undefined);
    await control?.close();
    process.exit(1);
  }
  process.stdout.write(`ready bootstrap=${host.bootstrapServers} control=${control.url}\n`);
}

async function brokerAction(action: string, id: number, options: { control: string; json?: boolean; delayMs: number }): Promise<void> {
  const url = `${options.control.replace(/\/$/, '')}/v1/brokers/${id}/${action}${action === 'slow' ? `?delayMs=${options.delayMs}` : ''}`;
  let response: Response;
  try {
    response = await fetch(url, { method: 'POST', signal: AbortSignal.timeout(60_000) });
  } catch (error) {
    logToStderr(`cannot reach the cluster's control API at ${options.control}: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const body = (await response.json()) as { error?: string; state?: string; events?: unknown[] };
  if (!response.ok) {
    logToStderr(body.error ?? `control API answered ${response.status}`);
    process.exitCode = 1;
    return;
  }
  if (options.json) process.stdout.write(`${JSON.stringify(body)}\n`);
  else process.stdout.write(`broker ${id}: ${action} done, now ${body.state} (${body.events?.length ?? 0} events)\n`);
}
