import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { createApp } from '../../../src/server/app.js';
import { items } from '../../support/events.js';
import { answer, call, NOW, row, T, type Row } from './log-rows.js';

/** Timeouts and late answers, answers before their request, bad rows, sessions and events rows. */
/** The cases, run against the engine `open` gives (one per backend, see backends.test.ts). */
export function pairingCases(open: () => Engine): void {
  describe('pairing, timeouts and bad rows', pairingSuite(open));
}

const pairingSuite = (open: () => Engine) => () => {
  let engine: Engine;
  const view = async (name: string, where = sql`1 = 1`): Promise<Row[]> =>
    (await sql<Row>`select * from ${sql.table(name)} where ${where}`.execute(engine.store.reader))
      .rows;

  beforeAll(() => {
    engine = open();
  });

  // Timeouts are judged on the log's own clock, per workspace: these cases each use their own.
  const at = (workspace: string, now: number) => ({ workspace, now });
  const statusOf = async (s: string) =>
    (await view('tool_executions', sql`session_id = ${s}`)).map((t) => [
      t['status'],
      t['duration_ms'] === null ? null : Number(t['duration_ms']),
    ]);
  const done = (id: unknown) =>
    answer(id, { result: { content: [{ type: 'text', text: 'done' }] } });

  it('live: pending, then timeout after the limit on an empty import, then a late answer', async () => {
    const w = 'mcp-live';
    const s = 'slow-1';
    const req = row(s, T, 'inbound', call(1, 'slow', { ms: 1 }));
    await engine.importRows('mcp-log', items(req), at(w, T + 1_000));
    expect(await statusOf(s)).toEqual([['pending', null]]);
    // An empty batch (a heartbeat) 6 minutes later: the 5-minute default limit has passed.
    const swept = await engine.importRows('mcp-log', [], at(w, T + 361_000));
    expect(swept.accepted).toBe(1);
    expect(await statusOf(s)).toEqual([['timeout', null]]);
    expect(
      (await view('errors', sql`session_id = ${s}`)).map((e) => [
        e['error_type'],
        e['error_category'],
      ]),
    ).toEqual([['system_error', 'request_timeout']]);
    const late = await engine.importRows(
      'mcp-log',
      items(row(s, T + 420_000, 'outbound', done(1))),
      at(w, T + 421_000),
    );
    expect([late.accepted, late.updated]).toEqual([0, 1]);
    const [ok] = await view('tool_executions', sql`session_id = ${s}`);
    expect([ok!['status'], Number(ok!['duration_ms']), ok!['result_summary']]).toEqual([
      'success',
      420_000,
      'done',
    ]);
    expect(await view('errors', sql`session_id = ${s}`)).toEqual([]);
  });

  it('live: an empty POST /v1/mcp/interactions is a heartbeat that runs the sweep', async () => {
    const s = 'slow-http';
    const w = 'mcp-live-http';
    await engine.importRows('mcp-log', items(row(s, T, 'inbound', call(1, 'slow'))), at(w, T));
    const scoped = engine.forWorkspace(w);
    const realNow = Date.now;
    Date.now = () => T + 600_000;
    try {
      const res = await createApp(scoped).request('/v1/mcp/interactions', {
        method: 'POST',
        body: '',
        headers: { 'content-type': 'application/x-ndjson' },
      });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { accepted: number }).accepted).toBe(1);
    } finally {
      Date.now = realNow;
    }
    expect(await statusOf(s)).toEqual([['timeout', null]]);
  });

  it('an old log imported in batches pairs a request and a response split across batches', async () => {
    const w = 'mcp-old-log';
    const s = 'old-1';
    const later = T + 2 * 86_400_000; // imported two days after it was written
    const first = await engine.importRows(
      'mcp-log',
      items(row(s, T, 'inbound', call(1, 'slow'))),
      at(w, later),
    );
    expect(first.accepted).toBe(0);
    const second = await engine.importRows(
      'mcp-log',
      items(row(s, T + 200, 'outbound', done(1))),
      at(w, later + 50),
    );
    expect([second.accepted, second.updated]).toEqual([1, 0]);
    expect(await statusOf(s)).toEqual([['success', 200]]);
  });

  it('an old log: a request the log itself outlived times out, and is kept for its answer', async () => {
    const w = 'mcp-old-log-2';
    const s = 'old-2';
    const later = T + 3 * 86_400_000;
    // The log moves on 25 hours past the request within the batch: it times out there ...
    await engine.importRows(
      'mcp-log',
      items(
        row(s, T, 'inbound', call(1, 'slow')),
        row(s, T + 90_000_000, 'inbound', { jsonrpc: '2.0', id: 2, method: 'ping' }),
      ),
      at(w, later),
    );
    expect(await statusOf(s)).toEqual([['timeout', null]]);
    // ... but is not forgotten by that batch: its answer in the next one still replaces it.
    await engine.importRows(
      'mcp-log',
      items(row(s, T + 90_000_001, 'outbound', done(1))),
      at(w, later + 10),
    );
    expect(await statusOf(s)).toEqual([['success', 90_000_001]]);
  });

  it('an error code past 32 bits is kept; one past 18 digits is null; the views still read', async () => {
    const s = 'bigcode-1';
    const err = (id: number, code: number) =>
      answer(id, { error: { code, message: `code ${code}` } });
    const r = await engine.importRows(
      'mcp-log',
      items(
        row(s, T, 'inbound', call(1, 'big')),
        row(s, T + 5, 'outbound', err(1, 3_000_000_000)),
        row(s, T + 10, 'inbound', call(2, 'huge')),
        row(s, T + 15, 'outbound', err(2, 1e20)),
      ),
      at('mcp-bigcode', NOW),
    );
    expect(r.rejected).toEqual([]);
    const codes = (await view('errors', sql`session_id = ${s}`))
      .map((e) => [e['tool_name'], e['error_code'], e['error_category']])
      .sort();
    expect(codes).toEqual([
      ['big', 3_000_000_000, 'unknown_error'],
      ['huge', null, 'unknown_error'],
    ]);
    const hot = await view('v_error_hotspots', sql`tool_name in ('big', 'huge')`);
    expect(hot.map((h) => Number(h['error_count']))).toEqual([1, 1]);
  });

  it('a response seen before its request still pairs; ids repeat across directions', async () => {
    const s = 'ooo-1';
    const clientReq = row(s, T, 'inbound', { jsonrpc: '2.0', id: 0, method: 'ping' });
    const serverReq = row(s, T + 5, 'outbound', { jsonrpc: '2.0', id: 0, method: 'ping' });
    // The server answers the client's ping (7 ms), the client the server's (9 − 5 = 4 ms).
    const serverAns = row(s, T + 7, 'outbound', answer(0, { result: {} }));
    const clientAns = row(s, T + 9, 'inbound', answer(0, { result: {} }));
    await engine.importRows('mcp-log', items(serverAns, clientAns), { now: NOW });
    await engine.importRows('mcp-log', items(serverReq, clientReq), { now: NOW });
    const events = (
      await engine.store.listEvents({ workspace: 'default', from: T, to: T + 10 })
    ).filter((e) => e.session_id === s);
    expect(
      events.map((e) => [e.name, e.duration_ms, e.attributes?.['mcp.direction']]).sort(),
    ).toEqual([
      ['ping', 4, 'server_to_client'],
      ['ping', 7, 'client_to_server'],
    ]);
  });

  it('bad rows get a code and a message naming the column; good rows are stored', async () => {
    const good = row('bad-1', T, 'inbound', { jsonrpc: '2.0', id: 1, method: 'ping' });
    const rows = [
      good,
      { ...row('bad-1', T, 'inbound', {}), session_id: undefined },
      row('bad-1', T, 'sideways' as 'inbound', { jsonrpc: '2.0', id: 2, method: 'ping' }),
      { ...row('bad-1', T, 'inbound', {}), content: '{not json' },
      {
        ...row('bad-1', T, 'inbound', { jsonrpc: '2.0', id: 3, method: 'ping' }),
        message_type: 'response',
      },
      {
        ...row('bad-1', T, 'inbound', { jsonrpc: '2.0', id: 4, method: 'ping' }),
        timestamp: 'yesterday',
      },
      { table: 'events', id: 'e1', timestamp: T },
      { table: 'nope' },
      row('bad-1', T + 3, 'outbound', answer(1, { result: {} })),
    ];
    const r = await engine.importRows('mcp-log', items(...rows), { now: NOW });
    expect(r.rejected.map((x) => [x.index, x.code, x.message.split(':')[0]])).toEqual([
      [1, 'missing_field', 'session_id'],
      [2, 'invalid_value', 'direction'],
      [3, 'invalid_value', 'content'],
      [4, 'invalid_value', 'message_type'],
      [5, 'invalid_timestamp', 'timestamp'],
      [6, 'missing_field', 'event_type'],
      [7, 'unknown_table', 'table'],
    ]);
    expect(r.accepted).toBe(1);
  });

  it('a row the pipeline rejects is listed once, by its own id', async () => {
    const blob = JSON.stringify({ blob: 'x'.repeat(1_100_000) });
    // A closed session gives two events, both too large.
    const r = await engine.importRows(
      'mcp-log',
      items({
        table: 'sessions',
        session_id: 'huge-1',
        start_time: '2026-11-21 10:00:00',
        last_activity: '2026-11-21 10:00:05',
        status: 'closed',
        metadata: blob,
      }),
      { now: NOW },
    );
    expect(r.rejected.map((x) => [x.index, x.table, x.id, x.code])).toEqual([
      [0, 'sessions', 'huge-1', 'event_too_large'],
    ]);
  });

  it('sessions and events rows: lifecycle, status and system errors', async () => {
    const s = 'life-1';
    const r = await engine.importRows(
      'mcp-log',
      items(
        row(s, T + 10, 'inbound', {
          jsonrpc: '2.0',
          id: 0,
          method: 'initialize',
          params: {
            protocolVersion: '2025-06-18',
            capabilities: {},
            clientInfo: { name: 'zed', version: '0.1' },
          },
        }),
        row(
          s,
          T + 30,
          'outbound',
          answer(0, {
            result: {
              protocolVersion: '2025-06-18',
              capabilities: {},
              serverInfo: { name: 'x', version: '1' },
            },
          }),
        ),
        {
          table: 'sessions',
          session_id: s,
          start_time: '2026-11-21 10:00:00',
          last_activity: '2026-11-21 10:00:05',
          status: 'closed',
          metadata: '{"target_repl":"main"}',
        },
        {
          table: 'events',
          id: 'ev-1',
          session_id: s,
          event_type: 'reconnecting',
          timestamp: T + 1_000,
          data: '{"attempt":1}',
        },
        {
          table: 'events',
          id: 'ev-2',
          session_id: s,
          event_type: 'backend_error',
          timestamp: T + 2_000,
          data: { message: 'REPL died' },
        },
      ),
      { now: NOW },
    );
    expect(r.rejected).toEqual([]);
    const life = (await view('session_lifecycle', sql`session_id = ${s}`)).sort((a, b) =>
      a['timestamp'].localeCompare(b['timestamp']),
    );
    expect(life.map((l) => [l['timestamp'].slice(11), l['from_state'], l['to_state']])).toEqual([
      ['10:00:00.000Z', null, 'created'],
      ['10:00:00.010Z', 'created', 'connected'],
      ['10:00:00.030Z', 'connected', 'initialized'],
      ['10:00:01.000Z', 'initialized', 'reconnecting'],
      ['10:00:05.000Z', 'reconnecting', 'closed'],
    ]);
    const [summary] = await view('v_session_summary', sql`session_id = ${s}`);
    expect(summary).toMatchObject({
      status: 'closed',
      client_name: 'zed',
      start_time: '2026-11-21T10:00:00.000Z',
    });
    expect(Number(summary!['total_errors'])).toBe(1);
    const [err] = await view('errors', sql`session_id = ${s}`);
    expect([err!['error_type'], err!['error_category'], err!['message'], err!['event_id']]).toEqual(
      ['system_error', 'system_error', 'REPL died', 'mcp-event:ev-2'],
    );
  });
};
