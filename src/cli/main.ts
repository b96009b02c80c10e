import { Command } from 'commander';
import { registerBrokerConfigCommands } from './commands/brokerConfigs';
import { registerClusterCommands } from './commands/cluster';
import { registerClusterDescribeCommands } from './commands/clusterDescribe';
import { registerGroupsCommands } from './commands/groups';
import { registerLabCommands } from './commands/lab';
import { registerMessagesCommands } from './commands/messages';
import { registerReassignCommands } from './commands/reassign';
import { registerTopicsCommands } from './commands/topics';
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
registerClusterDescribeCommands(program);
registerBrokerConfigCommands(program);
registerTopicsCommands(program);
registerGroupsCommands(program);
registerMessagesCommands(program);
registerLabCommands(program);
registerReassignCommands(program);

await program.parseAsync(process.argv);
