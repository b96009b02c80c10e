import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { AdminError, isAdminError } from '../../admin/adminError';
import type { AdminChange } from '../../admin/adminChange';
import { AdminSession } from '../../admin/adminSession';
import { AuditLog } from '../../admin/auditLog';
import { parseCommandConfig } from '../../admin/commandConfig';
import {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_REQUEST_TIMEOUT_MS,
  parseBootstrapServers,
  type ConnectionSettings,
} from '../../admin/connectionSettings';
import { kafkaCliCommand } from '../../admin/kafkaCommand';
import { defaultDataDir } from '../../app/dataDir';
import { logToStderr } from '../log';
import { parsePositiveInt } from '../options';

/**
 * What every admin command shares: Kafka's connection flags, a bounded session, the audit
 * log in the app data dir ($SAMSA_DATA_DIR), --json and --print-command output, and one-line
 * errors with a non-zero exit code.
 */
export interface ConnectionFlags {
  bootstrapServer: string;
  commandConfig?: string;
  json?: boolean;
  timeout?: number;
}

export interface ChangeFlags extends ConnectionFlags {
  printCommand?: boolean;
}

export function withConnectionFlags(command: Command): Command {
  return (
    command
      // Scripts read one line of error; the usage is one --help away.
      .showHelpAfterError(false)
      .requiredOption('--bootstrap-server <servers>', 'HOST:PORT[,HOST:PORT...] of the cluster')
    .option('--command-config <file>', 'Kafka client properties (security.protocol, sasl.*, ssl.* PEM settings)')
    .option('--timeout <ms>', 'give up on the cluster after this many milliseconds', parsePositiveInt, 30_000)
      .option('--json', 'print machine-readable JSON')
  );
}

export function withChangeFlags(command: Command): Command {
  return withConnectionFlags(command).option('--print-command', 'print the equivalent Kafka CLI command and exit without changing anything');
}

export function connectionSettings(flags: ConnectionFlags): ConnectionSettings {
  const bootstrapServers = parseBootstrapServers(flags.bootstrapServer);
  const base: ConnectionSettings = {
    bootstrapServers,
    securityProtocol: 'PLAINTEXT',
    clientId: 'samsa-cli',
    connectTimeoutMs: Math.min(DEFAULT_CONNECT_TIMEOUT_MS, flags.timeout ?? DEFAULT_CONNECT_TIMEOUT_MS),
    requestTimeoutMs: Math.min(DEFAULT_REQUEST_TIMEOUT_MS, flags.timeout ?? DEFAULT_REQUEST_TIMEOUT_MS),
  };
  if (!flags.commandConfig) return base;
  const path = resolve(flags.commandConfig);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new AdminError('invalid-input', `cannot read --command-config ${flags.commandConfig}: ${(error as Error).message}`, undefined, { cause: error });
  }
  const config = parseCommandConfig(text, flags.commandConfig, (file) => readFileSync(resolve(file), 'utf8'));
  if (config.ignored.length > 0) logToStderr(`${flags.commandConfig}: ignoring ${config.ignored.join(', ')} (they only tune Java clients)`);
  return {
    ...base,
    securityProtocol: config.securityProtocol,
    ...(config.sasl ? { sasl: config.sasl } : {}),
    ...(config.tls ? { tls: config.tls } : {}),
    ...(config.clientId ? { clientId: config.clientId } : {}),
    ...(config.requestTimeoutMs ? { requestTimeoutMs: Math.min(config.requestTimeoutMs, flags.timeout ?? config.requestTimeoutMs) } : {}),
  };
}

/** Connects, runs `action`, closes; any failure becomes one line on stderr and exit code 1. */
export async function runAdmin(flags: ConnectionFlags, action: (session: AdminSession) => Promise<void>): Promise<void> {
  let session: AdminSession | null = null;
  try {
    session = await AdminSession.connect({
      settings: connectionSettings(flags),
      operationTimeoutMs: flags.timeout,
      audit: new AuditLog(defaultDataDir()),
      ...(flags.commandConfig ? { commandConfigPath: flags.commandConfig } : {}),
    });
    await action(session);
  } catch (error) {
    reportFailure(error);
  } finally {
    await session?.close();
  }
}

/**
 * For --print-command: the equivalent Kafka command, rendered without connecting, so it
 * also works for a cluster that is down.
 */
export function printKafkaCommand(flags: ChangeFlags, change: AdminChange): void {
  try {
    const command = kafkaCliCommand(change, {
      bootstrapServers: parseBootstrapServers(flags.bootstrapServer),
      ...(flags.commandConfig ? { commandConfigPath: flags.commandConfig } : {}),
    });
    process.stdout.write(`${command}\n`);
  } catch (error) {
    reportFailure(error);
  }
}

export function reportFailure(error: unknown): void {
  const message = isAdminError(error) || error instanceof Error ? error.message : String(error);
  logToStderr(message.replace(/\s*\n\s*/g, ' '));
  process.exitCode = 1;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Runs a command body that needs no cluster (validation), reporting failures the same way. */
export async function guarded(action: () => Promise<void> | void): Promise<void> {
  try {
    await action();
  } catch (error) {
    reportFailure(error);
  }
}
