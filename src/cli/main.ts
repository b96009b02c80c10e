import { Command } from 'commander';
import { registerClusterCommands } from './commands/cluster';
import { registerUiCommand } from './commands/ui';
import { SAMSA_VERSION } from './version';

/**
 * The samsa command line. This file only registers commands, each defined in its own module
 * under ./commands. Output meant for the user or for scripts goes to stdout; logs and
 * diagnostics go to stderr, so `samsa ... | jq` and similar keep working.
 */
const program = new Command()
  .name('samsa')
  .description('Kafka administration, with an embedded multi-broker cluster')
  .version(SAMSA_VERSION)
  .showHelpAfterError();

registerUiCommand(program);
registerClusterCommands(program);

await program.parseAsync(process.argv);
