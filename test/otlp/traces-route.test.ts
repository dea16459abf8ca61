import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../../src/engine.js';
import { createApp } from '../../src/server/app.js';
import { openTestEngine, postgresAvailable, type BackendName } from '../support/databases.js';
import { otelHarness } from './otel-sdk.js';
import { hexId, jsonRequest } from './otlp-json-request.js';

/**
 * POST /v1/traces through app.request: errors, partial success, gzip, span events → messages;
 * the stored events on SQLite and on PostgreSQL.
 */
// PostgreSQL when a server answers, else PGlite (the same dialect, in process; slower to open).
const backends: BackendName[] = ['sqlite', (await postgresAvailable()) ? 'postgres' : 'pglite'];

/** The engine of the running describe: each opens its own, and describes run one at a time. */
let engine: Engine;
function withEngine(backend: BackendName): void {
  beforeAll(async () => {
    engine = await openTestEngine(backend);
  });
  afterAll(() => engine.close());
}

function post(
  body: string | Uint8Array,
  contentType: string,
  headers: Record<string, string> = {},
) {
  return createApp(engine).request('/v1/traces', {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body,
  });
}

const chat = (extra: Record<string, unknown> = {}) => ({
  'gen_ai.operation.name': 'chat',
  'gen_ai.provider.name': 'openai',
  'gen_ai.request.model': 'gpt-4o-mini',
  'gen_ai.usage.input_tokens': 10,
  'gen_ai.usage.output_tokens': 5,
  ...extra,
});

describe('POST /v1/traces: whole-request errors', () => {
  withEngine('sqlite');
  it.each([
    ['a truncated message', Uint8Array.from([0x0a, 0x05, 0x0a])],
    ['an unsupported wire type', Uint8Array.from([0x0b])],
    ['field 1 as a varint', Uint8Array.from([0x08, 0x01])],
  ])('malformed protobuf (%s) → 400 malformed_body', async (_, bytes) => {
    const res = await post(bytes, 'application/x-protobuf');
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('malformed_body');
    expect(body.error.message).toMatch(/not a valid OTLP protobuf ExportTraceServiceRequest/);
  });

  it.each([
    ['not JSON', '{"resourceSpans": ['],
    ['resourceSpans not an array', '{"resourceSpans": 5}'],
    [
      'a bad span id',
      JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{ spanId: 'zz!' }] }] }] }),
    ],
  ])('malformed JSON (%s) → 400 malformed_body', async (_, text) => {
    const res = await post(text, 'application/json');
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('malformed_body');
  });

  it('another content type → 415 unsupported_media_type', async () => {
    const res = await post('{}', 'text/plain');
    expect(res.status).toBe(415);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('unsupported_media_type');
    expect(body.error.message).toMatch(/application\/x-protobuf or application\/json/);
  });
});

describe.each(backends)('POST /v1/traces on %s: accepted spans', (backend) => {
  withEngine(backend);
  it('takes gzip JSON; a span of no GenAI convention is accepted but not stored', async () => {
    const [traceId, llm, http] = [hexId(16), hexId(8), hexId(8)];
    const body = jsonRequest([
      { traceId, spanId: http, name: 'GET /chat', attributes: { 'http.request.method': 'GET' } },
      { traceId, spanId: llm, parentSpanId: http, attributes: chat() },
    ]);
    const res = await post(gzipSync(JSON.stringify(body)), 'application/json', {
      'content-encoding': 'gzip',
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({});
    expect(await engine.store.getEvent('default', `${traceId}:${http}`)).toBeNull();
    expect(await engine.store.getEvent('default', `${traceId}:${llm}`)).toMatchObject({
      parent_id: `${traceId}:${http}`,
      input_tokens: 10,
    });
  });

  it('partial success (JSON): a span with a negative token count is rejected, the good one stored', async () => {
    const [traceId, good, bad] = [hexId(16), hexId(8), hexId(8)];
    const body = jsonRequest([
      { traceId, spanId: good, attributes: chat() },
      {
        traceId,
        spanId: bad,
        name: 'chat bad',
        attributes: chat({ 'gen_ai.usage.input_tokens': -3 }),
      },
    ]);
    const res = await post(JSON.stringify(body), 'application/json');
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(out.partialSuccess.rejectedSpans).toBe(1);
    expect(out.partialSuccess.errorMessage).toMatch(/invalid_token_count: usage\.input_tokens/);
    expect(out.partialSuccess.errorMessage).toContain(bad);
    expect(await engine.store.getEvent('default', `${traceId}:${good}`)).not.toBeNull();
    expect(await engine.store.getEvent('default', `${traceId}:${bad}`)).toBeNull();
  });

  it('partial success (protobuf): the response is an encoded ExportTraceServiceResponse', async () => {
    const h = otelHarness('proto', null, { 'service.name': 'pb' });
    h.span('chat ok', chat()).end();
    h.span('chat bad', chat({ 'gen_ai.usage.output_tokens': -1 })).end();
    const bytes = ProtobufTraceSerializer.serializeRequest(h.memory.getFinishedSpans())!;
    const res = await post(bytes, 'application/x-protobuf');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-protobuf');
    const decoded = ProtobufTraceSerializer.deserializeResponse(
      new Uint8Array(await res.arrayBuffer()),
    );
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(/usage\.output_tokens/);
    const all = await post(
      ProtobufTraceSerializer.serializeRequest(h.memory.getFinishedSpans().slice(0, 1))!,
      'application/x-protobuf',
    );
    expect((await all.arrayBuffer()).byteLength).toBe(0); // all accepted (a duplicate): empty message
    await h.shutdown();
  });

  it('span events with content become message events; replayed history is not stored twice', async () => {
    const [traceId, spanId] = [hexId(16), hexId(8)];
    const details = {
      'gen_ai.input.messages': JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: 'Hi' }] },
        { role: 'assistant', parts: [{ type: 'text', content: 'Hello!' }] },
        { role: 'user', parts: [{ type: 'text', content: 'Weather in Paris?' }] },
      ]),
      'gen_ai.output.messages': [
        {
          role: 'assistant',
          parts: [{ type: 'text', content: 'Rainy, 57°F.' }],
          finish_reason: 'stop',
        },
      ],
    };
    const body = jsonRequest([
      {
        traceId,
        spanId,
        attributes: chat({ 'gen_ai.conversation.id': 'conv-7' }),
        events: [{ name: 'gen_ai.client.inference.operation.details', attributes: details }],
      },
    ]);
    expect((await post(JSON.stringify(body), 'application/json')).status).toBe(200);
    const parent = `${traceId}:${spanId}`;
    const [m0, m1, m2] = await Promise.all(
      [0, 1, 2].map((i) => engine.store.getEvent('default', `${parent}:m${i}`)),
    );
    expect(m0).toMatchObject({
      type: 'message',
      name: 'user',
      content: 'Weather in Paris?',
      parent_id: parent,
      session_id: 'conv-7',
    });
    expect(m1).toMatchObject({ type: 'message', name: 'assistant', content: 'Rainy, 57°F.' });
    expect(m2).toBeNull();
  });

  it('an MCP server span with a JSON-RPC error → tool_call error with the code', async () => {
    const [traceId, spanId] = [hexId(16), hexId(8)];
    const attributes = {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'query_db',
      'error.type': '-32602',
      'rpc.response.status_code': '-32602',
      'mcp.session.id': 's-1',
    };
    const body = jsonRequest([
      { traceId, spanId, kind: 2, attributes, status: { code: 2, message: 'Invalid params' } },
    ]);
    expect((await post(JSON.stringify(body), 'application/json')).status).toBe(200);
    expect(await engine.store.getEvent('default', `${traceId}:${spanId}`)).toMatchObject({
      type: 'tool_call',
      tool: 'query_db',
      status: 'error',
      error_type: 'jsonrpc_error',
      error_code: '-32602',
      error_message: 'Invalid params',
      client_name: null,
    });
  });
});

describe('POST /v1/traces with a key confined to one workspace', () => {
  withEngine('sqlite');

  it('a span naming another workspace is rejected alone; the good spans are stored', async () => {
    const scoped = engine.forWorkspace('acme');
    const [traceId, spanId] = [hexId(16), hexId(8)];
    const acme = jsonRequest([{ traceId, spanId, attributes: chat() }], {
      'cairn.workspace': 'acme',
    });
    // An agent span whose parent is not in the request: its type is looked up in the store.
    const globex = jsonRequest(
      [
        {
          name: 'invoke_agent planner',
          parentSpanId: hexId(8),
          attributes: { 'gen_ai.operation.name': 'invoke_agent', 'gen_ai.agent.name': 'planner' },
        },
      ],
      { 'cairn.workspace': 'globex' },
    );
    const body = { resourceSpans: [...acme.resourceSpans, ...globex.resourceSpans] };
    const res = await createApp(scoped).request('/v1/traces', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as {
      partialSuccess: { rejectedSpans: number; errorMessage: string };
    };
    expect(out.partialSuccess.rejectedSpans).toBe(1);
    expect(out.partialSuccess.errorMessage).toMatch(
      /"invoke_agent planner"\): workspace_not_allowed/,
    );
    expect(await scoped.store.getEvent('acme', `${traceId}:${spanId}`)).toMatchObject({
      type: 'llm_call',
      workspace: 'acme',
    });
    expect(await engine.store.listEvents({ workspace: 'globex' })).toEqual([]);
  });
});
