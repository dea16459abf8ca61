/**
 * `npm run bench [-- --quick] [--only=a,b] [--sizes=1e6,1e7] [--pg|--no-pg] [--out=DIR]
 * [--duration=SECONDS]` — see docs/benchmarks.md. Every ratio is measured within this run.
 */
import Database from 'better-sqlite3';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { bareInsert } from './bare-insert.js';
import { dashboardBench } from './dashboard.js';
import { cachedDataset, progress, sizeLabel, type Dataset } from './datasets.js';
import { ingestHttpIsolated, streamEnd } from './ingest-http.js';
import { loadavg, machineInfo } from './machine.js';
import { maintenance } from './maintenance.js';
import { postgresBench } from './postgres.js';
import { queryBench } from './queries.js';
import { targetIf, writeReport, type Metric, type RunReport } from './report.js';
import { rollupOverhead } from './rollup-overhead.js';
import { seedViewsBench } from './seed-views.js';
import type { RepeatOptions } from './stats.js';
import { storage } from './storage.js';

const BENCHMARKS = [
  'ingest-http',
  'bare-insert',
  'rollup-overhead',
  'queries',
  'seed-views',
  'storage',
  'maintenance',
  'dashboard',
  'postgres',
] as const;
type BenchName = (typeof BENCHMARKS)[number];

interface Flags {
  quick: boolean;
  only: Set<BenchName>;
  sizes: number[];
  pg: boolean;
  out: string;
  durationS: number;
}

function parseFlags(argv: string[]): Flags {
  const get = (k: string) => argv.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
  const quick = argv.includes('--quick');
  const only = get('only')?.split(',') ?? [...BENCHMARKS];
  for (const n of only)
    if (!(BENCHMARKS as readonly string[]).includes(n))
      throw new Error(`--only: unknown benchmark "${n}"; known: ${BENCHMARKS.join(', ')}`);
  const sizes = (get('sizes')?.split(',') ?? (quick ? ['1e5'] : ['1e6', '1e7'])).map(Number);
  if (sizes.some((s) => !Number.isInteger(s) || s < 1000))
    throw new Error('--sizes: whole numbers of events ≥ 1000, e.g. 1e6,1e7');
  return {
    quick,
    only: new Set(only as BenchName[]),
    sizes,
    pg: !argv.includes('--no-pg'),
    out: get('out') ?? 'bench/results',
    durationS: Number(get('duration') ?? (quick ? 5 : 60)),
  };
}

/** Run-size settings: the quick mode is a smoke test of every benchmark in under 2 minutes. */
function settings(f: Flags) {
  const repeat = (minRuns: number, budgetMs: number): RepeatOptions => ({
    runs: 30,
    warmup: f.quick ? 1 : 3,
    budgetMs,
    minRuns,
  });
  return {
    httpPool: f.durationS * 40_000,
    overheadEvents: f.quick ? 50_000 : 300_000,
    /** The whole overview: at least 30 runs in a full run. */
    overview: f.quick ? repeat(5, 1_000) : repeat(30, 0),
    /** Each single query: up to 30 runs, fewer when slow (at least 5). */
    each: f.quick ? repeat(3, 300) : repeat(5, 8_000),
    baseline: f.quick ? repeat(2, 1_000) : repeat(3, 30_000),
    pgEvents: f.quick ? 10_000 : 300_000,
    /** Each seed view: a few runs (they take seconds at 10 M events). */
    seedViews: {
      runs: f.quick ? 1 : 3,
      warmup: f.quick ? 0 : 1,
      budgetMs: 0,
      minRuns: f.quick ? 1 : 3,
    },
    /** Browser loads of the overview per dataset (after one warm-up). */
    dashboardLoads: f.quick ? 3 : 7,
    pgDurationS: f.quick ? 3 : f.durationS,
  };
}

/** Runs a benchmark if `--only` selects it. */
type Run = (
  name: BenchName,
  label: string,
  fn: () => Promise<{ metrics: Metric[]; notes: string[] }>,
) => Promise<void>;

interface Ctx {
  f: Flags;
  s: ReturnType<typeof settings>;
  run: Run;
  scratch: string;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const f = parseFlags(argv);
  const report = newReport(f, argv);
  const scratch = join('bench/.data', `scratch-${process.pid}`);
  mkdirSync(scratch, { recursive: true });
  const run: Run = (name, label, fn) =>
    f.only.has(name) ? section(report, label, fn) : Promise.resolve();
  const ctx: Ctx = { f, s: settings(f), run, scratch };
  try {
    await ingestBenchmarks(ctx);
    await datasetBenchmarks(ctx, await buildDatasets(report, f));
    if (f.pg) await postgres(ctx);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const paths = await writeReport(f.out, report);
  progress(`wrote ${paths.json} and ${paths.md}`);
}

function newReport(f: Flags, argv: string[]): RunReport {
  const sqliteVersion = (
    new Database(':memory:').prepare('select sqlite_version() v').get() as { v: string }
  ).v;
  return {
    started_at: new Date().toISOString(),
    mode: f.quick ? 'quick' : 'full',
    argv,
    machine: machineInfo(sqliteVersion),
    sections: [],
    failures: [],
  };
}

/** HTTP ingest, then the bare limit on the very rows it sent, then the rollup overhead. */
async function ingestBenchmarks({ f, s, run, scratch }: Ctx): Promise<void> {
  let stream = { events: f.quick ? 300_000 : 3_000_000, end: streamEnd() };
  let e2eRate: number | null = null;
  await run('ingest-http', 'ingest over HTTP (SQLite)', async () => {
    const r = await ingestHttpIsolated({
      db: join(scratch, 'http.db'),
      label: 'sqlite',
      durationMs: f.durationS * 1000,
      concurrency: 3,
      poolEvents: s.httpPool,
      targets: !f.quick,
    });
    stream = r.stream;
    e2eRate = r.metrics[0]!.value;
    return r;
  });
  await run('bare-insert', 'bare insert limit (SQLite)', async () => {
    const r = await bareInsert(join(scratch, 'bare.db'), stream);
    if (e2eRate !== null)
      r.metrics.push({
        name: 'ingest_http.sqlite.share_of_bare_limit',
        value: e2eRate / r.eventsPerSecond,
        unit: '×',
        ...targetIf(!f.quick, '>=', 0.5),
        note: 'end-to-end HTTP events/s ÷ bare insert events/s, same rows',
      });
    return r;
  });
  await run('rollup-overhead', 'rollup maintenance overhead (SQLite, in process)', () =>
    rollupOverhead(
      { withRollups: join(scratch, 'with.db'), rawOnly: join(scratch, 'raw.db') },
      s.overheadEvents,
      streamEnd(),
      !f.quick,
    ),
  );
}

/** Queries and storage on every dataset; verify and rebuild on the 1 M one (else the first). */
async function datasetBenchmarks({ f, s, run }: Ctx, datasets: Dataset[]): Promise<void> {
  for (const d of datasets) {
    const is10M = d.events >= 10_000_000;
    await run('queries', `queries (SQLite, ${sizeLabel(d.events)})`, () =>
      queryBench({
        dataset: d,
        label: `sqlite.${sizeLabel(d.events)}`,
        repeat: s.overview,
        eachRepeat: s.each,
        baselineRepeat: s.baseline,
        baselines: true,
        targets: is10M,
      }),
    );
    await run('seed-views', `seed views (SQLite, ${sizeLabel(d.events)})`, () =>
      seedViewsBench(d, sizeLabel(d.events), s.seedViews),
    );
    await run('storage', `storage (SQLite, ${sizeLabel(d.events)})`, async () =>
      storage(d, sizeLabel(d.events), is10M || d.events >= 1_000_000),
    );
    await run('dashboard', `dashboard overview in Chromium (SQLite, ${sizeLabel(d.events)})`, () =>
      dashboardBench({
        db: d.db,
        to: d.to,
        label: sizeLabel(d.events),
        loads: s.dashboardLoads,
        targets: is10M,
      }),
    );
  }
  const m = datasets.find((d) => d.events === 1_000_000) ?? datasets[0];
  if (m)
    await run('maintenance', `verify and rebuild (SQLite, ${sizeLabel(m.events)})`, () =>
      maintenance(m, sizeLabel(m.events), !f.quick),
    );
}

function postgres({ s, run }: Ctx): Promise<void> {
  return run('postgres', 'PostgreSQL (local server)', () =>
    postgresBench({
      httpDurationMs: s.pgDurationS * 1000,
      httpPoolEvents: s.pgDurationS * 20_000,
      events: s.pgEvents,
      repeat: s.overview,
      eachRepeat: s.each,
    }),
  );
}

/** The query datasets, built on first use and cached under bench/.data/. */
async function buildDatasets(report: RunReport, f: Flags): Promise<Dataset[]> {
  const uses = ['queries', 'seed-views', 'storage', 'maintenance', 'dashboard'] as const;
  if (!uses.some((b) => f.only.has(b))) return [];
  const out: Dataset[] = [];
  for (const size of f.sizes) {
    await section(report, `dataset ${sizeLabel(size)} (SQLite, in-process ingest)`, async () => {
      const d = await cachedDataset('bench/.data', size);
      out.push(d);
      const metric: Metric = {
        name: `dataset.sqlite.${sizeLabel(size)}.build_events_per_s`,
        value: size / d.buildSeconds,
        unit: 'ev/s',
        note: 'engine.ingest in process, batches of 500, growing database',
      };
      return {
        metrics: [metric],
        notes: [
          `${sizeLabel(size)}: ${d.reused ? 'reused the cached database (build figure from when it was built)' : `built in ${d.buildSeconds.toFixed(0)} s`}; ${d.stored} events stored.`,
        ],
      };
    });
  }
  return out;
}

/** Runs one benchmark, timing it and recording the load after it; a failure is recorded, not fatal. */
async function section(
  report: RunReport,
  name: string,
  fn: () => Promise<{ metrics: Metric[]; notes: string[] }>,
): Promise<void> {
  progress(`▶ ${name}`);
  const t0 = performance.now();
  try {
    const r = await fn();
    report.sections.push({
      name,
      metrics: r.metrics,
      notes: r.notes,
      seconds: (performance.now() - t0) / 1000,
      loadavg_after: loadavg(),
    });
  } catch (err) {
    const error = err instanceof Error ? (err.stack ?? err.message) : String(err);
    progress(`✗ ${name}: ${error}`);
    report.failures.push({ name, error: error.split('\n')[0]! });
  }
}

await main();
