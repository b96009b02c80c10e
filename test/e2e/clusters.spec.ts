import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { expect, test } from './fixtures';
import { collectConsoleErrors } from './consoleErrors';
import { screenshotBothThemes } from './screens';

test.beforeEach(async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
});

/** A port nothing listens on: bound once by us, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const PASSWORD = 'hunter2-not-in-plain-json';

test('test connection reports a closed port clearly and the embedded cluster with its id and brokers; a saved password stays out of clusters.json; a cluster can be edited', async ({ page, app }) => {
  test.setTimeout(180_000);
  const errors = collectConsoleErrors(page);
  await page.goto(`${app.url}/#/clusters`);
  const form = page.getByRole('form', { name: 'Add a cluster' });

  const port = await closedPort();
  await form.getByLabel('Name', { exact: true }).fill('nowhere');
  await form.getByLabel('Bootstrap servers').fill(`127.0.0.1:${port}`);
  await form.getByRole('button', { name: 'Test connection' }).click();
  const failure = form.getByRole('alert');
  await expect(failure).toContainText('Unreachable.', { timeout: 20_000 });
  await expect(failure).toContainText('check the bootstrap servers');
  await expect(failure).toContainText(String(port));
  await screenshotBothThemes(page, 'clusters-test-unreachable');

  const status = await app.call('embedded.start', { brokers: 3, port: 0 });
  const overview = await app.call('cluster.overview', { clusterId: 'embedded' });
  await form.getByLabel('Bootstrap servers').fill(status.bootstrapServers[0]!);
  await form.getByRole('button', { name: 'Test connection' }).click();
  await expect(form.getByRole('status')).toContainText(`Connected to cluster ${overview.clusterId}: 3 brokers`, { timeout: 20_000 });
  await expect(form.getByRole('status')).toContainText('Nothing was saved.');
  await screenshotBothThemes(page, 'clusters-test-ok');
  expect((await app.call('clusters.list', {})).filter((entry) => entry.kind === 'saved')).toEqual([]);

  // SASL: the password goes to the user-only secrets file, never to clusters.json.
  await form.getByLabel('Name', { exact: true }).fill('secured');
  await form.getByLabel('Security protocol').selectOption('SASL_PLAINTEXT');
  await form.getByLabel('SASL mechanism').selectOption('SCRAM-SHA-256');
  await form.getByLabel('SASL username').fill('alice');
  await form.getByRole('button', { name: 'Save cluster' }).click();
  await expect(form.getByText('Enter the SASL password')).toBeVisible();
  await form.getByLabel('SASL password').fill(PASSWORD);
  const secretsPath = join(app.dataDir, 'secrets.json');
  await expect(form.getByRole('note')).toContainText(`Passwords are kept unencrypted in ${secretsPath}, readable only by your user account (mode 0600)`);
  await screenshotBothThemes(page, 'clusters-form-sasl');
  await form.getByRole('button', { name: 'Save cluster' }).click();
  const row = page.getByRole('row').filter({ hasText: 'secured' });
  await expect(row).toContainText('SASL_PLAINTEXT · SCRAM-SHA-256 as alice');
  await expect(row).toContainText('password saved');

  const clustersJson = await readFile(join(app.dataDir, 'clusters.json'), 'utf8');
  expect(clustersJson).toContain('alice');
  expect(clustersJson).not.toContain(PASSWORD);
  expect((await stat(secretsPath)).mode & 0o777).toBe(0o600);
  expect(await readFile(secretsPath, 'utf8')).toContain(PASSWORD);
  await expect(page.getByLabel('Where passwords are kept')).toContainText(secretsPath);

  // Edit: rename and keep the saved password (blank field).
  await row.getByRole('button', { name: 'Edit secured' }).click();
  const edit = page.getByRole('form', { name: 'Edit secured' });
  await expect(edit.getByLabel('SASL password')).toHaveAttribute('placeholder', 'Saved: leave blank to keep it');
  await expect(edit.getByLabel('SASL username')).toHaveValue('alice');
  await edit.getByLabel('Name', { exact: true }).fill('secured-eu');
  await screenshotBothThemes(page, 'clusters-edit');
  await edit.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('row').filter({ hasText: 'secured-eu' })).toContainText('password saved');
  await expect(page.getByRole('form', { name: 'Add a cluster' })).toBeVisible();
  expect(await readFile(secretsPath, 'utf8')).toContain(PASSWORD);
  await screenshotBothThemes(page, 'clusters-saved');
  expect(errors).toEqual([]);
});
