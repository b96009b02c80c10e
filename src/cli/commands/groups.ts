import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { AdminError } from '../../admin/adminError';
import type { AdminChange, ResetScope, TopicPartitions } from '../../admin/adminChange';
import { deleteGroup, deleteGroupOffsets, describeGroup, listGroups, type GroupDescription } from '../../admin/groups';
import { resetGroupOffsets } from '../../admin/offsetReset';
import { formatResetCsv, parseResetCsv } from '../../admin/offsetResetFile';
import { parseIsoDuration, parseResetDatetime, type ResetMode } from '../../admin/offsetResetPlan';
import { collect, parseSignedInteger, parseNonNegativeInteger, parseTopicPartitions } from '../options';
import { guarded, printJson, printKafkaCommand, runAdmin, withChangeFlags, withConnectionFlags, type ChangeFlags, type ConnectionFlags } from './adminRuntime';
import { formatTable } from './textTable';

/** `samsa groups list|describe|reset-offsets|delete|delete-offsets`, with kafka-consumer-groups.sh's flags. */
export function registerGroupsCommands(program: Command): void {
  const groups = program.command('groups').description('Inspect consumer groups, reset their offsets, delete them');

  withConnectionFlags(groups.command('list').description('Consumer groups with state and member count')).action(async (flags: ConnectionFlags) =>
    runAdmin(flags, async (session) => {
      const list = await listGroups(session);
      if (flags.json) return printJson(list);
      process.stdout.write(formatTable(['GROUP', 'STATE', 'MEMBERS', 'PROTOCOL-TYPE'], list.map((group) => [group.group, group.state, group.members, group.protocolType])));
    }),
  );

  withConnectionFlags(groups.command('describe').description('Committed offset, log end offset and lag per partition, with the owning member'))
    .requiredOption('--group <group>', 'group to describe (repeatable)', collect(String))
    .option('--members', 'list the members and their assignments instead')
    .option('--state', 'show the group state and coordinator protocol instead')
    .action(async (flags: ConnectionFlags & { group: string[]; members?: boolean; state?: boolean }) =>
      runAdmin(flags, async (session) => {
        const described: GroupDescription[] = [];
        for (const group of flags.group) described.push(await describeGroup(session, group));
        if (flags.members) return printMembers(described, flags.json);
        if (flags.state) return printState(described, flags.json);
        if (flags.json) return printJson(described.flatMap((group) => group.offsets));
        for (const group of described) {
          process.stdout.write(`Group ${group.group} is ${group.state} with ${group.members.length} member(s); total lag ${group.totalLag}\n`);
          process.stdout.write(
            formatTable(
              ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'LOG-END-OFFSET', 'LAG', 'CONSUMER-ID', 'HOST', 'CLIENT-ID'],
              group.offsets.map((row) => [row.group, row.topic, row.partition, row.currentOffset, row.logEndOffset, row.lag, row.consumerId, row.host, row.clientId]),
            ),
          );
          process.stdout.write('\n');
        }
      }),
    );

  withChangeFlags(groups.command('reset-offsets').description('Plan (--dry-run, the default) or --execute an offset reset; the group must have no members to execute'))
    .requiredOption('--group <group>', 'group whose offsets to reset')
    .option('--topic <topic[:p,p]>', 'topic, or topic:partitions, to reset (repeatable)', collect(parseTopicPartitions))
    .option('--all-topics', 'every partition the group has committed offsets for')
    .option('--to-earliest', 'to the log start offset')
    .option('--to-latest', 'to the log end offset (high watermark)')
    .option('--to-current', 'to the committed offset (the log end where there is none)')
    .option('--to-offset <n>', 'to this offset, clamped to the log', parseNonNegativeInteger)
    .option('--shift-by <n>', 'move the committed offset by n (negative to re-read)', parseSignedInteger)
    .option('--to-datetime <datetime>', 'to the first offset at or after YYYY-MM-DDTHH:mm:SS.sss[zone]')
    .option('--by-duration <duration>', 'to the first offset at or after now minus an ISO-8601 duration (PT1H, P1DT12H)')
    .option('--from-file <csv>', 'to the offsets in a CSV of topic,partition,offset (as --export writes)')
    .option('--dry-run', 'print the plan without changing anything (the default)')
    .option('--execute', 'commit the plan')
    .option('--export', 'print the plan as CSV (topic,partition,offset) for --from-file')
    .action(async (flags: ResetFlags) =>
      guarded(async () => {
        const mode = resetMode(flags);
        const scope = resetScope(flags, mode);
        if (flags.execute && flags.dryRun) throw new AdminError('invalid-input', 'give either --dry-run or --execute, not both');
        const change: AdminChange = { kind: 'reset-offsets', group: flags.group, mode, scope, execute: Boolean(flags.execute) };
        if (flags.printCommand) return printKafkaCommand(flags, change);
        await runAdmin(flags, async (session) => {
          const result = await resetGroupOffsets(session, { group: flags.group, mode, scope, execute: Boolean(flags.execute) });
          if (flags.export) return void process.stdout.write(formatResetCsv(result.plan));
          if (flags.json) return printJson(result);
          process.stdout.write(
            formatTable(
              ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET', 'LOG-START', 'LOG-END', 'RE-READ', 'SKIPPED', 'NOTE'],
              result.plan.map((row) => [
                flags.group,
                row.topic,
                row.partition,
                row.currentOffset,
                row.newOffset,
                row.logStartOffset,
                row.logEndOffset,
                row.messagesReread,
                row.messagesSkipped,
                row.clampedTo ? `asked ${row.requestedOffset}, clamped to ${row.clampedTo}` : '',
              ]),
            ),
          );
          process.stdout.write(result.executed ? 'Offsets reset.\n' : 'Dry run: nothing changed. Add --execute to commit these offsets.\n');
        });
      }),
    );

  withChangeFlags(groups.command('delete').description('Delete a consumer group and its committed offsets (it must have no members)'))
    .requiredOption('--group <group>', 'group to delete')
    .action(async (flags: ChangeFlags & { group: string }) => {
      const change: AdminChange = { kind: 'delete-group', group: flags.group };
      if (flags.printCommand) return printKafkaCommand(flags, change);
      await runAdmin(flags, async (session) => {
        const result = await deleteGroup(session, flags.group);
        if (flags.json) return printJson(result);
        process.stdout.write(`Deleted group ${flags.group}.\n`);
      });
    });

  withChangeFlags(groups.command('delete-offsets').description('Delete a group\'s committed offsets for a topic (the group must not be subscribed to it)'))
    .requiredOption('--group <group>', 'group whose offsets to delete')
    .requiredOption('--topic <topic[:p,p]>', 'topic, or topic:partitions', parseTopicPartitions)
    .action(async (flags: ChangeFlags & { group: string; topic: TopicPartitions }) => {
      const change: AdminChange = { kind: 'delete-group-offsets', group: flags.group, topic: flags.topic.topic, ...(flags.topic.partitions ? { partitions: flags.topic.partitions } : {}) };
      if (flags.printCommand) return printKafkaCommand(flags, change);
      await runAdmin(flags, async (session) => {
        const result = await deleteGroupOffsets(session, flags.group, flags.topic.topic, flags.topic.partitions);
        if (flags.json) return printJson(result);
        process.stdout.write(`Deleted the offsets of group ${flags.group} for ${Object.keys(result.before).join(', ') || 'no committed partition'}.\n`);
      });
    });
}

interface ResetFlags extends ChangeFlags {
  group: string;
  topic?: TopicPartitions[];
  allTopics?: boolean;
  toEarliest?: boolean;
  toLatest?: boolean;
  toCurrent?: boolean;
  toOffset?: number;
  shiftBy?: number;
  toDatetime?: string;
  byDuration?: string;
  fromFile?: string;
  dryRun?: boolean;
  execute?: boolean;
  export?: boolean;
}

function resetMode(flags: ResetFlags): ResetMode {
  const modes: ResetMode[] = [];
  if (flags.toEarliest) modes.push({ mode: 'to-earliest' });
  if (flags.toLatest) modes.push({ mode: 'to-latest' });
  if (flags.toCurrent) modes.push({ mode: 'to-current' });
  if (flags.toOffset !== undefined) modes.push({ mode: 'to-offset', offset: flags.toOffset });
  if (flags.shiftBy !== undefined) modes.push({ mode: 'shift-by', shift: flags.shiftBy });
  if (flags.toDatetime !== undefined) modes.push({ mode: 'to-datetime', datetime: flags.toDatetime, timestamp: parseResetDatetime(flags.toDatetime) });
  if (flags.byDuration !== undefined) modes.push({ mode: 'by-duration', duration: flags.byDuration, durationMs: parseIsoDuration(flags.byDuration) });
  if (flags.fromFile !== undefined) {
    let text: string;
    try {
      text = readFileSync(flags.fromFile, 'utf8');
    } catch (error) {
      throw new AdminError('invalid-input', `cannot read --from-file ${flags.fromFile}: ${(error as Error).message}`);
    }
    modes.push({ mode: 'from-file', path: flags.fromFile, offsets: parseResetCsv(text, flags.fromFile, flags.group) });
  }
  if (modes.length !== 1) {
    throw new AdminError(
      'invalid-input',
      `give exactly one of --to-earliest, --to-latest, --to-current, --to-offset, --shift-by, --to-datetime, --by-duration, --from-file (got ${modes.length})`,
    );
  }
  return modes[0]!;
}

function resetScope(flags: ResetFlags, mode: ResetMode): ResetScope {
  if (mode.mode === 'from-file') {
    if (flags.topic || flags.allTopics) throw new AdminError('invalid-input', '--from-file sets the partitions itself: leave out --topic and --all-topics');
    return { kind: 'topics', topics: [] };
  }
  if (flags.allTopics && flags.topic) throw new AdminError('invalid-input', 'give either --topic or --all-topics, not both');
  if (flags.allTopics) return { kind: 'all-topics' };
  if (!flags.topic) throw new AdminError('invalid-input', 'give --topic TOPIC[:PARTITIONS] (repeatable) or --all-topics');
  return { kind: 'topics', topics: flags.topic };
}

function printMembers(groups: GroupDescription[], json: boolean | undefined): void {
  const rows = groups.flatMap((group) => group.members.map((member) => ({ group: group.group, ...member })));
  if (json) return printJson(rows);
  process.stdout.write(
    formatTable(
      ['GROUP', 'CONSUMER-ID', 'HOST', 'CLIENT-ID', '#PARTITIONS', 'ASSIGNMENT'],
      rows.map((row) => [
        row.group,
        row.memberId,
        row.host,
        row.clientId,
        row.assignment?.reduce((sum, entry) => sum + entry.partitions.length, 0) ?? null,
        row.assignment?.map((entry) => `${entry.topic}(${entry.partitions.join(',')})`).join(' ') ?? '(not a consumer-protocol group)',
      ]),
    ),
  );
}

function printState(groups: GroupDescription[], json: boolean | undefined): void {
  const rows = groups.map((group) => ({ group: group.group, state: group.state, protocolType: group.protocolType, protocol: group.protocol, members: group.members.length, totalLag: group.totalLag }));
  if (json) return printJson(rows);
  process.stdout.write(formatTable(['GROUP', 'STATE', 'PROTOCOL-TYPE', 'ASSIGNMENT-STRATEGY', '#MEMBERS', 'TOTAL-LAG'], rows.map((row) => [row.group, row.state, row.protocolType, row.protocol, row.members, row.totalLag])));
}
