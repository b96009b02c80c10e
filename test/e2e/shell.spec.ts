import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { collectConsoleErrors } from './consoleErrors';
import { expect, test } from './fixtures';

const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

// The app starts with the embedded cluster chosen; these tests keep it stopped (see fixtures.ts).
const sections = [
  { link: 'Overview', heading: 'Overview', empty: 'The embedded cluster is stopped' },
  { link: 'Clusters', heading: 'Clusters', empty: 'No clusters saved yet.' },
  { link: 'Brokers', heading: 'Brokers', empty: 'The embedded cluster is stopped' },
  { link: 'Topics', heading: 'Topics', empty: 'The embedded cluster is stopped' },
  { link: 'Consumer groups', heading: 'Consumer groups', empty: 'The embedded cluster is stopped' },
  { link: 'Lab', heading: 'Lab', empty: 'The embedded cluster is stopped' },
  { link: 'Reassignments', heading: 'Reassignments', empty: 'The embedded cluster is stopped' },
  { link: 'Audit log', heading: 'Audit log', empty: 'No changes yet.' },
] as const;


async function bodyBackground(page: Page): Promise<string> {
  return page.evaluate(() => getComputedStyle(document.body).backgroundColor);
}

async function addCluster(page: Page, name: string, servers: string): Promise<void> {
  await page.getByRole('link', { name: 'Clusters', exact: true }).click();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('textbox', { name: 'Bootstrap servers' }).fill(servers);
  await page.getByRole('button', { name: 'Save cluster' }).click();
  await expect(page.getByRole('rowheader', { name })).toBeVisible();
}

test.beforeEach(async ({ page }) => {
  // A known starting theme, whatever the machine's preference.
  await page.emulateMedia({ colorScheme: 'light' });
});

test('opens on Overview and navigates every section, each with its heading and empty state', async ({ page, app }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(app.url);
  await expect(page).toHaveTitle('Samsa');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Overview');
  await expect(page.getByText(/^Samsa \d+\.\d+\.\d+ · browser mode$/)).toBeVisible();
  await expect(page.getByText(app.dataDir)).toBeVisible();

  const nav = page.getByRole('navigation', { name: 'Sections' });
  for (const section of sections) {
    await nav.getByRole('link', { name: section.link }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(section.heading);
    await expect(nav.getByRole('link', { name: section.link })).toHaveAttribute('aria-current', 'page');
    await expect(nav.locator('[aria-current="page"]')).toHaveCount(1);
    await expect(page.getByRole('main')).toContainText(section.empty);
  }
  await expect(nav.getByRole('link', { name: 'Clusters' })).not.toHaveAttribute('aria-current', 'page');
  await nav.getByRole('link', { name: 'Topics' }).click();
  await page.getByRole('link', { name: 'Go to Clusters' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Clusters');

  await page.goto(`${app.url}/#/no-such-page`);
  await expect(page.getByRole('main')).toContainText('There is no page at “no-such-page”');
  expect(errors).toEqual([]);
});

test('validates the add-cluster form with the contract schema, then saves and selects the cluster', async ({ page, app, context }) => {
  const errors = collectConsoleErrors(page);
  await page.goto(`${app.url}/#/clusters`);
  const otherTab = await context.newPage();
  await otherTab.goto(`${app.url}/#/brokers`);

  await page.getByRole('button', { name: 'Save cluster' }).click();
  await expect(page.getByText('Enter a name')).toBeVisible();
  await expect(page.getByText('Enter at least one bootstrap server')).toBeVisible();

  await page.getByLabel('Name', { exact: true }).fill('Staging');
  await page.getByRole('textbox', { name: 'Bootstrap servers' }).fill('kafka-1:9092, kafka-2');
  await page.getByLabel('Security protocol').selectOption('SASL_SSL');
  await expect(page.getByRole('note')).toContainText(`Passwords are kept unencrypted in ${join(app.dataDir, 'secrets.json')}`);
  await page.getByRole('button', { name: 'Save cluster' }).click();
  await expect(page.getByText('"kafka-2" is not host:port (for example localhost:9092)')).toBeVisible();
  await expect(page.getByText('Enter the SASL username')).toBeVisible();
  await expect(page.getByText('Enter the SASL password')).toBeVisible();
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'clusters-sasl-form-light.png') });

  await page.getByRole('textbox', { name: 'Bootstrap servers' }).fill('kafka-1:9092, kafka-2:9092');
  await page.getByLabel('SASL mechanism').selectOption('SCRAM-SHA-256');
  await page.getByLabel('SASL username').fill('ops');
  await page.getByLabel('SASL password').fill('ops-secret');
  await page.getByRole('button', { name: 'Save cluster' }).click();

  const row = page.getByRole('row', { name: /Staging/ });
  await expect(row.getByRole('list', { name: 'Bootstrap servers of Staging' }).getByRole('listitem')).toHaveText(['kafka-1:9092', 'kafka-2:9092']);
  await expect(row).toContainText('SASL_SSL · SCRAM-SHA-256 as ops');
  const switcher = page.getByRole('combobox', { name: 'Active cluster' });
  await expect(switcher.getByRole('option', { name: 'Staging' })).toHaveCount(1);
  await expect(switcher.locator('option:checked')).toHaveText('Staging');

  // The other tab learns about the new cluster through the event stream, without a reload.
  await expect(otherTab.getByRole('combobox', { name: 'Active cluster' }).getByRole('option', { name: 'Staging' })).toHaveCount(1);

  // A duplicate name is refused by the back end and the reason is shown.
  await page.getByLabel('Name', { exact: true }).fill('staging');
  await page.getByRole('textbox', { name: 'Bootstrap servers' }).fill('other:9092');
  await page.getByRole('button', { name: 'Save cluster' }).click();
  await expect(page.getByRole('alert')).toHaveText('A cluster named "Staging" is already saved; choose another name.');

  // Saved on disk and still selected after a reload; sections now name the cluster.
  await page.reload();
  await expect(page.getByRole('combobox', { name: 'Active cluster' }).locator('option:checked')).toHaveText('Staging');
  // kafka-1 does not resolve here: the page says it cannot reach Staging instead of showing nothing.
  await page.getByRole('link', { name: 'Topics' }).click();
  await expect(page.getByRole('alert')).toContainText('Could not load the topics of Staging', { timeout: 20_000 });

  await page.getByRole('link', { name: 'Clusters', exact: true }).click();
  await page.getByRole('button', { name: 'Remove Staging…' }).click();
  await page.getByRole('button', { name: 'Remove Staging', exact: true }).click();
  await expect(page.getByText('No clusters saved yet.')).toBeVisible();
  expect(errors).toEqual([]);
});

test('toggles between light and dark themes and keeps the choice after a reload', async ({ page, app }) => {
  await page.goto(app.url);
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');
  const light = await bodyBackground(page);

  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  const dark = await bodyBackground(page);
  expect(dark).not.toBe(light);
  expect(dark).toBe('rgb(20, 23, 28)');

  await page.reload();
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  expect(await bodyBackground(page)).toBe(dark);

  await page.getByRole('button', { name: 'Switch to light theme' }).click();
  expect(await bodyBackground(page)).toBe(light);
});

test('shows what failed with a retry when the saved clusters cannot be read', async ({ page, app }) => {
  const file = join(app.dataDir, 'clusters.json');
  await writeFile(file, '{"version": 1, "clusters": [');
  await page.goto(`${app.url}/#/clusters`);
  const alert = page.getByRole('alert');
  await expect(alert).toContainText('Could not show the Clusters page');
  await expect(alert).toContainText(`${file} is not valid JSON`);
  await expect(page.getByRole('navigation', { name: 'Sections' })).toBeVisible();
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, 'clusters-load-error-light.png') });

  await rm(file);
  await page.getByRole('button', { name: 'Retry' }).click();
  await expect(page.getByText('No clusters saved yet.')).toBeVisible();
});

test('every page in both themes, saved as screenshots', async ({ page, app }) => {
  // Every section twice, with reloads: more than the default 30 s on a busy machine.
  test.setTimeout(90_000);
  const errors = collectConsoleErrors(page);
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.goto(app.url);
  await addCluster(page, 'local-dev', 'localhost:9092');
  await addCluster(page, 'production-eu', 'kafka-eu-1.internal:9093, kafka-eu-2.internal:9093');

  for (const theme of ['light', 'dark'] as const) {
    await page.reload();
    if ((await page.locator('html').getAttribute('data-theme')) !== theme) {
      await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
    }
    for (const section of sections) {
      await page.getByRole('link', { name: section.link }).click();
      await expect(page.getByRole('heading', { level: 1 })).toHaveText(section.heading);
      await page.screenshot({ path: join(SCREENSHOTS, `shell-${section.link.toLowerCase().replace(' ', '-')}-${theme}.png`) });
    }
    await page.getByRole('combobox', { name: 'Active cluster' }).selectOption({ label: 'Choose a cluster' });
    await page.getByRole('link', { name: 'Brokers' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, `brokers-no-cluster-${theme}.png`) });
    await page.getByRole('combobox', { name: 'Active cluster' }).selectOption({ label: 'local-dev' });
    await page.getByRole('link', { name: 'Clusters', exact: true }).click();
    await page.getByRole('button', { name: 'Save cluster' }).click();
    await page.screenshot({ path: join(SCREENSHOTS, `clusters-form-errors-${theme}.png`) });
  }
  expect(errors).toEqual([]);
});
