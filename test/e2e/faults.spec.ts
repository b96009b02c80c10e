import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { kcatMetadata } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('killing a broker from the UI moves leaders, shrinks ISRs and raises under-replicated counts; starting it recovers them', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  // A short replica lag bound so the ISR reacts within the test's patience, as Kafka would after 30 s.
  const status = await app.call('embedded.start', { brokers: 3, port: 0, replicaLagTimeMaxMs: 2_000, brokerSessionTimeoutMs: 2_000 });
  const bootstrap = status.bootstrapServers.join(',');
  for (const name of ['orders', 'invoices']) await app.call('topics.create', { clusterId: 'embedded', name, partitions: 3, replicationFactor: 3 });

  await page.goto(`${app.url}/#/overview`);
  const health = page.getByRole('list', { name: 'Cluster health' });
  await expect(health.getByRole('listitem', { name: /^Under-replicated: 0/ })).toBeVisible({ timeout: 20_000 });
  await expect(health.getByRole('listitem', { name: /^Brokers up: 3 \/ 3/ })).toBeVisible();

  // Broker 1 leads some partitions: its death must move them.
  const ledBefore = (await kcatMetadata(bootstrap)).topics.flatMap((topic) => topic.partitions.filter((partition) => partition.leader === 1));
  expect(ledBefore.length).toBeGreaterThan(0);

  await nav(page, 'Brokers').click();
  const broker1 = page.getByRole('row', { name: 'Broker 1' });
  await expect(broker1.getByText('up', { exact: true })).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'brokers');
  await broker1.getByRole('button', { name: 'Kill broker 1…' }).click();
  await screenshotBothThemes(page, 'brokers-kill-confirm', ['light']);
  await broker1.getByRole('button', { name: 'Kill broker 1', exact: true }).click();
  await expect(broker1.getByText(/^down/)).toBeVisible({ timeout: 10_000 });
  await expect(broker1.getByRole('button', { name: 'Start broker 1' })).toBeVisible();
  await expect(page.getByRole('row', { name: 'Broker 2' }).getByRole('cell').nth(2)).not.toHaveText('0');
  await screenshotBothThemes(page, 'brokers-one-killed');

  await nav(page, 'Overview').click();
  await expect(health.getByRole('listitem', { name: /^Brokers up: 2 \/ 3, down: 1/ })).toBeVisible({ timeout: 10_000 });
  await expect(health.getByRole('listitem', { name: /^Under-replicated: 6/ })).toBeVisible({ timeout: 20_000 });
  const timeline = page.getByRole('list', { name: 'Cluster events, newest first' });
  await expect(timeline.getByText('Broker 1 killed')).toBeVisible();
  await expect(timeline.getByText(/^orders-\d: ISR shrank to/).first()).toBeVisible();
  await expect(timeline.getByText(/: leader [23]$/).first()).toBeVisible();
  await screenshotBothThemes(page, 'overview-broker-down');

  await nav(page, 'Topics').click();
  await expect(page.getByRole('row').filter({ has: page.getByRole('link', { name: 'orders' }) }).getByRole('cell')).toHaveText(['3', '3', '3', '0', '0']);
  await page.getByRole('checkbox', { name: 'Unhealthy only' }).check();
  await expect(page.getByRole('table', { name: 'Topics' }).getByRole('link')).toHaveText(['invoices', 'orders']);
  await screenshotBothThemes(page, 'topics-unhealthy');

  await page.getByRole('link', { name: 'orders' }).click();
  const partitions = page.getByRole('table', { name: 'Partitions of orders' });
  for (let index = 0; index < 3; index++) {
    const row = partitions.getByRole('row', { name: `Partition ${index}` });
    await expect(row.getByRole('cell', { name: 'ISR' })).not.toContainText('1');
    await expect(row.getByRole('cell').first()).not.toHaveText('1');
    await expect(row).toContainText('under-replicated');
  }
  await screenshotBothThemes(page, 'topic-detail-under-replicated');
  expect((await kcatMetadata(bootstrap)).topics.filter((topic) => !topic.topic.startsWith('__')).flatMap((topic) => topic.partitions).every((partition) => partition.leader !== 1)).toBe(true);

  await nav(page, 'Brokers').click();
  await broker1.getByRole('button', { name: 'Start broker 1' }).click();
  await expect(broker1.getByText('up', { exact: true })).toBeVisible({ timeout: 30_000 });
  await nav(page, 'Overview').click();
  await expect(health.getByRole('listitem', { name: /^Under-replicated: 0/ })).toBeVisible({ timeout: 40_000 });
  await expect(health.getByRole('listitem', { name: /^Brokers up: 3 \/ 3/ })).toBeVisible();
  await expect(timeline.getByText(/^orders-\d: ISR expanded to/).first()).toBeVisible();

  // The broker's own page agrees: every replica it holds is back in its ISR.
  await nav(page, 'Brokers').click();
  await broker1.getByRole('link', { name: 'Broker 1 details' }).click();
  const replicas = page.getByRole('table', { name: 'Replicas on this broker' });
  await expect(replicas.getByRole('cell', { name: 'ISR membership' })).toHaveCount(6);
  await expect(replicas.getByRole('cell', { name: 'ISR membership' }).filter({ hasText: 'out of sync' })).toHaveCount(0, { timeout: 20_000 });
  await screenshotBothThemes(page, 'broker-detail-recovered', ['light']);
  expect(errors).toEqual([]);
});

test('isolating a broker shows it isolated and its leaderships move; healing brings it back', async ({ page, app }) => {
  test.setTimeout(120_000);
  await app.call('embedded.start', { brokers: 3, port: 0, replicaLagTimeMaxMs: 2_000, brokerSessionTimeoutMs: 1_500 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'audit', partitions: 3, replicationFactor: 3 });
  await page.goto(`${app.url}/#/brokers`);
  const broker2 = page.getByRole('row', { name: 'Broker 2' });
  await broker2.getByRole('button', { name: 'Isolate broker 2' }).click();
  await expect(broker2.getByText('isolated', { exact: true })).toBeVisible({ timeout: 10_000 });
  await expect(broker2.getByRole('cell').nth(2)).toHaveText('0', { timeout: 20_000 });
  await nav(page, 'Overview').click();
  await expect(page.getByRole('list', { name: 'Cluster events, newest first' }).getByText('Broker 2 isolated')).toBeVisible();
  await nav(page, 'Brokers').click();
  await broker2.getByRole('button', { name: 'Heal broker 2' }).click();
  await expect(broker2.getByText('up', { exact: true })).toBeVisible({ timeout: 20_000 });
});
