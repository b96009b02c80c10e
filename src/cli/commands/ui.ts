import { resolve } from 'node:path';
import type { Command } from 'commander';
import { createBackend } from '../../app/services';
import { defaultDataDir } from '../../app/dataDir';
import { startHttpServer } from '../../server/httpServer';
import { logToStderr } from '../log';
import { openBrowser } from '../openBrowser';
import { parsePort } from '../options';
import { findRendererDir } from '../rendererDir';
import { SAMSA_VERSION } from '../version';

const DEFAULT_PORT = 7890;

interface UiOptions {
  readonly port: number;
  readonly open: boolean;
  readonly dataDir?: string;
}

/** `samsa ui`: browser mode, the desktop app's back end and renderer served on 127.0.0.1. */
export function registerUiCommand(program: Command): void {
  program
    .command('ui')
    .description('Serve the Samsa app on 127.0.0.1 and open it in the default browser')
    .option('--port <port>', `port to listen on; a free one is used if it is taken (default: $SAMSA_PORT or ${DEFAULT_PORT})`, parsePort)
    .option('--no-open', 'do not open a browser')
    .option('--data-dir <dir>', 'where saved clusters are kept (default: $SAMSA_DATA_DIR or the platform data folder)')
    .action(async (options: Partial<UiOptions>) => {
      const envPort = process.env.SAMSA_PORT;
      const port = options.port ?? (envPort ? parsePort(envPort) : DEFAULT_PORT);
      await runUi({ port, open: options.open ?? true, dataDir: options.dataDir });
    });
}

async function runUi(options: UiOptions): Promise<void> {
  const staticDir = findRendererDir();
  if (staticDir === undefined) {
    logToStderr('the renderer is not built (no dist/renderer/index.html); run `npm run build` first');
    process.exitCode = 1;
    return;
  }
  const dataDir = resolve(options.dataDir ?? defaultDataDir());
  const backend = createBackend({ mode: 'browser', version: SAMSA_VERSION, dataDir, log: logToStderr });
  const server = await startHttpServer({
    dispatch: backend.dispatch,
    events: backend.context.events,
    staticDir,
    port: options.port,
    fallbackToFreePort: true,
    log: logToStderr,
  });
  logToStderr(`saved clusters are kept in ${dataDir}; browser mode does not store passwords`);
  process.stdout.write(`Samsa is running at ${server.url}\n`);
  if (options.open) openBrowser(server.url, logToStderr);

  // Close the HTTP server, then the admin sessions and the embedded cluster (a clean
  // shutdown of its brokers), before the process exits.
  const stop = (): void => {
    void server
      .close()
      .then(() => backend.close())
      .catch((error: unknown) => logToStderr(`shutdown: ${error instanceof Error ? error.message : String(error)}`))
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
