import type { Page, Route } from '@playwright/test';

/**
 * Holds the page's calls of one API method (those whose input `matches`, when given) on their
 * way to the real back end until released, so a test can look at what the page shows while
 * that read is slow (as the costly reads are on a cluster of 10,000 topics); released, they
 * go through unchanged.
 */
export async function holdApiCalls(page: Page, method: string, matches: (input: Record<string, unknown>) => boolean = () => true): Promise<() => Promise<void>> {
  const held: Route[] = [];
  let released = false;
  await page.route('**/api/call', async (route) => {
    const body = route.request().postDataJSON() as { method?: unknown; input?: Record<string, unknown> } | null;
    if (!released && body?.method === method && matches(body.input ?? {})) held.push(route);
    else await route.continue();
  });
  return async () => {
    released = true;
    await Promise.all(held.splice(0).map((route) => route.continue()));
  };
}
