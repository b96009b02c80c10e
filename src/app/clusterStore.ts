import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { ApiError } from '../api/envelope';
import { ClusterSchema, type Cluster, type ClusterId, type ClusterSettings } from '../api/schemas/cluster';

const FileSchema = z.object({
  version: z.literal(1),
  clusters: z.array(ClusterSchema),
});
type ClustersFile = z.infer<typeof FileSchema>;

/**
 * Saved cluster connections in `<dataDir>/clusters.json`. The file is re-read on every
 * operation so that two Samsa processes (the desktop app and `samsa ui`) see each other's
 * changes, and written through a temporary file and a rename so a crash never leaves half a
 * file. Operations in this process run one at a time.
 *
 * The file never holds secrets: the schemas have no password field (see schemas/cluster.ts);
 * passwords go to the secret store (secretStore.ts).
 */
export class ClusterStore {
  readonly path: string;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string, private readonly now: () => Date = () => new Date()) {
    this.path = join(dataDir, 'clusters.json');
  }

  list(): Promise<Cluster[]> {
    return this.#serial(async () => sortByName((await this.#read()).clusters));
  }

  get(id: ClusterId): Promise<Cluster> {
    return this.#serial(async () => findOrThrow((await this.#read()).clusters, id));
  }

  add(settings: ClusterSettings): Promise<Cluster> {
    return this.#serial(async () => {
      const file = await this.#read();
      assertNameFree(file.clusters, settings.name);
      const at = this.now().toISOString();
      const cluster: Cluster = { id: randomUUID(), ...settings, createdAt: at, updatedAt: at };
      await this.#write({ ...file, clusters: [...file.clusters, cluster] });
      return cluster;
    });
  }

  update(id: ClusterId, changes: Partial<ClusterSettings>): Promise<Cluster> {
    return this.#serial(async () => {
      const file = await this.#read();
      const current = findOrThrow(file.clusters, id);
      if (changes.name !== undefined) assertNameFree(file.clusters, changes.name, id);
      const updated: Cluster = { ...current, ...changes, updatedAt: this.now().toISOString() };
      await this.#write({ ...file, clusters: file.clusters.map((c) => (c.id === id ? updated : c)) });
      return updated;
    });
  }

  remove(id: ClusterId): Promise<void> {
    return this.#serial(async () => {
      const file = await this.#read();
      findOrThrow(file.clusters, id);
      await this.#write({ ...file, clusters: file.clusters.filter((c) => c.id !== id) });
    });
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #read(): Promise<ClustersFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, clusters: [] };
      throw error;
    }
    // A damaged file is reported, never replaced: it may hold connections the user typed by hand.
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new Error(`${this.path} is not valid JSON (${(error as Error).message}); fix it or move it away`, { cause: error });
    }
    const parsed = FileSchema.safeParse(json);
    if (!parsed.success) {
      throw new Error(`${this.path} does not hold saved clusters as Samsa writes them (${z.prettifyError(parsed.error).replaceAll('\n', ' ')}); fix it or move it away`);
    }
    return parsed.data;
  }

  async #write(file: ClustersFile): Promise<void> {
    const dir = join(this.path, '..');
    await mkdir(dir, { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, this.path);
  }
}

function sortByName(clusters: readonly Cluster[]): Cluster[] {
  return [...clusters].sort((a, b) => a.name.localeCompare(b.name, undefined, { sensitivity: 'base' }));
}

function findOrThrow(clusters: readonly Cluster[], id: ClusterId): Cluster {
  const cluster = clusters.find((c) => c.id === id);
  if (cluster === undefined) throw new ApiError('not-found', `No saved cluster has id ${id}; it may have been removed in another window.`);
  return cluster;
}

function assertNameFree(clusters: readonly Cluster[], name: string, exceptId?: ClusterId): void {
  const taken = clusters.find((c) => c.id !== exceptId && c.name.localeCompare(name, undefined, { sensitivity: 'base' }) === 0);
  if (taken !== undefined) throw new ApiError('conflict', `A cluster named "${taken.name}" is already saved; choose another name.`);
}
