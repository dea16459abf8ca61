import Database from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { items } from '../../support/events.js';
import {
  DOMAIN_COLUMNS,
  MODEL_COLUMNS,
  expectRowClose,
  expectRowsClose,
  plain,
} from './compare.js';
import {
  costNanos,
  expectedDomainSummary,
  expectedModelSummary,
  expectedTrend,
  importLine,
  type TestRow,
} from './dataset.js';
import type { SuiteContext } from './suite.js';

type Row = Record<string, unknown>;

/** Imports rows workspace by workspace, as `cairn import --workspace` would. */
export async function importAll(engine: Engine, rows: TestRow[]) {
  const results = [];
  for (const ws of ['default', 'tenant-b']) {
    const lines = rows.filter((r) => r.workspace === ws).map(importLine);
    results.push(await engine.importRows('chat-telemetry', items(...lines), { workspace: ws }));
  }
  return results;
}

async function readView(engine: Engine, view: string): Promise<Row[]> {
  const result = await sql<Row>`select * from ${sql.table(view)}`.execute(engine.store.reader);
  return result.rows.map(plain);
}

/** The views' cases: every column against the oracle, rollups, idempotency, freshness. */
export function viewCases(ctx: SuiteContext): void {
  it('stores each row as one llm_call event with a deterministic id', async () => {
    const { engine, rows } = ctx;
    const r = rows.find((x) => !x.success && x.error_message !== null && x.cost_usd === null)!;
    const e = await engine.store.reader
      .selectFrom('events')
      .selectAll()
      .where('id', '=', `chat_telemetry:${r.id}`)
      .executeTakeFirstOrThrow();
    expect(e).toMatchObject({
      type: 'llm_call',
      workspace: r.workspace,
      domain: r.domain,
      model: r.model,
      session_id: r.session_id,
      status: 'error',
      error_message: r.error_message,
      input_tokens: r.input_tokens,
      output_tokens: r.output_tokens,
      cost_source: 'price_table',
    });
    expect(Number(e.ts)).toBe(r.created_at);
    expect(Number(e.cost_nanos)).toBe(costNanos(r));
    const json = (v: unknown) => (typeof v === 'string' ? JSON.parse(v) : v) as Row;
    expect(json(e.counters)).toEqual({
      ...(r.search_count !== null && { searches: r.search_count }),
      iterations: r.iteration_count,
    });
    expect(json(e.attributes)).toEqual({ chat_telemetry_id: String(r.id) });
  });

  it('gives chat_telemetry_domain_summary with every seed column, equal to a recomputation', async () => {
    const { engine, rows } = ctx;
    const actual = await readView(engine, 'chat_telemetry_domain_summary');
    expect(Object.keys(actual[0]!)).toEqual(['workspace', ...DOMAIN_COLUMNS]);
    const expected = expectedDomainSummary(rows, Date.now());
    expectRowsClose(actual, expected, (r) => `${String(r.workspace)}|${String(r.domain)}`);
    // The data set is meant to tell the windows apart; make sure it does.
    const shop = expected.get('default|shop.example.com') as Row;
    expect(shop.requests_last_24h).toBeLessThan(shop.requests_last_7d as number);
    expect(shop.requests_last_7d).toBeLessThan(shop.total_requests_all_time as number);
  });

  it('gives chat_telemetry_model_summary with every seed column, equal to a recomputation', async () => {
    const { engine, rows } = ctx;
    const actual = await readView(engine, 'chat_telemetry_model_summary');
    expect(Object.keys(actual[0]!)).toEqual(['workspace', ...MODEL_COLUMNS]);
    const expected = expectedModelSummary(rows, Date.now());
    expectRowsClose(actual, expected, (r) => `${String(r.workspace)}|${String(r.model)}`);
    // A model no price table knows has no cost; it must not read as free.
    const acme = actual.find((r) => r.model === 'acme-llm-1')!;
    expect(acme.avg_cost_per_request).toBeNull();
    expect(acme.cost_per_1k_tokens).toBeNull();
  });

  it('gives hourly rollup views equal to a recomputation, per domain and in total', async () => {
    const { engine, rows } = ctx;
    const hourly = (r: Row) => r.granularity === 'hour' && r.workspace === 'default';
    const strip = ({ workspace: _w, ...r }: Row) => r;
    const mine = rows.filter((r) => r.workspace === 'default');
    const total = (await readView(engine, 'chat_telemetry_rollups')).filter(hourly).map(strip);
    const want = expectedTrend(mine, 0, Date.now());
    expect(total.map((r) => r.bucket_start)).toEqual(want.map((r) => r.bucket_start).sort());
    for (const w of want)
      expectRowClose(
        total.find((r) => r.bucket_start === w.bucket_start)!,
        w,
        w.bucket_start,
      );
    const byDomain = (await readView(engine, 'chat_telemetry_domain_rollups')).filter(hourly);
    const docs = expectedTrend(mine, 0, Date.now(), 'docs.example.org');
    const got = byDomain.filter((r) => r.domain === 'docs.example.org').map(strip);
    expect(got).toHaveLength(docs.length);
    for (const w of docs)
      expectRowClose(
        got.find((r) => r.bucket_start === w.bucket_start)!,
        w,
        w.bucket_start,
      );
  });

  it('adds the day rollups up to the all-time totals of the model summary', async () => {
    const { engine, rows } = ctx;
    const days = (await readView(engine, 'chat_telemetry_model_rollups')).filter(
      (r) => r.granularity === 'day' && r.model === 'gpt-4o' && r.workspace === 'default',
    );
    const mine = rows.filter((r) => r.workspace === 'default' && r.model === 'gpt-4o');
    expect(days.reduce((a, r) => a + (r.total_requests as number), 0)).toBe(mine.length);
    const cost = days.reduce((a, r) => a + (r.total_cost_usd as number), 0);
    const want = mine.reduce((a, r) => a + costNanos(r)!, 0) / 1e9;
    expect(Math.abs(cost - want)).toBeLessThanOrEqual(1e-9 * want);
  });

  it('counts a re-import as duplicates and changes no view', async () => {
    const { engine, rows } = ctx;
    const before = await readView(engine, 'chat_telemetry_domain_summary');
    const [a, b] = await importAll(engine, rows);
    expect(a).toMatchObject({ rows: 72, accepted: 0, duplicates: 72, rejected: [] });
    expect(b).toMatchObject({ rows: 6, accepted: 0, duplicates: 6, rejected: [] });
    expect(await readView(engine, 'chat_telemetry_domain_summary')).toEqual(before);
  });

  it('shows a new row at the next read, with no refresh', async () => {
    const { engine, rows } = ctx;
    const now = Date.now();
    const extra: TestRow = { ...rows[0]!, id: 9999, created_at: now - 1000, duration_ms: 123 };
    await importAll(engine, [extra]);
    rows.push(extra);
    const expected = expectedDomainSummary(rows, Date.now());
    const actual = await readView(engine, 'chat_telemetry_domain_summary');
    expectRowsClose(actual, expected, (r) => `${String(r.workspace)}|${String(r.domain)}`);
    const row = actual.find((r) => r.domain === extra.domain && r.workspace === 'default')!;
    expect(row.materialized_at).toBe(new Date(extra.created_at).toISOString());
  });

  it('is readable by a plain client of the database, under the seed names', async () => {
    const { engine, rows, kind } = ctx;
    const query = 'select domain, total_requests_all_time from chat_telemetry_domain_summary';
    let got: Row[];
    if (kind === 'sqlite') {
      // No Cairn connection, no registered functions: what a BI tool opening the file sees.
      const db = new Database(engine.config.db, { readonly: true });
      got = db.prepare(query).all() as Row[];
      db.close();
    } else if (kind === 'postgres') {
      const client = new pg.Client({ connectionString: engine.config.db });
      await client.connect();
      got = (await client.query(query)).rows as Row[];
      await client.end();
    } else got = (await sql.raw<Row>(query).execute(engine.store.reader)).rows;
    const want = expectedDomainSummary(rows, Date.now());
    expect(got.map((r) => r.domain).sort()).toEqual(
      [...want.values()].map((r) => (r as Row).domain).sort(),
    );
    const total = got.reduce((a, r) => a + Number(r.total_requests_all_time), 0);
    expect(total).toBe(rows.length);
  });
}
