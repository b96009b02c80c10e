import { testConnection } from '../../app/clusterConnection';
import type { ClusterSecrets } from '../../app/secretStore';
import type { ClusterEntry } from '../schemas/clusterRef';
import { defineHandlers } from './types';

export const clusterHandlers = defineHandlers({
  'clusters.list': async (_input, { clusters, embedded, secrets }) => {
    const builtIn: ClusterEntry = { kind: 'embedded', id: 'embedded', name: 'Embedded cluster', bootstrapServers: embedded.bootstrapServers, state: embedded.state };
    const saved = await clusters.list();
    const entries = await Promise.all(
      saved.map(async (cluster): Promise<ClusterEntry> => {
        const stored = await secrets.get(cluster.id);
        return { kind: 'saved', ...cluster, secretsSaved: { saslPassword: stored.saslPassword !== undefined, tlsKeyPassphrase: stored.tlsKeyPassphrase !== undefined } };
      }),
    );
    return [builtIn, ...entries];
  },

  'clusters.add': async ({ secrets: given, ...settings }, { clusters, events, secrets }) => {
    const cluster = await clusters.add(settings);
    if (given !== undefined) await secrets.set(cluster.id, given);
    events.emit('clusters.changed', { change: 'added', id: cluster.id });
    return cluster;
  },

  'clusters.update': async ({ id, changes, secrets: secretChanges }, { clusters, events, sessions, roster, secrets, minIsr, groupLag }) => {
    const cluster = Object.keys(changes).length > 0 ? await clusters.update(id, changes) : await clusters.get(id);
    if (secretChanges !== undefined) {
      const current = await secrets.get(id);
      const next: Record<string, string> = { ...current };
      for (const [name, value] of Object.entries(secretChanges)) {
        if (value === null) delete next[name];
        else if (value !== undefined) next[name] = value;
      }
      await secrets.set(id, next as ClusterSecrets);
    }
    // The next call connects with the new settings.
    await sessions.close(id);
    roster.forget(id);
    minIsr.forget(id);
    groupLag.forget(id);
    events.emit('clusters.changed', { change: 'updated', id });
    return cluster;
  },

  'clusters.test': async ({ id, settings, secrets: given }, { secrets }) => {
    const saved = id === undefined ? {} : await secrets.get(id);
    return testConnection(settings, { ...saved, ...given });
  },

  'clusters.remove': async ({ id }, { clusters, events, sessions, roster, secrets, minIsr, groupLag }) => {
    await clusters.remove(id);
    await secrets.delete(id);
    await sessions.close(id);
    roster.forget(id);
    minIsr.forget(id);
    groupLag.forget(id);
    events.emit('clusters.changed', { change: 'removed', id });
    return { removed: id };
  },
});
