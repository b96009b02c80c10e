import { Command } from 'commander';
import { registerClusterCommands } from './commands/cluster';
import { SAMSA_VERSION } from './version';

/**
 * The samsa command line. This file only picks the commands to register (./allCommands).
 * Output meant for the user or for scripts goes to stdout; logs and diagnostics go to
 * stderr, so `samsa ... | jq` and similar keep working.
 */
const program = new Command()
  .name('samsa')
  .description('Kafka administration, with an embedded multi-broker cluster')
  .version(SAMSA_VERSION)
  .showHelpAfterError();

/**
 * `samsa cluster` (the embedded cluster's host) and `internal-broker` start every embedded
 * cluster, so they load the engine alone: the admin commands' libraries (kafkajs, zod) took
 * seconds of that startup on a busy machine. The build splits the bundle at this import.
 */
const [command, subcommand] = process.argv.slice(2);
const wantsHelp = process.argv.includes('--help') || process.argv.includes('-h');
const engineOnly = !wantsHelp && ((command === 'cluster' && subcommand !== 'describe') || command === 'internal-broker');
if (engineOnly) registerClusterCommands(program);
else (await import('./allCommands')).registerAllCommands(program);

await program.parseAsync(process.argv);
