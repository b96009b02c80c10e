import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import type { SamsaBridge } from '../../src/api/bridge';

declare global {
  interface Window {
    readonly samsa?: SamsaBridge;
  }
}

const root = join(import.meta.dirname, '..', '..');

/**
 * The Electron binary, found the way the electron package records it, without requiring the
 * package: its index.js starts a download when the binary is missing, which hangs offline.
 */
function electronBinary(): string | undefined {
  const pathFile = join(root, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(root, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : undefined;
}

test('the desktop app opens its window on the Clusters page, wired to the main process', async () => {
  const binary = electronBinary();
  if (binary === undefined) {
    console.log('Electron binary not installed: skipped');
    test.skip(true, 'Electron binary not installed: skipped');
    return;
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'samsa-electron-'));
  const app = await electron.launch({
    executablePath: binary,
    args: [join(root, 'dist', 'main', 'main.js')],
    env: { ...process.env, SAMSA_DATA_DIR: dataDir },
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clusters');
    // The footer shows app.info, which only arrives through the preload bridge and IPC.
    await expect(page.getByText(/· desktop$/)).toBeVisible();
    // The page sees the two bridge functions and nothing of Node.
    expect(await page.evaluate(() => Object.keys(window.samsa ?? {}).sort())).toEqual(['call', 'subscribe']);
    expect(await page.evaluate(() => [typeof (globalThis as { require?: unknown }).require, typeof (globalThis as { process?: unknown }).process])).toEqual([
      'undefined',
      'undefined',
    ]);
  } finally {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  }
});
