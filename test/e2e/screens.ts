import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';

export const SCREENSHOTS = join(import.meta.dirname, '..', '..', 'test-results', 'screenshots');

export type Theme = 'light' | 'dark';

/** Switches the app's theme with its own toggle (the choice it keeps), if not already set. */
export async function useTheme(page: Page, theme: Theme): Promise<void> {
  if ((await page.locator('html').getAttribute('data-theme')) === theme) return;
  await page.getByRole('button', { name: `Switch to ${theme} theme` }).click();
}

/** Saves the page as test-results/screenshots/<name>-<theme>.png for each theme, ending in light. */
export async function screenshotBothThemes(page: Page, name: string, themes: readonly Theme[] = ['light', 'dark']): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  for (const theme of themes) {
    await useTheme(page, theme);
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${theme}.png`), fullPage: true });
  }
  await useTheme(page, 'light');
}

/** A section's entry in the sidebar (pages link to sections too, under longer names). */
export function nav(page: Page, section: string): Locator {
  return page.getByRole('navigation', { name: 'Sections' }).getByRole('link', { name: section, exact: true });
}
