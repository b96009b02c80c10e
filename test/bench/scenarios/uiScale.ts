import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { chromium, type Page } from 'playwright';
import { root } from '../cluster';
import { figure, type Figure } from '../figure';

/**
 * ui_scale (issue 8, issue 7 "Scale"): the app in browser mode (`samsa ui`, as the e2e tests
 * start it) pointed at a loaded cluster, driven in Debian Chromium. For the topics and the
 * groups page it measures:
 * - interactive: from navigation to the first rows rendered AND a character typed into the
 *   search box reflected in the filtered rows (the table's aria-rowcount);
 * - filter: from a keypress to the filtered table showing the new row count, median over the
 *   keystrokes of typing a name's digits and deleting them again;
 * - memory: the page's JS heap (CDP Performance.getMetrics JSHeapUsedSize) and the resident
 *   memory of its renderer process (/proc), after both pages were used.
 * The baseline is the same measurement on an almost empty cluster, in the same run.
 */
export interface UiTarget {
  bootstrap: string;
  topics: readonly string[];
  groups: readonly string[];
}

export interface UiSamples {
  topicsInteractive: number[];
  topicsFilter: number[];
  groupsInteractive: number[];
  groupsFilter: number[];
  heapMiB: number[];
  rendererMiB: number[];
}

const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const BOUND_MS = 120_000;
/** Matches no topic or group name: typing it must empty the table. */
const PROBE = 'x';

interface RunningUi {
  url: string;
  child: ChildProcess;
  dataDir: string;
}

async function startUi(work: string, name: string): Promise<RunningUi> {
  const dataDir = fs.mkdtempSync(path.join(work, `ui-${name}-`));
  const child = spawn(process.execPath, [path.join(root, 'dist/node/samsa.js'), 'ui', '--no-open', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SAMSA_NO_EMBEDDED_AUTOSTART: '1' },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`samsa ui printed no URL within 15 s: ${stderr}`)), 15_000);
    child.once('exit', (code) => reject(new Error(`samsa ui exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^Samsa is running at (http:\/\/127\.0\.0\.1:\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
  });
  return { url, child, dataDir };
}

async function call<T>(url: string, method: string, input: unknown): Promise<T> {
  const response = await fetch(`${url}/api/call`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ method, input }), signal: AbortSignal.timeout(BOUND_MS) });
  const body = (await response.json()) as { ok: boolean; value?: T; error?: { message: string } };
  if (!body.ok) throw new Error(`${method}: ${body.error?.message ?? 'failed'}`);
  return body.value as T;
}

const elapsedSince = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

function matching(names: readonly string[], search: string): number {
  const needle = search.trim().toLowerCase();
  return needle === '' ? names.length : names.filter((name) => name.toLowerCase().includes(needle)).length;
}

/** Waits until the table shows `rows` rows (aria-rowcount counts the header row), or the empty note when 0. */
async function waitForRows(page: Page, table: string, rows: number): Promise<void> {
  await page.waitForFunction(
    ({ table, rows }) => {
      const element = document.querySelector(`table[aria-label="${table}"]`);
      if (rows === 0) return element === null && document.querySelector('.empty-inline') !== null;
      return element !== null && element.getAttribute('aria-rowcount') === String(rows + 1) && element.querySelector('tbody tr[aria-rowindex]') !== null;
    },
    { table, rows },
    { timeout: BOUND_MS, polling: 'raf' },
  );
}

interface PageSpec {
  hash: string;
  table: string;
  search: string;
  names: readonly string[];
}

/** Navigation to first rows plus a typed character reflected: the page is usable. */
async function timeToInteractive(page: Page, spec: PageSpec, url: string): Promise<number> {
  await page.goto(`${url}/#/overview`);
  await page.getByRole('heading', { level: 1 }).first().waitFor({ timeout: BOUND_MS }).catch(() => undefined);
  const started = process.hrtime.bigint();
  await page.evaluate((hash) => (window.location.hash = hash), spec.hash);
  await page.waitForSelector(`table[aria-label="${spec.table}"] tbody tr[aria-rowindex]`, { timeout: BOUND_MS });
  await page.getByRole('searchbox', { name: spec.search }).fill(PROBE);
  await waitForRows(page, spec.table, matching(spec.names, PROBE));
  const interactive = elapsedSince(started);
  await page.getByRole('searchbox', { name: spec.search }).fill('');
  await waitForRows(page, spec.table, spec.names.length);
  return interactive;
}

/** Types the digits of a name in the middle of the list one key at a time, then deletes them. */
async function filterLatencies(page: Page, spec: PageSpec): Promise<number[]> {
  const sample = spec.names[Math.floor(spec.names.length / 2)] ?? '';
  const digits = /(\d+)$/.exec(sample)?.[1]?.replace(/^0+/, '').slice(-3) || sample.slice(-3);
  const box = page.getByRole('searchbox', { name: spec.search });
  await box.click();
  const latencies: number[] = [];
  let typed = '';
  const press = async (key: string, next: string) => {
    const before = matching(spec.names, typed);
    const after = matching(spec.names, next);
    const started = process.hrtime.bigint();
    await page.keyboard.press(key);
    await waitForRows(page, spec.table, after);
    // A keystroke that does not change the matches changes nothing to wait for: not a sample.
    if (after !== before) latencies.push(elapsedSince(started));
    typed = next;
  };
  for (const digit of digits) await press(digit, typed + digit);
  while (typed.length > 0) await press('Backspace', typed.slice(0, -1));
  return latencies;
}

async function memory(page: Page): Promise<{ heapMiB: number; rendererMiB: number }> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('HeapProfiler.collectGarbage');
  await cdp.send('Performance.enable');
  const { metrics } = await cdp.send('Performance.getMetrics');
  const heap = metrics.find((metric) => metric.name === 'JSHeapUsedSize')?.value ?? 0;
  await cdp.detach();
  return { heapMiB: heap / 2 ** 20, rendererMiB: largestRendererRssMiB() };
}

/** The page's renderer is the largest `--type=renderer` process among this process's descendants. */
function largestRendererRssMiB(): number {
  const children = new Map<number, number[]>();
  const info = new Map<number, { cmdline: string; rssKiB: number }>();
  for (const entry of fs.readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const ppid = Number(/PPid:\s+(\d+)/.exec(status)?.[1] ?? 0);
      const rssKiB = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
      info.set(pid, { cmdline: fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'), rssKiB });
      children.set(ppid, [...(children.get(ppid) ?? []), pid]);
    } catch {
      // The process ended while we looked.
    }
  }
  let largest = 0;
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      const process = info.get(child)!;
      if (process.cmdline.includes('--type=renderer')) largest = Math.max(largest, process.rssKiB);
      visit(child);
    }
  };
  visit(process.pid);
  return largest / 1024;
}

/** Measures the app against `target` in `runs` fresh page loads. */
export async function measureUi(work: string, name: string, target: UiTarget, runs: number): Promise<UiSamples> {
  const ui = await startUi(work, name);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const samples: UiSamples = { topicsInteractive: [], topicsFilter: [], groupsInteractive: [], groupsFilter: [], heapMiB: [], rendererMiB: [] };
  try {
    const cluster = await call<{ id: string }>(ui.url, 'clusters.add', { name: `bench ${name}`, bootstrapServers: target.bootstrap.split(','), security: { protocol: 'PLAINTEXT' } });
    const topics: PageSpec = { hash: '#/topics', table: 'Topics', search: 'Search topics', names: target.topics };
    const groups: PageSpec = { hash: '#/groups', table: 'Consumer groups', search: 'Search groups', names: target.groups };
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript((id) => window.localStorage.setItem('samsa.selectedCluster', id), cluster.id);
      const page = await context.newPage();
      samples.topicsInteractive.push(await timeToInteractive(page, topics, ui.url));
      samples.topicsFilter.push(...(await filterLatencies(page, topics)));
      samples.groupsInteractive.push(await timeToInteractive(page, groups, ui.url));
      samples.groupsFilter.push(...(await filterLatencies(page, groups)));
      const used = await memory(page);
      samples.heapMiB.push(used.heapMiB);
      samples.rendererMiB.push(used.rendererMiB);
      await context.close();
      process.stderr.write(`bench: ui_scale (${name}) run ${run + 1}/${runs}\n`);
    }
  } finally {
    await browser.close();
    ui.child.kill('SIGTERM');
    if (ui.child.exitCode === null) await once(ui.child, 'exit');
    fs.rmSync(ui.dataDir, { recursive: true, force: true });
  }
  return samples;
}

export function uiFigures(scale: string, loaded: UiSamples, empty: UiSamples): Figure[] {
  const baseline = 'same, almost empty cluster';
  return [
    figure(`ui_scale: topics page interactive (${scale})`, 'ms', loaded.topicsInteractive, baseline, empty.topicsInteractive),
    figure(`ui_scale: topics filter while typing (${scale})`, 'ms', loaded.topicsFilter, baseline, empty.topicsFilter),
    figure(`ui_scale: groups page interactive (${scale})`, 'ms', loaded.groupsInteractive, baseline, empty.groupsInteractive),
    figure(`ui_scale: groups filter while typing (${scale})`, 'ms', loaded.groupsFilter, baseline, empty.groupsFilter),
    figure(`ui_scale: renderer JS heap (${scale})`, 'MiB', loaded.heapMiB, baseline, empty.heapMiB),
    figure(`ui_scale: renderer process RSS (${scale})`, 'MiB', loaded.rendererMiB, baseline, empty.rendererMiB),
  ];
}
