import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test("the topic page's tab is in the address: a reload or a shared link keeps it, back and forward move between tabs", async ({ page, app }) => {
  test.setTimeout(120_000);
  const errors = collectConsoleErrors(page);
  await app.call('embedded.start', { brokers: 1, port: 0 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'orders.v1', partitions: 2, replicationFactor: 1 });
  const tab = (name: string) => page.getByRole('tablist', { name: 'Topic views' }).getByRole('tab', { name });

  await page.goto(`${app.url}/#/topics/orders.v1`);
  await expect(tab('Partitions')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table', { name: 'Partitions of orders.v1' })).toBeVisible({ timeout: 20_000 });

  await tab('Configs').click();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1\/configs$/);
  await expect(tab('Configs')).toHaveAttribute('aria-selected', 'true');
  await tab('Messages').click();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1\/messages$/);

  await page.reload();
  await expect(tab('Messages')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Messages' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Partitions of orders.v1' })).toHaveCount(0);

  await page.goBack();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1\/configs$/);
  await expect(tab('Configs')).toHaveAttribute('aria-selected', 'true');
  await page.goBack();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1$/);
  await expect(tab('Partitions')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table', { name: 'Partitions of orders.v1' })).toBeVisible();
  await page.goForward();
  await expect(tab('Configs')).toHaveAttribute('aria-selected', 'true');

  // Arrow keys move between tabs as WAI-ARIA tabs do, and the address follows.
  await tab('Configs').focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tab('Messages')).toBeFocused();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1\/messages$/);

  // A shared link straight to a tab opens on it.
  await page.goto(`${app.url}/#/topics/orders.v1/configs`);
  await expect(tab('Configs')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('tabpanel', { name: 'Configs' })).toBeVisible();
  await screenshotBothThemes(page, 'topic-tab-configs-from-link');

  // A tab this version does not have opens the default tab, and the address is corrected in
  // place: back returns to the page before, not to the broken address.
  await page.goto(`${app.url}/#/topics/orders.v1/replicas`);
  await expect(page).toHaveURL(/#\/topics\/orders\.v1$/);
  await expect(tab('Partitions')).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByRole('table', { name: 'Partitions of orders.v1' })).toBeVisible();
  await page.goBack();
  await expect(page).toHaveURL(/#\/topics\/orders\.v1\/configs$/);
  await expect(tab('Configs')).toHaveAttribute('aria-selected', 'true');
  expect(errors).toEqual([]);
});
