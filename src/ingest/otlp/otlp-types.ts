/**
 * The OTLP trace and log messages Cairn reads, in the shape of the OTLP/JSON encoding: ids are lower-case
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

/** A log record (opentelemetry/proto/logs/v1/logs.proto); an OTel *event* is a log record too. */
export interface OtlpLogRecord {
  /** Nanoseconds since the epoch, decimal; '0' when unset. */
  timeUnixNano: string;
  /** When the SDK or Collector saw the record; the fallback when time_unix_nano is unset. */
  observedTimeUnixNano: string;
  severityNumber: number;
  severityText: string;
  /** The body: unset is an empty object. */
  body: OtlpAnyValue;
  attributes: OtlpKeyValue[];
  /** 32 hex digits, or '' when the record was emitted outside a span. */
  traceId: string;
  /** 16 hex digits, or ''. */
  spanId: string;
  /** The event name (LogRecord field 12); '' for a plain log line or an older sender. */
  eventName: string;
}

export interface OtlpScopeLogs {
  scope: { name: string; version: string };
  logRecords: OtlpLogRecord[];
}

export interface OtlpResourceLogs {
  resource: { attributes: OtlpKeyValue[] };
  scopeLogs: OtlpScopeLogs[];
}

/** opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest */
export interface ExportLogsServiceRequest {
  resourceLogs: OtlpResourceLogs[];
}

/** opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse */
export interface ExportLogsServiceResponse {
  partialSuccess?: { rejectedLogRecords: number; errorMessage: string };
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
