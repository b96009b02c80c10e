import { spawn } from 'node:child_process';

/**
 * Opens a URL in the user's default browser without waiting for it. Failure (no desktop, no
 * xdg-open) is only logged: the URL is already printed, so the user can open it by hand.
 */
export function openBrowser(url: string, log: (message: string) => void): void {
  const [command, args] =
    process.platform === 'darwin'
      ? ['open', [url]]
      : process.platform === 'win32'
        ? ['cmd', ['/c', 'start', '""', url]]
        : ['xdg-open', [url]];
  try {
    const child = spawn(command, args, { detached: true, stdio: 'ignore', windowsHide: true });
    child.on('error', (error) => log(`could not open a browser (${error.message}); open ${url} yourself`));
    child.unref();
  } catch (error) {
    log(`could not open a browser (${(error as Error).message}); open ${url} yourself`);
  }
}
