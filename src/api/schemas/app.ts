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
  /**
   * Whether passwords can be saved. Neither mode can yet: the desktop app will keep them in
   * the OS keychain through Electron's safeStorage, and browser mode has no safe place.
   */
  readonly secretStorage: 'unavailable';
}

/** Calls without parameters take an empty object, strictly, so a stray field is reported. */
export const NoInputSchema = z.strictObject({});
