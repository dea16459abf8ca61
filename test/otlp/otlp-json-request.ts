import { randomBytes } from 'node:crypto';

/**
 * Builds OTLP/JSON ExportTraceServiceRequest bodies by hand, for spans the SDK cannot produce
 * (a negative token count, structured attribute values) and for the reference fixtures, which are
 * attribute maps. Ids are random hex, times the current clock in nanoseconds.
 */
export interface SpanSpec {
  name?: string;
  attributes: Record<string, unknown>;
  traceId?: string;
  spanId?: string;
  parentSpanId?: string;
  kind?: number;
  startMs?: number;
  durationMs?: number;
  events?: Array<{ name: string; attributes: Record<string, unknown> }>;
  status?: { code: number; message?: string };
}

export function hexId(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** An attribute value in OTLP/JSON form. */
export function anyValue(v: unknown): Record<string, unknown> {
  if (typeof v === 'string') return { stringValue: v };
  if (typeof v === 'boolean') return { boolValue: v };
  if (typeof v === 'number')
    return Number.isInteger(v) ? { intValue: String(v) } : { doubleValue: v };
  if (Array.isArray(v)) return { arrayValue: { values: v.map(anyValue) } };
  if (v !== null && typeof v === 'object')
    return { kvlistValue: { values: keyValues(v as Record<string, unknown>) } };
  return {};
}

export function keyValues(attrs: Record<string, unknown>) {
  return Object.entries(attrs).map(([key, value]) => ({ key, value: anyValue(value) }));
}

export function jsonSpan(s: SpanSpec) {
  const start = BigInt(s.startMs ?? Date.now() - 5_000) * 1_000_000n;
  const end = start + BigInt(Math.round((s.durationMs ?? 250) * 1e6));
  return {
    traceId: s.traceId ?? hexId(16),
    spanId: s.spanId ?? hexId(8),
    parentSpanId: s.parentSpanId ?? '',
    name: s.name ?? 'span',
    kind: s.kind ?? 1,
    startTimeUnixNano: start.toString(),
    endTimeUnixNano: end.toString(),
    attributes: keyValues(s.attributes),
    events: (s.events ?? []).map((e) => ({
      timeUnixNano: (start + 1000n).toString(),
      name: e.name,
      attributes: keyValues(e.attributes),
    })),
    status: s.status ?? { code: 0 },
  };
}

export function jsonRequest(spans: SpanSpec[], resource: Record<string, unknown> = {}) {
  return {
    resourceSpans: [
      {
        resource: { attributes: keyValues({ 'service.name': 'fixture-app', ...resource }) },
        scopeSpans: [{ scope: { name: 'test', version: '1' }, spans: spans.map(jsonSpan) }],
      },
    ],
  };
}
