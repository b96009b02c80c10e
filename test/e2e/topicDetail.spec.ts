import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { kcatMetadata } from './kafkaClients';
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

test('a preferred leader election from the topic page: preview, typed confirmation, the answer per partition, and the leader column back on the preferred replica', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  const topic = 'ledger-entries';
  await app.call('topics.create', { clusterId: 'embedded', name: topic, partitions: 3, replicationFactor: 3 });
  const partitionsOf = async () => (await kcatMetadata(bootstrap)).topics.find((entry) => entry.topic === topic)?.partitions ?? [];
  await expect.poll(async () => (await partitionsOf()).length, { timeout: 20_000 }).toBe(3);
  const assignment = await partitionsOf();
  // The partition whose preferred replica is broker 1, which the test stops and restarts.
  const moved = assignment.find((partition) => partition.replicas[0]!.id === 1)!.partition;
  const others = assignment.map((partition) => partition.partition).filter((partition) => partition !== moved);

  await page.goto(`${app.url}/#/topics/${topic}`);
  const table = page.getByRole('table', { name: `Partitions of ${topic}` });
  await expect(table).toBeVisible({ timeout: 20_000 });
  const leaderOf = (partition: number) => table.getByRole('row', { name: `Partition ${partition}` }).getByRole('cell').first();
  const notice = page.getByRole('region', { name: 'Preferred leaders' });
  await expect(notice).toHaveCount(0);
  const open = page.getByRole('button', { name: 'Elect preferred leaders…' });
  const form = page.getByRole('region', { name: 'Preferred leader election' });
  const preview = form.getByRole('table', { name: 'Election preview' });

  // With every leader home, only the whole topic can be chosen, and nothing would move.
  await open.click();
  await expect(form.getByRole('radio', { name: /Chosen partitions not on their preferred leader \(0\)/ })).toBeDisabled();
  await expect(form.getByRole('radio', { name: 'The whole topic (3 partitions)' })).toBeChecked();
  await expect(preview.getByRole('row', { name: `Partition ${moved}` })).toContainText('stays on broker 1, its preferred leader');
  await expect(form.getByRole('status', { name: 'Election preview summary' })).toHaveText('0 partitions would change leader.');
  await form.getByRole('button', { name: 'Cancel' }).click();
  await expect(form).toHaveCount(0);

  // Broker 1 stops: its partition fails over and cannot go back while broker 1 is away.
  await app.call('embedded.broker', { id: 1, action: 'stop' });
  await expect(notice).toContainText(`1 partition is not led by its preferred leader (partition ${moved}). The preferred replica of partition ${moved} is not in sync`, { timeout: 60_000 });
  await expect(table.getByRole('row', { name: `Partition ${moved}` }).getByText('off preferred leader')).toBeVisible();
  const failoverLeader = Number(await leaderOf(moved).textContent());
  expect([2, 3]).toContain(failoverLeader);

  // Chosen anyway, the election answers with the cluster's reason for that partition.
  await open.click();
  await expect(form.getByRole('radio', { name: /Chosen partitions not on their preferred leader \(1\)/ })).toBeChecked();
  const include = form.getByRole('checkbox', { name: `Include partition ${moved}` });
  await expect(include).not.toBeChecked();
  await expect(form.getByRole('status', { name: 'Election preview summary' })).toHaveText('Choose at least one partition.');
  await include.check();
  await expect(preview.getByRole('row', { name: `Partition ${moved}` })).toContainText(`stays on broker ${failoverLeader}: preferred broker 1 is not in sync`);
  await expect(form.getByRole('status', { name: 'Election preview summary' })).toHaveText("0 partitions would change leader; 1 partition would fail, its preferred replica being out of sync.");
  await expect(form.getByLabel('Equivalent election command')).toHaveText(
    `kafka-leader-election.sh --bootstrap-server ${bootstrap} --election-type PREFERRED --topic ${topic} --partition ${moved}`,
  );
  await form.getByLabel(`Type ${topic} to confirm`).fill(topic);
  await form.getByRole('button', { name: 'Elect preferred leaders', exact: true }).click();
  const done = page.getByRole('status', { name: 'Topic changed' });
  await expect(done).toContainText('Done, with failures: preferred leader election over 1 partition: 0 elected, 1 failed.');
  await expect(done.getByRole('table', { name: 'Election result' }).getByRole('row', { name: `Partition ${moved}` })).toContainText(
    `failed: PREFERRED_LEADER_NOT_AVAILABLE: Preferred leader 1 of ${topic}-${moved} is not alive and in sync`,
  );
  await screenshotBothThemes(page, 'topic-preferred-election-failed');
  await expect(leaderOf(moved)).toHaveText(String(failoverLeader));

  // Broker 1 is back in the ISR but leadership stays where the failover put it.
  await app.call('embedded.broker', { id: 1, action: 'start' });
  await expect(notice).toContainText(`1 partition is not led by its preferred leader (partition ${moved}). Elect preferred leaders to move leadership back.`, { timeout: 60_000 });
  // The page's own refresh counts broker 1 live again for replica lag, without another view's help.
  await expect(page.getByText('Replica lag is unknown')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByRole('list', { name: `Replica lag of partition ${moved}` })).toContainText('1: 0');
  await screenshotBothThemes(page, 'topic-preferred-leader-notice');

  // The whole topic: one partition moves, the others are already home.
  await open.click();
  await expect(form.getByRole('checkbox', { name: `Include partition ${moved}` })).toBeChecked();
  await form.getByRole('radio', { name: 'The whole topic (3 partitions)' }).check();
  await expect(preview.getByRole('row')).toHaveCount(4);
  await expect(preview.getByRole('row', { name: `Partition ${moved}` })).toContainText(`moves from broker ${failoverLeader} to broker 1`);
  for (const partition of others) await expect(preview.getByRole('row', { name: `Partition ${partition}` })).toContainText('its preferred leader');
  await expect(form.getByRole('status', { name: 'Election preview summary' })).toHaveText(`1 partition would change leader (${moved}).`);
  const electionFile = JSON.stringify({ partitions: assignment.map((partition) => ({ topic, partition: partition.partition })).sort((a, b) => a.partition - b.partition) });
  await expect(form.getByLabel('Equivalent election command')).toContainText(electionFile);
  await expect(form.getByLabel('Equivalent election command')).toContainText('--path-to-json-file election.json');
  const confirm = form.getByRole('button', { name: 'Elect preferred leaders', exact: true });
  await expect(confirm).toBeDisabled();
  await form.getByLabel(`Type ${topic} to confirm`).fill(topic);
  await screenshotBothThemes(page, 'topic-preferred-election-confirm');
  await confirm.click();

  await expect(done).toContainText('Done: preferred leader election over 3 partitions: 1 elected, 2 already on their preferred leader.');
  const result = done.getByRole('table', { name: 'Election result' });
  await expect(result.getByRole('row', { name: `Partition ${moved}` })).toContainText('elected: broker 1 leads');
  for (const partition of others) await expect(result.getByRole('row', { name: `Partition ${partition}` })).toContainText('already on its preferred leader');
  await expect(done.getByLabel('Equivalent Kafka command')).toContainText('--election-type PREFERRED');
  // The partition table refreshes on its own: the leader column shows the preferred replica.
  await expect(leaderOf(moved)).toHaveText('1', { timeout: 20_000 });
  await expect(notice).toHaveCount(0);
  await screenshotBothThemes(page, 'topic-preferred-election-elected');
  await expect.poll(async () => (await partitionsOf()).find((partition) => partition.partition === moved)?.leader, { timeout: 20_000 }).toBe(1);
  expect(errors).toEqual([]);
});
