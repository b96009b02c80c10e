import type { Page } from '@playwright/test';
import { collectConsoleErrors } from './consoleErrors';
import { expect, test } from './fixtures';
import { holdApiCalls } from './heldCalls';
import { commitGroupOffsets, produce } from './kafkaClients';
import { screenshotBothThemes } from './screens';

// Issue 7, "lag computed for what is visible": with more groups than the table shows, the
// Groups page reads the lag of the rows in view (and a few around them), then of the rows
// scrolled to; every group's lag is read only when the table is sorted by it.

const GROUPS = 120;
const MESSAGES = 200;
const names = Array.from({ length: GROUPS }, (_, index) => `fleet-${String(index).padStart(3, '0')}`);
/** Distinct lags (37 is invertible mod 200), so sorting by lag has one right order. */
const lagOf = (index: number) => (index * 37) % MESSAGES;
const expectedLag = new Map(names.map((name, index) => [name, lagOf(index)]));
/** More than the rows in view plus the page's margin around them, far fewer than all groups. */
const AROUND_VIEW = 40;

/** The `groups` each groups.lag call of the page named, in order; null for a call naming none (every group). */
function recordLagCalls(page: Page): (string[] | null)[] {
  const calls: (string[] | null)[] = [];
  page.on('request', (request) => {
    if (!request.url().endsWith('/api/call')) return;
    const body = request.postDataJSON() as { method?: string; input?: { groups?: string[] } } | null;
    if (body?.method === 'groups.lag') calls.push(body.input?.groups ?? null);
  });
  return calls;
}

const rowAt = (page: Page, position: number) => page.getByRole('table', { name: 'Consumer groups' }).locator(`tbody tr[aria-rowindex="${position + 2}"]`);

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

test('with more groups than fit, lag is read for the rows in view, then for the rows scrolled to; sorting by lag reads every group and orders them', async ({ page, app }) => {
  test.setTimeout(240_000);
  const errors = collectConsoleErrors(page);
  const status = await app.call('embedded.start', { brokers: 3, port: 0, groupInitialRebalanceDelayMs: 0 });
  const bootstrap = status.bootstrapServers.join(',');
  await app.call('topics.create', { clusterId: 'embedded', name: 'orders', partitions: 1, replicationFactor: 3 });
  await produce(bootstrap, 'orders', { 0: MESSAGES });
  await commitGroupOffsets(
    bootstrap,
    names.map((group, index) => ({ group, topic: 'orders', offsets: { 0: MESSAGES - lagOf(index) } })),
  );
  const calls = recordLagCalls(page);

  await page.goto(`${app.url}/#/groups`);
  const table = page.getByRole('table', { name: 'Consumer groups' });
  await expect(table).toHaveAttribute('aria-rowcount', String(GROUPS + 1), { timeout: 30_000 });
  const lagCell = (group: string) => table.getByRole('row').filter({ has: page.getByRole('link', { name: group, exact: true }) }).getByRole('cell', { name: 'Total lag' });
  for (const group of names.slice(0, 8)) await expect(lagCell(group)).toHaveText(String(expectedLag.get(group)), { timeout: 20_000 });
  await expect(page.getByRole('status', { name: 'Total lag column' })).toHaveText('Total lag loaded.');

  // Only (about) the rows in view were asked for: never every group, never the end of the list.
  const beforeScroll = calls.slice();
  expect(beforeScroll.length).toBeGreaterThan(0);
  expect(beforeScroll).not.toContain(null);
  const askedFirst = new Set(beforeScroll.flatMap((groups) => groups ?? []));
  expect(askedFirst.size).toBeLessThanOrEqual(AROUND_VIEW);
  for (const group of askedFirst) expect(names.indexOf(group)).toBeLessThan(AROUND_VIEW);
  expect(askedFirst).toContain('fleet-000');
  await screenshotBothThemes(page, 'groups-many-in-view');

  // The poll refreshes the rows in view, again by name: no tick reads every group.
  await expect.poll(() => calls.length, { timeout: 30_000 }).toBeGreaterThan(beforeScroll.length);
  const polled = calls.slice(beforeScroll.length);
  expect(polled).not.toContain(null);
  for (const group of polled.flatMap((groups) => groups ?? [])) expect(names.indexOf(group)).toBeLessThan(AROUND_VIEW);
  const beforeEnd = calls.length;

  // To the bottom with the keyboard: the rows now in view get their lag, asked for by name.
  await rowAt(page, 0).focus();
  await page.keyboard.press('End');
  await expect(rowAt(page, GROUPS - 1)).toBeFocused();
  for (const group of names.slice(-6)) await expect(lagCell(group)).toHaveText(String(expectedLag.get(group)), { timeout: 20_000 });
  const afterScroll = calls.slice(beforeEnd);
  expect(afterScroll).not.toContain(null);
  // (A poll of the rows at the top may still have gone out as the keys were pressed.)
  const readAtEnd = afterScroll.filter((groups) => groups?.includes('fleet-119'));
  expect(readAtEnd.length).toBeGreaterThan(0);
  for (const group of readAtEnd.flat()) expect(names.indexOf(group!)).toBeGreaterThanOrEqual(GROUPS - AROUND_VIEW);
  await screenshotBothThemes(page, 'groups-many-scrolled', ['light']);
  // Back to the top (the full-page screenshot may have moved the table's scroll: from any row rendered).
  await table.locator('tbody tr[data-row-index]').first().focus();
  await page.keyboard.press('Home');
  await expect(rowAt(page, 0)).toBeFocused();

  // Sorting by lag needs every group: the page says so, and keeps the rows in name order until then.
  const release = await holdApiCalls(page, 'groups.lag', (input) => input.groups === undefined);
  const callsBeforeSort = calls.length;
  await page.getByRole('button', { name: 'Total lag' }).click();
  const header = page.getByRole('columnheader', { name: 'Total lag' });
  await expect(header).toHaveAttribute('aria-sort', 'descending');
  await expect(header).toHaveAttribute('aria-busy', 'true');
  await expect(page.getByRole('status', { name: 'Total lag column' })).toHaveText(
    `Reading the lag of ${GROUPS} groups to sort by Total lag; the rows stay in name order until then…`,
  );
  for (let position = 0; position < 3; position++) await expect(rowAt(page, position).getByRole('link')).toHaveText(names[position]!);
  expect(calls.slice(callsBeforeSort)).toContain(null);
  await screenshotBothThemes(page, 'groups-sorting-by-lag');

  await release();
  await expect(page.getByRole('status', { name: 'Total lag column' })).toHaveText('Total lag loaded.', { timeout: 20_000 });
  await expect(header).toHaveAttribute('aria-busy', 'false');
  const byLag = [...names].sort((a, b) => expectedLag.get(b)! - expectedLag.get(a)!);
  for (let position = 0; position < 6; position++) {
    await expect(rowAt(page, position).getByRole('link')).toHaveText(byLag[position]!);
    await expect(rowAt(page, position).getByRole('cell', { name: 'Total lag' })).toHaveText(String(expectedLag.get(byLag[position]!)));
  }
  await screenshotBothThemes(page, 'groups-sorted-by-lag');

  // The keyboard follows the sorted order: End reaches the smallest lag, Enter opens a group.
  await rowAt(page, 0).focus();
  await page.keyboard.press('End');
  await expect(rowAt(page, GROUPS - 1)).toBeFocused();
  await expect(rowAt(page, GROUPS - 1).getByRole('link')).toHaveText(byLag.at(-1)!);
  await expect(rowAt(page, GROUPS - 1).getByRole('cell', { name: 'Total lag' })).toHaveText('0');
  await page.keyboard.press('Home');
  await expect(rowAt(page, 0)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(rowAt(page, 1)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Consumer group ${byLag[1]}`);
  expect(errors).toEqual([]);
});
