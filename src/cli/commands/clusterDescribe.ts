import type { Command } from 'commander';
import { describeBrokers, describeCluster } from '../../admin/clusterInfo';
import { printJson, runAdmin, withConnectionFlags, type ConnectionFlags } from './adminRuntime';
import { formatTable } from './textTable';

/**
 * `samsa cluster describe` (a subcommand of the existing `cluster` command, which otherwise
 * runs the embedded cluster) and `samsa brokers describe`.
 */
export function registerClusterDescribeCommands(program: Command): void {
  const cluster = program.commands.find((command) => command.name() === 'cluster') ?? program.command('cluster');
  withConnectionFlags(cluster.command('describe').description('Cluster id, controller and brokers (host, port, rack) of any Kafka cluster')).action(
    async (flags: ConnectionFlags) =>
      runAdmin(flags, async (session) => {
        const description = await describeCluster(session);
        if (flags.json) return printJson(description);
        process.stdout.write(
          `Cluster id: ${description.clusterId ?? '-'}\nController: ${description.controllerId ?? '-'}\nTopics: ${description.topicCount}  Partitions: ${description.partitionCount}\n\n`,
        );
        process.stdout.write(
          formatTable(
            ['BROKER', 'HOST', 'PORT', 'RACK', 'CONTROLLER'],
            description.brokers.map((broker) => [broker.id, broker.host, broker.port, broker.rack, broker.isController ? 'yes' : '']),
          ),
        );
      }),
  );

  const brokers = program.command('brokers').description('Inspect the brokers of any Kafka cluster');
  withConnectionFlags(brokers.command('describe').description('Brokers with replicas, leaders, out-of-sync replicas and log dir sizes')).action(
    async (flags: ConnectionFlags) =>
      runAdmin(flags, async (session) => {
        const described = await describeBrokers(session);
        if (flags.json) return printJson(described);
        process.stdout.write(
          formatTable(
            ['BROKER', 'HOST', 'PORT', 'RACK', 'CONTROLLER', 'REPLICAS', 'LEADERS', 'OUT-OF-SYNC', 'LOG-DIR-BYTES'],
            described.map((broker) => [
              broker.id,
              broker.host,
              broker.port,
              broker.rack,
              broker.isController ? 'yes' : '',
              broker.replicas,
              broker.leaders,
              broker.outOfSyncReplicas,
              broker.logDirs ? broker.logDirs.reduce((sum, dir) => sum + dir.sizeBytes, 0) : null,
            ]),
          ),
        );
        const reasons = [...new Set(described.map((broker) => broker.logDirsUnavailable).filter(Boolean))];
        for (const reason of reasons) process.stdout.write(`log dir sizes unavailable: ${reason}\n`);
      }),
  );
}
