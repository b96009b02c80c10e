// `npm start`: the desktop app when Electron can run here, browser mode otherwise.
//   npm start                      Electron if usable, else `samsa ui`
//   npm start -- --browser         always browser mode
//   npm start -- --port 8000       browser mode options (--port, --no-open, --data-dir) pass through
// The build runs first (see package.json). This script never requires the electron package:
// its index.js tries to download the binary when it is missing, which hangs offline.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

const root = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
const forceBrowser = args.includes('--browser');
const passThrough = args.filter((arg) => arg !== '--browser');

function log(message) {
  process.stderr.write(`start: ${message}\n`);
}

/** The Electron binary if it is installed and answers within a few seconds, else a reason. */
function probeElectron() {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return { reason: 'the Electron binary is not installed (node_modules/electron/path.txt is missing)' };
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return { reason: `the Electron binary is missing (${binary})` };
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    return { reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
  }
  const probe = spawnSync(binary, ['--version'], { timeout: 5000, encoding: 'utf8', env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (probe.error || probe.status !== 0) return { reason: `the Electron binary does not run (${probe.error?.message ?? `exit ${probe.status}`})` };
  return { binary };
}

function run(command, commandArgs) {
  const child = spawn(command, commandArgs, { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const electron = forceBrowser ? { reason: '--browser was given' } : probeElectron();
if (electron.binary) {
  run(electron.binary, [join(root, 'dist', 'main', 'main.js')]);
} else {
  log(`browser mode, because ${electron.reason}`);
  run(process.execPath, [join(root, 'dist', 'node', 'samsa.js'), 'ui', ...passThrough]);
}
