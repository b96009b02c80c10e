import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import type { ClusterId } from '../api/schemas/cluster';
import type { SecretStorageInfo } from '../api/schemas/app';

/**
 * Secrets of saved clusters (SASL password, TLS key passphrase), kept apart from
 * clusters.json so that file never holds one. The store is a narrow interface: the desktop
 * app's implementation (main/safeStorageSecrets.ts) encrypts with Electron's safeStorage,
 * browser mode's (below) keeps them in a file only the user can read.
 */
export interface ClusterSecrets {
  readonly saslPassword?: string;
  readonly tlsKeyPassphrase?: string;
}

export interface SecretStore {
  /** Where and how the secrets are kept, said on the Clusters page. */
  readonly info: SecretStorageInfo;
  get(id: ClusterId): Promise<ClusterSecrets>;
  /** Replaces the cluster's secrets; an empty object forgets them. */
  set(id: ClusterId, secrets: ClusterSecrets): Promise<void>;
  delete(id: ClusterId): Promise<void>;
}

/** How a secret is turned into what the file holds and back. */
export interface SecretCodec {
  encode(plain: string): string;
  decode(stored: string): string;
}

export const SECRETS_FILE_NAME = 'secrets.json';

const FileSchema = z.object({
  version: z.literal(1),
  clusters: z.record(z.string(), z.object({ saslPassword: z.string().optional(), tlsKeyPassphrase: z.string().optional() })),
});
type SecretsFile = z.infer<typeof FileSchema>;

/** Owner read and write only, as for an SSH key. */
const USER_ONLY = 0o600;

/**
 * A JSON file of encoded secrets per cluster id, written through a temporary file and a
 * rename, with mode 0600 set on every write (also fixing a file someone loosened).
 */
export class FileSecretStore implements SecretStore {
  #queue: Promise<unknown> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly codec: SecretCodec,
    readonly info: SecretStorageInfo,
  ) {}

  get(id: ClusterId): Promise<ClusterSecrets> {
    return this.#serial(async () => {
      const stored = (await this.#read()).clusters[id];
      if (stored === undefined) return {};
      return {
        ...(stored.saslPassword === undefined ? {} : { saslPassword: this.codec.decode(stored.saslPassword) }),
        ...(stored.tlsKeyPassphrase === undefined ? {} : { tlsKeyPassphrase: this.codec.decode(stored.tlsKeyPassphrase) }),
      };
    });
  }

  set(id: ClusterId, secrets: ClusterSecrets): Promise<void> {
    return this.#serial(async () => {
      const file = await this.#read();
      const encoded = {
        ...(secrets.saslPassword === undefined ? {} : { saslPassword: this.codec.encode(secrets.saslPassword) }),
        ...(secrets.tlsKeyPassphrase === undefined ? {} : { tlsKeyPassphrase: this.codec.encode(secrets.tlsKeyPassphrase) }),
      };
      const clusters = { ...file.clusters };
      if (Object.keys(encoded).length === 0) delete clusters[id];
      else clusters[id] = encoded;
      await this.#write({ ...file, clusters });
    });
  }

  delete(id: ClusterId): Promise<void> {
    return this.set(id, {});
  }

  #serial<T>(operation: () => Promise<T>): Promise<T> {
    const result = this.#queue.then(operation, operation);
    this.#queue = result.catch(() => undefined);
    return result;
  }

  async #read(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, clusters: {} };
      throw error;
    }
    const parsed = FileSchema.safeParse(JSON.parse(text));
    if (!parsed.success) throw new Error(`${this.path} does not hold secrets as Samsa writes them; move it away and enter the passwords again`);
    return parsed.data;
  }

  async #write(file: SecretsFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`, { mode: USER_ONLY });
    // writeFile's mode applies only when it creates the file, and the umask can narrow it further but never widen it.
    await chmod(temporary, USER_ONLY);
    await rename(temporary, this.path);
  }
}

/**
 * Browser mode has no OS keychain to reach, so secrets are kept as they are in a file only
 * the user can read (like ~/.ssh keys or Kafka's own client.properties), and the UI says so.
 */
export function userOnlyFileSecretStore(dataDir: string): FileSecretStore {
  const path = join(dataDir, SECRETS_FILE_NAME);
  return new FileSecretStore(
    path,
    { encode: (plain) => plain, decode: (stored) => stored },
    {
      kind: 'user-only-file',
      path,
      description: `Passwords are kept unencrypted in ${path}, readable only by your user account (mode 0600). Run the desktop app to keep them encrypted by the operating system.`,
    },
  );
}
