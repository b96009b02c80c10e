import { readFileSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import { AdminError } from '../../admin/adminError';
import type { ElectionType } from '../../admin/adminChange';
import { electLeaders } from '../../admin/leaderElection';
import { cancelReassignment, executeReassignment, generatePlan, listReassignments, verifyReassignment } from '../../admin/reassignments';
import { formatReassignmentJson, parseReassignmentJson, parseTopicsToMoveJson, type PartitionReplicas } from '../../admin/reassignmentPlan';
import { parseNonNegativeInteger } from '../options';
import { guarded, printJson, printKafkaCommand, runAdmin, withChangeFlags, type ChangeFlags } from './adminRuntime';
import { formatTable } from './textTable';

/**
 * `samsa reassign` with the actions and JSON files of kafka-reassign-partitions.sh, and
 * `samsa leader-election` with the flags of kafka-leader-election.sh.
 */
const ACTIONS = ['generate', 'execute', 'verify', 'cancel', 'list'] as const;
type Action = (typeof ACTIONS)[number];

interface ReassignFlags extends ChangeFlags {
  generate?: boolean;
  execute?: boolean;
  verify?: boolean;
  cancel?: boolean;
  list?: boolean;
  topicsToMoveJsonFile?: string;
  brokerList?: string;
  reassignmentJsonFile?: string;
  throttle?: number;
}

export function registerReassignCommands(program: Command): void {
  withChangeFlags(program.command('reassign').description('Move partition replicas between brokers (kafka-reassign-partitions.sh)'))
    .option('--generate', 'propose a balanced assignment of --topics-to-move-json-file over --broker-list')
    .option('--execute', 'start the reassignment in --reassignment-json-file')
    .option('--verify', 'say whether the reassignment in --reassignment-json-file is complete')
    .option('--cancel', 'cancel the reassignment in --reassignment-json-file, restoring the original replicas')
    .option('--list', 'list the reassignments in progress')
    .option('--topics-to-move-json-file <file>', '{"version":1,"topics":[{"topic":"orders"}]}')
    .option('--broker-list <ids>', 'brokers to spread replicas over, e.g. 1,2,3')
    .option('--reassignment-json-file <file>', '{"version":1,"partitions":[{"topic":"orders","partition":0,"replicas":[1,2]}]}')
    .option(
      '--throttle <bytes/s>',
      'with --execute: limit the copying of the moved replicas to this many bytes/s per broker (sets leader/follower.replication.throttled.rate on the brokers involved and the topics\' throttled replicas; run --execute again to change it, --verify removes it once complete)',
      parseThrottle,
    )
    .action(async (flags: ReassignFlags) =>
      guarded(async () => {
        const chosen = ACTIONS.filter((action) => flags[action]);
        if (chosen.length !== 1) throw new AdminError('invalid-input', `give exactly one of ${ACTIONS.map((action) => `--${action}`).join(', ')}`);
        if (flags.throttle !== undefined && chosen[0] !== 'execute') throw new AdminError('invalid-input', '--throttle only goes with --execute');
        await runAction(chosen[0]!, flags);
      }),
    );

  withChangeFlags(program.command('leader-election').description('Elect partition leaders (kafka-leader-election.sh)'))
    .requiredOption('--election-type <type>', 'preferred or unclean')
    .option('--topic <topic>', 'topic of the one partition to elect for (with --partition)')
    .option('--partition <p>', 'partition to elect for (with --topic)', parseNonNegativeInteger)
    .option('--all-topic-partitions', 'every partition whose leader is not the one the election would choose')
    .action(async (flags: ChangeFlags & { electionType: string; topic?: string; partition?: number; allTopicPartitions?: boolean }) =>
      guarded(async () => {
        const type = flags.electionType.toLowerCase();
        if (type !== 'preferred' && type !== 'unclean') throw new AdminError('invalid-input', '--election-type must be preferred or unclean');
        const single = flags.topic !== undefined || flags.partition !== undefined;
        if (single === Boolean(flags.allTopicPartitions) || (single && (flags.topic === undefined || flags.partition === undefined))) {
          throw new AdminError('invalid-input', 'give either --topic with --partition, or --all-topic-partitions');
        }
        const partitions = flags.allTopicPartitions ? null : [{ topic: flags.topic!, partition: flags.partition! }];
        const change = { kind: 'elect-leaders' as const, electionType: type as ElectionType, partitions };
        if (flags.printCommand) return printKafkaCommand(flags, change);
        await runAdmin(flags, async (session) => {
          const results = await electLeaders(session, type as ElectionType, partitions);
          if (flags.json) return printJson(results);
          if (results.length === 0) return void process.stdout.write('No partition needed an election.\n');
          process.stdout.write(formatTable(['TOPIC', 'PARTITION', 'OUTCOME', 'ERROR'], results.map((row) => [row.topic, row.partition, row.outcome, row.error])));
          if (results.some((row) => row.outcome === 'failed')) process.exitCode = 1;
        });
      }),
    );
}

async function runAction(action: Action, flags: ReassignFlags): Promise<void> {
  switch (action) {
    case 'generate': {
      if (!flags.topicsToMoveJsonFile || !flags.brokerList) throw new AdminError('invalid-input', '--generate needs --topics-to-move-json-file and --broker-list');
      const topics = parseTopicsToMoveJson(readText(flags.topicsToMoveJsonFile), flags.topicsToMoveJsonFile);
      const brokers = parseBrokerList(flags.brokerList);
      return runAdmin(flags, async (session) => {
        const plan = await generatePlan(session, topics, brokers);
        if (flags.json) return printJson(plan);
        process.stdout.write(
          `Current partition replica assignment\n${formatReassignmentJson(plan.current)}\n\nProposed partition reassignment configuration\n${formatReassignmentJson(plan.proposed)}\n\n${plan.replicasToMove} replica(s) would move.\n`,
        );
      });
    }
    case 'list':
      return runAdmin(flags, async (session) => {
        const ongoing = await listReassignments(session);
        if (flags.json) return printJson(ongoing);
        if (ongoing.length === 0) return void process.stdout.write('No partition reassignment is in progress.\n');
        process.stdout.write(
          formatTable(
            ['TOPIC', 'PARTITION', 'REPLICAS', 'ADDING', 'REMOVING'],
            ongoing.map((row) => [row.topic, row.partition, row.replicas.join(','), row.addingReplicas.join(','), row.removingReplicas.join(',')]),
          ),
        );
      });
    case 'execute':
    case 'cancel':
    case 'verify': {
      const partitions = reassignmentFile(flags);
      const throttle = flags.throttle === undefined ? {} : { throttleBytesPerSec: flags.throttle };
      if (action !== 'verify' && flags.printCommand) {
        return printKafkaCommand(flags, action === 'execute' ? { kind: 'reassign-partitions', partitions, ...throttle } : { kind: 'cancel-reassignment', partitions });
      }
      return runAdmin(flags, async (session) => {
        if (action === 'verify') {
          const result = await verifyReassignment(session, partitions);
          if (rowsIncomplete(result.partitions)) process.exitCode = 2;
          if (flags.json) return printJson(result);
          process.stdout.write(
            formatTable(
              ['TOPIC', 'PARTITION', 'TARGET', 'CURRENT', 'STATUS'],
              result.partitions.map((row) => [row.topic, row.partition, row.replicas.join(','), row.currentReplicas.join(','), row.status]),
            ),
          );
          const removed = result.throttleRemoved;
          if (removed !== null) {
            process.stdout.write(
              removed.ratesKept
                ? "Removed this plan's throttled replicas; the brokers keep their throttle rates while other reassignments run.\n"
                : 'Throttle was removed.\n',
            );
          }
          return;
        }
        if (action === 'cancel') {
          const cancelled = await cancelReassignment(session, partitions);
          if (flags.json) return printJson(cancelled);
          return void process.stdout.write(`Cancelled the reassignment of ${partitions.length} partition(s).\n`);
        }
        const started = await executeReassignment(session, partitions, throttle);
        if (flags.json) return printJson(started);
        const throttled = flags.throttle === undefined ? '' : ` The throttle limit was set to ${flags.throttle} B/s; run --verify once it completes to remove it.`;
        process.stdout.write(`Started the reassignment of ${partitions.length} partition(s).${throttled} Save this to roll back:\n${formatReassignmentJson(started.before)}\n`);
      });
    }
  }
}

function rowsIncomplete(rows: { status: string }[]): boolean {
  return rows.some((row) => row.status !== 'complete');
}

/** --throttle: bytes/s, a whole number of at least 1 (as kafka-reassign-partitions.sh takes it). */
function parseThrottle(value: string): number {
  const parsed = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(parsed) || parsed < 1) {
    throw new InvalidArgumentError(`--throttle takes a whole number of bytes per second, at least 1 (such as 10000000 for 10 MB/s).`);
  }
  return parsed;
}

function reassignmentFile(flags: ReassignFlags): PartitionReplicas[] {
  if (!flags.reassignmentJsonFile) throw new AdminError('invalid-input', '--execute, --verify and --cancel need --reassignment-json-file');
  return parseReassignmentJson(readText(flags.reassignmentJsonFile), flags.reassignmentJsonFile);
}

function parseBrokerList(text: string): number[] {
  if (!/^\d+(,\d+)*$/.test(text.trim())) throw new AdminError('invalid-input', `--broker-list must be broker ids separated by commas (e.g. 1,2,3), got "${text}"`);
  return text.trim().split(',').map(Number);
}

function readText(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    throw new AdminError('invalid-input', `cannot read ${path}: ${(error as Error).message}`, undefined, { cause: error });
  }
}

