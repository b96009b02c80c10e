import type { AdminChange, ResetScope, TopicPartitions } from './adminChange';
import type { ResetMode } from './offsetResetPlan';
import { formatReassignmentJson } from './reassignmentPlan';

/**
 * The Kafka CLI command that makes the same change (kafka-topics.sh, kafka-configs.sh,
 * kafka-consumer-groups.sh, kafka-delete-records.sh, kafka-console-producer.sh,
 * kafka-reassign-partitions.sh, kafka-leader-election.sh), for
 * "copy the equivalent command" and the audit log. Commands that need an input file are
 * rendered as a small shell script that writes the file first, so the text runs as is.
 */
export interface CommandTarget {
  bootstrapServers: string[];
  /** The --command-config file the user gave, passed on to Kafka's tool unchanged. */
  commandConfigPath?: string;
}

export function kafkaCliCommand(change: AdminChange, target: CommandTarget): string {
  const connection = ['--bootstrap-server', target.bootstrapServers.join(','), ...(target.commandConfigPath ? ['--command-config', target.commandConfigPath] : [])];
  switch (change.kind) {
    case 'create-topic':
      return shell('kafka-topics.sh', [
        ...connection,
        '--create',
        '--topic',
        change.topic,
        // -1 asks for the broker's default (num.partitions, default.replication.factor), as omitting the flag does.
        ...(change.partitions > 0 ? ['--partitions', String(change.partitions)] : []),
        ...(change.replicationFactor > 0 ? ['--replication-factor', String(change.replicationFactor)] : []),
        ...Object.entries(change.configs).flatMap(([key, value]) => ['--config', `${key}=${value}`]),
      ]);
    case 'delete-topic':
      return shell('kafka-topics.sh', [...connection, '--delete', '--topic', change.topic]);
    case 'add-partitions':
      return shell('kafka-topics.sh', [...connection, '--alter', '--topic', change.topic, '--partitions', String(change.totalPartitions)]);
    case 'alter-topic-configs':
      return alterConfigsCommand(connection, ['--entity-type', 'topics', '--entity-name', change.topic], change);
    case 'alter-broker-configs':
      return alterConfigsCommand(connection, ['--entity-type', 'brokers', ...(change.broker === null ? ['--entity-default'] : ['--entity-name', String(change.broker)])], change);
    case 'delete-records': {
      const json = JSON.stringify({
        version: 1,
        partitions: change.offsets.map((entry) => ({ topic: change.topic, partition: entry.partition, offset: entry.offset })),
      });
      return withFile('delete-records.json', json, shell('kafka-delete-records.sh', [...connection, '--offset-json-file', 'delete-records.json']));
    }
    case 'produce': {
      const properties: string[] = [];
      if (change.key !== null) properties.push('--property', 'parse.key=true', '--property', 'key.separator=\t');
      const headers = Object.entries(change.headers);
      if (headers.length > 0) properties.push('--property', 'parse.headers=true');
      const line = [
        headers.length > 0 ? headers.map(([key, value]) => `${key}:${value}`).join(',') : null,
        change.key,
        change.value ?? '',
      ]
        .filter((part) => part !== null)
        .join('\t');
      const producer = shell('kafka-console-producer.sh', [
        '--bootstrap-server',
        target.bootstrapServers.join(','),
        ...(target.commandConfigPath ? ['--producer.config', target.commandConfigPath] : []),
        '--topic',
        change.topic,
        ...(change.partition === undefined ? [] : ['--property', `partition=${change.partition}`]),
        ...properties,
      ]);
      return `printf '%s\\n' ${quote(line)} | ${producer}`;
    }
    case 'delete-group':
      return shell('kafka-consumer-groups.sh', [...connection, '--delete', '--group', change.group]);
    case 'delete-group-offsets':
      return shell('kafka-consumer-groups.sh', [...connection, '--delete-offsets', '--group', change.group, '--topic', topicArgument({ topic: change.topic, partitions: change.partitions })]);
    case 'reset-offsets':
      return shell('kafka-consumer-groups.sh', [
        ...connection,
        '--group',
        change.group,
        '--reset-offsets',
        ...resetModeArguments(change.mode),
        ...(change.mode.mode === 'from-file' ? [] : scopeArguments(change.scope)),
        change.execute ? '--execute' : '--dry-run',
      ]);
    case 'reassign-partitions':
    case 'cancel-reassignment':
    case 'remove-reassignment-throttle': {
      const action =
        change.kind === 'reassign-partitions'
          ? ['--execute', ...(change.throttleBytesPerSec === undefined ? [] : ['--throttle', String(change.throttleBytesPerSec)])]
          : change.kind === 'cancel-reassignment'
            ? ['--cancel']
            : // Kafka's tool removes the throttle of a completed reassignment when it verifies it.
              ['--verify'];
      return withFile(
        'reassignment.json',
        formatReassignmentJson(change.partitions),
        shell('kafka-reassign-partitions.sh', [...connection, '--reassignment-json-file', 'reassignment.json', ...action]),
      );
    }
    case 'elect-leaders': {
      // kafka-leader-election.sh names its client properties --admin.config.
      const admin = ['--bootstrap-server', target.bootstrapServers.join(','), ...(target.commandConfigPath ? ['--admin.config', target.commandConfigPath] : []), '--election-type', change.electionType.toUpperCase()];
      if (change.partitions === null) return shell('kafka-leader-election.sh', [...admin, '--all-topic-partitions']);
      const [only] = change.partitions;
      if (change.partitions.length === 1 && only) return shell('kafka-leader-election.sh', [...admin, '--topic', only.topic, '--partition', String(only.partition)]);
      return withFile('election.json', JSON.stringify({ partitions: change.partitions }), shell('kafka-leader-election.sh', [...admin, '--path-to-json-file', 'election.json']));
    }
  }
}

/** kafka-configs.sh --alter of one entity. */
function alterConfigsCommand(connection: string[], entity: string[], change: { set: Record<string, string>; remove: string[] }): string {
  const set = Object.entries(change.set).map(([key, value]) => `${key}=${configValue(value)}`);
  return shell('kafka-configs.sh', [
    ...connection,
    '--alter',
    ...entity,
    ...(set.length > 0 ? ['--add-config', set.join(',')] : []),
    ...(change.remove.length > 0 ? ['--delete-config', change.remove.join(',')] : []),
  ]);
}

function resetModeArguments(mode: ResetMode): string[] {
  switch (mode.mode) {
    case 'to-earliest':
    case 'to-latest':
    case 'to-current':
      return [`--${mode.mode}`];
    case 'to-offset':
      return ['--to-offset', String(mode.offset)];
    case 'shift-by':
      return ['--shift-by', String(mode.shift)];
    case 'to-datetime':
      return ['--to-datetime', mode.datetime];
    case 'by-duration':
      return ['--by-duration', mode.duration];
    case 'from-file':
      return ['--from-file', mode.path];
  }
}

function scopeArguments(scope: ResetScope): string[] {
  switch (scope.kind) {
    case 'all-topics':
      return ['--all-topics'];
    case 'topics':
      return scope.topics.flatMap((entry) => ['--topic', topicArgument(entry)]);
  }
}

/** Kafka's `T` or `T:0,2` topic argument. */
export function topicArgument(entry: TopicPartitions): string {
  return entry.partitions && entry.partitions.length > 0 ? `${entry.topic}:${entry.partitions.join(',')}` : entry.topic;
}

/** kafka-configs.sh splits --add-config at commas; a value holding one is bracketed ([a,b]). */
function configValue(value: string): string {
  return value.includes(',') ? `[${value}]` : value;
}

export function withFile(name: string, content: string, command: string): string {
  return `cat > ${name} <<'EOF'\n${content}\nEOF\n${command}`;
}

function shell(tool: string, args: string[]): string {
  return [tool, ...args.map(quote)].join(' ');
}

/** POSIX single quotes, only where the shell would otherwise split or expand. */
export function quote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}
