import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AdminError } from '../../admin/adminError';
import type { AdminChange } from '../../admin/adminChange';
import type { AdminSession } from '../../admin/adminSession';
import { topicMetadata } from '../../admin/topicMetadata';
import {
  addPartitions,
  changeTopicConfigs,
  createTopic,
  deleteRecords,
  deleteTopic,
  describeTopics,
  listTopics,
  type TopicDescription,
} from '../../admin/topics';
import { collect, parseKeyValue, parseNonNegativeInteger, parsePositiveInt, parseSignedInteger } from '../options';
import { guarded, printJson, printKafkaCommand, runAdmin, withChangeFlags, withConnectionFlags, type ChangeFlags, type ConnectionFlags } from './adminRuntime';
import { formatTable } from './textTable';

/** `samsa topics list|describe|create|delete|alter|delete-records`, with kafka-topics.sh's flag names. */
export function registerTopicsCommands(program: Command): void {
  const topics = program.command('topics').description('List, describe, create, delete and change topics of any Kafka cluster');

  withConnectionFlags(topics.command('list').description('Topics with partition count, replication factor and health'))
    .option('--exclude-internal', 'leave out internal topics such as __consumer_offsets')
    .action(async (flags: ConnectionFlags & { excludeInternal?: boolean }) =>
      runAdmin(flags, async (session) => {
        const list = await listTopics(session, { includeInternal: !flags.excludeInternal });
        if (flags.json) return printJson(list);
        process.stdout.write(
          formatTable(
            ['TOPIC', 'PARTITIONS', 'REPLICATION-FACTOR', 'UNDER-REPLICATED', 'OFFLINE', 'INTERNAL'],
            list.map((topic) => [topic.name, topic.partitions, topic.replicationFactor, topic.underReplicatedPartitions, topic.offlinePartitions, topic.internal ? 'yes' : '']),
          ),
        );
      }),
    );

  withConnectionFlags(topics.command('describe').description('Partitions (leader, epoch, replicas, ISR, offsets, per-replica lag) and configs'))
    .option('--topic <topic>', 'topic to describe (repeatable; all topics when absent)', collect(String))
    .option('--unhealthy-only', 'only partitions that are under-replicated, at/under min ISR or offline')
    .action(async (flags: ConnectionFlags & { topic?: string[]; unhealthyOnly?: boolean }) =>
      runAdmin(flags, async (session) => {
        const names = flags.topic ?? (await listTopics(session, { includeInternal: false })).map((topic) => topic.name);
        const described = await describeTopics(session, names);
        if (flags.unhealthyOnly) {
          for (const topic of described) topic.partitions = topic.partitions.filter((partition) => partition.underReplicated || partition.minIsr !== 'above' || partition.leader === null);
        }
        if (flags.json) return printJson(described);
        for (const topic of described) printTopic(topic);
      }),
    );

  withChangeFlags(topics.command('create').description('Create a topic'))
    .requiredOption('--topic <topic>', 'name of the new topic')
    .option('--partitions <n>', 'number of partitions (default: the broker\'s num.partitions)', parsePositiveInt)
    .option('--replication-factor <n>', 'replicas per partition (default: the broker\'s default.replication.factor)', parsePositiveInt)
    .option('--config <key=value>', 'topic config override (repeatable)', collect(parseKeyValue))
    .option('--if-not-exists', 'succeed without a change when the topic exists')
    .action(async (flags: ChangeFlags & { topic: string; partitions?: number; replicationFactor?: number; config?: [string, string][]; ifNotExists?: boolean }) => {
      const change = {
        kind: 'create-topic' as const,
        topic: flags.topic,
        partitions: flags.partitions ?? -1,
        replicationFactor: flags.replicationFactor ?? -1,
        configs: Object.fromEntries(flags.config ?? []),
      };
      if (flags.printCommand) return printKafkaCommand(flags, change);
      await runAdmin(flags, async (session) => {
        try {
          const result = await createTopic(session, change);
          report(flags, result, `Created topic ${flags.topic} with ${result.after.partitions} partition(s), replication factor ${result.after.replicationFactor}.`);
        } catch (error) {
          if (flags.ifNotExists && error instanceof AdminError && error.kafkaError === 'TOPIC_ALREADY_EXISTS') {
            report(flags, { kafkaCommand: session.commandFor(change), before: null, after: null }, `Topic ${flags.topic} already exists; nothing changed.`);
            return;
          }
          throw error;
        }
      });
    });

  withChangeFlags(topics.command('delete').description('Delete a topic and all its data'))
    .requiredOption('--topic <topic>', 'topic to delete')
    .option('--if-exists', 'succeed without a change when the topic does not exist')
    .action(async (flags: ChangeFlags & { topic: string; ifExists?: boolean }) => {
      const change: AdminChange = { kind: 'delete-topic', topic: flags.topic };
      if (flags.printCommand) return printKafkaCommand(flags, change);
      await runAdmin(flags, async (session) => {
        try {
          report(flags, await deleteTopic(session, flags.topic), `Deleted topic ${flags.topic}.`);
        } catch (error) {
          if (flags.ifExists && error instanceof AdminError && error.kind === 'unknown-topic') {
            report(flags, { kafkaCommand: session.commandFor(change), before: null, after: null }, `Topic ${flags.topic} does not exist; nothing changed.`);
            return;
          }
          throw error;
        }
      });
    });

  withChangeFlags(topics.command('alter').description('Add partitions and/or set and delete config overrides'))
    .requiredOption('--topic <topic>', 'topic to change')
    .option('--partitions <n>', 'new total number of partitions (more than now)', parsePositiveInt)
    .option('--config <key=value>', 'config override to set (repeatable)', collect(parseKeyValue))
    .option('--delete-config <key>', 'config override to remove (repeatable)', collect(String))
    .action(async (flags: ChangeFlags & { topic: string; partitions?: number; config?: [string, string][]; deleteConfig?: string[] }) => {
      const changes: AdminChange[] = [];
      if (flags.partitions !== undefined) changes.push({ kind: 'add-partitions', topic: flags.topic, totalPartitions: flags.partitions });
      if (flags.config || flags.deleteConfig) {
        changes.push({ kind: 'alter-topic-configs', topic: flags.topic, set: Object.fromEntries(flags.config ?? []), remove: flags.deleteConfig ?? [] });
      }
      if (changes.length === 0) return guarded(() => failWith('give --partitions, --config or --delete-config'));
      if (flags.printCommand) return changes.forEach((change) => printKafkaCommand(flags, change));
      await runAdmin(flags, async (session) => {
        const results = [];
        for (const change of changes) results.push(await applyAlter(session, change));
        if (flags.json) return printJson(results);
        for (const result of results) process.stdout.write(`${result.summary}\n`);
      });
    });

  withChangeFlags(topics.command('delete-records').description('Delete the records of partitions below an offset (kafka-delete-records.sh)'))
    .option('--topic <topic>', 'topic whose records to delete')
    .option('--partition <p>', 'partition (repeatable; all partitions when absent)', collect(parseNonNegativeInteger))
    .option('--offset <n>', 'delete records below this offset; -1 means the high watermark (everything)', parseSignedInteger)
    .option('--offset-json-file <file>', 'Kafka\'s JSON: {"partitions":[{"topic":"t","partition":0,"offset":10}],"version":1}')
    .action(async (flags: ChangeFlags & { topic?: string; partition?: number[]; offset?: number; offsetJsonFile?: string }) =>
      guarded(async () => {
        const request = deleteRecordsRequest(flags);
        if (flags.printCommand && request.offsets.length > 0) return printKafkaCommand(flags, { kind: 'delete-records', ...request });
        await runAdmin(flags, async (session) => {
          // --offset without --partition: every partition of the topic.
          const offsets =
            request.offsets.length > 0
              ? request.offsets
              : (await topicMetadata(session, request.topic)).partitions.map((partition) => ({ partition: partition.partitionIndex, offset: flags.offset! }));
          if (flags.printCommand) return printKafkaCommand(flags, { kind: 'delete-records', topic: request.topic, offsets });
          const result = await deleteRecords(session, request.topic, offsets);
          report(flags, result, offsets.map((entry) => `${request.topic}-${entry.partition}: log start is now ${result.after[`${request.topic}-${entry.partition}`]}`).join('\n'));
        });
      }),
    );
}

async function applyAlter(session: AdminSession, change: AdminChange): Promise<{ kafkaCommand: string; before: unknown; after: unknown; summary: string }> {
  switch (change.kind) {
    case 'add-partitions': {
      const result = await addPartitions(session, change.topic, change.totalPartitions);
      return { ...result, summary: `Topic ${change.topic} now has ${result.after.partitions} partitions (was ${result.before.partitions}).` };
    }
    case 'alter-topic-configs': {
      const result = await changeTopicConfigs(session, change.topic, change.set, change.remove);
      return { ...result, summary: `Topic ${change.topic} config overrides: ${JSON.stringify(result.after)} (were ${JSON.stringify(result.before)}).` };
    }
    default:
      throw new Error(`topics alter does not make ${change.kind} changes`);
  }
}

function deleteRecordsRequest(flags: { topic?: string; partition?: number[]; offset?: number; offsetJsonFile?: string }): { topic: string; offsets: { partition: number; offset: number }[] } {
  if (flags.offsetJsonFile) {
    if (flags.topic || flags.offset !== undefined) failWith('give either --offset-json-file or --topic with --offset, not both');
    return parseDeleteRecordsJson(readFileSync(flags.offsetJsonFile, 'utf8'), flags.offsetJsonFile);
  }
  if (!flags.topic || flags.offset === undefined) failWith('give --topic and --offset (or --offset-json-file)');
  if (flags.offset! < -1) failWith('--offset must be -1 (the high watermark) or at least 0');
  return { topic: flags.topic!, offsets: (flags.partition ?? []).map((partition) => ({ partition, offset: flags.offset! })) };
}

/** kafka-delete-records.sh's offset JSON; all entries must name the same topic. */
export function parseDeleteRecordsJson(text: string, source: string): { topic: string; offsets: { partition: number; offset: number }[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return failWith(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const partitions = (json as { partitions?: unknown }).partitions;
  if (!Array.isArray(partitions) || partitions.length === 0) failWith(`${source} must have a non-empty "partitions" array`);
  const entries = (partitions as unknown[]).map((entry, index) => {
    const { topic, partition, offset } = (entry ?? {}) as { topic?: unknown; partition?: unknown; offset?: unknown };
    if (typeof topic !== 'string' || !Number.isInteger(partition) || (partition as number) < 0 || !Number.isInteger(offset) || (offset as number) < -1) {
      failWith(`${source} partitions[${index}] must be {"topic": string, "partition": integer >= 0, "offset": integer >= -1}`);
    }
    return { topic: topic as string, partition: partition as number, offset: offset as number };
  });
  const topics = [...new Set(entries.map((entry) => entry.topic))];
  if (topics.length > 1) failWith(`${source} names several topics (${topics.join(', ')}); give one topic per file`);
  return { topic: topics[0]!, offsets: entries.map(({ partition, offset }) => ({ partition, offset })) };
}

function failWith(message: string): never {
  throw new AdminError('invalid-input', message);
}

function report(flags: { json?: boolean }, result: { kafkaCommand: string; before: unknown; after: unknown }, summary: string): void {
  if (flags.json) printJson(result);
  else process.stdout.write(`${summary}\n`);
}

function printTopic(topic: TopicDescription): void {
  const overrides = topic.configs.filter((entry) => entry.source === 'DYNAMIC_TOPIC_CONFIG').map((entry) => `${entry.name}=${entry.value ?? '(sensitive)'}`);
  process.stdout.write(
    `Topic: ${topic.name}\tTopicId: ${topic.topicId}\tPartitionCount: ${topic.partitions.length}\tmin.insync.replicas: ${topic.minInsyncReplicas}\tConfigs: ${overrides.join(',') || '-'}\n`,
  );
  process.stdout.write(
    formatTable(
      ['PARTITION', 'LEADER', 'EPOCH', 'REPLICAS', 'ISR', 'OFFLINE', 'LOG-START', 'HIGH-WATERMARK', 'REPLICA-LAG', 'STATUS'],
      topic.partitions.map((partition) => [
        partition.partition,
        partition.leader ?? 'none',
        partition.leaderEpoch,
        partition.replicas.join(','),
        partition.isr.join(','),
        partition.offlineReplicas.join(','),
        partition.logStartOffset,
        partition.highWatermark,
        Object.entries(partition.replicaLag).map(([broker, lag]) => `${broker}:${lag ?? '?'}`).join(','),
        [partition.leader === null ? 'offline' : '', partition.underReplicated ? 'under-replicated' : '', partition.minIsr === 'above' ? '' : `${partition.minIsr}-min-isr`]
          .filter(Boolean)
          .join(',') || 'ok',
      ]),
    ),
  );
  if (topic.replicaLagUnavailable) process.stdout.write(`replica lag unavailable: ${topic.replicaLagUnavailable}\n`);
  process.stdout.write('\n');
}
