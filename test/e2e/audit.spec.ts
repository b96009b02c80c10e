import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a topic created and deleted through the UI appears in the audit log with before and after, its command, and on the events timeline', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await page.goto(`${app.url}/#/audit`);
  await expect(page.getByText('No changes yet.')).toBeVisible();
  await screenshotBothThemes(page, 'audit-empty', ['light']);

  await nav(page, 'Topics').click();
  await page.getByRole('button', { name: 'Create topic' }).click();
  const form = page.getByRole('form', { name: 'Create a topic' });
  await form.getByLabel('Topic name').fill('ledger');
  await form.getByLabel('Partitions').fill('2');
  await form.getByLabel('Replication factor').fill('3');
  await form.getByRole('button', { name: 'Create topic' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Created topic' })).toBeVisible({ timeout: 20_000 });

  // Keyboard: the first row takes focus with Tab order, the arrows move, Enter opens.
  await app.call('topics.create', { clusterId: 'embedded', name: 'accounts', partitions: 1, replicationFactor: 1 });
  const table = page.getByRole('table', { name: 'Topics' });
  await expect(table.getByRole('link')).toHaveText(['accounts', 'ledger'], { timeout: 10_000 });
  await table.getByRole('row').nth(1).focus();
  await page.keyboard.press('End');
  await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name: 'ledger' }) })).toBeFocused();
  await page.keyboard.press('Home');
  await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name: 'accounts' }) })).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(table.getByRole('row').filter({ has: page.getByRole('link', { name: 'ledger' }) })).toBeFocused();
  // Light only: switching the theme would move the focus to the theme button.
  await screenshotBothThemes(page, 'topics-keyboard-focus', ['light']);
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Topic ledger');

  await page.getByRole('button', { name: /^Delete topic/ }).click();
  await page.getByRole('button', { name: 'Show the equivalent CLI command' }).click();
  await expect(page.getByLabel('Equivalent CLI command')).toHaveText(`kafka-topics.sh --bootstrap-server ${bootstrap} --delete --topic ledger`);
  await page.getByLabel('Type ledger to confirm').fill('ledger');
  await screenshotBothThemes(page, 'topic-delete-confirm-command', ['light', 'dark']);
  await page.getByRole('button', { name: 'Delete topic', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Topics', { timeout: 20_000 });

  await nav(page, 'Audit log').click();
  const log = page.getByRole('table', { name: 'Audit log, newest first' });
  const rows = log.locator('tbody > tr');
  await expect(rows).toHaveCount(3, { timeout: 10_000 });
  await expect(rows.nth(0)).toContainText('Deleted topic ledger');
  await expect(rows.nth(1)).toContainText('Created topic accounts (1 partition, RF 1)');
  await expect(rows.nth(2)).toContainText('Created topic ledger (2 partitions, RF 3)');
  await expect(rows.nth(0)).toContainText('Embedded cluster');

  const deleted = log.getByRole('row', { name: 'Deleted topic ledger' });
  await deleted.getByRole('button', { name: 'Details of Deleted topic ledger' }).click();
  const diff = log.getByRole('table', { name: 'Before and after' });
  await expect(diff.getByRole('row', { name: /^partitions/ })).toContainText('2');
  await expect(diff.getByRole('row', { name: /^name/ })).toContainText('ledger');
  await expect(diff.getByRole('row', { name: /^name/ }).getByRole('cell').nth(1)).toHaveText('none');
  await log.getByRole('button', { name: 'Show the equivalent CLI command' }).click();
  await expect(log.getByLabel('Equivalent CLI command')).toHaveText(`kafka-topics.sh --bootstrap-server ${bootstrap} --delete --topic ledger`);
  await screenshotBothThemes(page, 'audit-log');

  // Filters: by kind and by text.
  await page.getByLabel('Kind').selectOption('create-topic');
  await expect(rows).toHaveCount(2);
  await page.getByRole('searchbox', { name: 'Search changes' }).fill('accounts');
  await expect(rows).toHaveCount(1);
  await page.getByRole('searchbox', { name: 'Search changes' }).fill('no such change');
  await expect(page.getByText('No change matches these filters.')).toBeVisible();

  await nav(page, 'Overview').click();
  const timeline = page.getByRole('list', { name: 'Cluster events, newest first' });
  const admin = timeline.getByRole('listitem').filter({ hasText: 'Admin action' });
  await expect(admin.first()).toContainText('Deleted topic ledger');
  await expect(admin).toHaveCount(3);
  await screenshotBothThemes(page, 'overview-admin-actions');
  expect(errors).toEqual([]);
});
