import { z } from 'zod';

export const AppModeSchema = z.enum(['electron', 'browser']);
export type AppMode = z.infer<typeof AppModeSchema>;

export interface AppInfo {
  readonly name: 'Samsa';
  readonly version: string;
  readonly mode: AppMode;
  /** Node's process.platform of the back end, which is the user's machine in both modes. */
  readonly platform: string;
  /** Where clusters.json and (later) the embedded cluster's data live. */
  readonly dataDir: string;
  /** Where saved clusters' passwords are kept, which the Clusters page says. */
  readonly secretStorage: SecretStorageInfo;
}

/**
 * 'os-encryption': encrypted with a key the operating system keeps (Electron safeStorage:
 * Keychain, DPAPI, libsecret/kwallet). 'user-only-file': a file only the user can read.
 */
export interface SecretStorageInfo {
  readonly kind: 'os-encryption' | 'user-only-file';
  readonly path: string;
  readonly description: string;
}

/** Calls without parameters take an empty object, strictly, so a stray field is reported. */
export const NoInputSchema = z.strictObject({});
