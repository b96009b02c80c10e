import type { Page } from '@playwright/test';

/**
 * Console errors include CSP violations and failed asset loads, which would otherwise pass
 * unnoticed. Chromium also logs every API call answered with an error status; those the
 * pages show to the user (a refused input, an unreachable cluster: 4xx, 501-503) are
 * expected in some tests and let through. A 500 is a back end bug and is not.
 */
export function collectConsoleErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    const shownCallFailure = message.location().url.endsWith('/api/call') && /status of (4\d\d|50[123])/.test(message.text());
    if (message.type() === 'error' && !shownCallFailure) errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}
