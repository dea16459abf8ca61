import { status, type ServiceError } from '@grpc/grpc-js';
import type { Span } from '@opentelemetry/api';
import { ProtobufTraceSerializer } from '@opentelemetry/otlp-transformer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CairnEvent } from '../../src/core/event.js';
import type { Engine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openTestEngine } from '../support/databases.js';
import { grpcHarness, rawTraceClient } from './otel-grpc.js';
import { otelHarness, SpanKind, SpanStatusCode, type OtelHarness } from './otel-sdk.js';

/**
 * The OTLP/gRPC listener against the real @opentelemetry/exporter-trace-otlp-grpc (plain and
 * gzip) and a raw grpc-js client: the same spans stored over gRPC and over HTTP give the same
 * events and summary numbers; malformed payloads, partial success, size limit, off by default,
 * graceful shutdown.
 */
let engine: Engine;
let server: RunningServer;
beforeAll(async () => {
  engine = await openTestEngine('sqlite', { server: { otlpGrpcPort: 0 } });
  server = await startServer(engine, { host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

const MODEL = 'claude-sonnet-4-5';
const START = Date.now() - 10_000;
// Fixed, so two summaries of the same data have the same plan.
const END = Date.now() + 60_000;

const resourceOf = (workspace: string) => ({
  'service.name': 'support-bot',
  'service.version': '2.1.0',
  'deployment.environment.name': 'staging',
  'cairn.workspace': workspace,
});

/** A GenAI chat span with usage, an MCP tools/call span and a failed chat span. */
function emitSpans(h: OtelHarness): { chat: Span; mcp: Span; failed: Span } {
  const chat = h.span(
    `chat ${MODEL}`,
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': MODEL,
      'gen_ai.conversation.id': 'conv-1',
      'gen_ai.usage.input_tokens': 2600,
      'gen_ai.usage.cache_read.input_tokens': 2000,
      'gen_ai.usage.cache_creation.input_tokens': 500,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.response.finish_reasons': ['stop'],
    },
    { kind: SpanKind.CLIENT, startMs: START },
  );
  chat.end(START + 1200);
  const mcp = h.span(
    'tools/call search_docs',
    {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'search_docs',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': '42',
      'mcp.session.id': 'mcp-session-9',
    },
    { kind: SpanKind.CLIENT, startMs: START },
  );
  mcp.end(START + 80);
  const failed = h.span(
    'chat gpt-4o-mini',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'error.type': 'RateLimitError',
    },
    { kind: SpanKind.CLIENT, startMs: START },
  );
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'Rate limit reached' });
  failed.end(START + 30);
  return { chat, mcp, failed };
}

/** Stored events without what differs by design between two sends (ids, workspace). */
async function storedShape(workspace: string): Promise<CairnEvent[]> {
  const events = await engine.store.listEvents({ workspace });
  return events
    .map((e) => ({ ...e, id: '', trace_id: '', parent_id: '', workspace: '' }))
    .sort((a, b) => `${a.name}|${a.model}`.localeCompare(`${b.name}|${b.model}`));
}

function summary(workspace: string) {
  return engine.query('summary', {
    workspace,
    from: new Date(START - 60_000).toISOString(),
    to: new Date(END).toISOString(),
  }) as Promise<{ rows: Array<Record<string, unknown>> }>;
}

const idOf = (span: Span) => `${span.spanContext().traceId}:${span.spanContext().spanId}`;

/** The HTTP reference: the same spans through OTLP/HTTP protobuf to POST /v1/traces. */
const HTTP_WORKSPACE = 'otel-http-reference';
beforeAll(async () => {
  const h = otelHarness('proto', `${server.url}/v1/traces`, resourceOf(HTTP_WORKSPACE));
  emitSpans(h);
  await h.flush();
  await h.shutdown();
});

describe.each([
  ['plain', false],
  ['gzip', true],
])('OTLPTraceExporter (gRPC, %s) → TraceService/Export', (label, gzip) => {
  const workspace = `otel-grpc-${label}`;
  let h: OtelHarness;
  let spans: ReturnType<typeof emitSpans>;

  beforeAll(async () => {
    h = grpcHarness(`http://127.0.0.1:${server.otlpGrpcPort}`, resourceOf(workspace), gzip);
    spans = emitSpans(h);
    await h.flush();
  });
  afterAll(() => h.shutdown());

  it('stores the chat span as an llm_call with its usage, and the MCP span as a tool_call', async () => {
    const chat = await engine.store.getEvent(workspace, idOf(spans.chat));
    expect(chat).toMatchObject({
      type: 'llm_call',
      app: 'support-bot',
      environment: 'staging',
      model: MODEL,
      provider: 'anthropic',
      session_id: 'conv-1',
      input_tokens: 2600,
      cache_read_tokens: 2000,
      cache_write_tokens: 500,
      output_tokens: 50,
      duration_ms: 1200,
      timestamp: START,
    });
    expect(chat!.cost_nanos).toBeGreaterThan(0);
    expect(await engine.store.getEvent(workspace, idOf(spans.mcp))).toMatchObject({
      type: 'tool_call',
      tool: 'search_docs',
      name: 'tools/call',
      session_id: 'mcp-session-9',
      client_name: 'support-bot',
      client_version: '2.1.0',
      detail: { request_id: '42' },
    });
  });

  it('stores the same events and summary numbers as the same spans sent over HTTP', async () => {
    expect(await storedShape(workspace)).toEqual(await storedShape(HTTP_WORKSPACE));
    const [grpc, http] = [await summary(workspace), await summary(HTTP_WORKSPACE)];
    expect(grpc.rows[0]).toMatchObject({
      requests: 3,
      errors: 1,
      input_tokens: 2600,
      cache_read_tokens: 2000,
      cache_write_tokens: 500,
    });
    expect(grpc.rows).toEqual(http.rows);
  });

  it('a resend of the same spans succeeds and changes nothing', async () => {
    const before = await summary(workspace);
    expect(await h.resend(h.memory.getFinishedSpans())).toBe(0);
    expect(await summary(workspace)).toEqual(before);
    expect(await engine.store.listEvents({ workspace })).toHaveLength(3);
  });
});

describe('OTLP/gRPC raw calls', () => {
  const chatAttrs = (inputTokens: number) => ({
    'gen_ai.operation.name': 'chat',
    'gen_ai.provider.name': 'openai',
    'gen_ai.request.model': 'gpt-4o-mini',
    'gen_ai.usage.input_tokens': inputTokens,
    'gen_ai.usage.output_tokens': 5,
  });
  let client: ReturnType<typeof rawTraceClient>;
  beforeAll(() => {
    client = rawTraceClient(server.otlpGrpcPort!);
  });
  afterAll(() => client.close());

  it.each([
    ['a truncated message', [0x0a, 0x05, 0x0a]],
    ['an unsupported wire type', [0x0b]],
    ['field 1 as a varint', [0x08, 0x01]],
  ])('garbage (%s) → INVALID_ARGUMENT naming the problem', async (_, bytes) => {
    const err = (await client
      .export(Uint8Array.from(bytes))
      .catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.INVALID_ARGUMENT);
    expect(err.details).toMatch(/not a valid OTLP protobuf ExportTraceServiceRequest: \S/);
  });

  it('a span the pipeline rejects → partial_success with rejected_spans 1; the good span is stored', async () => {
    const h = otelHarness('proto', null, { 'service.name': 'pb', 'cairn.workspace': 'grpc-raw' });
    const good = h.span('chat ok', chatAttrs(10));
    good.end();
    h.span('chat bad', chatAttrs(-3)).end();
    const bytes = ProtobufTraceSerializer.serializeRequest(h.memory.getFinishedSpans())!;
    const decoded = ProtobufTraceSerializer.deserializeResponse(await client.export(bytes));
    expect(Number(decoded.partialSuccess?.rejectedSpans)).toBe(1);
    expect(decoded.partialSuccess?.errorMessage).toMatch(
      /invalid_token_count: usage\.input_tokens/,
    );
    expect(await engine.store.getEvent('grpc-raw', idOf(good))).not.toBeNull();
    // Everything accepted (the good span again, a duplicate): an empty response message.
    const again = ProtobufTraceSerializer.serializeRequest(
      h.memory.getFinishedSpans().slice(0, 1),
    )!;
    expect((await client.export(again)).byteLength).toBe(0);
    await h.shutdown();
  });
});

describe('OTLP/gRPC listener lifecycle', () => {
  it('is off by default', async () => {
    const plain = await startServer(await openTestEngine('sqlite'), {
      host: '127.0.0.1',
      port: 0,
    });
    expect(plain.otlpGrpcPort).toBeNull();
    await plain.close();
  });

  it('refuses a message larger than server.maxBodyBytes with RESOURCE_EXHAUSTED', async () => {
    const small = await startServer(
      await openTestEngine('sqlite', { server: { otlpGrpcPort: 0, maxBodyBytes: 1024 } }),
      { host: '127.0.0.1', port: 0 },
    );
    const client = rawTraceClient(small.otlpGrpcPort!);
    const err = (await client
      .export(new Uint8Array(4096))
      .catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.RESOURCE_EXHAUSTED);
    client.close();
    await small.close();
  });

  it('graceful shutdown lets a running Export finish, then closes the listener and the engine', async () => {
    const base = await openTestEngine('sqlite', { server: { otlpGrpcPort: 0 } });
    let began!: () => void;
    const ingestBegan = new Promise<void>((resolve) => (began = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    const watched: Engine = {
      ...base,
      ingest: async (...args) => {
        began();
        await gate;
        return base.ingest(...args);
      },
      close: async () => {
        closed = true;
        await base.close();
      },
    };
    const running = await startServer(watched, { host: '127.0.0.1', port: 0 });
    const client = rawTraceClient(running.otlpGrpcPort!);
    const h = otelHarness('proto', null, { 'cairn.workspace': 'shutdown' });
    h.span('chat', {
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'gpt-4o-mini',
    }).end();
    const inFlight = client.export(
      ProtobufTraceSerializer.serializeRequest(h.memory.getFinishedSpans())!,
    );
    await ingestBegan;
    const closing = running.close();
    release();
    expect((await inFlight).byteLength).toBe(0);
    await closing;
    expect(closed).toBe(true);
    const after = rawTraceClient(running.otlpGrpcPort!);
    const err = (await after
      .export(new Uint8Array(0), 2_000)
      .catch((e: unknown) => e)) as ServiceError;
    expect(err.code).toBe(status.UNAVAILABLE);
    after.close();
    client.close();
    await h.shutdown();
  });
});
