import type { ClusterEntry } from '../schemas/clusterRef';
import { defineHandlers } from './types';

export const clusterHandlers = defineHandlers({
  'clusters.list': async (_input, { clusters, embedded }) => {
    const builtIn: ClusterEntry = { kind: 'embedded', id: 'embedded', name: 'Embedded cluster', bootstrapServers: embedded.bootstrapServers, state: embedded.state };
    const saved = await clusters.list();
    return [builtIn, ...saved.map((cluster): ClusterEntry => ({ kind: 'saved', ...cluster }))];
  },

  'clusters.add': async (input, { clusters, events }) => {
    const cluster = await clusters.add(input);
    events.emit('clusters.changed', { change: 'added', id: cluster.id });
    return cluster;
  },

  'clusters.update': async ({ id, changes }, { clusters, events, sessions, roster }) => {
    const cluster = await clusters.update(id, changes);
    // The next call connects with the new settings.
    await sessions.close(id);
    roster.forget(id);
    events.emit('clusters.changed', { change: 'updated', id });
    return cluster;
  },

  'clusters.remove': async ({ id }, { clusters, events, sessions, roster }) => {
    await clusters.remove(id);
    await sessions.close(id);
    roster.forget(id);
    events.emit('clusters.changed', { change: 'removed', id });
    return { removed: id };
  },
});
