import { AdminError } from '../../admin/adminError';
import { electLeaders } from '../../admin/leaderElection';
import { reassignmentProgress } from '../../admin/reassignmentProgress';
import { previewReassignment, proposeReassignment } from '../../admin/reassignmentPreview';
import { formatReassignmentJson, parseReassignmentJson } from '../../admin/reassignmentPlan';
import { cancelReassignment, executeReassignment, verifyReassignment } from '../../admin/reassignments';
import { adminErrorToApiError } from '../../app/adminErrors';
import { reassignmentConfirmation } from '../schemas/reassignments';
import { defineHandlers } from './types';

/** Copies that drop the readonly arrays of parsed input, which the admin service takes as plain arrays. */
const plain = (partitions: readonly { topic: string; partition: number; replicas: readonly number[] }[]) =>
  partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition, replicas: [...entry.replicas] }));

export const reassignmentHandlers = defineHandlers({
  'reassignments.list': ({ clusterId }, { sessions }) => sessions.use(clusterId, (session) => reassignmentProgress(session)),

  'reassignments.propose': ({ clusterId, strategy }, { sessions }) => sessions.use(clusterId, (session) => proposeReassignment(session, strategy)),

  'reassignments.preview': ({ clusterId, partitions }, { sessions }) =>
    sessions.use(clusterId, async (session) => ({ ...(await previewReassignment(session, plain(partitions))), confirmation: reassignmentConfirmation(partitions) })),

  'reassignments.execute': async ({ clusterId, partitions, throttleBytesPerSec }, { sessions, dataChanges }) => {
    const options = throttleBytesPerSec === undefined ? {} : { throttleBytesPerSec };
    const { before, kafkaCommand } = await sessions.use(clusterId, (session) => executeReassignment(session, plain(partitions), options));
    dataChanges.mark(clusterId, ['reassignments', 'topics', 'brokers', 'overview']);
    return { kafkaCommand, rollbackJson: formatReassignmentJson(before) };
  },

  'reassignments.cancel': async ({ clusterId, partitions }, { sessions, dataChanges }) => {
    const { kafkaCommand } = await sessions.use(clusterId, (session) => cancelReassignment(session, plain(partitions)));
    dataChanges.mark(clusterId, ['reassignments', 'topics', 'brokers', 'overview']);
    return { kafkaCommand };
  },

  'reassignments.verify': ({ clusterId, partitions }, { sessions }) => sessions.use(clusterId, (session) => verifyReassignment(session, plain(partitions))),

  'reassignments.parse': ({ json, source }) => {
    try {
      return parseReassignmentJson(json, source);
    } catch (error) {
      if (error instanceof AdminError) throw adminErrorToApiError(error);
      throw error;
    }
  },

  'leaders.electPreferred': async ({ clusterId, partitions }, { sessions, dataChanges }) => {
    const refs = partitions.map((entry) => ({ topic: entry.topic, partition: entry.partition }));
    const result = await sessions.use(clusterId, async (session) => ({
      results: await electLeaders(session, 'preferred', refs),
      kafkaCommand: session.commandFor({ kind: 'elect-leaders', electionType: 'preferred', partitions: refs }),
    }));
    dataChanges.mark(clusterId, ['topics', 'brokers', 'overview']);
    return result;
  },
});
