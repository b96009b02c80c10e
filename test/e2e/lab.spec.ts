import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Locator, Page } from '@playwright/test';
import { collectConsoleErrors } from './consoleErrors';
import { expect, test } from './fixtures';
import { kcatMetadata } from './kafkaClients';
import { screenshotBothThemes } from './screens';

const CLI = join(import.meta.dirname, '..', '..', 'dist', 'node', 'samsa.js');
const RUN_TIMEOUT_MS = 180_000;

/** The fields `samsa lab run --json` and the page must agree on. */
interface ReportJson {
  guarantee: string;
  expected: string | null;
  acknowledged: number;
  consumed: number;
  lost: number[];
  duplicates: number[];
  outOfOrder: number;
  abortedSeen: number[];
  explanation: string;
  fault: { kind: string; injected: boolean };
  topics: { input: string; output: string | null };
}

/** A tile's number, read from its accessible name ("Lost: 0"), as a screen reader hears it. */
async function tileValue(tiles: Locator, label: string): Promise<number> {
  const name = await tiles.getByRole('listitem', { name: new RegExp(`^${label}: `) }).getAttribute('aria-label');
  return Number(name!.slice(label.length + 2).replaceAll(',', ''));
}

async function idCount(page: Page, label: string): Promise<number> {
  const heading = await page.getByRole('heading', { name: new RegExp(`^${label} \\(`) }).textContent();
  return Number(/\((\d[\d,]*)\)/.exec(heading!)![1]!.replaceAll(',', ''));
}

/** Runs the command the page offers, as a user would paste it (samsa = the built CLI). */
async function runOfferedCommand(command: string): Promise<ReportJson> {
  const [program, ...args] = command.split(' ');
  expect(program).toBe('samsa');
  const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { timeout: RUN_TIMEOUT_MS, maxBuffer: 64 * 1024 * 1024 });
  return JSON.parse(stdout) as ReportJson;
}

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('the Lab page runs exactly-once under a consumer kill on the embedded cluster; its numbers equal its JSON and the CLI run of the command it offers', async ({ page, app }) => {
  test.setTimeout(480_000);
  const errors = collectConsoleErrors(page);
  // Short timeouts so faults play out in seconds, as on the CLI's throwaway cluster.
  const status = await app.call('embedded.start', { brokers: 3, port: 0, replicaLagTimeMaxMs: 3_000, brokerSessionTimeoutMs: 3_000, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');

  await page.goto(`${app.url}/#/lab`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Lab');
  const form = page.getByRole('form', { name: 'Set up a run' });
  await expect(form.getByRole('radio', { name: /^at-least-once/ })).toBeChecked();
  await expect(page.getByRole('list', { name: 'Cluster events, newest first' }).or(page.getByText('Nothing has happened yet'))).toBeVisible();

  // A run that is cancelled: the page says so, a second start is refused meanwhile, and the run leaves nothing behind.
  await form.getByLabel('Fault', { exact: true }).selectOption('none');
  await form.getByText('Adjust settings').click();
  await form.getByLabel('Records', { exact: true }).fill('50000');
  await form.getByRole('button', { name: 'Run' }).click();
  const run = page.getByRole('region', { name: /^Run [0-9a-f]+:/ });
  await expect(run.getByRole('status')).toHaveText('Running');
  await expect(form.getByRole('button', { name: 'Run' })).toBeDisabled();
  await expect(app.call('lab.start', { preset: 'at-most-once', fault: 'none' })).rejects.toThrow(/conflict: Lab run [0-9a-f]+ is still running; only one run at a time/);
  await expect(app.call('embedded.stop', {})).rejects.toThrow(/conflict: A lab run \([0-9a-f]+\) is using the embedded cluster: cancel it on the Lab page/);
  await expect(run.getByRole('listitem', { name: /^Acknowledged: [1-9]/ })).toBeVisible({ timeout: 60_000 });
  await run.getByRole('button', { name: 'Cancel run' }).click();
  await expect(run.getByRole('status')).toHaveText('Cancelled', { timeout: 60_000 });
  await expect(run.getByText("Cancelled. The cluster was healed and the run's topics deleted.")).toBeVisible();
  expect((await kcatMetadata(bootstrap)).topics.map((topic) => topic.topic).filter((name) => name.startsWith('samsa-lab-'))).toEqual([]);

  // The run compared with the CLI: exactly-once + kill-consumer has a fixed outcome.
  await form.getByRole('radio', { name: /^exactly-once/ }).check();
  await form.getByLabel('Fault', { exact: true }).selectOption('kill-consumer');
  await expect(form.getByText('Kafka predicts: no loss, no duplicates: the killed transaction is aborted and redone.')).toBeVisible();
  await form.getByLabel('Records', { exact: true }).fill('300');
  await expect(form.getByLabel('Consumer commits offsets')).toHaveValue('transactional');
  await screenshotBothThemes(page, 'lab-setup');
  await form.getByRole('button', { name: 'Run' }).click();
  await expect(run.getByRole('heading')).toContainText('exactly-once, kill the consumer mid-batch (SIGKILL)');
  await expect(run.getByRole('listitem', { name: /^Processed: [1-9]/ })).toBeVisible({ timeout: 60_000 });
  // The page scrolls inside its content area: bring the run into the picture.
  await run.scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'lab-running');
  await expect(run.getByRole('status')).toHaveText('Finished', { timeout: RUN_TIMEOUT_MS });
  const steps = run.getByRole('list', { name: 'Fault steps' });
  await expect(steps.getByRole('listitem').first()).toContainText(/kill \(SIGKILL\) consumer 0 in the middle of a batch/);
  await expect(page.getByRole('list', { name: 'Cluster events, newest first' })).toBeVisible();

  const result = page.getByRole('region', { name: 'Result' });
  const counts = result.getByRole('list', { name: 'Result counts' });
  const shown = {
    guarantee: (await result.getByLabel(/^Achieved guarantee: /).textContent())!,
    acknowledged: await tileValue(counts, 'Acknowledged'),
    consumed: await tileValue(counts, 'Consumed'),
    lost: await tileValue(counts, 'Lost'),
    duplicates: await tileValue(counts, 'Duplicates'),
    outOfOrder: await tileValue(counts, 'Out of order'),
    abortedSeen: await tileValue(counts, 'Aborted seen'),
    lostIds: await idCount(page, 'Lost ids'),
    duplicateIds: await idCount(page, 'Duplicate ids'),
  };
  await run.getByRole('img', { name: 'Acknowledged and processed records over time' }).scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'lab-result-chart');
  await result.scrollIntoViewIfNeeded();
  await screenshotBothThemes(page, 'lab-result');
  await result.getByRole('button', { name: 'Show JSON' }).click();
  const pageJson = JSON.parse((await result.getByLabel('Report JSON', { exact: true }).textContent())!) as ReportJson;

  // The numbers on the page are its own JSON's.
  expect(shown).toEqual({
    guarantee: pageJson.guarantee,
    acknowledged: pageJson.acknowledged,
    consumed: pageJson.consumed,
    lost: pageJson.lost.length,
    duplicates: pageJson.duplicates.length,
    outOfOrder: pageJson.outOfOrder,
    abortedSeen: pageJson.abortedSeen.length,
    lostIds: pageJson.lost.length,
    duplicateIds: pageJson.duplicates.length,
  });
  await expect(result.getByText(pageJson.explanation, { exact: true })).toBeVisible();
  // What Kafka's semantics predict for this scenario, so the comparison below is not between two wrong runs.
  expect(pageJson.fault.injected, pageJson.explanation).toBe(true);
  expect(pageJson).toMatchObject({ guarantee: 'exactly-once', expected: 'exactly-once', acknowledged: 300, consumed: 300, lost: [], duplicates: [], outOfOrder: 0, abortedSeen: [] });
  expect((await kcatMetadata(bootstrap)).topics.map((topic) => topic.topic)).not.toContain(pageJson.topics.input);

  // The same scenario from the terminal: the command the page offers, run as it is.
  const command = (await result.getByLabel('The same scenario from a terminal').textContent())!;
  expect(command).toBe('samsa lab run --preset exactly-once --fault kill-consumer --records 300 --json');
  const cliJson = await runOfferedCommand(command);
  const outcome = (report: ReportJson) => ({
    guarantee: report.guarantee,
    acknowledged: report.acknowledged,
    consumed: report.consumed,
    lost: report.lost,
    duplicates: report.duplicates,
    outOfOrder: report.outOfOrder,
    abortedSeen: report.abortedSeen,
    fault: report.fault.kind,
    injected: report.fault.injected,
  });
  expect(outcome(cliJson), cliJson.explanation).toEqual(outcome(pageJson));

  // With the cluster stopped the page says the lab needs it, and the last result is still there to read.
  await app.call('embedded.stop', {});
  await page.reload();
  await expect(page.getByRole('heading', { name: 'The embedded cluster is stopped' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('link', { name: 'Go to Clusters' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'Result' }).getByLabel(/^Achieved guarantee: /)).toHaveText(pageJson.guarantee);
  await expect(page.getByRole('form', { name: 'Set up a run' })).toHaveCount(0);
  await screenshotBothThemes(page, 'lab-cluster-stopped');
  expect(errors).toEqual([]);
});
