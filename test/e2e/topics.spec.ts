import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { holdApiCalls } from './heldCalls';
import { kcatMetadata, produce } from './kafkaClients';
import { screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

// A long name on purpose: the table and the detail page must not break their layout.
const TOPIC = 'payments.settlement-events.eu-west-1.v2-with-a-deliberately-long-name-to-check-layout';

test('creates a topic in the UI, sees it in the table and in kcat, sees produced offsets, then deletes it with typed confirmation', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await page.goto(`${app.url}/#/topics`);
  await expect(page.getByText('This cluster has no topics yet. Create one to start.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'topics-empty');

  await page.getByRole('button', { name: 'Create topic' }).click();
  const form = page.getByRole('form', { name: 'Create a topic' });
  await form.getByLabel('Topic name').fill('bad name!');
  await form.getByRole('button', { name: 'Create topic' }).click();
  await expect(form.getByText('Use only letters, digits, ".", "_" and "-"')).toBeVisible();
  await form.getByLabel('Topic name').fill(TOPIC);
  await form.getByLabel('Partitions').fill('3');
  // The default replication factor: the live brokers (3), from the topics' own Metadata read.
  await expect(form.getByLabel('Replication factor')).toHaveValue('3');
  await form.getByLabel('min.insync.replicas').fill('2');
  await screenshotBothThemes(page, 'topics-create-form');
  await form.getByRole('button', { name: 'Create topic' }).click();

  const notice = page.getByRole('status').filter({ hasText: 'Created topic' });
  await expect(notice).toContainText(`kafka-topics.sh --bootstrap-server ${bootstrap} --create --topic ${TOPIC} --partitions 3 --replication-factor 3`);
  const table = page.getByRole('table', { name: 'Topics' });
  const row = table.getByRole('row').filter({ has: page.getByRole('link', { name: TOPIC }) });
  await expect(row.getByRole('cell')).toHaveText(['3', '3', '0', '0', '0']);

  const seen = (await kcatMetadata(bootstrap)).topics.find((topic) => topic.topic === TOPIC);
  expect(seen?.partitions).toHaveLength(3);
  for (const partition of seen!.partitions) expect(partition.replicas.map((replica) => replica.id).sort()).toEqual([1, 2, 3]);

  // Search narrows the table; a name that matches nothing says so.
  await page.getByRole('searchbox', { name: 'Search topics' }).fill('settlement');
  await expect(row).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search topics' }).fill('no-such-topic');
  await expect(page.getByText('No topic matches these filters.')).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search topics' }).fill('');
  await page.getByRole('checkbox', { name: 'Unhealthy only' }).check();
  await expect(page.getByText('Every topic is healthy')).toBeVisible();
  await page.getByRole('checkbox', { name: 'Unhealthy only' }).uncheck();
  await screenshotBothThemes(page, 'topics');

  await produce(bootstrap, TOPIC, { 0: 7, 1: 3, 2: 12 });
  // Ctrl+K jumps to the topic by part of its name.
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Go to a page, topic or group' });
  await palette.getByRole('combobox').fill('eu-west');
  await expect(palette.getByRole('option').first()).toContainText(TOPIC);
  await screenshotBothThemes(page, 'command-palette', ['light']);
  await page.keyboard.press('Enter');
  await expect(palette).toBeHidden();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Topic ${TOPIC}`);

  const partitions = page.getByRole('table', { name: `Partitions of ${TOPIC}` });
  const highWatermarks = partitions.getByRole('row', { name: /^Partition \d$/ }).getByRole('cell', { name: 'High watermark' });
  await expect(highWatermarks).toHaveText(['7', '3', '12'], { timeout: 20_000 });
  await expect(page.getByText('min.insync.replicas 2 · 22 messages retained')).toBeVisible();
  await expect(partitions.getByRole('row', { name: 'Partition 0' }).getByRole('cell', { name: 'ISR' })).toHaveText(/^\d, \d, \d$/);
  await expect(partitions.getByRole('list', { name: 'Replica lag of partition 2' }).getByRole('listitem')).toHaveText([/: 0$/, /: 0$/, /: 0$/]);
  await screenshotBothThemes(page, 'topic-detail');

  await page.getByRole('button', { name: 'Delete topic…' }).click();
  const confirm = page.getByRole('form', { name: `Delete topic ${TOPIC}?` });
  await expect(confirm.getByRole('button', { name: 'Delete topic' })).toBeDisabled();
  await confirm.getByLabel(`Type ${TOPIC} to confirm`).fill(TOPIC.slice(0, -1));
  await expect(confirm.getByRole('button', { name: 'Delete topic' })).toBeDisabled();
  await screenshotBothThemes(page, 'topic-delete-confirm', ['light']);
  await confirm.getByLabel(`Type ${TOPIC} to confirm`).fill(TOPIC);
  await confirm.getByRole('button', { name: 'Delete topic' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Topics');
  await expect(page.getByRole('link', { name: TOPIC })).toHaveCount(0);
  await expect.poll(async () => (await kcatMetadata(bootstrap)).topics.some((topic) => topic.topic === TOPIC), { timeout: 20_000 }).toBe(false);
  expect(errors).toEqual([]);
});

test('the Under min ISR column arrives after the rows and follows the ISR and min.insync.replicas', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  // A short replica lag bound so the ISR reacts within the test's patience, as Kafka would after 30 s.
  const status = await app.call('embedded.start', { brokers: 3, port: 0, replicaLagTimeMaxMs: 2_000, brokerSessionTimeoutMs: 2_000 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'ledger', partitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '3' } });

  await page.goto(`${app.url}/#/topics`);
  const table = page.getByRole('table', { name: 'Topics' });
  const ledger = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'ledger' }) });
  // Partitions, RF, under-replicated, offline, under min ISR: a figure once read, never a 0 before.
  await expect(ledger.getByRole('cell')).toHaveText(['2', '3', '0', '0', '0'], { timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'Under min ISR column' })).toHaveText('Under min ISR loaded.');
  await expect(table.getByRole('columnheader', { name: 'Under min ISR' })).toHaveAttribute('aria-busy', 'false');

  // Broker 3 gone: every partition of ledger has 2 in-sync replicas, under its min ISR of 3.
  await app.call('embedded.broker', { id: 3, action: 'kill' });
  await expect(ledger.getByRole('cell')).toHaveText(['2', '3', '2', '0', '2'], { timeout: 30_000 });
  const seen = (await kcatMetadata(bootstrap)).topics.find((topic) => topic.topic === 'ledger')!;
  expect(seen.partitions.map((partition) => partition.isrs.length)).toEqual([2, 2]);
  await page.getByRole('checkbox', { name: 'Unhealthy only' }).check();
  await expect(table.getByRole('link')).toHaveText(['ledger']);
  await screenshotBothThemes(page, 'topics-under-min-isr');

  // Sorting by the column puts the topic under its min ISR first.
  await page.getByRole('checkbox', { name: 'Unhealthy only' }).uncheck();
  await table.getByRole('button', { name: 'Under min ISR' }).click();
  await expect(table.getByRole('columnheader', { name: 'Under min ISR' })).toHaveAttribute('aria-sort', 'descending');
  await expect(table.getByRole('link').first()).toHaveText('ledger');

  // Lowering min.insync.replicas to the ISR size clears the column; under-replicated stays.
  await app.call('topics.alterConfigs', { clusterId: 'embedded', topic: 'ledger', set: { 'min.insync.replicas': '2' }, remove: [], validateOnly: false });
  await expect(ledger.getByRole('cell')).toHaveText(['2', '3', '2', '0', '0'], { timeout: 20_000 });
  expect(errors).toEqual([]);
});

test('rows show before min.insync.replicas is read: the Under min ISR cells say loading, never 0, until it arrives', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await app.call('embedded.start', { brokers: 3, port: 0 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'ledger', partitions: 2, replicationFactor: 3, configs: { 'min.insync.replicas': '2' } });
  await app.call('topics.create', { clusterId: 'embedded', name: TOPIC, partitions: 12, replicationFactor: 1, configs: {} });
  const release = await holdApiCalls(page, 'topics.minInsyncReplicas');

  await page.goto(`${app.url}/#/topics`);
  const table = page.getByRole('table', { name: 'Topics' });
  const ledger = table.getByRole('row').filter({ has: page.getByRole('link', { name: 'ledger' }) });
  const long = table.getByRole('row').filter({ has: page.getByRole('link', { name: TOPIC }) });
  await expect(ledger.getByRole('cell')).toHaveText(['2', '3', '0', '0', 'loading'], { timeout: 20_000 });
  await expect(long.getByRole('cell')).toHaveText(['12', '1', '0', '0', 'loading']);
  await expect(page.getByRole('status', { name: 'Under min ISR column' })).toHaveText('Reading min.insync.replicas of 2 topics for the Under min ISR column…');
  await expect(table.getByRole('columnheader', { name: 'Under min ISR' })).toHaveAttribute('aria-busy', 'true');
  await screenshotBothThemes(page, 'topics-min-isr-loading');

  await release();
  await expect(ledger.getByRole('cell')).toHaveText(['2', '3', '0', '0', '0'], { timeout: 20_000 });
  await expect(long.getByRole('cell')).toHaveText(['12', '1', '0', '0', '0']);
  await expect(page.getByRole('status', { name: 'Under min ISR column' })).toHaveText('Under min ISR loaded.');
  await expect(table.getByRole('columnheader', { name: 'Under min ISR' })).toHaveAttribute('aria-busy', 'false');
  await screenshotBothThemes(page, 'topics-min-isr-loaded');
  expect(errors).toEqual([]);
});

test('leaving the page lets go of its read still in flight, so the next page does not queue behind it in the browser', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await app.call('embedded.start', { brokers: 1, port: 0 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'ledger', partitions: 1, replicationFactor: 1, configs: {} });
  // Held on its way to the back end: still in flight when the user leaves the page.
  const release = await holdApiCalls(page, 'topics.minInsyncReplicas');
  const abandoned: string[] = [];
  page.on('requestfailed', (request) => {
    const body = request.postDataJSON() as { method?: string } | null;
    if (body?.method === 'topics.minInsyncReplicas') abandoned.push(request.failure()?.errorText ?? '');
  });

  await page.goto(`${app.url}/#/topics`);
  await expect(page.getByRole('link', { name: 'ledger' })).toBeVisible({ timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'Under min ISR column' })).toContainText('Reading min.insync.replicas');
  // Same document, another page: the Topics page unmounts.
  await page.goto(`${app.url}/#/groups`);
  await expect(page.getByRole('heading', { name: /^Consumer groups of / })).toBeVisible();
  await expect.poll(() => abandoned, { timeout: 10_000 }).toEqual(['net::ERR_ABORTED']);
  await release();
  expect(errors).toEqual([]);
});

test('the API refuses to delete a topic unless the confirmation repeats its name', async ({ app }) => {
  const response = await fetch(`${app.url}/api/call`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ method: 'topics.delete', input: { clusterId: 'embedded', topic: 'orders', confirmation: 'order' } }),
  });
  expect(response.status).toBe(400);
  expect(await response.json()).toMatchObject({ ok: false, error: { code: 'invalid-input', message: 'Invalid input for topics.delete: confirmation: Type the topic name exactly to confirm the deletion' } });
});
