import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import type { SummaryResult } from '../../src/query/summary.js';
import { errorLabel, toolUsage, toolUsageParams } from '../../src/query/tools.js';
import { openTestEngine } from '../support/databases.js';
import { useWorkloadEngines } from '../support/workload-engines.js';
import { items, NOW, wire } from '../support/events.js';

const t0 = Date.parse('2026-11-19T10:00:00Z');
const range = { from: String(t0 - 60_000), to: String(t0 + 3_600_000) };
type Wire = Record<string, unknown>;

const cd = { client_name: 'claude-desktop', client_version: '0.9.2' };
const cursor = { client_name: 'cursor', client_version: '1.0' };
let n = 0;
/** An MCP tools/call of `tool`; `error` as the MCP client reported it. */
function call(tool: string | undefined, o: Wire = {}): Wire {
  return wire({
    type: 'tool_call',
    timestamp: t0 + 1_000 * ++n,
    model: undefined,
    provider: undefined,
    usage: undefined,
    workspace: 'tw',
    tool,
    tool_call: { method: 'tools/call', request_id: n },
    ...o,
  });
}
const rpc = (code: number, message: string) => ({
  error: { type: 'jsonrpc_error', code, message },
});

// prettier-ignore
const handEvents = [
  call('search', { duration_ms: 100, session_id: 'S1', ...cd }),
  call('search', { duration_ms: 200, session_id: 'S1', ...cd }),
  call('search', { duration_ms: 50, session_id: 'S2', ...cursor, ...rpc(-32602, 'Invalid params') }),
  call('search', { duration_ms: 60, session_id: 'S2', ...cursor, ...rpc(-32602, 'Invalid params') }),
  call('search', { duration_ms: 70, session_id: 'S2', client_name: 'cursor', ...rpc(-32700, 'Parse error') }),
  call('search', { duration_ms: 30_000, session_id: 'S3', ...cd, status: 'timeout', error: { type: 'timeout', code: -32001, message: 'Request timed out' } }),
  // A successful JSON-RPC response whose result says isError: recorded as a tool_error.
  call('search', { duration_ms: 80, session_id: 'S3', ...cd, error: { type: 'tool_error', message: 'ENOENT' },
    tool_call: { method: 'tools/call', result: { isError: true, content: [{ type: 'text', text: 'ENOENT' }] } } }),
  call('search', { duration_ms: 90, session_id: 'S3', ...cd, ...rpc(-32050, 'Backend down') }),
  call('fetch', { duration_ms: 10 }),
  call('fetch', { duration_ms: 11, ...rpc(-32601, 'Method not found') }),
  call('fetch', { duration_ms: 12, ...rpc(-32600, 'Invalid Request') }),
  call('fetch', { duration_ms: 13, ...rpc(-32603, 'Internal error') }),
  call(undefined, { duration_ms: 5 }),
  wire({ workspace: 'tw', timestamp: t0 }),
  call('search', { timestamp: t0 - 3_600_000 }),
];

/** The exact q-quantile (rank floor(q·(n−1))), which the histogram answers within 1 %. */
function exactQuantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(q * (sorted.length - 1))]!;
}

/** A tool's row computed from wire events; quantiles are checked separately (±1 %). */
function expectedRow(calls: Wire[]) {
  const failed = calls.filter((c) => c.error !== undefined || c.status === 'timeout');
  const clients = new Map<string | null, number>();
  for (const c of calls) {
    const key =
      c.client_name === undefined
        ? null
        : [c.client_name, c.client_version].filter(Boolean).join('@');
    clients.set(key, (clients.get(key) ?? 0) + 1);
  }
  return {
    calls: calls.length,
    errors: failed.length,
    error_rate: failed.length / calls.length,
    timeouts: calls.filter((c) => c.status === 'timeout').length,
    sessions: new Set(calls.map((c) => c.session_id).filter(Boolean)).size,
    clients: [...clients].map(([client, count]) => ({ client, count })),
  };
}

describe('errorLabel', () => {
  it('names JSON-RPC codes, the server-error range and isError results', () => {
    expect(errorLabel('jsonrpc_error', '-32700')).toBe('parse error');
    expect(errorLabel(null, '-32600')).toBe('invalid request');
    expect(errorLabel(null, '-32601')).toBe('method not found');
    expect(errorLabel(null, '-32602')).toBe('invalid params');
    expect(errorLabel(null, '-32603')).toBe('internal error');
    expect(errorLabel(null, '-32099')).toBe('server error');
    expect(errorLabel('timeout', '-32001')).toBe('server error (request timeout)');
    expect(errorLabel(null, '-32100')).toBeNull();
    expect(errorLabel('rate_limit_error', '429')).toBeNull();
    expect(errorLabel('tool_error', null)).toBe('tool result isError');
    expect(errorLabel('tool_error', 'E1')).toBeNull();
  });
});

describe('tool_usage on hand-written events', () => {
  let engine: Engine;
  beforeAll(async () => {
    engine = await openTestEngine('sqlite');
    expect((await engine.ingest(items(...handEvents), NOW)).rejected).toEqual([]);
  });
  afterAll(() => engine.close());

  const usage = (p: Wire = {}) =>
    toolUsage(engine.store, toolUsageParams.parse({ ...range, ...p }), NOW);
  const inRange = (tool: string | undefined) =>
    handEvents.filter(
      (e) => e.type === 'tool_call' && e.tool === tool && (e.timestamp as number) >= t0,
    );

  it('counts calls, errors, timeouts, sessions and clients per tool, most-called first', async () => {
    const r = await usage();
    expect(r.tools.map((t) => t.tool)).toEqual(['search', 'fetch', null]);
    const search = r.tools[0]!;
    expect(search).toMatchObject(expectedRow(inRange('search')));
    expect(search).toMatchObject({ calls: 8, errors: 6, timeouts: 1, sessions: 3 });
    expect(search.clients).toEqual([
      { client: 'claude-desktop@0.9.2', count: 5 },
      { client: 'cursor@1.0', count: 2 },
      { client: 'cursor', count: 1 },
    ]);
    expect(r.tools[1]).toMatchObject({
      ...expectedRow(inRange('fetch')),
      clients: [{ client: null, count: 4 }],
    });
  });

  it('lists error codes with JSON-RPC labels and the isError result', async () => {
    const [search, fetch] = (await usage()).tools;
    expect(search!.error_codes).toEqual([
      { error_type: 'jsonrpc_error', error_code: '-32602', label: 'invalid params', count: 2 },
      {
        error_type: 'timeout',
        error_code: '-32001',
        label: 'server error (request timeout)',
        count: 1,
      },
      { error_type: 'jsonrpc_error', error_code: '-32050', label: 'server error', count: 1 },
      { error_type: 'jsonrpc_error', error_code: '-32700', label: 'parse error', count: 1 },
      { error_type: 'tool_error', error_code: null, label: 'tool result isError', count: 1 },
    ]);
    expect(fetch!.error_codes.map((c) => c.label)).toEqual([
      'invalid request',
      'method not found',
      'internal error',
    ]);
  });

  it('gives latency quantiles within 1 % of the exact ones, equal to the summary’s', async () => {
    const r = await usage();
    const summary = (await engine.query(
      'summary',
      { ...range, by: 'tool', type: 'tool_call' },
      NOW,
    )) as SummaryResult;
    for (const t of r.tools.filter((x) => x.tool !== null)) {
      const durations = inRange(t.tool!).map((e) => e.duration_ms as number);
      for (const [k, q] of [
        ['p50', 0.5],
        ['p95', 0.95],
        ['p99', 0.99],
      ] as const) {
        const exact = exactQuantile(durations, q);
        expect(Math.abs(t.duration_ms[k]! - exact) / exact, `${t.tool} ${k}`).toBeLessThanOrEqual(
          0.01,
        );
      }
      const row = summary.rows.find((s) => s.key === t.tool)!;
      expect(t.duration_ms).toEqual({
        p50: row.duration_ms.p50,
        p95: row.duration_ms.p95,
        p99: row.duration_ms.p99,
      });
    }
  });

  it('filters by tool and client, and limits', async () => {
    expect((await usage({ tool: 'fetch' })).tools.map((t) => t.tool)).toEqual(['fetch']);
    const cursorOnly = await usage({ client_name: 'cursor' });
    expect(cursorOnly.tools).toHaveLength(1);
    expect(cursorOnly.tools[0]).toMatchObject({ tool: 'search', calls: 3, errors: 3 });
    expect((await usage({ limit: '1' })).tools.map((t) => t.tool)).toEqual(['search']);
  });

  it('answers an empty range with no tools', async () => {
    const empty = { from: String(t0 - 7_200_000), to: String(t0 - 3_700_000) };
    expect(await usage(empty)).toEqual({ tools: [] });
  });
});

describe('the parity workload', () => {
  const { events, engines, backends, wide } = useWorkloadEngines();

  it('answers alike on every backend, by workspace too', async () => {
    const answers = await Promise.all(
      backends.map(async (b) => {
        const store = engines.get(b)!.store;
        return Promise.all([
          toolUsage(store, toolUsageParams.parse(wide)),
          toolUsage(store, toolUsageParams.parse({ ...wide, workspace: 'ws-02' })),
        ]);
      }),
    );
    expect(answers[0]![0].tools.length).toBeGreaterThan(5);
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });

  it('per-tool numbers equal a computation from the generated stream', async () => {
    const unique = new Map<string, Wire>();
    for (const e of events)
      if (e.type === 'tool_call') unique.set(`${e.workspace as string}\u0000${e.id as string}`, e);
    const byTool = new Map<string, Wire[]>();
    for (const e of unique.values())
      byTool.set(e.tool as string, [...(byTool.get(e.tool as string) ?? []), e]);
    const r = await toolUsage(engines.get('sqlite')!.store, toolUsageParams.parse(wide));
    expect(r.tools).toHaveLength(byTool.size);
    for (const t of r.tools) {
      const calls = byTool.get(t.tool!)!;
      const { clients, ...counts } = expectedRow(calls);
      expect(t, t.tool!).toMatchObject(counts);
      expect(new Set(t.clients)).toEqual(new Set(clients));
      const failed = calls.filter((c) => c.status === 'error' || c.status === 'timeout');
      expect(t.error_codes.reduce((s, c) => s + c.count, 0)).toBe(failed.length);
    }
  });
});
