import type { Command } from 'commander';
import { AdminError } from '../../admin/adminError';
import { changeBrokerConfigs, describeBrokerConfigs } from '../../admin/brokerConfigs';
import { collect, parseKeyValue, parseNonNegativeInteger } from '../options';
import { guarded, printJson, printKafkaCommand, runAdmin, withChangeFlags, withConnectionFlags, type ChangeFlags, type ConnectionFlags } from './adminRuntime';
import { formatTable } from './textTable';

/**
 * `samsa brokers configs` and `samsa brokers alter`: what kafka-configs.sh --entity-type
 * brokers does, for one broker (--broker N, Kafka's --entity-name) or the cluster-wide
 * default (--entity-default). Dynamic values show their source (DYNAMIC_BROKER_CONFIG,
 * DYNAMIC_DEFAULT_BROKER_CONFIG) next to the static ones.
 */
interface BrokerFlags {
  broker?: number;
  entityDefault?: boolean;
}

function brokerOf(flags: BrokerFlags): number | null {
  if ((flags.broker === undefined) === !flags.entityDefault) throw new AdminError('invalid-input', 'give either --broker <id> or --entity-default');
  return flags.broker ?? null;
}

export function registerBrokerConfigCommands(program: Command): void {
  const brokers = program.commands.find((command) => command.name() === 'brokers') ?? program.command('brokers');
  withConnectionFlags(brokers.command('configs').description('A broker\'s configs with their source, or the cluster-wide dynamic defaults (kafka-configs.sh --describe)'))
    .option('--broker <id>', 'the broker to describe', parseNonNegativeInteger)
    .option('--entity-default', 'the cluster-wide dynamic defaults instead')
    .action(async (flags: ConnectionFlags & BrokerFlags) =>
      guarded(async () => {
        const brokerId = brokerOf(flags);
        await runAdmin(flags, async (session) => {
          const configs = await session.run('describe broker configs', () => describeBrokerConfigs(session, brokerId));
          if (flags.json) return printJson(configs);
          if (configs.length === 0) return void process.stdout.write('No cluster-wide dynamic broker config is set.\n');
          process.stdout.write(formatTable(['NAME', 'VALUE', 'SOURCE', 'READ-ONLY'], configs.map((entry) => [entry.name, entry.value, entry.source, entry.readOnly ? 'yes' : ''])));
        });
      }),
    );

  withChangeFlags(brokers.command('alter').description('Set or delete dynamic broker configs, such as leader.replication.throttled.rate (kafka-configs.sh --alter)'))
    .option('--broker <id>', 'the broker to change', parseNonNegativeInteger)
    .option('--entity-default', 'change the cluster-wide default instead')
    .option('--config <key=value>', 'config to set (repeatable)', collect(parseKeyValue))
    .option('--delete-config <key>', 'config to delete (repeatable)', collect(String))
    .action(async (flags: ChangeFlags & BrokerFlags & { config?: [string, string][]; deleteConfig?: string[] }) =>
      guarded(async () => {
        const brokerId = brokerOf(flags);
        const set = Object.fromEntries(flags.config ?? []);
        const remove = flags.deleteConfig ?? [];
        if (Object.keys(set).length === 0 && remove.length === 0) throw new AdminError('invalid-input', 'give --config or --delete-config');
        if (flags.printCommand) return printKafkaCommand(flags, { kind: 'alter-broker-configs', broker: brokerId, set, remove });
        await runAdmin(flags, async (session) => {
          const changed = await changeBrokerConfigs(session, brokerId, set, remove);
          if (flags.json) return printJson(changed);
          process.stdout.write(`Changed the configs of ${brokerId === null ? 'the cluster-wide broker default' : `broker ${brokerId}`}.\n`);
        });
      }),
    );
}
