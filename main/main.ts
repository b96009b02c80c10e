import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, nativeTheme, session, type WebFrameMain } from 'electron';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL, type BridgeEventMessage } from '../src/api/bridge';
import { fail } from '../src/api/envelope';
import { createBackend } from '../src/app/services';
import { safeStorageSecretStore } from './safeStorageSecrets';

/**
 * Electron main process: one window onto the renderer, and IPC handlers that forward calls
 * to the same dispatcher browser mode serves over HTTP. No Kafka logic lives here.
 */

const here = dirname(fileURLToPath(import.meta.url));
const rendererIndex = join(here, '..', 'renderer', 'index.html');
const rendererIndexUrl = pathToFileURL(rendererIndex).href;

// Tests and portable setups point the app at their own folder; Chromium's profile moves too.
if (process.env.SAMSA_DATA_DIR) app.setPath('userData', process.env.SAMSA_DATA_DIR);

app.enableSandbox();
// A second launch hands over to the running app (see 'second-instance') and leaves at once.
if (!app.requestSingleInstanceLock()) app.exit(0);

/**
 * The app is the built index.html and nothing else; its routes live in the hash. There is no
 * dev-server origin on purpose: Vite's dev server relies on inline scripts that the renderer's
 * CSP forbids, so renderer work happens in browser mode (`samsa ui`) against a watched build.
 */
function isAppUrl(target: string): boolean {
  try {
    const url = new URL(target);
    url.hash = '';
    url.search = '';
    return url.href === rendererIndexUrl;
  } catch {
    return false;
  }
}

/** Only our own page may use the API: not a subframe, not a page it was somehow navigated to. */
function isTrustedSender(frame: WebFrameMain | null): boolean {
  return frame !== null && frame.parent === null && isAppUrl(frame.url);
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    minWidth: 880,
    minHeight: 560,
    title: 'Samsa',
    show: false,
    // Matches the renderer's background so the window does not flash white in dark mode.
    backgroundColor: nativeTheme.shouldUseDarkColors ? '#14171c' : '#f6f7f9',
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  void window.loadFile(rendererIndex);
  return window;
}

app.on('web-contents-created', (_event, contents) => {
  // The app is one page with hash routes: any real navigation is something going wrong.
  contents.on('will-navigate', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isAppUrl(url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
});

app.on('second-instance', () => {
  const [window] = BrowserWindow.getAllWindows();
  if (window === undefined) return;
  if (window.isMinimized()) window.restore();
  window.focus();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

await app.whenReady();

// No camera, notifications, geolocation...: the app needs none of them.
session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
session.defaultSession.setPermissionCheckHandler(() => false);
// The page's Content-Security-Policy comes from index.html's meta tag (file:// responses
// carry no headers); this refuses any request to the network that might slip past it.
session.defaultSession.webRequest.onBeforeRequest((details, callback) => {
  callback({ cancel: !/^(file|devtools|data):/.test(details.url) });
});

const log = (message: string): void => console.error(`samsa: ${message}`);
const backend = createBackend({
  mode: 'electron',
  version: app.getVersion(),
  dataDir: app.getPath('userData'),
  log,
  secrets: safeStorageSecretStore(app.getPath('userData')),
});

ipcMain.handle(IPC_CALL_CHANNEL, (event, method: unknown, input: unknown) => {
  if (!isTrustedSender(event.senderFrame)) {
    log(`refused a call from ${event.senderFrame?.url ?? 'an unknown frame'}`);
    return fail('forbidden', 'Only the Samsa window may call the API');
  }
  return backend.dispatch(method, input);
});

backend.context.events.onAny((name, payload) => {
  const message: BridgeEventMessage = { name, payload };
  for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_EVENT_CHANNEL, message);
});

// The embedded cluster's brokers are child processes: stop them cleanly before quitting.
let backendClosed = false;
app.on('before-quit', (event) => {
  if (backendClosed) return;
  event.preventDefault();
  backendClosed = true;
  void backend
    .close()
    .catch((error: unknown) => log(`shutdown: ${error instanceof Error ? error.message : String(error)}`))
    .finally(() => app.quit());
});

createWindow();
app.on('activate', () => {
  if (BrowserWindow.getAllWindows().length === 0) createWindow();
});
