import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { holdApiCalls } from './heldCalls';
import { consumeAndCommit, produce } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('a real consumer group commits offsets and the UI shows its committed offsets, end offsets and lag', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'shipments', partitions: 2, replicationFactor: 3 });

  await page.goto(`${app.url}/#/groups`);
  await expect(page.getByText('No consumer groups yet.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'groups-empty', ['light']);

  await produce(bootstrap, 'shipments', { 0: 6, 1: 4 });
  await consumeAndCommit(bootstrap, 'billing', 'shipments', 10);
  // Three more on partition 0 after the group stopped: a lag of exactly 3.
  await produce(bootstrap, 'shipments', { 0: 3 });

  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'billing' }) });
  await expect(row.getByRole('cell', { name: 'Total lag' })).toHaveText('3', { timeout: 20_000 });
  await expect(row).toContainText('Empty');
  await screenshotBothThemes(page, 'groups');

  // A second group, caught up; the search box narrows the list by group id, ignoring case.
  await consumeAndCommit(bootstrap, 'audit', 'shipments', 13);
  const audit = page.getByRole('table', { name: 'Consumer groups' }).getByRole('link', { name: 'audit', exact: true });
  await expect(audit).toBeVisible({ timeout: 20_000 });
  const search = page.getByRole('searchbox', { name: 'Search groups' });
  await search.fill('BILL');
  await expect(audit).toHaveCount(0);
  await expect(row).toBeVisible();
  await search.fill('nothing-like-this');
  await expect(page.getByText('No group matches “nothing-like-this”.')).toBeVisible();
  await search.fill('');
  await expect(audit).toBeVisible();

  await row.getByRole('link', { name: 'billing' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Consumer group billing');
  const offsets = page.getByRole('table', { name: 'Partition offsets' });
  const p0 = offsets.getByRole('row', { name: 'shipments partition 0' });
  const p1 = offsets.getByRole('row', { name: 'shipments partition 1' });
  await expect(p0.getByRole('cell', { name: 'Committed offset' })).toHaveText('6');
  await expect(p0.getByRole('cell', { name: 'End offset' })).toHaveText('9');
  await expect(p0.getByRole('cell', { name: 'Lag' })).toHaveText('3');
  await expect(p1.getByRole('cell', { name: 'Committed offset' })).toHaveText('4');
  await expect(p1.getByRole('cell', { name: 'Lag' })).toHaveText('0');
  await expect(page.getByText(/^Empty · 0 members · total lag 3/)).toBeVisible();
  await screenshotBothThemes(page, 'group-detail');

  await nav(page, 'Overview').click();
  await expect(page.getByRole('listitem', { name: /^Groups with lag: 1 \/ 2/ })).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'overview');
  expect(errors).toEqual([]);
});

test('groups show before their lag is read: the Total lag cells say loading, never 0, until it arrives', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'shipments', partitions: 2, replicationFactor: 3 });
  await produce(bootstrap, 'shipments', { 0: 6, 1: 4 });
  await consumeAndCommit(bootstrap, 'billing', 'shipments', 10);
  await produce(bootstrap, 'shipments', { 0: 3 });
  const release = await holdApiCalls(page, 'groups.lag');
  // The lag read must not be in flight while the rows are read: a broker answers a
  // connection's requests in order, so the rows would wait behind every group's offsets.
  const order: string[] = [];
  page.on('request', (request) => {
    const method = (request.postDataJSON() as { method?: string } | null)?.method;
    if (method === 'groups.lag') order.push('lag asked');
  });
  page.on('requestfinished', (request) => {
    const method = (request.postDataJSON() as { method?: string } | null)?.method;
    if (method === 'groups.list') order.push('rows answered');
  });

  await page.goto(`${app.url}/#/groups`);
  const row = page.getByRole('row').filter({ has: page.getByRole('link', { name: 'billing' }) });
  await expect(row).toContainText('Empty', { timeout: 20_000 });
  await expect(row.getByRole('cell', { name: 'Total lag' })).toHaveText('loading');
  await expect.poll(() => order.slice(0, 2)).toEqual(['rows answered', 'lag asked']);
  // The page is usable while the lag is read: search filters the rows.
  const search = page.getByRole('searchbox', { name: 'Search groups' });
  await search.fill('zzz');
  await expect(page.getByRole('status').filter({ hasText: 'No group matches “zzz”.' })).toBeVisible();
  await search.fill('bill');
  await expect(row.getByRole('cell', { name: 'Total lag' })).toHaveText('loading');
  await search.fill('');
  await expect(page.getByRole('status', { name: 'Total lag column' })).toHaveText('Reading the lag of 1 group for the Total lag column…');
  await expect(page.getByRole('columnheader', { name: 'Total lag' })).toHaveAttribute('aria-busy', 'true');
  await screenshotBothThemes(page, 'groups-lag-loading');

  await release();
  await expect(row.getByRole('cell', { name: 'Total lag' })).toHaveText('3', { timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'Total lag column' })).toHaveText('Total lag loaded.');
  await expect(page.getByRole('columnheader', { name: 'Total lag' })).toHaveAttribute('aria-busy', 'false');
  await screenshotBothThemes(page, 'groups-lag-loaded');
  expect(errors).toEqual([]);
});
