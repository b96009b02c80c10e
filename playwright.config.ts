import { defineConfig } from '@playwright/test';

// Browser tests run the real app in browser mode (node dist/node/samsa.js ui), started per test
// by the fixture in test/e2e/fixtures.ts on a fresh data dir. They use Debian's Chromium: the
// machines cannot download Playwright's own browsers, so never run `npx playwright install`.
export default defineConfig({
  testDir: 'test/e2e',
  outputDir: 'test-results',
  timeout: 30_000,
  expect: { timeout: 5_000 },
  fullyParallel: true,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  reporter: [['list']],
  use: {
    viewport: { width: 1280, height: 800 },
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    },
  },
});
