import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { consumeAndCommit, produce } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the lag chart gains points while a kafkajs group falls behind and catches up, and the groups table shows its trend', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'clicks', partitions: 2, replicationFactor: 3 });
  await produce(bootstrap, 'clicks', { 0: 10, 1: 10 });
  await consumeAndCommit(bootstrap, 'analytics', 'clicks', 20);

  await page.goto(`${app.url}/#/groups/analytics`);
  const chart = page.getByRole('img', { name: /^Total lag of analytics/ });
  const points = async () => Number(await chart.getAttribute('data-points'));
  await expect(chart).toHaveAccessibleName(/latest 0,/, { timeout: 30_000 });
  const atStart = await points();

  // The group falls behind in two steps; each step is seen as a sample before the next.
  await produce(bootstrap, 'clicks', { 0: 15 });
  await expect(chart).toHaveAccessibleName(/latest 15,/, { timeout: 30_000 });
  await produce(bootstrap, 'clicks', { 1: 15 });
  await expect(chart).toHaveAccessibleName(/latest 30,/, { timeout: 30_000 });
  expect(await points()).toBeGreaterThanOrEqual(atStart + 2);
  await expect(page.getByRole('heading', { name: /^Lag over time/ })).toContainText('rising');
  await expect(chart.locator('circle')).toHaveCount(await points());
  // Per-partition lines: both partitions of clicks are drawn and named in the legend.
  await expect(page.locator('.lag-chart-legend')).toContainText('clicks-0');
  await expect(page.locator('.lag-chart-legend')).toContainText('clicks-1');
  await screenshotBothThemes(page, 'group-lag-rising');

  const beforeCatchUp = await points();
  await consumeAndCommit(bootstrap, 'analytics', 'clicks', 50);
  await expect(chart).toHaveAccessibleName(/latest 0,/, { timeout: 30_000 });
  expect(await points()).toBeGreaterThan(beforeCatchUp);
  await expect(page.getByRole('heading', { name: /^Lag over time/ })).toContainText('falling');
  await screenshotBothThemes(page, 'group-lag-caught-up');

  await nav(page, 'Consumer groups').click();
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'analytics' }) });
  await expect(row.getByRole('cell', { name: 'Trend' })).toHaveText(/falling|steady/);
  expect(Number(await row.locator('svg.sparkline').getAttribute('data-points'))).toBeGreaterThanOrEqual(4);
  await screenshotBothThemes(page, 'groups-trend');

  // Keyboard: the only row takes focus and Enter opens the group.
  await row.focus();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consumer group analytics');
  expect(errors).toEqual([]);
});
