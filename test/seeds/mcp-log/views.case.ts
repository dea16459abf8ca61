import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { items } from '../../support/events.js';
import { recordTraffic } from './record-traffic.js';
import {
  bytes,
  CATEGORY,
  exchanges,
  groupBy,
  iso,
  mean,
  ms,
  percentile,
  type RefExchange,
} from './reference.js';

/**
 * Real SDK traffic through the mcp-log adapter in three batches (a response in a later batch
 * than its request), then every view checked row by row against ./reference.ts.
 */
/** Its own workspace, so the other cases' rows on the same engine never mix in. */
const WORKSPACE = 'traffic';
const log = await recordTraffic();
const ref = exchanges(log);
const tools = ref.filter((x) => x.method === 'tools/call');
const failed = ref.filter((x) => x.status === 'error');
const now = ms(log[log.length - 1]!) + 1_000;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- untyped SQL rows; the assertions check each field
type Row = Record<string, any>;
const bySession = (a: Row, b: Row) =>
  String(a['session_id']).localeCompare(String(b['session_id']));

/** The cases, run against the engine `open` gives (one per backend, see backends.test.ts). */
export function viewCases(open: () => Engine): void {
  describe('views over recorded SDK traffic', viewSuite(open));
}

const viewSuite = (open: () => Engine) => () => {
  let engine: Engine;
  const view = async (name: string): Promise<Row[]> =>
    (
      await sql<Row>`select * from ${sql.table(name)} where workspace = ${WORKSPACE}`.execute(
        engine.store.reader,
      )
    ).rows;

  beforeAll(async () => {
    engine = open();
    // Row 6 is a tools/call request; its response is the first row of the second batch.
    for (const part of [log.slice(0, 6), log.slice(6, 25), log.slice(25)]) {
      const r = await engine.importRows('mcp-log', items(...part), { now, workspace: WORKSPACE });
      expect(r.rejected).toEqual([]);
    }
  });

  it('pairs every request with its response: one tool_call event per exchange', async () => {
    expect(await engine.store.countEvents(WORKSPACE)).toBe(ref.length);
    // Both sides number from 0, so ids repeat across directions: 4 server → client requests.
    expect(ref.filter((x) => !x.clientToServer).map((x) => x.method)).toEqual([
      'sampling/createMessage',
      'ping',
      'sampling/createMessage',
      'ping',
    ]);
  });

  it('tool_executions: one row per tools/call with sizes, status and summary', async () => {
    const rows = (await view('tool_executions')).sort(
      (a, b) => Number(a['interaction_request_id']) - Number(b['interaction_request_id']),
    );
    expect(rows.map(pick)).toEqual(
      tools.map((x) => ({
        session_id: x.session,
        request_id: x.req.request_id,
        tool_name: x.tool,
        tool_method: 'tools/call',
        request_time: x.req.timestamp,
        response_time: x.res.timestamp,
        duration_ms: x.ms,
        input_size: bytes(x.req),
        output_size: bytes(x.res),
        argument_count: Object.keys(x.args ?? {}).length,
        arguments: x.args,
        status: x.status,
        result_type: x.status === 'error' ? 'error' : 'text',
        result_summary: x.text,
        interaction_request_id: String(x.req.id),
        interaction_response_id: String(x.res.id),
      })),
    );
  });

  it('errors: isError results are tool errors, JSON-RPC errors protocol errors by code', async () => {
    const rows = (await view('errors')).sort(
      (a, b) => Number(a['interaction_id']) - Number(b['interaction_id']),
    );
    // JSON text is compact on SQLite and spaced on PostgreSQL (jsonb): compared parsed.
    const parsed = rows.map((r) => ({
      ...r,
      id: undefined,
      workspace: undefined,
      client_info: undefined,
      input_that_caused_error: JSON.parse(r['input_that_caused_error'] ?? 'null'),
    }));
    expect(parsed).toEqual(
      failed.map((x) => ({
        id: undefined,
        workspace: undefined,
        client_info: undefined,
        session_id: x.session,
        timestamp: x.res.timestamp,
        error_type: x.isError || x.method.startsWith('tools/') ? 'tool_error' : 'protocol_error',
        error_code: x.errorCode,
        error_category: x.isError ? 'tool_execution_error' : CATEGORY[x.errorCode!],
        tool_name: x.tool,
        method: x.method,
        request_id: x.req.request_id,
        message: x.text,
        stack_trace: null,
        input_that_caused_error: x.args ?? null,
        resolved: 0,
        resolution_notes: null,
        interaction_id: String(x.res.id),
        event_id: null,
      })),
    );
    expect(new Set(rows.map((r) => r['client_info']))).toEqual(
      new Set(['claude-desktop/1.2.3', 'cursor/0.42.0']),
    );
  });

  it('performance_metrics: exact p50/p95/p99 per tool and hour', async () => {
    const rows = await view('performance_metrics');
    const groups = groupBy(tools, (x) => `${x.tool} ${x.req.timestamp.slice(0, 13)}`);
    expect(rows).toHaveLength(groups.size);
    for (const [key, xs] of groups) {
      const row = rows.find(
        (r) => `${r['tool_name']} ${String(r['timestamp']).slice(0, 13)}` === key,
      )!;
      const d = xs.map((x) => x.ms);
      expect(row['timestamp']).toBe(`${xs[0]!.req.timestamp.slice(0, 13)}:00:00.000Z`);
      expect(Number(row['sample_count'])).toBe(d.length);
      for (const [col, p] of [
        ['p50_ms', 0.5],
        ['p95_ms', 0.95],
        ['p99_ms', 0.99],
      ] as const)
        expect(row[col]).toBeCloseTo(percentile(d, p), 9);
      expect(row['duration_ms']).toBeCloseTo(mean(d), 9);
      expect(row['throughput']).toBeCloseTo(d.length / 3600, 12);
    }
  });

  it('client_sessions: client, protocol, capabilities and counters per session', async () => {
    const rows = (await view('client_sessions')).sort(bySession);
    expect(rows.map((r) => r['session_id'])).toEqual(['sess-a', 'sess-b']);
    for (const row of rows) {
      const xs = ref.filter((x) => x.session === row['session_id']);
      const init = JSON.parse(xs[0]!.req.content).params;
      expect(row['client_name']).toBe(init.clientInfo.name);
      expect(row['client_version']).toBe(init.clientInfo.version);
      expect(row['protocol_version']).toBe(init.protocolVersion);
      expect(Number(row['supports_notifications'])).toBe(
        init.capabilities.roots.listChanged ? 1 : 0,
      );
      expect(JSON.parse(row['initialization_params'])).toEqual(init);
      expect(row['connect_time']).toBe(xs[0]!.req.timestamp);
      expect(row['last_activity']).toBe(iso(Math.max(...xs.map((x) => ms(x.res)))));
      expect(row['disconnect_time']).toBeNull();
      expect(Number(row['total_requests'])).toBe(xs.filter((x) => x.clientToServer).length);
      expect(Number(row['total_errors'])).toBe(xs.filter((x) => x.status === 'error').length);
      const sent = xs.map((x) => bytes(x.clientToServer ? x.req : x.res));
      const received = xs.map((x) => bytes(x.clientToServer ? x.res : x.req));
      expect(Number(row['total_data_sent'])).toBe(sent.reduce((a, b) => a + b));
      expect(Number(row['total_data_received'])).toBe(received.reduce((a, b) => a + b));
    }
  });

  it('session_lifecycle: connected at initialize, initialized at its response', async () => {
    const rows = (await view('session_lifecycle')).sort(
      (a, b) => bySession(a, b) || String(a['timestamp']).localeCompare(String(b['timestamp'])),
    );
    const inits = ref.filter((x) => x.method === 'initialize');
    expect(
      rows.map((r) => [
        r['session_id'],
        r['timestamp'],
        r['event_type'],
        r['from_state'],
        r['to_state'],
      ]),
    ).toEqual(
      inits.flatMap((x) => [
        [x.session, x.req.timestamp, 'connected', null, 'connected'],
        [x.session, x.res.timestamp, 'initialized', 'connected', 'initialized'],
      ]),
    );
  });

  it('v_daily_tool_usage, v_session_summary and v_error_hotspots match the recomputation', async () => {
    const daily = await view('v_daily_tool_usage');
    const days = groupBy(tools, (x) => `${x.req.timestamp.slice(0, 10)} ${x.tool}`);
    expect(daily).toHaveLength(days.size);
    for (const [key, xs] of days) {
      const row = daily.find((r) => `${r['date']} ${r['tool_name']}` === key)!;
      const errors = xs.filter((x) => x.status === 'error').length;
      expect(Number(row['execution_count'])).toBe(xs.length);
      expect(row['avg_duration_ms']).toBeCloseTo(mean(xs.map((x) => x.ms)), 9);
      expect(row['min_duration_ms']).toBe(Math.min(...xs.map((x) => x.ms)));
      expect(row['max_duration_ms']).toBe(Math.max(...xs.map((x) => x.ms)));
      expect(Number(row['error_count'])).toBe(errors);
      expect(Number(row['error_rate_pct'])).toBe(Math.round((10000 * errors) / xs.length) / 100);
    }
    const summary = (await view('v_session_summary')).sort(bySession);
    expect(summary.map((r) => r['session_id'])).toEqual(['sess-a', 'sess-b']);
    for (const row of summary) {
      const te = tools.filter((x) => x.session === row['session_id']);
      expect(row['status']).toBe('active');
      expect(Number(row['total_tool_calls'])).toBe(te.length);
      expect(Number(row['total_errors'])).toBe(
        failed.filter((x) => x.session === row['session_id']).length,
      );
      expect(Number(row['total_execution_time_ms'])).toBe(te.reduce((a, x) => a + x.ms, 0));
      expect(row['avg_execution_time_ms']).toBeCloseTo(mean(te.map((x) => x.ms)), 9);
    }
    const hot = await view('v_error_hotspots');
    const spots = groupBy(
      failed,
      (x: RefExchange) =>
        `${x.tool} ${x.isError || x.method.startsWith('tools/') ? 'tool_error' : 'protocol_error'}`,
    );
    expect(hot).toHaveLength(spots.size);
    for (const [key, xs] of spots) {
      const row = hot.find((r) => `${r['tool_name']} ${r['error_type']}` === key)!;
      expect(Number(row['error_count'])).toBe(xs.length);
      expect(Number(row['affected_sessions'])).toBe(new Set(xs.map((x) => x.session)).size);
      expect(row['last_occurrence']).toBe(iso(Math.max(...xs.map((x) => ms(x.res)))));
    }
  });

  it('re-importing the whole log changes nothing', async () => {
    const before = await view('tool_executions');
    const r = await engine.importRows('mcp-log', items(...log), { now, workspace: WORKSPACE });
    expect({ accepted: r.accepted, updated: r.updated, rejected: r.rejected }).toEqual({
      accepted: 0,
      updated: 0,
      rejected: [],
    });
    expect(await engine.store.countEvents(WORKSPACE)).toBe(ref.length);
    expect(await view('tool_executions')).toHaveLength(before.length);
  });
};

/** A tool_executions row with JSON columns parsed and numbers as numbers, without its id. */
function pick(r: Row): Row {
  const { id: _id, workspace: _w, ...rest } = r;
  return {
    ...rest,
    duration_ms: Number(r['duration_ms']),
    input_size: Number(r['input_size']),
    output_size: Number(r['output_size']),
    argument_count: Number(r['argument_count']),
    arguments: JSON.parse(r['arguments']),
  };
}
