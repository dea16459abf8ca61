import type { Span } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { usageFromAnthropic } from '../../src/core/usage.js';
import type { Engine } from '../../src/engine.js';
import { startServer, type RunningServer } from '../../src/server/serve.js';
import { openTestEngine } from '../support/databases.js';
import { otelHarness, SpanKind, SpanStatusCode, type ExporterKind } from './otel-sdk.js';

/**
 * The real OpenTelemetry JS SDK (NodeTracerProvider + BatchSpanProcessor + OTLPTraceExporter,
 * protobuf and JSON) exporting GenAI and MCP spans to a real listening Cairn server; the stored
 * events and the summary numbers are checked, and a resend must change nothing.
 */
let engine: Engine;
let server: RunningServer;
beforeAll(async () => {
  engine = await openTestEngine('sqlite');
  server = await startServer(engine, { host: '127.0.0.1', port: 0 });
});
afterAll(() => server.close());

// Anthropic reports input without cache reads and writes; Cairn stores the total.
const ANTHROPIC = {
  input_tokens: 100,
  cache_read_input_tokens: 2000,
  cache_creation_input_tokens: 500,
  output_tokens: 50,
};
const MODEL = 'claude-sonnet-4-5';

function idOf(span: Span): string {
  const c = span.spanContext();
  return `${c.traceId}:${c.spanId}`;
}

/** Emits one of each span the issue lists; returns their event ids. */
function emitSpans(h: ReturnType<typeof otelHarness>) {
  const start = Date.now() - 10_000;
  const chat = h.span(
    `chat ${MODEL}`,
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'anthropic',
      'gen_ai.request.model': MODEL,
      'gen_ai.conversation.id': 'conv-1',
      // semconv: input_tokens includes cached tokens (Anthropic: input + cache read + cache write)
      'gen_ai.usage.input_tokens': 2600,
      'gen_ai.usage.cache_read.input_tokens': 2000,
      'gen_ai.usage.cache_creation.input_tokens': 500,
      'gen_ai.usage.output_tokens': 50,
      'gen_ai.response.finish_reasons': ['stop'],
    },
    { kind: SpanKind.CLIENT, startMs: start },
  );
  chat.end(start + 1200);
  // The Vercel AI SDK (v4/v5) passes Anthropic's own input_tokens through.
  const vercel = h.span(
    'ai.generateText.doGenerate',
    {
      'ai.operationId': 'ai.generateText.doGenerate',
      'ai.model.provider': 'anthropic.messages',
      'ai.model.id': MODEL,
      'ai.usage.promptTokens': 100,
      'ai.usage.completionTokens': 50,
      'ai.usage.cachedInputTokens': 2000,
      'ai.response.providerMetadata': JSON.stringify({
        anthropic: { cacheCreationInputTokens: 500, cacheReadInputTokens: 2000 },
      }),
    },
    { startMs: start },
  );
  vercel.end(start + 900);
  const agent = h.span(
    'invoke_agent triage',
    {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'triage',
      'gen_ai.provider.name': 'openai',
    },
    { startMs: start },
  );
  const sub = h.span(
    'invoke_agent researcher',
    {
      'gen_ai.operation.name': 'invoke_agent',
      'gen_ai.agent.name': 'researcher',
    },
    { startMs: start + 10, parent: agent },
  );
  const tool = h.span(
    'execute_tool get_weather',
    {
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'get_weather',
      'gen_ai.tool.call.id': 'call-1',
    },
    { startMs: start + 20, parent: agent },
  );
  // 350 µs: sub-millisecond precision must survive.
  tool.end([Math.floor((start + 20) / 1000), ((start + 20) % 1000) * 1e6 + 350_000]);
  sub.end(start + 400);
  agent.end(start + 500);
  const mcp = h.span(
    'tools/call search_docs',
    {
      'mcp.method.name': 'tools/call',
      'gen_ai.tool.name': 'search_docs',
      'gen_ai.operation.name': 'execute_tool',
      'jsonrpc.request.id': '42',
      'mcp.session.id': 'mcp-session-9',
      'mcp.protocol.version': '2025-06-18',
    },
    { kind: SpanKind.CLIENT, startMs: start },
  );
  mcp.end(start + 80);
  const failed = h.span(
    'chat gpt-4o-mini',
    {
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'error.type': 'RateLimitError',
    },
    { kind: SpanKind.CLIENT, startMs: start },
  );
  failed.setStatus({ code: SpanStatusCode.ERROR, message: 'Rate limit reached' });
  failed.end(start + 30);
  return { chat, vercel, agent, sub, tool, mcp, failed, start };
}

describe.each<ExporterKind>(['proto', 'json'])(
  'OTLPTraceExporter (%s) → POST /v1/traces',
  (kind) => {
    const workspace = `otel-${kind}`;
    let h: ReturnType<typeof otelHarness>;
    let ids: ReturnType<typeof emitSpans>;
    const get = (span: Span) => engine.store.getEvent(workspace, idOf(span));

    beforeAll(async () => {
      h = otelHarness(kind, `${server.url}/v1/traces`, {
        'service.name': 'support-bot',
        'service.version': '2.1.0',
        'deployment.environment.name': 'staging',
        'cairn.workspace': workspace,
      });
      ids = emitSpans(h);
      await h.flush();
    });
    afterAll(() => h.shutdown());

    it('stores a chat span as an llm_call with Anthropic usage as totals and the right cost', async () => {
      const e = await get(ids.chat);
      expect(e).toMatchObject({
        type: 'llm_call',
        app: 'support-bot',
        environment: 'staging',
        model: MODEL,
        provider: 'anthropic',
        session_id: 'conv-1',
        trace_id: ids.chat.spanContext().traceId,
        parent_id: null,
        status: 'ok',
        name: 'chat',
        ...usageFromAnthropic(ANTHROPIC),
        duration_ms: 1200,
        timestamp: ids.start,
      });
      expect(e!.cost_nanos).toBeGreaterThan(0);
      expect(e!.detail).toMatchObject({ finish_reason: 'stop' });
      // The same call sent as a native event, converted with usageFromAnthropic, costs the same.
      const native = {
        id: `native-${kind}`,
        type: 'llm_call',
        timestamp: ids.start,
        model: MODEL,
        provider: 'anthropic',
      };
      await engine.ingest([
        {
          ok: true,
          value: {
            ...native,
            workspace: `${workspace}-native`,
            usage: usageFromAnthropic(ANTHROPIC),
          },
        },
      ]);
      const reference = await engine.store.getEvent(`${workspace}-native`, native.id);
      expect(e!.cost_nanos).toBe(reference!.cost_nanos);
    });

    it('converts the Vercel AI SDK (Anthropic-counting) usage to the same totals and cost', async () => {
      const [chat, vercel] = [await get(ids.chat), await get(ids.vercel)];
      expect(vercel).toMatchObject({
        type: 'llm_call',
        provider: 'anthropic',
        model: MODEL,
        ...usageFromAnthropic(ANTHROPIC),
      });
      expect(vercel!.cost_nanos).toBe(chat!.cost_nanos);
    });

    it('nests an agent run, a sub-agent step and a tool call by trace and parent ids', async () => {
      const [run, step, tool] = [await get(ids.agent), await get(ids.sub), await get(ids.tool)];
      expect(run).toMatchObject({
        type: 'agent_run',
        agent: 'triage',
        name: 'triage',
        parent_id: null,
      });
      expect(step).toMatchObject({
        type: 'agent_step',
        agent: 'researcher',
        parent_id: idOf(ids.agent),
      });
      expect(tool).toMatchObject({
        type: 'tool_call',
        tool: 'get_weather',
        agent: 'triage',
        parent_id: idOf(ids.agent),
        trace_id: ids.agent.spanContext().traceId,
        name: 'execute_tool',
      });
      expect(tool!.duration_ms).toBeCloseTo(0.35, 6);
    });

    it('stores an MCP tools/call span as a tool_call with session and client context', async () => {
      expect(await get(ids.mcp)).toMatchObject({
        type: 'tool_call',
        tool: 'search_docs',
        name: 'tools/call',
        session_id: 'mcp-session-9',
        client_name: 'support-bot',
        client_version: '2.1.0',
        status: 'ok',
        detail: { request_id: '42' },
      });
    });

    it('stores an error span with status error and the error type and message', async () => {
      expect(await get(ids.failed)).toMatchObject({
        status: 'error',
        error_type: 'RateLimitError',
        error_message: 'Rate limit reached',
      });
    });

    it('summary numbers match, and a resend of the same spans changes nothing', async () => {
      const to = new Date(Date.now() + 60_000).toISOString();
      const query = () =>
        engine.query('summary', {
          workspace,
          from: new Date(ids.start - 60_000).toISOString(),
          to,
        });
      const before = (await query()) as { rows: Array<Record<string, unknown>> };
      expect(before.rows[0]).toMatchObject({
        requests: 7,
        errors: 1,
        cache_read_tokens: 4000,
        cache_write_tokens: 1000,
      });
      expect(before.rows[0]!['input_tokens']).toBe(2 * 2600);
      const spans = h.memory.getFinishedSpans();
      expect(await h.resend(spans)).toBe(0);
      expect(await query()).toEqual(before);
      expect(await engine.store.listEvents({ workspace })).toHaveLength(7);
    });
  },
);
