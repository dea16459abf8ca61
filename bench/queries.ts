import Database from 'better-sqlite3';
import { createEngine, type Engine } from '../src/engine.js';
import { startServer } from '../src/server/serve.js';
import type { Dataset } from './datasets.js';
import { computeOnRead, rawScan, type Overview } from './query-baselines.js';
import { targetIf, type Metric } from './report.js';
import { percentiles, repeat, type Percentiles, type RepeatOptions } from './stats.js';
import { DAY_MS } from './workload.js';

/** A named query with its parameters as a query string would carry them. */
interface Call {
  label: string;
  name: string;
  params: Record<string, string>;
}

/** The overview dashboard's 8 tiles, as 5 named queries (a summary row holds several tiles). */
export function overviewCalls(to: number): Call[] {
  const day = { from: String(to - DAY_MS), to: String(to) };
  return [
    { label: 'total_24h', name: 'summary', params: day },
    { label: 'top_models_24h', name: 'summary', params: { ...day, by: 'model', limit: '5' } },
    {
      label: 'top_tools_24h',
      name: 'summary',
      params: { ...day, by: 'tool', type: 'tool_call', limit: '5' },
    },
    { label: 'hourly_24h', name: 'timeseries', params: { ...day, grain: 'hour' } },
    {
      label: 'active_users_30d',
      name: 'active_users',
      params: { from: String(to - 30 * DAY_MS), to: String(to) },
    },
  ];
}

/** The seeds' headline outputs that Cairn answers today. */
export function headlineCalls(to: number): Call[] {
  const span = (days: number) => ({ from: String(to - days * DAY_MS), to: String(to) });
  return [
    {
      label: 'seed003_model_summary_7d',
      name: 'summary',
      params: { ...span(7), by: 'model', windows: 'true' },
    },
    {
      label: 'seed003_domain_summary_7d',
      name: 'summary',
      params: { ...span(7), by: 'domain', windows: 'true', most_used_model: 'true' },
    },
    { label: 'seed004_agent_performance_7d', name: 'summary', params: { ...span(7), by: 'agent' } },
    {
      label: 'seed004_daily_metrics_30d',
      name: 'timeseries',
      params: { ...span(30), grain: 'day' },
    },
    {
      label: 'seed000_platform_daily_30d',
      name: 'timeseries',
      params: { ...span(30), grain: 'day', by: 'platform' },
    },
    { label: 'seed002_tool_performance_24h', name: 'tool_usage', params: span(1) },
  ];
}

export interface QueryBenchOptions {
  dataset: Dataset;
  /** e.g. `sqlite.1M`. */
  label: string;
  /** Runs of the whole overview (the targets' figure). */
  repeat: RepeatOptions;
  /** Runs of each single query. */
  eachRepeat: RepeatOptions;
  baselineRepeat: RepeatOptions;
  baselines: boolean;
  /** The 10 M targets apply. */
  targets: boolean;
}

type Runner = (c: Call) => Promise<unknown>;

/**
 * Query latency on one dataset: every overview tile and headline query in process
 * (engine.query) and over HTTP (fetch to a server on port 0 in this process), the whole overview
 * (in process: the 5 queries one after another; over HTTP: 5 concurrent GETs, as a browser
 * would), and the seeds' approaches on the same file.
 */
export async function queryBench(
  o: QueryBenchOptions,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const { to } = o.dataset;
  const engine = await createEngine({ db: o.dataset.db });
  const inProcess: Runner = (c) => engine.query(c.name, c.params, to);
  const metrics: Metric[] = [];
  const notes: string[] = [];
  const overview = await measureOverview(o, inProcess, 'inproc', 10, metrics);
  await measureEach(o, inProcess, 'inproc', metrics);
  const server = await startServer(engine, { host: '127.0.0.1', port: 0 });
  try {
    const http: Runner = (c) =>
      getJson(`${server.url}/v1/${c.name}?${new URLSearchParams(c.params)}`);
    await measureOverview(o, http, 'http', 20, metrics, true);
    await measureEach(o, http, 'http', metrics);
    notes.push(await sanity(engine, o));
  } finally {
    await server.close();
  }
  if (o.baselines) baselines(o, overview, metrics, notes);
  return { metrics, notes };
}

async function getJson(url: string): Promise<unknown> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function measureOverview(
  o: QueryBenchOptions,
  run: Runner,
  via: 'inproc' | 'http',
  targetMs: number,
  metrics: Metric[],
  concurrent = false,
): Promise<Percentiles> {
  const calls = overviewCalls(o.dataset.to);
  const all = concurrent
    ? () => Promise.all(calls.map(run))
    : async () => {
        for (const c of calls) await run(c);
      };
  const p = percentiles(await repeat(all, o.repeat));
  const name = `queries.${o.label}.overview_8_tiles.${via}`;
  metrics.push(
    { name: `${name}.p50`, value: p.p50, unit: 'ms' },
    { name: `${name}.p95`, value: p.p95, unit: 'ms', ...targetIf(o.targets, '<=', targetMs) },
    { name: `${name}.p99`, value: p.p99, unit: 'ms', note: `${p.n} runs` },
  );
  return p;
}

async function measureEach(
  o: QueryBenchOptions,
  run: Runner,
  via: string,
  metrics: Metric[],
): Promise<void> {
  const calls = [...overviewCalls(o.dataset.to), ...headlineCalls(o.dataset.to)];
  for (const c of calls) {
    const p = percentiles(await repeat(() => run(c), o.eachRepeat));
    metrics.push({
      name: `queries.${o.label}.${c.label}.${via}.p95`,
      value: p.p95,
      unit: 'ms',
      note: `p50 ${p.p50.toFixed(2)} / p99 ${p.p99.toFixed(2)} ms, ${p.n} runs`,
    });
  }
}

/** Both approaches must see the same data: Cairn's 24 h count against a COUNT(*). */
async function sanity(engine: Engine, o: QueryBenchOptions): Promise<string> {
  const [call] = overviewCalls(o.dataset.to);
  const res = (await engine.query(call!.name, call!.params, o.dataset.to)) as {
    rows: { requests: number }[];
  };
  return `${o.label}: ${o.dataset.stored} events stored (${o.dataset.events} delivered); the last 24 h hold ${res.rows[0]?.requests ?? 0} events by Cairn's summary.`;
}

function baselines(
  o: QueryBenchOptions,
  cairn: Percentiles,
  metrics: Metric[],
  notes: string[],
): void {
  const db = new Database(o.dataset.db, { readonly: true });
  db.pragma('cache_size = -65536');
  try {
    for (const [key, make] of [
      ['seed000_compute_on_read', computeOnRead],
      ['seed003_raw_scan_js', rawScan],
    ] as const) {
      const p = measureBaseline(make(db), o);
      const name = `queries.${o.label}.${key}.overview`;
      metrics.push(
        { name: `${name}.p50`, value: p.p50, unit: 'ms', note: `${p.n} runs` },
        { name: `${name}.p95`, value: p.p95, unit: 'ms' },
        {
          name: `${name}.slowdown_vs_cairn`,
          value: p.p50 / cairn.p50,
          unit: '×',
          ...targetIf(o.targets && key === 'seed000_compute_on_read', '>=', 100),
          note: 'baseline p50 / Cairn in-process overview p50',
        },
      );
    }
    notes.push(
      `${o.label}: baselines read the same SQLite file through a separate read-only connection (64 MB cache, like Cairn's).`,
    );
  } finally {
    db.close();
  }
}

function measureBaseline(overview: Overview, o: QueryBenchOptions): Percentiles {
  const times: number[] = [];
  const start = performance.now();
  for (let i = 0; i < o.baselineRepeat.warmup; i++) overview(o.dataset.to);
  while (times.length < o.baselineRepeat.runs) {
    const t0 = performance.now();
    overview(o.dataset.to);
    times.push(performance.now() - t0);
    if (
      times.length >= o.baselineRepeat.minRuns &&
      performance.now() - start > o.baselineRepeat.budgetMs
    )
      break;
  }
  return percentiles(times);
}
