import { existsSync, mkdirSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium; CI installs it (.ci/run). */
export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * Whether the browser tests run: on a developer machine without Chromium they are skipped, but
 * under CI (CI=true, or CAIRN_REQUIRE_BROWSER=1 as .ci/run sets) a missing browser fails the
 * run instead of passing it silently.
 */
export function browserAvailable(env: NodeJS.ProcessEnv = process.env): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (env.CI === 'true' || env.CAIRN_REQUIRE_BROWSER === '1')
    throw new Error(`${CHROMIUM} is missing and CI requires it: apt-get install chromium`);
  return false;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/** Where screenshots go (git-ignored). */
export const SCREENSHOTS = 'test-output/screenshots';

/** Opens a dashboard URL and waits until every panel has its data (html[data-ready]). */
export async function openView(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await waitReady(page);
}

export async function waitReady(page: Page): Promise<void> {
  await page.waitForSelector('html[data-ready="true"]', { timeout: 20_000 });
  const failed = await page.$$eval('[data-state="error"]', (els) => els.map((e) => e.textContent));
  if (failed.length > 0) throw new Error(`panels failed: ${failed.join(' | ')}`);
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage: true });
}

/** The text of every cell of a table's current page, by column id. */
export function tableRows(page: Page, id: string): Promise<Array<Record<string, string>>> {
  return page.$$eval(`table[data-table="${id}"] tbody tr`, (trs) =>
    trs.map((tr) =>
      Object.fromEntries(
        [...tr.querySelectorAll('td')].map((td) => [
          td.getAttribute('data-col')!,
          td.textContent ?? '',
        ]),
      ),
    ),
  );
}

/** Each tile's exact value (data-value) and shown text, by tile id. */
export function tiles(
  page: Page,
  within: string,
): Promise<Record<string, { value: string; text: string }>> {
  return page.$$eval(`[data-panel="${within}"] [data-tile]`, (els) =>
    Object.fromEntries(
      els.map((e) => [
        e.getAttribute('data-tile')!,
        {
          value: e.getAttribute('data-value') ?? '',
          text: e.querySelector('.tile-value')?.textContent ?? '',
        },
      ]),
    ),
  );
}

/** A bar list's labels and shown texts, in order. */
export function bars(page: Page, id: string): Promise<Array<{ label: string; text: string }>> {
  return page.$$eval(`[data-bars="${id}"] li`, (lis) =>
    lis.map((li) => ({
      label: li.getAttribute('data-label') ?? '',
      text: li.querySelector('.bar-text')?.textContent ?? '',
    })),
  );
}
