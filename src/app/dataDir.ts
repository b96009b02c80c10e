import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Where browser mode keeps its files when no --data-dir is given: the platform's usual place
 * for per-user application data. The desktop app uses Electron's userData path instead, which
 * resolves to the same folders on each platform.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  if (env.SAMSA_DATA_DIR) return env.SAMSA_DATA_DIR;
  switch (platform) {
    case 'darwin':
      return join(homedir(), 'Library', 'Application Support', 'Samsa');
    case 'win32':
      return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Samsa');
    default:
      return join(env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'samsa');
  }
}
