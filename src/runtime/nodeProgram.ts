import fs from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * How to start one of Samsa's helper processes (a broker, the lab's consumer): which
 * executable, with which flags, running which script. Helpers are plain Node programs, also
 * when the host is Electron's main process, whose binary runs them as Node only with
 * ELECTRON_RUN_AS_NODE=1 (without it, process.execPath would open a second app window).
 */
export interface NodeProgramLauncher {
  execPath: string;
  execArgv: string[];
  script: string;
  args: string[];
  /** Extra environment, e.g. ELECTRON_RUN_AS_NODE when the host is Electron's main process. */
  env?: Record<string, string>;
}

/**
 * The small bundle `bundle` (e.g. `broker.js`) that the build puts in dist/node/, found from
 * the bundle this code was built into (dist/node/samsa.js for the CLI and browser mode,
 * dist/main/main.js for Electron). Running from sources, without a build, the same program
 * is started again with its hidden command instead.
 */
export function nodeProgramLauncher(bundle: string, hiddenCommand: string): NodeProgramLauncher {
  const bundlePath = fileURLToPath(new URL(`../node/${bundle}`, import.meta.url));
  const electron = process.versions.electron !== undefined;
  if (import.meta.url.endsWith('.js') && fs.existsSync(bundlePath)) {
    return {
      execPath: process.execPath,
      // Electron's own flags mean nothing to Node; Node's (loaders, inspector) carry over.
      execArgv: electron ? [] : process.execArgv,
      script: bundlePath,
      args: [],
      ...(electron ? { env: { ELECTRON_RUN_AS_NODE: '1' } } : {}),
    };
  }
  return { execPath: process.execPath, execArgv: process.execArgv, script: process.argv[1] ?? '', args: [hiddenCommand] };
}
