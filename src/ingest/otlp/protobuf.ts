import type {
  ExportTraceServiceRequest,
  ExportTraceServiceResponse,
  OtlpAnyValue,
  OtlpKeyValue,
  OtlpResourceSpans,
  OtlpScopeSpans,
  OtlpSpan,
  OtlpSpanEvent,
  OtlpStatus,
} from './otlp-types.js';
import {
  doubleField as double,
  fixed64Field as fixed64,
  int64Field as int64,
  lenField as sub,
  readMessage,
  stringField as str,
  toHex,
  varintField as varint,
} from './protobuf-reader.js';

/**
 * Decoders for the OTLP trace messages (opentelemetry/proto/trace/v1/trace.proto,
 * common/v1/common.proto, collector/trace/v1/trace_service.proto), producing the OTLP/JSON shape.
 * Field numbers are the proto's; unknown fields are skipped, as protobuf requires.
 */
export { OtlpDecodeError } from './otlp-types.js';

/** Decodes an ExportTraceServiceRequest (field 1: repeated ResourceSpans). */
export function decodeExportTraceRequest(bytes: Uint8Array): ExportTraceServiceRequest {
  const resourceSpans: OtlpResourceSpans[] = [];
  readMessage(bytes, (r, t) => {
    if (t.field === 1) resourceSpans.push(decodeResourceSpans(sub(r, t)));
    else r.skip(t.wireType);
  });
  return { resourceSpans };
}

/** ResourceSpans: 1 resource, 2 scope_spans. */
function decodeResourceSpans(bytes: Uint8Array): OtlpResourceSpans {
  const out: OtlpResourceSpans = { resource: { attributes: [] }, scopeSpans: [] };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) out.resource = { attributes: decodeAttributesOf(sub(r, t), 1) };
    else if (t.field === 2) out.scopeSpans.push(decodeScopeSpans(sub(r, t)));
    else r.skip(t.wireType);
  });
  return out;
}

/** ScopeSpans: 1 scope, 2 spans. */
function decodeScopeSpans(bytes: Uint8Array): OtlpScopeSpans {
  const out: OtlpScopeSpans = { scope: { name: '', version: '' }, spans: [] };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) out.scope = decodeScope(sub(r, t));
    else if (t.field === 2) out.spans.push(decodeSpan(sub(r, t)));
    else r.skip(t.wireType);
  });
  return out;
}

/** InstrumentationScope: 1 name, 2 version. */
export function decodeScope(bytes: Uint8Array): { name: string; version: string } {
  const scope = { name: '', version: '' };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) scope.name = str(r, t);
    else if (t.field === 2) scope.version = str(r, t);
    else r.skip(t.wireType);
  });
  return scope;
}

function emptySpan(): OtlpSpan {
  return {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: '0',
    endTimeUnixNano: '0',
    attributes: [],
    events: [],
    status: { code: 0, message: '' },
  };
}

/**
 * Span: 1 trace_id, 2 span_id, 4 parent_span_id (bytes), 5 name, 6 kind, 7 start and 8 end
 * (fixed64 nanos), 9 attributes, 11 events, 15 status.
 */
function decodeSpan(bytes: Uint8Array): OtlpSpan {
  const span = emptySpan();
  readMessage(bytes, (r, t) => {
    switch (t.field) {
      case 1:
        return void (span.traceId = toHex(sub(r, t)));
      case 2:
        return void (span.spanId = toHex(sub(r, t)));
      case 4:
        return void (span.parentSpanId = toHex(sub(r, t)));
      case 5:
        return void (span.name = str(r, t));
      case 6:
        return void (span.kind = varint(r, t));
      case 7:
        return void (span.startTimeUnixNano = fixed64(r, t));
      case 8:
        return void (span.endTimeUnixNano = fixed64(r, t));
      case 9:
        return void span.attributes.push(decodeKeyValue(sub(r, t)));
      case 11:
        return void span.events.push(decodeEvent(sub(r, t)));
      case 15:
        return void (span.status = decodeStatus(sub(r, t)));
      default:
        r.skip(t.wireType);
    }
  });
  return span;
}

/** Span.Event: 1 time_unix_nano, 2 name, 3 attributes. */
function decodeEvent(bytes: Uint8Array): OtlpSpanEvent {
  const event: OtlpSpanEvent = { timeUnixNano: '0', name: '', attributes: [] };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) event.timeUnixNano = fixed64(r, t);
    else if (t.field === 2) event.name = str(r, t);
    else if (t.field === 3) event.attributes.push(decodeKeyValue(sub(r, t)));
    else r.skip(t.wireType);
  });
  return event;
}

/** Status: 2 message, 3 code (1 is the retired deprecated_code). */
function decodeStatus(bytes: Uint8Array): OtlpStatus {
  const status: OtlpStatus = { code: 0, message: '' };
  readMessage(bytes, (r, t) => {
    if (t.field === 2) status.message = str(r, t);
    else if (t.field === 3) status.code = varint(r, t);
    else r.skip(t.wireType);
  });
  return status;
}

/** The repeated KeyValue at `field` of a message (Resource.attributes is field 1). */
export function decodeAttributesOf(bytes: Uint8Array, field: number): OtlpKeyValue[] {
  const out: OtlpKeyValue[] = [];
  readMessage(bytes, (r, t) => {
    if (t.field === field) out.push(decodeKeyValue(sub(r, t)));
    else r.skip(t.wireType);
  });
  return out;
}

/** KeyValue: 1 key, 2 value. */
export function decodeKeyValue(bytes: Uint8Array): OtlpKeyValue {
  const kv: OtlpKeyValue = { key: '', value: {} };
  readMessage(bytes, (r, t) => {
    if (t.field === 1) kv.key = str(r, t);
    else if (t.field === 2) kv.value = decodeAnyValue(sub(r, t));
    else r.skip(t.wireType);
  });
  return kv;
}

/**
 * AnyValue (a oneof): 1 string, 2 bool, 3 int64, 4 double, 5 ArrayValue, 6 KeyValueList, 7 bytes.
 * ArrayValue and KeyValueList both keep their elements in field 1.
 */
export function decodeAnyValue(bytes: Uint8Array): OtlpAnyValue {
  let value: OtlpAnyValue = {};
  readMessage(bytes, (r, t) => {
    if (t.field === 1) value = { stringValue: str(r, t) };
    else if (t.field === 2) value = { boolValue: varint(r, t) !== 0 };
    else if (t.field === 3) value = { intValue: int64(r, t) };
    else if (t.field === 4) value = { doubleValue: double(r, t) };
    else if (t.field === 5) value = { arrayValue: { values: decodeArray(sub(r, t)) } };
    else if (t.field === 6) value = { kvlistValue: { values: decodeAttributesOf(sub(r, t), 1) } };
    else if (t.field === 7) value = { bytesValue: Buffer.from(sub(r, t)).toString('base64') };
    else r.skip(t.wireType);
  });
  return value;
}

function decodeArray(bytes: Uint8Array): OtlpAnyValue[] {
  const values: OtlpAnyValue[] = [];
  readMessage(bytes, (r, t) => {
    if (t.field === 1) values.push(decodeAnyValue(sub(r, t)));
    else r.skip(t.wireType);
  });
  return values;
}

/**
 * Encodes an ExportTraceServiceResponse: empty when everything was accepted, else
 * field 1 partial_success { 1 rejected_spans (int64), 2 error_message }.
 */
export function encodeExportTraceResponse(
  response: ExportTraceServiceResponse,
): Uint8Array<ArrayBuffer> {
  const partial = response.partialSuccess;
  if (partial === undefined) return new Uint8Array(0);
  return encodePartialSuccess(partial.rejectedSpans, partial.errorMessage);
}

/**
 * An Export*ServiceResponse holding partial_success: every signal's response has the same
 * layout (field 1 { 1 rejected count as int64, 2 error_message }), only the field names differ.
 */
export function encodePartialSuccess(
  rejected: number,
  errorMessage: string,
): Uint8Array<ArrayBuffer> {
  const inner: number[] = [];
  if (rejected !== 0) inner.push(0x08, ...encodeVarint(BigInt(rejected)));
  if (errorMessage !== '') pushLen(inner, 0x12, new TextEncoder().encode(errorMessage));
  const outer: number[] = [];
  pushLen(outer, 0x0a, Uint8Array.from(inner));
  return Uint8Array.from(outer);
}

function pushLen(out: number[], key: number, payload: Uint8Array): void {
  out.push(key, ...encodeVarint(BigInt(payload.length)), ...payload);
}

function encodeVarint(value: bigint): number[] {
  const out: number[] = [];
  let v = BigInt.asUintN(64, value);
  while (v >= 0x80n) {
    out.push(Number(v & 0x7fn) | 0x80);
    v >>= 7n;
  }
  out.push(Number(v));
  return out;
}
