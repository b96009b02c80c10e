import { expect, test } from './fixtures';
import { screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a saved cluster nobody listens on renders what failed and what to do, on every page', async ({ page, app }) => {
  test.setTimeout(90_000);
  // Port 1 on loopback: nothing listens there, so the connection is refused at once.
  const cluster = await app.call('clusters.add', { name: 'staging-unreachable', bootstrapServers: ['127.0.0.1:1'], security: { protocol: 'PLAINTEXT' } });
  await page.goto(app.url);
  await page.getByRole('combobox', { name: 'Active cluster' }).selectOption({ label: cluster.name });

  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not load the health of staging-unreachable', { timeout: 20_000 });
  await expect(alert).toContainText('127.0.0.1:1');
  await expect(alert).toContainText('Check that the cluster is running and that its bootstrap servers are right.');
  await expect(alert.getByRole('link', { name: 'Go to Clusters' })).toBeVisible();
  await screenshotBothThemes(page, 'overview-unreachable');

  for (const [link, what] of [
    ['Brokers', 'the brokers of staging-unreachable'],
    ['Topics', 'the topics of staging-unreachable'],
    ['Consumer groups', 'the consumer groups of staging-unreachable'],
  ] as const) {
    await page.getByRole('link', { name: link }).click();
    await expect(page.getByRole('alert')).toContainText(`Could not load ${what}`, { timeout: 20_000 });
  }
  await screenshotBothThemes(page, 'groups-unreachable', ['light']);

  await page.getByRole('alert').getByRole('button', { name: 'Retry now' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not load the consumer groups of staging-unreachable', { timeout: 20_000 });
});
