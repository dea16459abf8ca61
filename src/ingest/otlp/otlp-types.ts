/**
 * The OTLP trace messages Cairn reads, in the shape of the OTLP/JSON encoding: ids are lower-case
 * hex, 64-bit integers are decimal strings. The protobuf decoder produces this shape too, so one
 * mapper serves both encodings. Fields Cairn does not use (links, trace_state, flags, dropped
 * counts, schema urls) are left out.
 */

/** An attribute value: exactly one of the members is set (an empty object is an unset value). */
export interface OtlpAnyValue {
  stringValue?: string;
  boolValue?: boolean;
  /** int64 as a decimal string. */
  intValue?: string;
  doubleValue?: number;
  arrayValue?: { values: OtlpAnyValue[] };
  kvlistValue?: { values: OtlpKeyValue[] };
  /** Base64, as in OTLP/JSON. */
  bytesValue?: string;
}

export interface OtlpKeyValue {
  key: string;
  value: OtlpAnyValue;
}

export interface OtlpSpanEvent {
  /** Nanoseconds since the epoch, as a decimal string. */
  timeUnixNano: string;
  name: string;
  attributes: OtlpKeyValue[];
}

/** Span status codes: 0 unset, 1 ok, 2 error. */
export interface OtlpStatus {
  code: number;
  message: string;
}

export interface OtlpSpan {
  /** 32 hex digits. */
  traceId: string;
  /** 16 hex digits. */
  spanId: string;
  /** 16 hex digits, or '' for a root span. */
  parentSpanId: string;
  name: string;
  /** 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  kind: number;
  startTimeUnixNano: string;
  endTimeUnixNano: string;
  attributes: OtlpKeyValue[];
  events: OtlpSpanEvent[];
  status: OtlpStatus;
}

export interface OtlpScopeSpans {
  scope: { name: string; version: string };
  spans: OtlpSpan[];
}

export interface OtlpResourceSpans {
  resource: { attributes: OtlpKeyValue[] };
  scopeSpans: OtlpScopeSpans[];
}

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest */
export interface ExportTraceServiceRequest {
  resourceSpans: OtlpResourceSpans[];
}

/** opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse */
export interface ExportTraceServiceResponse {
  partialSuccess?: { rejectedSpans: number; errorMessage: string };
}

export const SPAN_KIND = {
  unspecified: 0,
  internal: 1,
  server: 2,
  client: 3,
  producer: 4,
  consumer: 5,
} as const;

export const STATUS_CODE = { unset: 0, ok: 1, error: 2 } as const;

/** Thrown by the decoders for a payload that is not a valid request; the route answers 400. */
export class OtlpDecodeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OtlpDecodeError';
  }
}
