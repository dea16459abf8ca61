import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Answers, QueryName, SummaryRow } from '../../web/src/api-types.js';
import { fmtInt, fmtMs, fmtPct, fmtText, fmtUsd } from '../../web/src/format.js';
import { exitOf, startCairnServe } from '../support/cli.js';
import { launchChromium } from './browser.js';

export const DAY = 86_400_000;

/**
 * `cairn serve --demo` on a fresh database (the real command over the built dist/) and a
 * Chromium page beside it, with the fixed range every view of the test is opened with, so the
 * page and the test ask about exactly the same instants.
 */
export interface DemoSite {
  url: string;
  page: Page;
  range: { from: number; to: number };
  /** GET /v1/<name> as the test's own client; a refused request fails the test. */
  api<N extends QueryName>(name: N, params?: Record<string, string | number>): Promise<Answers[N]>;
  /** A dashboard URL for `path` with the fixed range and `extra` parameters. */
  viewUrl(path: string, extra?: Record<string, string>): string;
  /** The page's current query string (after a drill-down moved it). */
  query(): Record<string, string>;
  close(): Promise<void>;
}

export async function openDemoSite(): Promise<DemoSite> {
  const dir = mkdtempSync(join(tmpdir(), 'cairn-dashboard-'));
  let browser: Browser | undefined;
  const started = startCairnServe(['--db', join(dir, 'demo.db'), '--port', '0', '--demo']);
  try {
    [browser] = await Promise.all([launchChromium(), started]);
  } catch (err) {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  const server = await started;
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  page.on('pageerror', (err) => {
    throw err; // a script error in the page fails the run
  });
  const to = Date.now();
  const range = { from: to - DAY, to };
  return {
    url: server.url,
    page,
    range,
    async api(name, params = {}) {
      const q = new URLSearchParams(
        Object.entries(params).map(([k, v]): [string, string] => [k, String(v)]),
      );
      const res = await fetch(`${server.url}/v1/${name}?${q}`);
      expect(res.status, `${name}?${q}`).toBe(200);
      return (await res.json()) as never; // typed by the interface: Answers[N]
    },
    viewUrl(path, extra = {}) {
      const q = new URLSearchParams({ from: String(range.from), to: String(range.to), ...extra });
      return `${server.url}${path}?${q}`;
    },
    query: () => Object.fromEntries(new URL(page.url()).searchParams),
    async close() {
      await browser.close();
      server.child.kill('SIGTERM');
      await exitOf(server.child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** How a summary row appears in the dashboard's summary tables (cells by column id). */
export function summaryCells(r: SummaryRow): Record<string, string> {
  return {
    key: fmtText(r.key),
    requests: fmtInt(r.requests),
    errors: fmtInt(r.errors),
    error_rate: fmtPct(r.requests > 0 ? r.errors / r.requests : null),
    tokens: fmtInt(r.input_tokens + r.output_tokens),
    cost: fmtUsd(r.cost_usd),
    p50: fmtMs(r.duration_ms.p50),
    p95: fmtMs(r.duration_ms.p95),
    p99: fmtMs(r.duration_ms.p99),
  };
}
