import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { wire } from '../support/events.js';

let dir: string;
let db: string;
const t0 = Date.now() - 2 * 86_400_000;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-maint-'));
  db = join(dir, 'cairn.db');
  const lines = Array.from({ length: 300 }, (_, i) =>
    JSON.stringify(
      wire({
        id: `m${i}`,
        timestamp: t0 + i * 400_000,
        model: i % 3 === 0 ? 'gpt-4o' : 'gpt-4o-mini',
        duration_ms: 50 + i,
      }),
    ),
  );
  writeFileSync(join(dir, 'events.ndjson'), lines.join('\n'));
  expect((await runCli(['ingest', join(dir, 'events.ndjson'), '--db', db])).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn verify and rebuild', () => {
  it('verify finds nothing to report on rollups kept by ingest', async () => {
    const r = await runCli(['verify', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/verified \d+ days, [\d,]+ rollup rows: 0 differences/);
  });

  it('query prints a table, JSON or CSV', async () => {
    const from = new Date(t0 - 1000).toISOString();
    const table = await runCli(['query', 'summary', '--by', 'model', '--from', from, '--db', db]);
    expect(table.code).toBe(0);
    const [header, rule, first, second] = table.stdout.trim().split('\n');
    expect(header).toMatch(/^key +requests +errors/);
    expect(rule).toMatch(/^-+ +-+/);
    expect(first).toMatch(/^gpt-4o-mini +200 /);
    expect(second).toMatch(/^gpt-4o +100 /);
    const json = JSON.parse(
      (await runCli(['query', 'summary', '--from', from, '--db', db, '--format', 'json'])).stdout,
    ) as { rows: Array<{ requests: number }> };
    expect(json.rows[0]!.requests).toBe(300);
    const csv = await runCli([
      'query',
      'timeseries',
      '--grain',
      'day',
      '--from',
      from,
      '--db',
      db,
      '--format',
      'csv',
    ]);
    const rows = csv.stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^key,t,requests,errors,/);
    expect(rows.slice(1).reduce((sum, r) => sum + Number(r.split(',')[2]), 0)).toBe(300);
  });

  it('verify reports a tampered rollup row; rebuild repairs it', async () => {
    const sqlite = new Database(db);
    sqlite
      .prepare(
        "update rollup_model set count = count + 5, cost_nanos = cost_nanos + 1 where grain = 'hour' and model = 'gpt-4o'",
      )
      .run();
    sqlite
      .prepare(
        "delete from rollup_context where grain = 'minute' and bucket = (select min(bucket) from rollup_context where grain = 'minute')",
      )
      .run();
    sqlite.close();
    const broken = await runCli(['verify', '--db', db]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(
      /rollup_model \[hour \/ default \/ \d+ \/ llm_call \/ gpt-4o \/ openai\]\n {2}stored: {3}cache_read_tokens/,
    );
    expect(broken.stdout).toMatch(/rollup_context \[minute \/ .*\]\n {2}stored: {3}\(no row\)/);
    const rebuilt = await runCli(['rebuild', '--db', db]);
    expect(rebuilt.code).toBe(0);
    expect(rebuilt.stdout).toMatch(/rebuilt \d+ days from 300 events/);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
  });

  it('reprice applies a new price to the stored events and their rollups', async () => {
    await runCli([
      'prices',
      'set',
      '--db',
      db,
      '--model',
      'gpt-4o',
      '--input',
      '1',
      '--output',
      '1',
    ]);
    const r = await runCli(['reprice', '--db', db]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^repriced 300 events: 100 changed, total cost [+−]\$\d+\.\d{6}$/m);
    expect((await runCli(['verify', '--db', db])).code).toBe(0);
  });

  it('query with a bad parameter is one clear error', async () => {
    const r = await runCli(['query', 'summary', '--by', 'colour', '--db', db]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cairn: invalid_parameter: by: /);
  });
});
