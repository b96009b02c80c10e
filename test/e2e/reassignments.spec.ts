import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { kcatMetadata, produce } from './kafkaClients';
import { nav, screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

/** Replicas per partition of a topic as librdkafka (kcat) sees them, in assignment order. */
async function kcatReplicas(bootstrap: string, topic: string): Promise<number[][]> {
  const metadata = await kcatMetadata(bootstrap);
  const entry = metadata.topics.find((candidate) => candidate.topic === topic);
  if (!entry) throw new Error(`kcat does not see topic ${topic}`);
  return [...entry.partitions].sort((a, b) => a.partition - b.partition).map((partition) => partition.replicas.map((replica) => replica.id));
}

async function confirmAs(page: Page, text: string, button: string) {
  await page.getByLabel(`Type ${text} to confirm`).fill(text);
  await page.getByRole('button', { name: button, exact: true }).click();
}

test('the reassignment wizard changes a replication factor and moves partitions onto other brokers, verified with kcat, then elects preferred leaders', async ({ page, app }) => {
  test.setTimeout(300_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'inventory', partitions: 3, replicationFactor: 1 });
  await produce(bootstrap, 'inventory', { 0: 50, 1: 50, 2: 50 });
  const before = await kcatReplicas(bootstrap, 'inventory');
  expect(before.every((replicas) => replicas.length === 1)).toBe(true);

  await page.goto(`${app.url}/#/reassignments`);
  await expect(page.getByText('No reassignment is running on Embedded cluster.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'reassignments-empty');

  // 1. Replication factor 1 -> 2.
  await page.getByRole('button', { name: 'New reassignment…' }).click();
  await page.getByRole('radio', { name: 'Change replication factor' }).check();
  await page.getByRole('group', { name: 'Topics to reassign' }).getByLabel('inventory').check();
  await page.getByLabel('New replication factor').fill('2');
  await screenshotBothThemes(page, 'reassignment-plan-rf');
  await page.getByRole('button', { name: 'Propose plan' }).click();
  const plan = page.getByRole('table', { name: 'Reassignment plan' });
  await expect(plan.getByRole('row')).toHaveCount(4);
  for (const [partition, replicas] of before.entries()) {
    const row = plan.getByRole('row', { name: `inventory partition ${partition}` });
    await expect(row.getByRole('cell', { name: 'Current replicas' })).toHaveText(String(replicas[0]));
    // The existing replica stays first (the leader does not move) and one is added.
    await expect(row.getByRole('textbox')).toHaveValue(new RegExp(`^${replicas[0]}, [123]$`));
    await expect(row.getByRole('cell', { name: 'Changes' })).toHaveText(/^\+[123]$/);
  }
  await expect(page.getByLabel('Data to move')).toContainText('3 replicas to copy');
  await expect(page.getByLabel('Data to move')).toContainText(/\d+(\.\d)? KiB to move/);
  const brokers = page.getByRole('table', { name: 'Brokers gaining and losing replicas' });
  // 3 + 3 replicas over 3 brokers: each gains exactly one.
  for (const id of [1, 2, 3]) await expect(brokers.getByRole('row', { name: `Broker ${id}` }).getByRole('cell', { name: 'Gains' })).toHaveText('+1');
  await page.getByLabel('Replication throttle (bytes/s, optional)').fill('abc');
  await expect(page.getByText('The throttle is a whole number of bytes per second above 0')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Execute…' })).toBeDisabled();
  await page.getByLabel('Replication throttle (bytes/s, optional)').fill('10000000');
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText('kafka-reassign-partitions.sh --bootstrap-server');
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText('--reassignment-json-file reassignment.json --execute --throttle 10000000');
  const exported = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export plan (JSON)' }).click();
  const planFile = await exported;
  expect(planFile.suggestedFilename()).toBe('reassignment.json');
  await screenshotBothThemes(page, 'reassignment-preview-rf');
  await page.getByRole('button', { name: 'Execute…' }).click();
  await screenshotBothThemes(page, 'reassignment-confirm');
  await confirmAs(page, 'inventory', 'Start reassigning');
  const verification = page.getByRole('table', { name: 'Verification' });
  await expect(page.getByText('Reassignment complete: 3 partitions have their new replicas.')).toBeVisible({ timeout: 60_000 });
  for (const partition of [0, 1, 2]) await expect(verification.getByRole('row', { name: `inventory partition ${partition}` }).getByRole('cell', { name: 'Status' })).toHaveText('complete');
  await screenshotBothThemes(page, 'reassignment-complete-rf');
  const afterRf = await kcatReplicas(bootstrap, 'inventory');
  expect(afterRf.map((replicas) => replicas.length)).toEqual([2, 2, 2]);
  expect(afterRf.map((replicas) => replicas[0])).toEqual(before.map((replicas) => replicas[0]));
  for (const id of [1, 2, 3]) expect(afterRf.flat().filter((replica) => replica === id)).toHaveLength(2);
  await page.getByRole('button', { name: 'Run preferred leader election' }).click();
  await expect(page.getByLabel('Election result')).toHaveText('Preferred leader election: 0 elected, 3 already on their preferred leader.');
  await page.getByRole('button', { name: 'Done' }).click();

  // 2. Move every partition onto brokers 2 and 3: broker 1 loses all its replicas.
  await page.getByRole('button', { name: 'New reassignment…' }).click();
  await page.getByRole('group', { name: 'Topics to reassign' }).getByLabel('inventory').check();
  await page.getByRole('group', { name: 'Target brokers' }).getByLabel('Broker 2').check();
  await page.getByRole('group', { name: 'Target brokers' }).getByLabel('Broker 3').check();
  await screenshotBothThemes(page, 'reassignment-plan-move');
  await page.getByRole('button', { name: 'Propose plan' }).click();
  await expect(brokers.getByRole('row', { name: 'Broker 1' }).getByRole('cell', { name: 'Loses' })).toHaveText('−2');
  await expect(brokers.getByRole('row', { name: 'Broker 1' }).getByRole('cell', { name: 'Gains' })).toHaveText('0');
  await expect(page.getByLabel('Data to move')).toContainText('2 replicas to copy');
  await screenshotBothThemes(page, 'reassignment-preview-move');
  await page.getByRole('button', { name: 'Execute…' }).click();
  await confirmAs(page, 'inventory', 'Start reassigning');
  await expect(page.getByText(/^Reassignment complete: \d partitions? ha(s|ve) (its|their) new replicas\.$/)).toBeVisible({ timeout: 60_000 });
  const moved = await kcatReplicas(bootstrap, 'inventory');
  expect(moved.flat()).not.toContain(1);
  expect(moved.map((replicas) => [...replicas].sort())).toEqual([
    [2, 3],
    [2, 3],
    [2, 3],
  ]);
  await page.getByRole('button', { name: 'Run preferred leader election' }).click();
  await expect(page.getByLabel('Election result')).toContainText(/Preferred leader election: \d elected/);
  await screenshotBothThemes(page, 'reassignment-elected');
  // Leaders are now each partition's first replica, as kcat sees it.
  const metadata = await kcatMetadata(bootstrap);
  const inventory = metadata.topics.find((topic) => topic.topic === 'inventory')!;
  for (const partition of inventory.partitions) expect(partition.leader).toBe(partition.replicas[0]!.id);

  // The topic page shows the new replicas too.
  await page.goto(`${app.url}/#/topics/inventory`);
  const partitions = page.getByRole('table', { name: 'Partitions of inventory' });
  for (const [index, replicas] of moved.entries()) {
    await expect(partitions.getByRole('row', { name: `Partition ${index}` }).getByRole('list', { name: 'Replicas' })).toHaveText(new RegExp(`^${replicas[0]}★?${replicas[1]}$`));
  }

  // 3. Drain broker 3: only its replicas move, each next to the replica that stays.
  await nav(page, 'Reassignments').click();
  await page.getByRole('button', { name: 'New reassignment…' }).click();
  await page.getByRole('radio', { name: 'Drain a broker' }).check();
  await page.getByLabel('Broker to drain').selectOption('3');
  await page.getByRole('button', { name: 'Propose plan' }).click();
  await expect(brokers.getByRole('row', { name: 'Broker 3' }).getByRole('cell', { name: 'Loses' })).toHaveText('−3');
  await expect(brokers.getByRole('row', { name: 'Broker 1' }).getByRole('cell', { name: 'Gains' })).toHaveText('+3');
  await expect(page.getByLabel('Data to move')).toContainText('3 replicas to copy');
  await screenshotBothThemes(page, 'reassignment-preview-drain');
  await page.getByRole('button', { name: 'Execute…' }).click();
  await confirmAs(page, 'inventory', 'Start reassigning');
  await expect(page.getByText('Reassignment complete: 3 partitions have their new replicas.')).toBeVisible({ timeout: 60_000 });
  const drained = await kcatReplicas(bootstrap, 'inventory');
  expect(drained).toEqual(moved.map((replicas) => replicas.map((id) => (id === 3 ? 1 : id))));
  expect(errors).toEqual([]);
});

test('an imported plan onto a stopped broker stays in progress until cancelled; a malformed file is refused with the reason', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'ledger-entries', partitions: 1, replicationFactor: 1 });
  await produce(bootstrap, 'ledger-entries', { 0: 20 });
  const [[original]] = (await kcatReplicas(bootstrap, 'ledger-entries')) as [[number]];
  const target = [1, 2, 3].find((id) => id !== original)!;
  await app.call('embedded.broker', { id: target, action: 'stop' });

  await page.goto(`${app.url}/#/reassignments`);
  await page.getByRole('button', { name: 'New reassignment…' }).click();
  await page.getByRole('radio', { name: 'Import reassignment JSON' }).check();
  const json = page.getByLabel('Reassignment JSON (kafka-reassign-partitions.sh)');

  await json.fill('{"version":1,"partitions":[');
  await page.getByRole('button', { name: 'Read plan' }).click();
  await expect(page.getByRole('alert')).toContainText('The pasted JSON is not valid JSON');
  await page.getByLabel('Reassignment JSON file').setInputFiles({
    name: 'twice.json',
    mimeType: 'application/json',
    buffer: Buffer.from('{"version":1,"partitions":[{"topic":"ledger-entries","partition":0,"replicas":[1,1]}]}'),
  });
  await expect(page.getByText('file twice.json')).toBeVisible();
  await page.getByRole('button', { name: 'Read plan' }).click();
  await expect(page.getByRole('alert')).toHaveText('File twice.json partitions[0]: "replicas" lists a broker twice (1,1)');
  await screenshotBothThemes(page, 'reassignment-import-error');

  await json.fill(JSON.stringify({ version: 1, partitions: [{ topic: 'ledger-entries', partition: 0, replicas: [original, target] }] }));
  await page.getByRole('button', { name: 'Read plan' }).click();
  const brokers = page.getByRole('table', { name: 'Brokers gaining and losing replicas' });
  await expect(brokers.getByRole('row', { name: `Broker ${target}` })).toContainText('not in the cluster now');
  await screenshotBothThemes(page, 'reassignment-preview-import');
  await page.getByRole('button', { name: 'Execute…' }).click();
  await confirmAs(page, 'ledger-entries', 'Start reassigning');
  await expect(page.getByText('Reassignment of 1 partition started.')).toBeVisible({ timeout: 30_000 });

  const ongoing = page.getByRole('table', { name: 'Reassignments in progress' });
  const row = ongoing.getByRole('row', { name: 'ledger-entries partition 0' });
  await expect(row.getByRole('cell', { name: 'Adding' })).toHaveText(String(target), { timeout: 20_000 });
  await expect(page.getByRole('table', { name: 'Verification' }).getByRole('cell', { name: 'Status' })).toHaveText('in-progress');
  await screenshotBothThemes(page, 'reassignment-in-progress');
  await row.getByRole('button', { name: 'Cancel…' }).click();
  await screenshotBothThemes(page, 'reassignment-cancel-confirm');
  await confirmAs(page, 'ledger-entries', 'Cancel the reassignment of');
  await expect(page.getByText('Reassignment cancelled: the partitions are back on their original replicas.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByText('No reassignment is running on Embedded cluster.')).toBeVisible({ timeout: 20_000 });
  await expect(page.getByLabel('Equivalent Kafka command').first()).toContainText('--cancel');
  await screenshotBothThemes(page, 'reassignment-cancelled');
  expect(await kcatReplicas(bootstrap, 'ledger-entries')).toEqual([[original]]);
  await nav(page, 'Topics').click();
  expect(errors).toEqual([]);
});
