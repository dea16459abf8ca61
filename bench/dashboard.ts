/**
 * The dashboard benchmark: how long the overview takes to render completely in a real browser.
 * `startServer` serves the built dashboard (dist/web) over a dataset; headless Chromium opens
 * the overview for the last 24 h of the data, each load in a fresh browser context (cold HTTP
 * cache, as a first visit), and reads `window.__cairnReadyAt` — the page's own clock
 * (milliseconds since navigation start) when every panel had its data and was painted (the
 * html[data-ready] signal the end-to-end tests wait for). Reported: the median over the loads
 * after one warm-up.
 *
 * Alone: `npx tsx bench/dashboard.ts [--sizes=1e5] [--loads=7]` (datasets cached as for
 * `npm run bench`), or `--db=FILE --to=MS` for any SQLite file. Needs `npm run build` first.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { createEngine } from '../src/engine.js';
import { startServer } from '../src/server/serve.js';
import { cachedDataset, progress, sizeLabel } from './datasets.js';
import { targetIf, type Metric } from './report.js';
import { percentiles, round } from './stats.js';

const CHROMIUM = '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];
const DAY = 86_400_000;
/** The target: the overview renders completely within 1 s on 10 M events. */
const TARGET_MS = 1_000;

export interface DashboardBenchOptions {
  db: string;
  /** The dataset's "now": the overview shows [to − 24 h, to). */
  to: number;
  label: string;
  loads: number;
  targets: boolean;
}

export async function dashboardBench(
  o: DashboardBenchOptions,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const built = fileURLToPath(new URL('../dist/web/index.html', import.meta.url));
  if (!existsSync(built)) throw new Error('dist/web is missing: run `npm run build` first');
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install chromium`);
  const engine = await createEngine({ db: o.db });
  const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  try {
    const url = `${server.url}/?from=${o.to - DAY}&to=${o.to}`;
    const times: number[] = [];
    const apiTimes: number[] = [];
    const phases: string[] = [];
    for (let i = 0; i <= o.loads; i++) {
      const load = await loadOnce(browser, url);
      if (i === 0) continue; // the first load warms the database's page cache
      times.push(load.readyMs);
      phases.push(load.phases);
      apiTimes.push(await replay(load.apiUrls));
    }
    const p = percentiles(times);
    const api = percentiles(apiTimes);
    return {
      metrics: [
        {
          name: `dashboard.sqlite.${o.label}.overview_ready_ms`,
          value: round(p.p50),
          unit: 'ms',
          ...targetIf(o.targets, '<=', TARGET_MS),
          note: `median of ${p.n} cold-cache loads in headless Chromium; max ${round(p.max)} ms`,
        },
        {
          name: `dashboard.sqlite.${o.label}.overview_api_ms`,
          value: round(api.p50),
          unit: 'ms',
          note: "the page's own /v1 requests replayed at once from Node, no browser (median)",
        },
      ],
      notes: [
        `overview render times (ms): ${times.map((t) => round(t)).join(', ')}`,
        `its API requests alone (ms): ${apiTimes.map((t) => round(t)).join(', ')}`,
        `in the page, first API request sent / last answer in / ready (ms): ${phases.join('; ')}`,
      ],
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

/**
 * One cold load: a fresh context (no cached assets), until html[data-ready] is set. Also
 * returns the /v1 URLs the page asked for, so the API's share of the time can be measured.
 */
async function loadOnce(
  browser: Browser,
  url: string,
): Promise<{ readyMs: number; apiUrls: string[]; phases: string }> {
  const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const apiUrls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname.startsWith('/v1/')) apiUrls.push(r.url());
    });
    await page.goto(url);
    await page.waitForSelector('html[data-ready="true"]', { timeout: 60_000 });
    const failed = await page.locator('[data-state="error"]').count();
    if (failed > 0) throw new Error(`${failed} overview panels failed to load`);
    // Strings, evaluated in the page: this file is compiled without the DOM's types.
    const readyMs = Number(await page.evaluate('window.__cairnReadyAt'));
    const spans = (await page.evaluate(
      `performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/'))
        .map((e) => [e.startTime, e.responseEnd])`,
    )) as Array<[number, number]>;
    const first = Math.min(...spans.map((x) => x[0]));
    const last = Math.max(...spans.map((x) => x[1]));
    return { readyMs, apiUrls, phases: [first, last, readyMs].map(round).join(' / ') };
  } finally {
    await context.close();
  }
}

/** The page's API requests sent at once, as the browser sends them; milliseconds until all answered. */
async function replay(urls: readonly string[]): Promise<number> {
  const t0 = performance.now();
  await Promise.all(urls.map(async (u) => (await fetch(u)).arrayBuffer()));
  return performance.now() - t0;
}

async function main(argv: string[]): Promise<void> {
  const get = (k: string) => argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
  const loads = Number(get('loads') ?? 7);
  const db = get('db');
  const runs =
    db !== undefined
      ? [{ db, to: Number(get('to') ?? Date.now()), label: 'file', targets: false }]
      : await Promise.all(
          (get('sizes') ?? '1e5').split(',').map(async (s) => {
            const d = await cachedDataset('bench/.data', Number(s));
            return { db: d.db, to: d.to, label: sizeLabel(d.events), targets: d.events >= 1e7 };
          }),
        );
  for (const r of runs) {
    const { metrics, notes } = await dashboardBench({ ...r, loads });
    for (const m of metrics) progress(`${m.name} = ${m.value} ${m.unit} (${m.note})`);
    for (const n of notes) progress(n);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await main(process.argv.slice(2));
