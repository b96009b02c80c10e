import type { AdminSession } from '../../admin/adminSession';
import { brokerReplicas } from '../../admin/brokerReplicas';
import { describeBrokers } from '../../admin/clusterInfo';
import { brokerPresence } from '../../app/brokerPresence';
import type { BrokerRow } from '../schemas/brokers';
import { isEmbedded, type ClusterRef } from '../schemas/clusterRef';
import { defineHandlers, type ApiContext } from './types';

/** The brokers table: live brokers as the cluster describes them, then those that went missing. */
async function brokerRows(session: AdminSession, clusterId: ClusterRef, context: ApiContext): Promise<BrokerRow[]> {
  const [described, metadata] = await Promise.all([describeBrokers(session), session.run('read cluster metadata', () => session.metadata())]);
  const { down } = brokerPresence(context, clusterId, metadata);
  const processes = isEmbedded(clusterId) ? context.embedded.status().brokers : [];
  const processOf = (id: number) => processes.find((entry) => entry.brokerId === id) ?? null;
  const up = described.map(
    (broker): BrokerRow => ({
      id: broker.id,
      host: broker.host,
      port: broker.port,
      rack: broker.rack,
      isController: broker.isController,
      status: 'up',
      leaders: broker.leaders,
      replicas: broker.replicas,
      outOfSyncReplicas: broker.outOfSyncReplicas,
      logDirBytes: broker.logDirs === null ? null : broker.logDirs.reduce((total, dir) => total + dir.sizeBytes, 0),
      logDirsUnavailable: broker.logDirsUnavailable ?? null,
      process: processOf(broker.id),
    }),
  );
  // A down broker still holds replicas in the assignment; counting them shows what it takes with it.
  const missing = down.map((broker): BrokerRow => {
    const partitions = metadata.topics.flatMap((topic) => topic.partitions).filter((partition) => partition.replicaNodes.includes(broker.id));
    return {
      ...broker,
      isController: false,
      status: 'down',
      leaders: 0,
      replicas: partitions.length,
      outOfSyncReplicas: partitions.filter((partition) => !partition.isrNodes.includes(broker.id)).length,
      logDirBytes: null,
      logDirsUnavailable: 'the broker is down',
      process: processOf(broker.id),
    };
  });
  return [...up, ...missing].sort((a, b) => a.id - b.id);
}

export const brokerHandlers = defineHandlers({
  'brokers.list': ({ clusterId }, context) => context.sessions.use(clusterId, (session) => brokerRows(session, clusterId, context)),

  'brokers.describe': ({ clusterId, brokerId }, context) =>
    context.sessions.use(clusterId, async (session) => {
      const [rows, detail] = await Promise.all([brokerRows(session, clusterId, context), brokerReplicas(session, brokerId)]);
      return {
        broker: rows.find((row) => row.id === brokerId) ?? null,
        replicas: detail.replicas,
        logDirs: detail.logDirs,
        logDirsUnavailable: detail.logDirsUnavailable,
        lagUnknownBecause: detail.lagUnknownBecause,
      };
    }),
});
