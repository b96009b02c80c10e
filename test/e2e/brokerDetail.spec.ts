import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { kcatMetadata, produce } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('broker detail lists the partitions the broker leads and follows exactly as kcat -L -J reports them, with ISR membership, lag and size', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'orders', partitions: 4, replicationFactor: 2 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'payments', partitions: 3, replicationFactor: 3 });
  await produce(bootstrap, 'orders', { 0: 20, 1: 5 });

  await page.goto(`${app.url}/#/brokers`);
  await page.getByRole('row', { name: 'Broker 2' }).getByRole('link', { name: 'Broker 2 details' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Broker 2');
  const summary = page.getByRole('table', { name: 'Broker summary' });
  await expect(summary.getByRole('row', { name: /^Port/ })).toContainText(String(status.brokers.find((broker) => broker.brokerId === 2)!.port));
  await expect(summary.getByRole('row', { name: /^State/ })).toContainText('up');
  await expect(summary.getByRole('row', { name: /^Log size/ })).toContainText(/\d/);

  const kcat = await kcatMetadata(bootstrap);
  const expected = kcat.topics
    .filter((topic) => !topic.topic.startsWith('__'))
    .flatMap((topic) =>
      topic.partitions
        .filter((partition) => partition.replicas.some((replica) => replica.id === 2))
        .map((partition) => ({ name: `${topic.topic} partition ${partition.partition}`, role: partition.leader === 2 ? 'leader' : 'follower', leader: String(partition.leader) })),
    )
    .sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  expect(expected.length).toBeGreaterThan(0);

  const replicas = page.getByRole('table', { name: 'Replicas on this broker' });
  await expect(replicas.getByRole('row')).toHaveCount(expected.length + 1);
  for (const partition of expected) {
    const row = replicas.getByRole('row', { name: partition.name, exact: true });
    await expect(row.getByRole('cell', { name: 'Role' })).toHaveText(partition.role);
    await expect(row.getByRole('cell', { name: 'Leader' })).toHaveText(partition.leader);
    await expect(row.getByRole('cell', { name: 'ISR membership' })).toContainText('in sync');
    await expect(row.getByRole('cell', { name: 'Lag' })).toHaveText('0');
  }
  // orders-0 holds 20 records: wherever broker 2 has a replica of it, its size is not zero.
  const orders0 = replicas.getByRole('row', { name: 'orders partition 0', exact: true });
  if ((await orders0.count()) > 0) await expect(orders0.getByRole('cell', { name: 'Size' })).not.toHaveText('0 B');

  await page.getByRole('radio', { name: 'Led' }).check();
  await expect(replicas.getByRole('row')).toHaveCount(expected.filter((partition) => partition.role === 'leader').length + 1);
  await page.getByRole('radio', { name: 'All' }).check();
  await screenshotBothThemes(page, 'broker-detail');

  // The fault buttons work from the detail page too, and the kill confirmation shows the equivalent command.
  await page.getByRole('button', { name: 'Kill broker 2…' }).click();
  await page.getByRole('button', { name: 'Show the equivalent CLI command' }).click();
  const pid = status.brokers.find((broker) => broker.brokerId === 2)!.pid;
  await expect(page.getByLabel('Equivalent CLI command')).toHaveText(`kill -KILL ${pid}`);
  await screenshotBothThemes(page, 'broker-detail-kill-confirm');
  await page.getByRole('button', { name: 'Kill broker 2', exact: true }).click();
  await expect(summary.getByRole('row', { name: /^State/ })).toContainText('down', { timeout: 20_000 });
  // Its leaderships moved away, and the replicas it still holds are out of every ISR.
  await expect(replicas.getByRole('cell', { name: 'Role' }).filter({ hasText: /^leader$/ })).toHaveCount(0, { timeout: 20_000 });
  await expect(replicas.getByRole('cell', { name: 'ISR membership' }).filter({ hasText: 'out of sync' })).toHaveCount(expected.length, { timeout: 20_000 });
  await screenshotBothThemes(page, 'broker-detail-down');
  await nav(page, 'Brokers').click();
  await expect(page.getByRole('row', { name: 'Broker 2' }).getByText(/^down/)).toBeVisible();
  expect(errors).toEqual([]);
});
