import pg from 'pg';
import { buildDataset, sizeLabel } from './datasets.js';
import { ingestHttpIsolated } from './ingest-http.js';
import { queryBench } from './queries.js';
import type { Metric } from './report.js';
import type { RepeatOptions } from './stats.js';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresOptions {
  httpDurationMs: number;
  httpPoolEvents: number;
  /** Events ingested in process, then queried. */
  events: number;
  repeat: RepeatOptions;
  eachRepeat: RepeatOptions;
}

/**
 * The ingest and query figures on the local PostgreSQL server: HTTP ingest into one fresh
 * database, in-process ingest of a dataset into another, then the overview and headline queries
 * on it. Both databases are dropped afterwards, whatever happens.
 */
export async function postgresBench(
  o: PostgresOptions,
): Promise<{ metrics: Metric[]; notes: string[] }> {
  const admin = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 3_000 });
  await admin.connect();
  const names = [
    `cairn_bench_${process.pid}_${Date.now()}_http`,
    `cairn_bench_${process.pid}_${Date.now()}_q`,
  ];
  const url = (name: string) => ADMIN_URL.replace(/\/postgres$/, `/${name}`);
  try {
    for (const n of names) await admin.query(`CREATE DATABASE ${n}`);
    const http = await ingestHttpIsolated({
      db: url(names[0]!),
      label: 'postgres',
      durationMs: o.httpDurationMs,
      concurrency: 3,
      poolEvents: o.httpPoolEvents,
      targets: false,
    });
    const dataset = await buildDataset(url(names[1]!), o.events);
    const label = `postgres.${sizeLabel(o.events)}`;
    const q = await queryBench({
      dataset,
      label,
      repeat: o.repeat,
      eachRepeat: o.eachRepeat,
      baselineRepeat: o.repeat,
      baselines: false,
      targets: false,
    });
    const inproc: Metric = {
      name: `ingest_inproc.postgres.events_per_s`,
      value: o.events / dataset.buildSeconds,
      unit: 'ev/s',
      note: `engine.ingest, batches of 500, ${o.events} events into a fresh database`,
    };
    return { metrics: [...http.metrics, inproc, ...q.metrics], notes: [...http.notes, ...q.notes] };
  } finally {
    for (const n of names) await admin.query(`DROP DATABASE IF EXISTS ${n} WITH (FORCE)`);
    await admin.end();
  }
}
