import type { Command } from 'commander';
import { registerBrokerConfigCommands } from './commands/brokerConfigs';
import { registerClusterCommands } from './commands/cluster';
import { registerClusterDescribeCommands } from './commands/clusterDescribe';
import { registerGroupsCommands } from './commands/groups';
import { registerLabCommands } from './commands/lab';
import { registerMessagesCommands } from './commands/messages';
import { registerReassignCommands } from './commands/reassign';
import { registerTopicsCommands } from './commands/topics';
import { registerUiCommand } from './commands/ui';

/** Every command, each defined in its own module under ./commands, in help order. */
export function registerAllCommands(program: Command): void {
  registerUiCommand(program);
  registerClusterCommands(program);
  registerClusterDescribeCommands(program);
  registerBrokerConfigCommands(program);
  registerTopicsCommands(program);
  registerGroupsCommands(program);
  registerMessagesCommands(program);
  registerLabCommands(program);
  registerReassignCommands(program);
}
