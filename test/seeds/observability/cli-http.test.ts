import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine } from '../../../src/engine.js';
import { createApp } from '../../../src/server/app.js';
import { openTestEngine } from '../../support/databases.js';
import { buildDataset } from './builder.js';
import { cairnRows, keyed, normalise, seedRows, type Row } from './compare.js';
import { extractSeedSql, seedDatabase, seedDocument } from './seed-sql.js';

/**
 * The two ways in from outside: `cairn import observability FILE.db` reading a D1-style SQLite
 * file holding the seed's tables, and POST /v1/import/observability with NDJSON; and the two
 * ways out: the named queries behind `cairn query observability/…` and GET /v1/observability/….
 */
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cairn-observability-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('cairn import observability FILE.db', () => {
  it('imports the seed tables of a D1 file; the views then match the seed’s views in that file', async () => {
    // Recent times: the CLI checks timestamps against the real clock.
    const data = buildDataset(11, Date.now() - 3_600_000, 2);
    const seedFile = join(dir, 'd1.sqlite');
    const seed = seedDatabase(
      extractSeedSql(seedDocument('000')),
      [...data.events, ...data.messages],
      seedFile,
    );
    const db = join(dir, 'cairn.db');
    const r = await runCli(['import', 'observability', seedFile, '--db', db]);
    expect(r.stderr).not.toMatch(/rejected|error/i);
    expect(r.code).toBe(0);
    // Every row becomes at least one event; a run adds one per agent.
    const accepted = Number(/([\d,]+) accepted/.exec(r.stdout)?.[1]?.replace(/,/g, ''));
    expect(accepted).toBeGreaterThan(data.events.length + data.messages.length);

    const expectedDaily = seedRows(seed, 'analytics_user_daily_view').length;
    const engine = await createEngine({ db });
    try {
      for (const [view, key] of [
        ['analytics_messages_view', 'id'],
        ['analytics_conversations_view', 'conversation_id'],
      ] as const) {
        const expected = seedRows(seed, view);
        const columns = Object.keys(expected[0]!).filter((c) => c !== 'estimated_cost_usd');
        const byKey = (x: Row) => String(normalise(x[key]));
        expect(keyed(await cairnRows(engine, view), columns, byKey)).toEqual(
          keyed(expected, columns, byKey),
        );
      }
    } finally {
      await engine.close();
      seed.close();
    }

    // `cairn query observability/user_daily` serves the same view from the command line.
    const q = await runCli(['query', 'observability/user_daily', '--db', db, '--format', 'json']);
    expect(q.code, q.stderr).toBe(0);
    const result = JSON.parse(q.stdout) as { view: string; rows: Row[] };
    expect(result.view).toBe('analytics_user_daily_view');
    expect(result.rows).toHaveLength(expectedDaily);
    expect(result.rows.some((row) => Number(row['estimated_cost_usd']) > 0)).toBe(true);
  });
});

describe('POST /v1/import/observability, GET /v1/observability/…', () => {
  it('takes NDJSON rows, answers 207 naming the bad row, and serves the views', async () => {
    const engine = await openTestEngine('sqlite');
    try {
      const app = createApp(engine);
      const t = Date.now() - 60_000;
      const lines = [
        { table: 'chat_messages', id: 1, session_id: 'telegram:7', role: 'user', timestamp: t },
        {
          table: 'chat_messages',
          id: 2,
          session_id: 'telegram:7',
          role: 'assistant',
          timestamp: t,
        },
        { table: 'chat_messages', id: 3, session_id: 'telegram:7', timestamp: t },
        {
          table: 'observability_events',
          event_id: 'e1',
          triggered_at: t,
          agents: '[{"name":"r"}]',
        },
      ].map((l) => JSON.stringify(l));
      const res = await app.request('/v1/import/observability', {
        method: 'POST',
        headers: { 'content-type': 'application/x-ndjson' },
        body: `${lines.join('\n')}\n`,
      });
      expect(res.status).toBe(207);
      const body = (await res.json()) as { accepted: number; rejected: Row[] };
      expect(body.accepted).toBe(4); // two messages, one run, one step
      expect(body.rejected).toEqual([
        expect.objectContaining({ index: 2, code: 'missing_field', message: 'role: required' }),
      ]);
      const got = await app.request('/v1/observability/messages?session_id=telegram:7');
      expect(got.status).toBe(200);
      const rows = ((await got.json()) as { rows: Row[] }).rows;
      expect(rows.map((m) => [m['id'], m['role'], m['platform'], m['user_id']])).toEqual([
        [1, 'user', 'telegram', '7'],
        [2, 'assistant', 'telegram', '7'],
      ]);
      const bad = await app.request('/v1/observability/messages?sesion_id=x');
      expect(bad.status).toBe(400);
    } finally {
      await engine.close();
    }
  });
});
