import { CairnError } from '../../core/errors.js';
import type { BatchResult, ItemRejection, RawItem } from '../raw-item.js';
import { attrsOf, str, type Attrs } from './attributes.js';
import { classifySpan, type Classified } from './classify-span.js';
import {
  mapSpan,
  messageEvents,
  resourceContext,
  spanEventId,
  type ResourceContext,
  type SpanToMap,
} from './map-span.js';
import type { ExportTraceServiceRequest, OtlpSpan } from './otlp-types.js';

/** What the traces route needs from the engine; ingest/ stays free of the engine and store. */
export interface TracesDeps {
  ingest(items: readonly RawItem[]): Promise<BatchResult>;
  /** The type of a stored event, or null: tells a nested agent whose parent came earlier. */
  storedType(workspace: string, id: string): Promise<string | null>;
  defaultWorkspace: string;
  maxItems: number;
}

/** The outcome in OTLP terms: spans the pipeline rejected, and why (the first few). */
export interface TracesResult {
  rejectedSpans: number;
  errorMessage: string;
}

interface Candidate {
  span: OtlpSpan;
  attrs: Attrs;
  resource: ResourceContext;
  classified: Classified;
}

const MAX_REASONS = 5;

/**
 * Maps every span of an export request to wire events and ingests them in one batch. Spans of
 * no GenAI or MCP convention are accepted and not stored. A span is rejected when its own event
 * is (a rejected message event is reported in the message but does not reject the span).
 */
export async function ingestTraces(
  request: ExportTraceServiceRequest,
  deps: TracesDeps,
): Promise<TracesResult> {
  const reasons: string[] = [];
  const candidates = collect(request, reasons);
  const malformed = reasons.length;
  const items: RawItem[] = [];
  const owners: Array<{ span: OtlpSpan; own: boolean }> = [];
  const byKey = new Map(candidates.map((c) => [c.span.spanId + c.span.traceId, c]));
  for (const c of candidates) {
    const event = mapSpan(await resolve(c, byKey, deps), c.resource);
    items.push({ ok: true, value: event });
    owners.push({ span: c.span, own: true });
    for (const m of messageEvents(event, c.span)) {
      items.push({ ok: true, value: m });
      owners.push({ span: c.span, own: false });
    }
  }
  if (items.length > deps.maxItems) {
    throw new CairnError(
      'too_many_events',
      `request maps to ${items.length} events; the limit is ${deps.maxItems}`,
    );
  }
  const result = await deps.ingest(items);
  const rejectedOwn = result.rejected.filter((r) => owners[r.index]?.own === true);
  for (const r of result.rejected) reasons.push(reasonOf(r, owners[r.index]?.span));
  return { rejectedSpans: malformed + rejectedOwn.length, errorMessage: summarize(reasons) };
}

/** Spans with their attributes and class; malformed ids are rejected here (counted in reasons). */
function collect(request: ExportTraceServiceRequest, reasons: string[]): Candidate[] {
  const out: Candidate[] = [];
  for (const rs of request.resourceSpans) {
    const resource = resourceContext(attrsOf(rs.resource.attributes));
    for (const span of rs.scopeSpans.flatMap((s) => s.spans)) {
      const problem = idProblem(span);
      if (problem !== null) {
        reasons.push(problem);
        continue;
      }
      const attrs = attrsOf(span.attributes);
      const classified = classifySpan(attrs);
      if (classified !== null) out.push({ span, attrs, resource, classified });
    }
  }
  return out;
}

function idProblem(span: OtlpSpan): string | null {
  const zero = /^0*$/;
  if (span.traceId.length !== 32 || zero.test(span.traceId)) {
    return `span "${span.name}": trace_id must be 16 bytes and not all zero`;
  }
  if (span.spanId.length !== 16 || zero.test(span.spanId)) {
    return `span "${span.name}": span_id must be 8 bytes and not all zero`;
  }
  if (span.parentSpanId !== '' && span.parentSpanId.length !== 16) {
    return `span "${span.name}": parent_span_id must be 8 bytes or empty`;
  }
  return null;
}

/**
 * Decides agent_run vs agent_step and the inherited agent name. An agent span is a step when its
 * parent is an agent span — in this request, or stored from an earlier one. (A parent that
 * arrives later cannot be known: SDKs export a child when it ends, before its parent.)
 */
async function resolve(
  c: Candidate,
  byKey: Map<string, Candidate>,
  deps: TracesDeps,
): Promise<SpanToMap> {
  const parent = byKey.get(c.span.parentSpanId + c.span.traceId);
  const base = {
    span: c.span,
    attrs: c.attrs,
    classified: c.classified,
    inheritedAgent: inheritedAgent(c, byKey),
  };
  if (c.classified.kind !== 'agent') return { ...base, type: c.classified.kind };
  if (parent !== undefined)
    return { ...base, type: parent.classified.kind === 'agent' ? 'agent_step' : 'agent_run' };
  if (c.span.parentSpanId === '') return { ...base, type: 'agent_run' };
  const workspace = c.resource.workspace ?? deps.defaultWorkspace;
  const stored = await deps.storedType(workspace, spanEventId(c.span.traceId, c.span.parentSpanId));
  return {
    ...base,
    type: stored === 'agent_run' || stored === 'agent_step' ? 'agent_step' : 'agent_run',
  };
}

/** The nearest ancestor in this request that names its agent (a tool call inside an agent run). */
function inheritedAgent(c: Candidate, byKey: Map<string, Candidate>): string | undefined {
  let current = byKey.get(c.span.parentSpanId + c.span.traceId);
  for (let depth = 0; current !== undefined && depth < 64; depth++) {
    const name = str(current.attrs, 'gen_ai.agent.name');
    if (name !== undefined) return name;
    current = byKey.get(current.span.parentSpanId + current.span.traceId);
  }
  return undefined;
}

function reasonOf(r: ItemRejection, span: OtlpSpan | undefined): string {
  const who = span ? `span ${span.spanId} ("${span.name}")` : `item ${r.index}`;
  return `${who}: ${r.code}: ${r.message}`;
}

function summarize(reasons: string[]): string {
  if (reasons.length === 0) return '';
  const more = reasons.length > MAX_REASONS ? `; and ${reasons.length - MAX_REASONS} more` : '';
  return reasons.slice(0, MAX_REASONS).join('; ') + more;
}
