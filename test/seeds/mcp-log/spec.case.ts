import { readFileSync } from 'node:fs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../../src/engine.js';
import { items } from '../../support/events.js';
import { answer, call, NOW, row, T, type Row } from './log-rows.js';

/** The MCP specification's own JSON examples (../shared/reference) as a proxy log. */
const SPEC = '../shared/reference/mcp-spec-2026-07-28-examples';
const spec = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(`${SPEC}/${name}.json`, 'utf8')) as Record<string, unknown>;

/** The spec's examples as one session's log, each answer 10 ms after its request. */
function specLog() {
  const s = 'spec-1';
  const discover = spec('DiscoverRequest_server-discover-request');
  const badVersion = {
    ...discover,
    id: 1,
    params: { _meta: { 'io.modelcontextprotocol/protocolVersion': '1900-01-01' } },
  };
  return [
    row(s, T, 'inbound', spec('CallToolRequest_call-tool-request')),
    row(s, T + 120, 'outbound', spec('CallToolResultResponse_call-tool-result-response')),
    row(s, T + 200, 'inbound', discover),
    row(s, T + 230, 'outbound', spec('DiscoverResultResponse_discover-result-response')),
    row(s, T + 300, 'inbound', call(7, 'book_flight', { date: '2025-08-01' })),
    row(
      s,
      T + 310,
      'outbound',
      answer(7, { result: spec('CallToolResult_invalid-tool-input-error') }),
    ),
    row(s, T + 400, 'inbound', call(8, 'invalid_tool_name')),
    row(s, T + 410, 'outbound', answer(8, { error: spec('InvalidParamsError_unknown-tool') })),
    row(s, T + 500, 'inbound', {
      jsonrpc: '2.0',
      id: 9,
      method: 'resources/read',
      params: { uri: 'file:///x' },
    }),
    row(s, T + 510, 'outbound', answer(9, { error: spec('InternalError_unexpected-error') })),
    row(s, T + 600, 'outbound', answer(null, { error: spec('ParseError_invalid-json') })),
    row(s, T + 700, 'inbound', badVersion),
    row(s, T + 710, 'outbound', spec('UnsupportedProtocolVersionError_unsupported-version')),
    row(s, T + 800, 'inbound', call('123', 'get_weather', { location: 'Oslo' })),
    row(s, T + 900, 'inbound', spec('CancelledNotification_user-requested-cancellation')),
    row(s, T + 950, 'outbound', spec('ProgressNotification_progress-message')),
    row(s, T + 960, 'outbound', spec('LoggingMessageNotification_log-database-connection-failed')),
  ];
}

/** The cases, run against the engine `open` gives (one per backend, see backends.test.ts). */
export function specCases(open: () => Engine): void {
  describe('the MCP specification examples', specSuite(open));
}

const specSuite = (open: () => Engine) => () => {
  let engine: Engine;
  const view = async (name: string, where = sql`1 = 1`): Promise<Row[]> =>
    (await sql<Row>`select * from ${sql.table(name)} where ${where}`.execute(engine.store.reader))
      .rows;

  beforeAll(() => {
    engine = open();
  });

  it('the spec examples: statuses, per-request client info, error categories', async () => {
    const r = await engine.importRows('mcp-log', items(...specLog()), { now: NOW });
    expect(r.rejected).toEqual([]);
    // 7 answered or cancelled requests and 1 unpaired parse error; notifications are log only.
    expect(r.accepted).toBe(8);
    const te = await view('tool_executions', sql`session_id = 'spec-1'`);
    const byRequest = Object.fromEntries(te.map((t) => [t['request_id'], t]));
    expect(byRequest['call-tool-example']).toMatchObject({
      tool_name: 'get_weather',
      status: 'success',
      result_type: 'text',
      result_summary: 'Current weather in New York:\nTemperature: 72°F\nConditions: Partly cloudy',
    });
    expect(Number(byRequest['call-tool-example']['duration_ms'])).toBe(120);
    expect(byRequest['7']).toMatchObject({
      tool_name: 'book_flight',
      status: 'error',
      result_summary: 'Invalid departure date: must be in the future. Current date is 08/08/2025.',
    });
    expect(byRequest['8']).toMatchObject({
      status: 'error',
      result_type: 'error',
      result_summary: 'Unknown tool: invalid_tool_name',
    });
    expect(byRequest['123']).toMatchObject({ tool_name: 'get_weather', status: 'cancelled' });
    expect(te).toHaveLength(4);

    const errors = (await view('errors', sql`session_id = 'spec-1'`)).map((e) => [
      e['method'],
      e['error_type'],
      e['error_code'],
      e['error_category'],
      e['message'],
    ]);
    expect(errors.sort((a, b) => String(a[4]).localeCompare(String(b[4])))).toEqual([
      ['resources/read', 'protocol_error', -32603, 'internal_error', 'Internal error'],
      [
        'tools/call',
        'tool_error',
        null,
        'tool_execution_error',
        'Invalid departure date: must be in the future. Current date is 08/08/2025.',
      ],
      [null, 'protocol_error', -32700, 'parse_error', 'Parse error: Invalid JSON'],
      ['tools/call', 'tool_error', -32602, 'invalid_params', 'Unknown tool: invalid_tool_name'],
      [
        'server/discover',
        'protocol_error',
        -32022,
        'unsupported_protocol_version',
        'Unsupported protocol version',
      ],
    ]);
    const [session] = await view('client_sessions', sql`session_id = 'spec-1'`);
    expect(session).toMatchObject({
      client_name: 'ExampleClient',
      client_version: '1.0.0',
      protocol_version: '2026-07-28',
    });
  });

  it('stores events the way the OTLP mapping does, so tool_usage answers for the log', async () => {
    const stored = await engine.store.listEvents({ workspace: 'default', from: T, to: T + 1_000 });
    const weather = stored.find((e) => e.tool === 'invalid_tool_name')!;
    expect([weather.status, weather.error_type, weather.error_code, weather.name]).toEqual([
      'error',
      'jsonrpc_error',
      '-32602',
      'tools/call',
    ]);
    const usage = (await engine.query(
      'tool_usage',
      { from: new Date(T).toISOString(), to: new Date(T + 1_000).toISOString() },
      NOW,
    )) as { tools: Row[] };
    const unknown = usage.tools.find((t) => t['tool'] === 'invalid_tool_name')!;
    expect(unknown['error_codes']).toEqual([
      { error_type: 'jsonrpc_error', error_code: '-32602', label: 'invalid params', count: 1 },
    ]);
    expect(usage.tools.find((t) => t['tool'] === 'book_flight')!['errors']).toBe(1);
  });
};
