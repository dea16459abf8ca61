import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Hono } from 'hono';
import { sql } from 'kysely';
import { runCli } from '../../support/cli.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEngine, type Engine } from '../../../src/engine.js';
import { createApp } from '../../../src/server/app.js';
import { openTestEngine } from '../../support/databases.js';
import { recordSession, type InteractionRow } from './record-traffic.js';
import { bytes, exchanges } from './reference.js';

/**
 * The three ways in: POST /v1/mcp/interactions streamed in batches, POST /v1/import/mcp-log, and
 * `cairn import mcp-log FILE` on the proxy's own SQLite database (the CLI run from source).
 */
const log: InteractionRow[] = [];
await recordSession(log, 'http-1', { name: 'vscode', version: '1.96.0' }, false);
const ref = exchanges(log);
const toolCalls = ref.filter((x) => x.method === 'tools/call');

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped SQL rows; the assertions check each field
type Row = Record<string, any>;
const rowsOf = async (engine: Engine, name: string, workspace = 'default'): Promise<Row[]> =>
  (
    await sql<Row>`select * from ${sql.table(name)} where workspace = ${workspace}`.execute(
      engine.store.reader,
    )
  ).rows;
const ndjson = (rows: object[]) => rows.map((r) => JSON.stringify(r)).join('\n');

describe('mcp-log over HTTP', () => {
  let engine: Engine;
  let app: Hono;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
    app = createApp(engine);
  });
  afterAll(() => engine.close());

  const post = (path: string, body: string, type = 'application/x-ndjson') =>
    app.request(path, { method: 'POST', body, headers: { 'content-type': type } });

  it('POST /v1/mcp/interactions streams in batches; a response in a later batch still pairs', async () => {
    const lines = log.map(({ table: _t, ...r }) => r);
    // Row 6 is a tools/call request and row 7 its response: they land in different batches.
    const batches = [lines.slice(0, 6), lines.slice(6, 20), lines.slice(20)];
    let accepted = 0;
    for (const b of batches) {
      const res = await post('/v1/mcp/interactions', ndjson(b));
      expect(res.status).toBe(200);
      accepted += ((await res.json()) as { accepted: number }).accepted;
    }
    expect(accepted).toBe(ref.length);
    const te = await rowsOf(engine, 'tool_executions');
    expect(te.map((t) => Number(t['duration_ms'])).sort()).toEqual(
      toolCalls.map((x) => x.ms).sort(),
    );
    const again = await post('/v1/mcp/interactions', ndjson(lines));
    expect(((await again.json()) as { accepted: number }).accepted).toBe(0);
    expect(await engine.store.countEvents()).toBe(ref.length);
  });

  it('207 with the bad line named; the good lines are stored', async () => {
    const at = new Date().toISOString();
    const body = ndjson([
      {
        id: 'h1',
        session_id: 'http-2',
        timestamp: at,
        direction: 'inbound',
        content: { jsonrpc: '2.0', id: 1, method: 'ping' },
      },
      {
        id: 'h2',
        session_id: 'http-2',
        timestamp: at,
        direction: 'upward',
        content: { jsonrpc: '2.0', id: 2, method: 'ping' },
      },
      {
        id: 'h3',
        session_id: 'http-2',
        timestamp: at,
        direction: 'outbound',
        content: { jsonrpc: '2.0', id: 1, result: {} },
      },
    ]);
    const res = await post('/v1/mcp/interactions', body);
    expect(res.status).toBe(207);
    const out = (await res.json()) as { accepted: number; rejected: Row[] };
    expect(out.accepted).toBe(1);
    expect(out.rejected).toEqual([
      expect.objectContaining({ index: 1, id: 'h2', code: 'invalid_value', table: 'interactions' }),
    ]);
    expect(out.rejected[0]!['message']).toMatch(/^direction: /);
  });

  it('POST /v1/import/mcp-log takes rows of every table', async () => {
    const rows = log.map((r) => ({ ...r, session_id: 'import-1', id: `imp-${r.id}` }));
    const res = await post('/v1/import/mcp-log', JSON.stringify(rows), 'application/json');
    expect(res.status).toBe(200);
    expect(((await res.json()) as { accepted: number }).accepted).toBe(ref.length);
    const te = (await rowsOf(engine, 'tool_executions')).filter(
      (t) => t['session_id'] === 'import-1',
    );
    expect(te.map((t) => Number(t['input_size'])).sort()).toEqual(
      toolCalls.map((x) => bytes(x.req)).sort(),
    );
  });
});

describe('cairn import mcp-log FILE (the proxy SQLite database)', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'cairn-mcp-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads interactions, sessions and events; a second import adds nothing', async () => {
    const file = join(dir, 'proxy.db');
    writeSeedDatabase(file);
    const db = join(dir, 'cairn.db');
    const first = await runCli(['import', 'mcp-log', file, '--db', db]);
    expect(first.code, first.stderr).toBe(0);
    const second = await runCli(['import', 'mcp-log', file, '--db', db]);
    expect(second.stdout).toMatch(/^0 accepted/);
    const engine = await createEngine({ db });
    try {
      const te = await rowsOf(engine, 'tool_executions');
      expect(te.map((t) => Number(t['duration_ms'])).sort()).toEqual(
        toolCalls.map((x) => x.ms).sort(),
      );
      const [summary] = await rowsOf(engine, 'v_session_summary');
      expect(summary).toMatchObject({
        session_id: 'http-1',
        status: 'closed',
        client_name: 'vscode',
      });
      const lifecycle = (await rowsOf(engine, 'session_lifecycle')).map((r) => r['to_state']);
      expect(lifecycle).toContain('repl_restarted');
    } finally {
      await engine.close();
    }
  });
});

/** The seed's tables as the proxy writes them: DATETIME text in UTC without a zone. */
function writeSeedDatabase(file: string): void {
  const db = new Database(file);
  const dt = (iso: string) => iso.replace('T', ' ').replace('Z', '');
  db.exec(`create table sessions (session_id text primary key, start_time datetime, last_activity datetime, status text, metadata text);
    create table interactions (id integer primary key autoincrement, session_id text, timestamp datetime, direction text, message_type text, method text, request_id text, content text);
    create table events (id integer primary key autoincrement, session_id text, event_type text, timestamp datetime, data text);`);
  const last = log[log.length - 1]!.timestamp;
  db.prepare('insert into sessions values (?, ?, ?, ?, ?)').run(
    'http-1',
    dt(log[0]!.timestamp),
    dt(last),
    'closed',
    '{}',
  );
  const insert = db.prepare('insert into interactions values (?, ?, ?, ?, ?, ?, ?, ?)');
  for (const r of log)
    insert.run(
      r.id,
      r.session_id,
      dt(r.timestamp),
      r.direction,
      r.message_type,
      r.method,
      r.request_id,
      r.content,
    );
  db.prepare(
    'insert into events (session_id, event_type, timestamp, data) values (?, ?, ?, ?)',
  ).run('http-1', 'repl_restarted', dt(log[3]!.timestamp), '{}');
  db.close();
}
