import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { kcatMetadata } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test.describe('on first launch', () => {
  test.use({ embeddedAutoStart: true });

  test('the app starts a 3-broker embedded cluster by itself and shows it healthy', async ({ page, app }) => {
    test.setTimeout(120_000);
    const errors = collectConsoleErrors(page);
    await page.goto(app.url);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
    const health = page.getByRole('list', { name: 'Cluster health' });
    await expect(health.getByRole('listitem', { name: /^Brokers up: 3 \/ 3/ })).toBeVisible({ timeout: 60_000 });
    await expect(health.getByRole('listitem', { name: /^Controller: broker \d/ })).toBeVisible();
    await expect(page.getByText(/^Updated (just now|\d+ s ago)$/).first()).toBeVisible();
    await screenshotBothThemes(page, 'overview-new-cluster');

    await nav(page, 'Clusters').click();
    const bootstrap = await page.getByLabel('Embedded bootstrap servers').textContent();
    expect(bootstrap).toMatch(/^127\.0\.0\.1:\d+,127\.0\.0\.1:\d+,127\.0\.0\.1:\d+$/);
    expect((await kcatMetadata(bootstrap!)).brokers.map((broker) => broker.id).sort()).toEqual([1, 2, 3]);
    await expect(page.getByRole('list', { name: 'Broker processes' }).getByRole('listitem')).toHaveText([/Broker 1 · running/, /Broker 2 · running/, /Broker 3 · running/]);
    await screenshotBothThemes(page, 'clusters-embedded-running');
    expect(errors).toEqual([]);
  });
});

test('starts the embedded cluster from the Clusters page, then stops it and remembers that', async ({ page, app }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await page.goto(`${app.url}/#/clusters`);
  const panel = page.getByRole('region', { name: /Embedded cluster/ });
  await expect(panel.getByText('Stopped', { exact: true })).toBeVisible();
  await screenshotBothThemes(page, 'clusters-embedded-stopped');

  await panel.getByLabel('Brokers').fill('2');
  // Free ports: tests run side by side and must not fight over 9092.
  await panel.getByLabel('First port').fill('0');
  await panel.getByRole('button', { name: 'Start cluster' }).click();
  await expect(panel.getByText('Running', { exact: true })).toBeVisible({ timeout: 60_000 });
  await expect(panel.getByRole('list', { name: 'Broker processes' }).getByRole('listitem')).toHaveCount(2);
  const bootstrap = (await panel.getByLabel('Embedded bootstrap servers').textContent())!;
  expect((await kcatMetadata(bootstrap)).brokers).toHaveLength(2);
  await expect(page.getByRole('combobox', { name: 'Active cluster' }).locator('option:checked')).toHaveText('Embedded cluster (running)');

  await panel.getByRole('button', { name: 'Stop 2 brokers' }).click();
  await expect(panel.getByText('Stopped', { exact: true })).toBeVisible({ timeout: 30_000 });
  await expect(kcatMetadata(bootstrap)).rejects.toThrow();
  expect(await app.call('embedded.status', {})).toMatchObject({ state: 'stopped', brokers: [] });
  expect(errors).toEqual([]);
});
