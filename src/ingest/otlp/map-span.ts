import { setOwn, str, structured, type Attrs } from './attributes.js';
import type { Classified } from './classify-span.js';
import { SPAN_KIND, type OtlpSpan } from './otlp-types.js';
import { ERROR_KEYS, spanOutcome } from './span-error.js';
import { spanMessages } from './chat-messages.js';
import { INCLUDES_CACHE_KEY, spanUsage, USAGE_KEYS } from './span-usage.js';
import { durationMs, nanosToMs } from './time.js';

/**
 * One span → Cairn wire events: the span's own event (llm_call, agent_run, agent_step or
 * tool_call) and a `message` event per chat message its events carry. The wire events then go
 * through the ordinary pipeline (validation, dedup, pricing, rollups) like POST /v1/events.
 * Field mapping per convention: docs/otel.md.
 */
export type WireObject = Record<string, unknown>;

/** What the resource (the process that sent the spans) says about every span in it. */
export interface ResourceContext {
  workspace?: string;
  app?: string;
  appVersion?: string;
  environment?: string;
  /** The sender's explicit answer to "does input_tokens include cached tokens?". */
  includesCache?: boolean;
}

/** Reads service.name, deployment.environment(.name), cairn.workspace from resource attributes. */
export function resourceContext(r: Attrs): ResourceContext {
  const out: ResourceContext = {};
  setIf(out, 'workspace', str(r, 'cairn.workspace'));
  setIf(out, 'app', str(r, 'service.name'));
  setIf(out, 'appVersion', str(r, 'service.version'));
  setIf(out, 'environment', str(r, 'deployment.environment.name', 'deployment.environment'));
  const includes = r[INCLUDES_CACHE_KEY];
  if (typeof includes === 'boolean') out.includesCache = includes;
  return out;
}

export interface SpanToMap {
  span: OtlpSpan;
  attrs: Attrs;
  classified: Classified;
  type: 'llm_call' | 'tool_call' | 'agent_run' | 'agent_step';
  /** The nearest enclosing agent's name, when the span does not name one itself. */
  inheritedAgent?: string | undefined;
}

/** The event id of a span: stable across resends, so a re-export is a duplicate. */
export function spanEventId(traceId: string, spanId: string): string {
  return `${traceId}:${spanId}`;
}

/** Maps one span to its own event. */
export function mapSpan(s: SpanToMap, resource: ResourceContext): WireObject {
  const { span, attrs: a } = s;
  // Usage is read for LLM calls only (an agent span's totals would count its calls twice), so
  // elsewhere the token attributes stay in `attributes`.
  const used = new Set<string>([...ERROR_KEYS, INCLUDES_CACHE_KEY]);
  if (s.type === 'llm_call') USAGE_KEYS.forEach((k) => used.add(k));
  const pick = (...keys: string[]): string | undefined => pickKey(a, used, keys);
  const e: WireObject = { ...envelope(span, resource), type: s.type };
  setIf(e, 'duration_ms', durationMs(span.startTimeUnixNano, span.endTimeUnixNano) ?? undefined);
  setIf(e, 'session_id', pick('gen_ai.conversation.id', 'mcp.session.id', 'session.id'));
  setIf(e, 'user_id', pick('user.id', 'enduser.id'));
  setIf(e, 'agent', pick('gen_ai.agent.name') ?? s.inheritedAgent);
  setIf(
    e,
    'model',
    pick(
      'gen_ai.response.model',
      'gen_ai.request.model',
      'llm.model_name',
      'ai.response.model',
      'ai.model.id',
    ),
  );
  const provider = providerOf(
    pick(
      'gen_ai.provider.name',
      'gen_ai.system',
      'llm.provider',
      'llm.system',
      'ai.model.provider',
    ),
  );
  setIf(e, 'provider', provider);
  Object.assign(e, spanOutcome(span, a));
  const detail = detailOf(s, a, pick, provider, resource);
  Object.assign(e, detail);
  if (s.type === 'tool_call') Object.assign(e, clientOf(span, a, used, resource));
  e['attributes'] = rest(a, used, span);
  return e;
}

/** The per-type object (and usage, for LLM calls). */
function detailOf(
  s: SpanToMap,
  a: Attrs,
  pick: (...keys: string[]) => string | undefined,
  provider: string | undefined,
  resource: ResourceContext,
): WireObject {
  const out: WireObject = {};
  if (s.type === 'llm_call') {
    const includes =
      typeof a[INCLUDES_CACHE_KEY] === 'boolean'
        ? (a[INCLUDES_CACHE_KEY] as boolean)
        : resource.includesCache;
    setIf(out, 'usage', spanUsage(a, provider, includes));
    const llm: WireObject = { operation: pick('gen_ai.operation.name') ?? s.classified.operation };
    setIf(llm, 'finish_reason', finishReason(a));
    out['llm_call'] = llm;
  } else if (s.type === 'tool_call') {
    setIf(
      out,
      'tool',
      pick('gen_ai.tool.name', 'tool.name', 'ai.toolCall.name', 'gen_ai.data_source.id'),
    );
    out['tool_call'] = toolCallOf(s, a, pick);
  } else {
    const name = pick('gen_ai.agent.name') ?? s.span.name;
    out[s.type] = { name };
  }
  return out;
}

function toolCallOf(
  s: SpanToMap,
  a: Attrs,
  pick: (...keys: string[]) => string | undefined,
): WireObject {
  const call: WireObject = { method: pick('mcp.method.name') ?? s.classified.operation };
  setIf(call, 'request_id', pick('jsonrpc.request.id', 'gen_ai.tool.call.id', 'ai.toolCall.id'));
  setIf(call, 'arguments', structured(a['gen_ai.tool.call.arguments'] ?? a['ai.toolCall.args']));
  setIf(call, 'result', structured(a['gen_ai.tool.call.result'] ?? a['ai.toolCall.result']));
  return call;
}

/**
 * The calling client of a tool call. On an MCP client span the client is the process that sent
 * the span (its service.name and service.version); on a server span, only an explicit
 * mcp.client.name / mcp.client.version (not in the semconv, set by some servers) can say.
 */
function clientOf(span: OtlpSpan, a: Attrs, used: Set<string>, r: ResourceContext): WireObject {
  const out: WireObject = {};
  const name = pickKey(a, used, ['mcp.client.name']);
  const version = pickKey(a, used, ['mcp.client.version']);
  const isMcpClient = span.kind === SPAN_KIND.client && 'mcp.method.name' in a;
  setIf(out, 'client_name', name ?? (isMcpClient ? r.app : undefined));
  setIf(out, 'client_version', version ?? (isMcpClient ? r.appVersion : undefined));
  return out;
}

/** Fields every event from this span shares, message events included. */
export function envelope(span: OtlpSpan, r: ResourceContext): WireObject {
  const e: WireObject = {
    id: spanEventId(span.traceId, span.spanId),
    timestamp: nanosToMs(span.startTimeUnixNano),
    trace_id: span.traceId,
  };
  if (span.parentSpanId !== '') e['parent_id'] = spanEventId(span.traceId, span.parentSpanId);
  setIf(e, 'workspace', r.workspace);
  setIf(e, 'app', r.app);
  setIf(e, 'environment', r.environment);
  return e;
}

/** Message events for the chat messages in the span's events, each a child of the span's event. */
export function messageEvents(spanEvent: WireObject, span: OtlpSpan): WireObject[] {
  const shared = ['workspace', 'app', 'environment', 'session_id', 'user_id', 'agent', 'trace_id'];
  return spanMessages(span.events, spanEvent['timestamp'] as number).map((m, i) => {
    const e: WireObject = {
      id: `${spanEvent['id'] as string}:m${i}`,
      type: 'message',
      timestamp: m.timestamp,
    };
    for (const key of shared) setIf(e, key, spanEvent[key]);
    e['parent_id'] = spanEvent['id'];
    e['message'] = { role: m.role, content: m.content };
    return e;
  });
}

/** gen_ai.response.finish_reasons is an array (one per choice); the first is the call's. */
function finishReason(a: Attrs): string | undefined {
  const reasons = a['gen_ai.response.finish_reasons'] ?? a['ai.response.finishReason'];
  const first = Array.isArray(reasons) ? reasons[0] : reasons;
  return typeof first === 'string' && first !== '' ? first : undefined;
}

/**
 * The Vercel AI SDK names providers by API ("anthropic.messages", "openai.chat"); the part
 * before the API suffix is the provider.
 */
function providerOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const m = /^(.+?)\.(messages|chat|responses|completion|embedding|generative-ai)$/.exec(raw);
  return m ? m[1] : raw;
}

/** Span attributes not mapped to a field, plus the span's name and kind (why it was stored). */
function rest(a: Attrs, used: ReadonlySet<string>, span: OtlpSpan): Attrs {
  const out: Attrs = { 'otel.span.name': span.name, 'otel.span.kind': span.kind };
  for (const [k, v] of Object.entries(a)) if (!used.has(k)) setOwn(out, k, v);
  return out;
}

function pickKey(a: Attrs, used: Set<string>, keys: string[]): string | undefined {
  for (const key of keys) {
    const v = str(a, key);
    if (v !== undefined) {
      used.add(key);
      return v;
    }
  }
  return undefined;
}

function setIf<T extends object>(target: T, key: string, value: unknown): void {
  if (value !== undefined && value !== null) (target as Record<string, unknown>)[key] = value;
}
