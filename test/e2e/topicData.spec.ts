import { readFile } from 'node:fs/promises';
import kafkajs from 'kafkajs';
import type { Page } from '@playwright/test';
import { collectConsoleErrors } from './consoleErrors';
import { expect, test } from './fixtures';
import { kcatConsume, pythonBeginningOffsets, pythonTopicConfigs } from './independentClients';
import { kcatMetadata } from './kafkaClients';
import { screenshotBothThemes } from './screens';

const { Kafka, logLevel } = kafkajs;

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

type Message = { partition: number; key: string | Buffer | null; value: string | Buffer | null; headers?: Record<string, string> };

/** Produces with kafkajs (acks=all), one send per partition. */
async function produceWithKafkajs(bootstrap: string, topic: string, messages: Message[]): Promise<void> {
  const kafka = new Kafka({ brokers: bootstrap.split(','), clientId: 'e2e-topic-data', logLevel: logLevel.NOTHING, retry: { retries: 5, initialRetryTime: 200 } });
  const producer = kafka.producer({ allowAutoTopicCreation: false });
  await producer.connect();
  try {
    for (const partition of [...new Set(messages.map((message) => message.partition))]) {
      await producer.send({ topic, acks: -1, messages: messages.filter((message) => message.partition === partition) });
    }
  } finally {
    await producer.disconnect();
  }
}

/** The <input type="datetime-local"> text for a time, in the page's own time zone. */
function localDateTime(page: Page, at: number): Promise<string> {
  return page.evaluate((ms) => {
    const date = new Date(ms);
    const pad = (value: number) => String(value).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }, at);
}

async function openTopic(page: Page, url: string, topic: string): Promise<void> {
  await page.goto(`${url}/#/topics/${encodeURIComponent(topic)}`);
  await expect(page.getByRole('table', { name: `Partitions of ${topic}` })).toBeVisible({ timeout: 30_000 });
}

const TOPIC = 'orders.events-with-a-rather-long-topic-name-to-check-the-layout';
const LONG_KEY = `customer-${'x'.repeat(180)}`;

test('browses messages produced by kafkajs (keys, JSON, headers, binary, from a time), tails live, and produces one read back by kcat', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: TOPIC, partitions: 3, replicationFactor: 3, configs: {} });
  await app.call('topics.create', { clusterId: 'embedded', name: 'empty-topic', partitions: 1, replicationFactor: 1, configs: {} });

  // An empty topic says so in each tab.
  await openTopic(page, app.url, 'empty-topic');
  await page.getByRole('tab', { name: 'Messages' }).click();
  await expect(page.getByText('No messages from this position.')).toBeVisible({ timeout: 20_000 });
  await screenshotBothThemes(page, 'topic-messages-empty');

  await produceWithKafkajs(bootstrap, TOPIC, [
    ...Array.from({ length: 4 }, (_, index) => ({ partition: 0, key: `order-${index}`, value: JSON.stringify({ id: index, status: 'paid', items: [{ sku: `sku-${index}`, qty: index + 1 }] }), headers: { source: 'checkout', trace: `t-${index}` } })),
    { partition: 1, key: LONG_KEY, value: `plain text that is long: ${'lorem ipsum '.repeat(40)}` },
    { partition: 1, key: null, value: Buffer.from([0x00, 0x01, 0x02, 0xfe, 0xff, 0x41]) },
    { partition: 2, key: 'k2', value: '{"nested":{"deep":{"deeper":{"deepest":true}}},"list":[1,2,3]}' },
  ]);
  // Messages after a whole second, to browse from that time.
  const boundary = Math.ceil((Date.now() + 1) / 1000) * 1000;
  await new Promise((resolve) => setTimeout(resolve, boundary - Date.now() + 50));
  await produceWithKafkajs(bootstrap, TOPIC, [
    { partition: 1, key: 'late-1', value: 'after the boundary 1' },
    { partition: 1, key: 'late-2', value: 'after the boundary 2' },
  ]);

  await openTopic(page, app.url, TOPIC);
  await page.getByRole('tab', { name: 'Messages' }).click();
  const table = page.getByRole('table', { name: `Messages of ${TOPIC}` });
  await expect(page.getByRole('status', { name: 'Messages read' })).toHaveText('9 messages read', { timeout: 20_000 });
  const first = table.getByRole('row', { name: 'Message 0@0', exact: true });
  await expect(first.getByRole('cell', { name: 'Key' })).toHaveText('order-0');
  await expect(first.getByRole('cell', { name: 'Value' })).toHaveText('json{"id":0,"status":"paid","items":[{"sku":"sku-0","qty":1}]}');
  await expect(first.getByRole('cell', { name: 'Headers' })).toHaveText('2');
  await expect(table.getByRole('row', { name: 'Message 1@1', exact: true }).getByRole('cell', { name: 'Value' })).toHaveText('bin00 01 02 fe ff 41');
  await expect(table.getByRole('row', { name: 'Message 1@1', exact: true }).getByRole('cell', { name: 'Key' })).toHaveText('null');
  await screenshotBothThemes(page, 'topic-messages');

  // The whole message: decoded JSON as a tree, headers, and the hex view of the same bytes.
  await page.getByRole('button', { name: 'Show message 0@3' }).click();
  const detail = page.getByRole('region', { name: 'Message 0@3' });
  await expect(detail.getByRole('list', { name: 'Value as JSON' })).toContainText('"status": "paid"');
  await expect(detail.getByRole('list', { name: 'Value as JSON' })).toContainText('"sku": "sku-3"');
  await expect(detail.getByRole('table', { name: 'Message headers' }).getByRole('row')).toHaveText(['sourcecheckout', 'tracet-3']);
  await detail.scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'topic-message-detail');
  await page.getByLabel('Show as').selectOption('hex');
  await expect(detail.getByLabel('Key as hex')).toHaveText(/^00000000 {2}6f 72 64 65 72 2d 33 {2}\s+\|order-3\|$/);
  await page.getByRole('button', { name: 'Show message 1@1' }).click();
  await page.getByLabel('Show as').selectOption('auto');
  await expect(page.getByRole('region', { name: 'Message 1@1' }).getByLabel('Value as hex')).toContainText('00 01 02 fe ff 41');
  await page.getByRole('region', { name: 'Message 1@1' }).scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'topic-message-binary', ['light']);

  // From a time: partition 1's first message at or after the boundary is offset 2.
  await page.getByLabel('Partition', { exact: true }).selectOption('1');
  await page.getByLabel('From').selectOption('timestamp');
  await page.getByLabel('Time (local)').fill(await localDateTime(page, boundary));
  await page.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(page.getByRole('status', { name: 'Messages read' })).toHaveText('2 messages read');
  await expect(table.getByRole('row').nth(1)).toHaveAccessibleName('Message 1@2');
  await expect(table.getByRole('row', { name: 'Message 1@3' }).getByRole('cell', { name: 'Key' })).toHaveText('late-2');

  // Newest 1 per partition, then paging forward finds what arrives later.
  await page.getByLabel('Partition', { exact: true }).selectOption('');
  await page.getByLabel('From').selectOption('newest');
  await page.getByLabel('Per partition').fill('1');
  await page.getByRole('button', { name: 'Read', exact: true }).click();
  await expect(table.getByRole('row')).toHaveCount(4);
  await expect(table.getByRole('row').nth(1)).toHaveAccessibleName('Message 0@3');
  await expect(table.getByRole('row').nth(2)).toHaveAccessibleName('Message 1@3');
  await expect(table.getByRole('row').nth(3)).toHaveAccessibleName('Message 2@0');
  await page.getByRole('button', { name: 'Next page' }).click();
  await expect(page.getByRole('button', { name: 'Check for newer messages' })).toBeVisible();

  // Live tail: a message produced after the tail started shows up.
  await page.getByRole('button', { name: 'Live tail' }).click();
  await expect(page.getByRole('status', { name: 'Live tail status' })).toContainText('waiting for messages produced from now on');
  // Let the first long poll take its position at the end of the log before producing.
  await page.waitForTimeout(1_500);
  await produceWithKafkajs(bootstrap, TOPIC, [{ partition: 2, key: 'tail-key', value: '{"tailed":true}', headers: { origin: 'kafkajs' } }]);
  const live = page.getByRole('table', { name: `Live messages of ${TOPIC}` });
  await expect(live.getByRole('row', { name: 'Message 2@1', exact: true }).getByRole('cell', { name: 'Key' })).toHaveText('tail-key', { timeout: 20_000 });
  await page.getByRole('button', { name: 'Pause' }).click();
  await expect(page.getByRole('status', { name: 'Live tail status' })).toContainText('Paused');
  await screenshotBothThemes(page, 'topic-live-tail');
  await page.getByRole('button', { name: 'Resume' }).click();

  // Produce from the UI; JSON checking refuses a broken value first.
  await page.getByRole('button', { name: 'Produce message…' }).click();
  const form = page.getByRole('form', { name: 'Produce a message' });
  await form.getByLabel('Partition').selectOption('2');
  await form.getByLabel('Key').fill('ui-key');
  await form.getByLabel('Value', { exact: true }).fill('{"from": "ui", ');
  await form.getByLabel('Value must be valid JSON').check();
  await form.getByRole('button', { name: 'Add header' }).click();
  await form.getByLabel('Header 1 name').fill('made-by');
  await form.getByLabel('Header 1 value').fill('samsa-ui');
  await form.getByRole('button', { name: 'Produce', exact: true }).click();
  await expect(form.getByRole('alert')).toHaveText('The value is not valid JSON');
  await form.getByLabel('Value', { exact: true }).fill('{"from": "ui", "n": 1}');
  await screenshotBothThemes(page, 'topic-produce-form', ['light', 'dark']);
  await form.getByRole('button', { name: 'Produce', exact: true }).click();
  const produced = form.getByRole('status', { name: 'Produced' });
  await expect(produced).toContainText('Produced to partition 2 at offset 2');
  await expect(produced.getByLabel('Equivalent Kafka command', { exact: true })).toContainText(`kafka-console-producer.sh --bootstrap-server ${bootstrap} --topic ${TOPIC} --property partition=2`);
  // The running tail sees it too.
  await expect(live.getByRole('row', { name: 'Message 2@2', exact: true })).toBeVisible({ timeout: 20_000 });

  const [read] = await kcatConsume(bootstrap, TOPIC, 2, 2, 1);
  expect(read).toMatchObject({ partition: 2, offset: 2, key: 'ui-key', payload: '{"from": "ui", "n": 1}', headers: ['made-by', 'samsa-ui'] });
  expect(errors).toEqual([]);
});

const CONFIG_TOPIC = 'billing.invoices';

test('edits a config with preview, shows the broker refusing a bad one, adds partitions and deletes records, checked with kafka-python and kcat', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: CONFIG_TOPIC, partitions: 3, replicationFactor: 2, configs: { 'cleanup.policy': 'delete' } });
  await produceWithKafkajs(bootstrap, CONFIG_TOPIC, [
    ...Array.from({ length: 6 }, (_, index) => ({ partition: 0, key: `a${index}`, value: `v${index}` })),
    ...Array.from({ length: 4 }, (_, index) => ({ partition: 1, key: `b${index}`, value: `v${index}` })),
    ...Array.from({ length: 2 }, (_, index) => ({ partition: 2, key: `c${index}`, value: `v${index}` })),
  ]);
  await openTopic(page, app.url, CONFIG_TOPIC);

  // Configs: every config with its source; edit retention.ms with a local check, a broker-checked preview, then apply.
  await page.getByRole('tab', { name: 'Configs' }).click();
  const configs = page.getByRole('table', { name: `Configs of ${CONFIG_TOPIC}` });
  const retention = configs.getByRole('row', { name: 'retention.ms', exact: true });
  await expect(retention.getByRole('cell', { name: 'Value' })).toHaveText('604800000 · 7 days');
  await expect(retention.getByLabel('Source')).toHaveText('default');
  await expect(configs.getByRole('row', { name: 'cleanup.policy', exact: true }).getByLabel('Source')).toHaveText('topic override');
  await screenshotBothThemes(page, 'topic-configs');
  await retention.getByRole('button', { name: 'Edit retention.ms' }).click();
  const editor = page.getByRole('form', { name: 'Change retention.ms' });
  await editor.getByLabel('New value').fill('one day');
  await expect(editor.getByText('retention.ms is a whole number')).toBeVisible();
  await expect(editor.getByRole('button', { name: 'Review change' })).toBeDisabled();
  await editor.getByLabel('New value').fill('86400000');
  await editor.getByRole('button', { name: 'Review change' }).click();
  const preview = editor.getByLabel('Change preview');
  await expect(preview).toContainText('retention.ms: 604800000 → 86400000');
  await expect(preview.getByLabel('Equivalent Kafka command', { exact: true })).toHaveText(
    `kafka-configs.sh --bootstrap-server ${bootstrap} --alter --entity-type topics --entity-name ${CONFIG_TOPIC} --add-config retention.ms=86400000`,
  );
  // The preview changed nothing yet.
  expect((await pythonTopicConfigs(bootstrap, CONFIG_TOPIC))['retention.ms']?.value).toBe('604800000');
  await screenshotBothThemes(page, 'topic-config-preview');
  await editor.getByRole('button', { name: 'Apply change' }).click();
  await expect(page.getByRole('status', { name: 'Config changed' })).toContainText('retention.ms: 604800000 → 86400000');
  await expect(retention.getByRole('cell', { name: 'Value' })).toHaveText('86400000 · 1 day');
  await expect(retention.getByLabel('Source')).toHaveText('topic override');
  expect((await pythonTopicConfigs(bootstrap, CONFIG_TOPIC))['retention.ms']).toEqual({ value: '86400000', source: 1 });

  // A config the UI has no rules for goes to the broker, whose INVALID_CONFIG shows inline and changes nothing.
  await page.getByRole('button', { name: 'Override another config…' }).click();
  await page.getByLabel('Config name').fill('retention.msec');
  await page.getByRole('button', { name: 'Edit', exact: true }).click();
  const unknown = page.getByRole('form', { name: 'Change retention.msec' });
  await unknown.getByLabel('New value').fill('5');
  await unknown.getByRole('button', { name: 'Review change' }).click();
  await expect(unknown.getByRole('alert')).toContainText('INVALID_CONFIG');
  await expect(unknown.getByRole('alert')).toContainText('retention.msec');
  await screenshotBothThemes(page, 'topic-config-broker-error', ['light']);
  await unknown.getByRole('button', { name: 'Cancel' }).click();
  const after = await pythonTopicConfigs(bootstrap, CONFIG_TOPIC);
  expect(after['retention.msec']).toBeUndefined();
  expect(after['retention.ms']?.value).toBe('86400000');

  // Reset the override: back to the default.
  await retention.getByRole('button', { name: 'Reset retention.ms to default' }).click();
  const reset = page.getByRole('form', { name: 'Change retention.ms' });
  await reset.getByRole('button', { name: 'Review change' }).click();
  await expect(reset.getByLabel('Equivalent Kafka command', { exact: true })).toContainText('--delete-config retention.ms');
  await reset.getByRole('button', { name: 'Apply change' }).click();
  await expect(retention.getByLabel('Source')).toHaveText('default');
  expect((await pythonTopicConfigs(bootstrap, CONFIG_TOPIC))['retention.ms']).toEqual({ value: '604800000', source: 5 });

  // Add partitions: fewer is refused, more shows the key warning and the command, then needs the typed name.
  await page.getByRole('tab', { name: 'Partitions' }).click();
  await page.getByRole('button', { name: 'Add partitions…' }).click();
  await page.getByLabel('New partition count (now 3)').fill('2');
  await expect(page.getByText('More than the current 3: Kafka cannot remove partitions')).toBeVisible();
  await page.getByLabel('New partition count (now 3)').fill('5');
  await expect(page.getByRole('note', { name: 'Key ordering warning' })).toContainText('Keys will move.');
  await expect(page.getByLabel('Equivalent Kafka command', { exact: true })).toHaveText(`kafka-topics.sh --bootstrap-server ${bootstrap} --alter --topic ${CONFIG_TOPIC} --partitions 5`);
  const confirmAdd = page.getByRole('form', { name: `Add partitions ${CONFIG_TOPIC}?` });
  await expect(confirmAdd.getByRole('button', { name: 'Add partitions' })).toBeDisabled();
  await screenshotBothThemes(page, 'topic-add-partitions');
  await confirmAdd.getByLabel(`Type ${CONFIG_TOPIC} to confirm`).fill(CONFIG_TOPIC);
  await confirmAdd.getByRole('button', { name: 'Add partitions' }).click();
  await expect(page.getByRole('status', { name: 'Topic changed' })).toContainText(`${CONFIG_TOPIC} now has 5 partitions`);
  await expect(page.getByRole('table', { name: `Partitions of ${CONFIG_TOPIC}` }).getByRole('row', { name: /^Partition \d$/ })).toHaveCount(5);
  await expect.poll(async () => (await kcatMetadata(bootstrap)).topics.find((topic) => topic.topic === CONFIG_TOPIC)?.partitions.length, { timeout: 20_000 }).toBe(5);

  // Delete records: partition 0 below offset 4, partition 1 below 1; the preview counts what goes.
  await page.getByRole('button', { name: 'Delete records…' }).click();
  await page.getByLabel('Records below an offset, per partition').check();
  const plan = page.getByRole('table', { name: 'Records to delete' });
  for (const partition of [2, 3, 4]) await plan.getByLabel(`Include partition ${partition}`).uncheck();
  await plan.getByLabel('Offset for partition 0').fill('9');
  await expect(plan.getByText('between 0 and 6')).toBeVisible();
  await plan.getByLabel('Offset for partition 0').fill('4');
  await plan.getByLabel('Offset for partition 1').fill('1');
  await expect(plan.getByRole('row', { name: 'Partition 0' }).getByRole('cell', { name: 'Records deleted' })).toHaveText('4');
  await expect(plan.getByRole('row', { name: 'Partition 1' }).getByRole('cell', { name: 'Records deleted' })).toHaveText('1');
  await expect(page.getByRole('status', { name: 'Delete records summary' })).toHaveText('5 records will be deleted from 2 partitions.');
  const command = page.getByLabel('Equivalent Kafka command', { exact: true });
  await expect(command).toContainText(`{"version":1,"partitions":[{"topic":"${CONFIG_TOPIC}","partition":0,"offset":4},{"topic":"${CONFIG_TOPIC}","partition":1,"offset":1}]}`);
  await expect(command).toContainText(`kafka-delete-records.sh --bootstrap-server ${bootstrap} --offset-json-file delete-records.json`);
  await screenshotBothThemes(page, 'topic-delete-records');
  const confirmDelete = page.getByRole('form', { name: `Delete records ${CONFIG_TOPIC}?` });
  await confirmDelete.getByLabel(`Type ${CONFIG_TOPIC} to confirm`).fill(CONFIG_TOPIC);
  await confirmDelete.getByRole('button', { name: 'Delete records' }).click();
  await expect(page.getByRole('status', { name: 'Topic changed' })).toContainText('log start offsets now 0: 4, 1: 1');
  expect(await pythonBeginningOffsets(bootstrap, CONFIG_TOPIC, [0, 1, 2])).toEqual({ '0': 4, '1': 1, '2': 0 });
  const [firstKept] = await kcatConsume(bootstrap, CONFIG_TOPIC, 0, 'beginning', 1);
  expect(firstKept).toMatchObject({ offset: 4, key: 'a4' });

  // The audit log has each change with its command.
  const audit = (await readFile(`${app.dataDir}/audit.jsonl`, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { change: { kind: string }; outcome: string });
  expect(audit.map((entry) => `${entry.change.kind}:${entry.outcome}`)).toEqual(
    expect.arrayContaining(['alter-topic-configs:done', 'add-partitions:done', 'delete-records:done']),
  );
  expect(errors).toEqual([]);
});

test('the API refuses partition and record changes without the typed topic name, and reads beyond its bounds', async ({ app }) => {
  const call = async (method: string, input: unknown) => {
    const response = await fetch(`${app.url}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method, input }) });
    return { status: response.status, body: (await response.json()) as { ok: boolean; error?: { code: string; message: string } } };
  };
  const add = await call('topics.addPartitions', { clusterId: 'embedded', topic: 'orders', totalPartitions: 6, confirmation: 'order' });
  expect(add).toMatchObject({ status: 400, body: { ok: false, error: { code: 'invalid-input', message: 'Invalid input for topics.addPartitions: confirmation: Type the topic name exactly to confirm' } } });
  const remove = await call('topics.deleteRecords', { clusterId: 'embedded', topic: 'orders', offsets: [{ partition: 0, offset: -1 }], confirmation: '' });
  expect(remove.body.error?.message).toBe('Invalid input for topics.deleteRecords: confirmation: Type the topic name exactly to confirm');
  const read = await call('messages.read', { clusterId: 'embedded', topic: 'orders', partition: null, start: { kind: 'earliest' }, limit: 5000, waitMs: 60_000 });
  expect(read.body.error?.code).toBe('invalid-input');
  expect(read.body.error?.message).toContain('limit: At most 500 messages per read');
  expect(read.body.error?.message).toContain('waitMs');
  const produce = await call('messages.produce', { clusterId: 'embedded', topic: 'orders', partition: null, key: null, value: '{oops', headers: [], valueFormat: 'json' });
  expect(produce.body.error?.message).toBe('Invalid input for messages.produce: value: The value is not valid JSON');
});
