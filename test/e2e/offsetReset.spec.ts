import kafkajs from 'kafkajs';
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { committedByKafkaPython } from './committedOffsets';
import { consumeAndCommit, produce } from './kafkaClients';
import { screenshotBothThemes } from './screens';

const { Kafka, logLevel } = kafkajs;

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

function previewRow(page: Page, table: string, topic: string, partition: number) {
  return page.getByRole('table', { name: table }).getByRole('row', { name: `${topic} partition ${partition}` });
}

async function openWizard(page: Page) {
  await page.getByRole('button', { name: 'Reset offsets…' }).click();
  await expect(page.getByRole('heading', { name: /Reset offsets of/ })).toBeVisible();
}

test('the offset reset wizard previews, executes and undoes resets, checked with kafka-python; an active group is refused with its member named', async ({ page, app }) => {
  test.setTimeout(300_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'payments', partitions: 2, replicationFactor: 3 });
  await app.call('topics.create', { clusterId: 'embedded', name: 'refunds', partitions: 1, replicationFactor: 3 });
  await produce(bootstrap, 'payments', { 0: 10, 1: 10 });
  await produce(bootstrap, 'refunds', { 0: 5 });
  await consumeAndCommit(bootstrap, 'ledger', 'payments', 20);
  await consumeAndCommit(bootstrap, 'ledger', 'refunds', 5);
  // Four more on payments-0 after the group stopped: a lag of 4.
  await produce(bootstrap, 'payments', { 0: 4 });

  await page.goto(`${app.url}/#/groups/ledger`);
  const offsets = page.getByRole('table', { name: 'Partition offsets' });
  await expect(offsets.getByRole('row', { name: 'payments partition 0' }).getByRole('cell', { name: 'Lag' })).toHaveText('4', { timeout: 20_000 });

  // 1. One topic, to earliest.
  await openWizard(page);
  await page.getByRole('radio', { name: 'One topic' }).check();
  await page.getByLabel('Topic', { exact: true }).selectOption('payments');
  await page.getByLabel('Reset to').selectOption('to-earliest');
  await screenshotBothThemes(page, 'offset-reset-choose');
  await page.getByRole('button', { name: 'Preview' }).click();
  const p0 = previewRow(page, 'Reset preview', 'payments', 0);
  await expect(p0.getByRole('cell', { name: 'Current offset' })).toHaveText('10');
  await expect(p0.getByRole('cell', { name: 'New offset' })).toHaveText('0');
  await expect(p0.getByRole('cell', { name: 'Messages' })).toHaveText('re-read 10');
  await expect(previewRow(page, 'Reset preview', 'payments', 1).getByRole('cell', { name: 'Messages' })).toHaveText('re-read 10');
  await expect(page.getByRole('table', { name: 'Reset preview' }).getByRole('row')).toHaveCount(3);
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText('kafka-consumer-groups.sh --bootstrap-server');
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText('--group ledger --reset-offsets --to-earliest --topic payments --execute');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export plan (CSV)' }).click();
  const csv = await (await download).createReadStream().then(async (stream) => {
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  });
  expect(csv).toBe('payments,0,0\npayments,1,0\n');
  await screenshotBothThemes(page, 'offset-reset-preview');

  await page.getByRole('button', { name: 'Execute reset…' }).click();
  const confirmButton = page.getByRole('button', { name: 'Reset offsets of' });
  await expect(confirmButton).toBeDisabled();
  await page.getByLabel('Type ledger to confirm').fill('ledger');
  await screenshotBothThemes(page, 'offset-reset-confirm');
  await confirmButton.click();
  await expect(page.getByText('Offsets of 2 partitions reset.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'offset-reset-result');
  expect(await committedByKafkaPython(bootstrap, 'ledger', [['payments', 0], ['payments', 1], ['refunds', 0]])).toEqual({ 'payments-0': 0, 'payments-1': 0, 'refunds-0': 5 });
  await expect(offsets.getByRole('row', { name: 'payments partition 0' }).getByRole('cell', { name: 'Lag' })).toHaveText('14', { timeout: 20_000 });

  // 2. Undo: back to the offsets before.
  await page.getByRole('button', { name: 'Undo: restore previous offsets…' }).click();
  await page.getByLabel('Type ledger to confirm').fill('ledger');
  await page.getByRole('button', { name: 'Restore previous offsets of' }).click();
  await expect(page.getByText('Undone: the offsets of 2 partitions are back to where they were.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'offset-reset-undone');
  expect(await committedByKafkaPython(bootstrap, 'ledger', [['payments', 0], ['payments', 1], ['refunds', 0]])).toEqual({ 'payments-0': 10, 'payments-1': 10, 'refunds-0': 5 });
  await page.getByRole('button', { name: 'Done' }).click();

  // 3. Chosen partitions, shift by -7: refunds-0 asks for -2 and is clamped to the log start.
  await openWizard(page);
  await page.getByRole('radio', { name: 'Chosen partitions' }).check();
  await page.getByRole('group', { name: 'Partitions to reset' }).getByLabel('refunds-0').check();
  await page.getByRole('group', { name: 'Partitions to reset' }).getByLabel('payments-1').check();
  await page.getByLabel('Reset to').selectOption('shift-by');
  await page.getByLabel('Shift by').fill('-7');
  await page.getByRole('button', { name: 'Preview' }).click();
  const refunds = previewRow(page, 'Reset preview', 'refunds', 0);
  await expect(refunds.getByRole('cell', { name: 'New offset' })).toHaveText('0');
  await expect(refunds.getByRole('cell', { name: 'Note' })).toHaveText('asked -2, clamped to log start');
  await expect(previewRow(page, 'Reset preview', 'payments', 1).getByRole('cell', { name: 'New offset' })).toHaveText('3');
  await expect(page.getByRole('table', { name: 'Reset preview' }).getByRole('row')).toHaveCount(3);
  await screenshotBothThemes(page, 'offset-reset-preview-clamped');
  await page.getByRole('button', { name: 'Execute reset…' }).click();
  await page.getByLabel('Type ledger to confirm').fill('ledger');
  await page.getByRole('button', { name: 'Reset offsets of' }).click();
  await expect(page.getByText('Offsets of 2 partitions reset.')).toBeVisible({ timeout: 20_000 });
  expect(await committedByKafkaPython(bootstrap, 'ledger', [['payments', 0], ['payments', 1], ['refunds', 0]])).toEqual({ 'payments-0': 10, 'payments-1': 3, 'refunds-0': 0 });
  await page.getByRole('button', { name: 'Done' }).click();

  // 4. Previews of the other modes: a pasted CSV (the command writes it first), a bad duration, a date-time before every message.
  await openWizard(page);
  await page.getByLabel('Reset to').selectOption('from-file');
  await page.getByLabel('Offsets CSV (topic,partition,offset per line)').fill('payments,0,12\nrefunds,0,4\n');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('table', { name: 'Reset preview' }).getByRole('row')).toHaveCount(3);
  await expect(previewRow(page, 'Reset preview', 'payments', 0).getByRole('cell', { name: 'Messages' })).toHaveText('skip 2');
  await expect(previewRow(page, 'Reset preview', 'refunds', 0).getByRole('cell', { name: 'New offset' })).toHaveText('4');
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText("cat > reset-offsets.csv <<'EOF'\npayments,0,12\nrefunds,0,4\nEOF");
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText('--from-file reset-offsets.csv --execute');
  await page.getByRole('button', { name: 'Back' }).click();
  await page.getByLabel('Reset to').selectOption('by-duration');
  await page.getByLabel('Duration back from now (ISO-8601)').fill('one hour');
  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByRole('alert')).toHaveText('--by-duration "one hour" is not an ISO-8601 duration such as PT30M, PT1H or P1DT12H');
  await page.getByLabel('Reset to').selectOption('to-datetime');
  await page.getByLabel('Date and time').fill('2000-01-01T00:00');
  await page.getByRole('radio', { name: /^All topics of the group/ }).check();
  await page.getByRole('button', { name: 'Preview' }).click();
  for (const [topic, partition] of [['payments', 0], ['payments', 1], ['refunds', 0]] as const) {
    await expect(previewRow(page, 'Reset preview', topic, partition).getByRole('cell', { name: 'New offset' })).toHaveText('0');
  }
  await expect(page.getByLabel('Equivalent Kafka command')).toContainText(/--to-datetime 2000-01-01T00:00:00\.000[+-]\d\d:\d\d --all-topics --execute/);
  await page.getByRole('button', { name: 'Close' }).click();

  // 5. A running consumer makes the group active: the preview names it and execute stays disabled; the back end refuses too.
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'ledger-worker', logLevel: logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: 'ledger', sessionTimeout: 10_000, heartbeatInterval: 1_000 });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic: 'refunds' });
    await consumer.run({ eachMessage: async () => {} });
    await expect(page.getByText(/^Stable · 1 member/)).toBeVisible({ timeout: 30_000 });
    await openWizard(page);
    await page.getByLabel('Reset to').selectOption('to-latest');
    await page.getByRole('button', { name: 'Preview' }).click();
    const refusal = page.getByRole('alert').filter({ hasText: 'cannot be reset now' });
    await expect(refusal).toContainText('The group is Stable with 1 active member');
    await expect(refusal).toContainText('ledger-worker');
    await expect(page.getByRole('button', { name: 'Execute reset…' })).toBeDisabled();
    await screenshotBothThemes(page, 'offset-reset-active-group');
    const refused = app.call('groups.resetOffsets', { clusterId: 'embedded', group: 'ledger', mode: { mode: 'to-latest' }, scope: { kind: 'all-topics' }, execute: true, confirmation: 'ledger' });
    await expect(refused).rejects.toThrow(/conflict: Group "ledger" is Stable with 1 active member: ledger-worker \(.+\); stop them before resetting its offsets/);
  } finally {
    await consumer.disconnect();
  }
  expect(errors).toEqual([]);
});
