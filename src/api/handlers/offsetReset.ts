import type { ResetScope } from '../../admin/adminChange';
import { groupMembers } from '../../admin/groups';
import { withFile } from '../../admin/kafkaCommand';
import { resetGroupOffsets } from '../../admin/offsetReset';
import { formatResetCsv, parseResetCsv } from '../../admin/offsetResetFile';
import { parseIsoDuration, parseResetDatetime, type ResetMode } from '../../admin/offsetResetPlan';
import type { ParsedCallInput } from '../contract';
import { defineHandlers } from './types';

type ModeInput = ParsedCallInput<'groups.resetOffsets'>['mode'];

/** The wizard's mode as the admin service's, parsed with the CLI's own parsers (inside the session, so their errors reach the user as admin errors). */
function resetMode(input: ModeInput, group: string): ResetMode {
  switch (input.mode) {
    case 'to-earliest':
    case 'to-latest':
    case 'to-current':
      return { mode: input.mode };
    case 'to-offset':
      return { mode: 'to-offset', offset: input.offset };
    case 'shift-by':
      return { mode: 'shift-by', shift: input.shift };
    case 'to-datetime':
      return { mode: 'to-datetime', datetime: input.datetime, timestamp: parseResetDatetime(input.datetime) };
    case 'by-duration':
      return { mode: 'by-duration', duration: input.duration, durationMs: parseIsoDuration(input.duration) };
    case 'from-file':
      return { mode: 'from-file', path: input.fileName, offsets: parseResetCsv(input.csv, input.fileName, group) };
  }
}

export const offsetResetHandlers = defineHandlers({
  'groups.resetOffsets': async ({ clusterId, group, mode: modeInput, scope, execute }, { sessions, dataChanges }) => {
    const result = await sessions.use(clusterId, (session) =>
      session.run(`reset offsets of group ${group}`, async () => {
        const mode = resetMode(modeInput, group);
        const resetScope: ResetScope = mode.mode === 'from-file' ? { kind: 'topics', topics: [] } : scope;
        const [members, reset] = await Promise.all([groupMembers(session, group), resetGroupOffsets(session, { group, mode, scope: resetScope, execute })]);
        return { members, reset, mode };
      }),
    );
    if (execute) dataChanges.mark(clusterId, ['groups', 'overview']);
    const { members, reset, mode } = result;
    return {
      group,
      executed: reset.executed,
      state: members.state,
      members: members.members.map((member) => ({ memberId: member.memberId, clientId: member.clientId, host: member.host })),
      plan: reset.plan,
      // A pasted CSV exists only in the app: the command writes it first, so it runs as shown.
      kafkaCommand: mode.mode === 'from-file' ? withFile(mode.path, formatResetCsv(mode.offsets.map((entry) => ({ ...entry, newOffset: entry.offset }))).trimEnd(), reset.kafkaCommand) : reset.kafkaCommand,
      planCsv: formatResetCsv(reset.plan),
      previousCsv: formatResetCsv(reset.plan.flatMap((row) => (row.currentOffset === null ? [] : [{ topic: row.topic, partition: row.partition, newOffset: row.currentOffset }]))),
    };
  },
});
