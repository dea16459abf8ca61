import {
  OtlpDecodeError,
  type ExportLogsServiceRequest,
  type ExportTraceServiceRequest,
  type OtlpLogRecord,
  type OtlpResourceLogs,
  type OtlpScopeLogs,
  type OtlpAnyValue,
  type OtlpKeyValue,
  type OtlpResourceSpans,
  type OtlpScopeSpans,
  type OtlpSpan,
  type OtlpSpanEvent,
} from './otlp-types.js';

/**
 * Reads an OTLP/JSON ExportTraceServiceRequest into the typed shape. It follows the protobuf JSON
 * mapping (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding) as parsers must:
 * lowerCamelCase or original snake_case keys, int64 as a string or a number, enums as a number
 * or their name; trace and span ids in hex (base64 ids from non-conforming senders are converted).
 */
export function decodeJsonTraceRequest(text: string): ExportTraceServiceRequest {
  const root = parseRoot(text);
  return { resourceSpans: list(root, 'resourceSpans', 'resource_spans').map(resourceSpans) };
}

/** Reads an OTLP/JSON ExportLogsServiceRequest, by the same rules as the trace request. */
export function decodeJsonLogsRequest(text: string): ExportLogsServiceRequest {
  const root = parseRoot(text);
  return { resourceLogs: list(root, 'resourceLogs', 'resource_logs').map(resourceLogs) };
}

function parseRoot(text: string): Obj {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new OtlpDecodeError(`body is not valid JSON: ${(err as Error).message}`);
  }
  return obj(doc, 'request');
}

type Obj = Record<string, unknown>;

function obj(value: unknown, path: string): Obj {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new OtlpDecodeError(`${path}: must be an object`);
  }
  return value as Obj;
}

/** A field under its JSON name or its proto name. */
function get(o: Obj, camel: string, snake = camel): unknown {
  return o[camel] ?? o[snake];
}

function list(o: Obj, camel: string, snake = camel): unknown[] {
  const value = get(o, camel, snake);
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new OtlpDecodeError(`${camel}: must be an array`);
  return value;
}

function text(o: Obj, camel: string, snake = camel): string {
  const value = get(o, camel, snake);
  if (value === undefined || value === null) return '';
  if (typeof value !== 'string') throw new OtlpDecodeError(`${camel}: must be a string`);
  return value;
}

function resourceSpans(value: unknown): OtlpResourceSpans {
  const o = obj(value, 'resourceSpans[]');
  return {
    resource: resourceOf(o),
    scopeSpans: list(o, 'scopeSpans', 'scope_spans').map(scopeSpans),
  };
}

function resourceOf(o: Obj): { attributes: OtlpKeyValue[] } {
  const resource = get(o, 'resource');
  return {
    attributes: resource === undefined || resource === null ? [] : attrs(obj(resource, 'resource')),
  };
}

function scopeOf(o: Obj): { name: string; version: string } {
  const raw = get(o, 'scope');
  const scope = raw === undefined || raw === null ? {} : obj(raw, 'scope');
  return { name: text(scope, 'name'), version: text(scope, 'version') };
}

function scopeSpans(value: unknown): OtlpScopeSpans {
  const o = obj(value, 'scopeSpans[]');
  return { scope: scopeOf(o), spans: list(o, 'spans').map(span) };
}

function resourceLogs(value: unknown): OtlpResourceLogs {
  const o = obj(value, 'resourceLogs[]');
  return { resource: resourceOf(o), scopeLogs: list(o, 'scopeLogs', 'scope_logs').map(scopeLogs) };
}

function scopeLogs(value: unknown): OtlpScopeLogs {
  const o = obj(value, 'scopeLogs[]');
  return { scope: scopeOf(o), logRecords: list(o, 'logRecords', 'log_records').map(logRecord) };
}

function logRecord(value: unknown): OtlpLogRecord {
  const o = obj(value, 'logRecord');
  const body = get(o, 'body');
  return {
    timeUnixNano: int64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    observedTimeUnixNano: int64(
      get(o, 'observedTimeUnixNano', 'observed_time_unix_nano'),
      'observedTimeUnixNano',
    ),
    severityNumber: enumValue(
      get(o, 'severityNumber', 'severity_number'),
      'SEVERITY_NUMBER_',
      SEVERITY_NUMBERS,
    ),
    severityText: text(o, 'severityText', 'severity_text'),
    body: body === undefined || body === null ? {} : anyValue(body),
    attributes: attrs(o),
    traceId: id(o, 'traceId', 'trace_id'),
    spanId: id(o, 'spanId', 'span_id'),
    eventName: text(o, 'eventName', 'event_name'),
  };
}

/** SeverityNumber names in order (0 UNSPECIFIED, 1 TRACE … 24 FATAL4). */
const SEVERITY_NUMBERS = [
  'UNSPECIFIED',
  ...['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((level) =>
    ['', '2', '3', '4'].map((n) => level + n),
  ),
];

function span(value: unknown): OtlpSpan {
  const o = obj(value, 'span');
  const status = get(o, 'status');
  const s = status === undefined || status === null ? {} : obj(status, 'status');
  return {
    traceId: id(o, 'traceId', 'trace_id'),
    spanId: id(o, 'spanId', 'span_id'),
    parentSpanId: id(o, 'parentSpanId', 'parent_span_id'),
    name: text(o, 'name'),
    kind: enumValue(get(o, 'kind'), 'SPAN_KIND_', SPAN_KINDS),
    startTimeUnixNano: int64(
      get(o, 'startTimeUnixNano', 'start_time_unix_nano'),
      'startTimeUnixNano',
    ),
    endTimeUnixNano: int64(get(o, 'endTimeUnixNano', 'end_time_unix_nano'), 'endTimeUnixNano'),
    attributes: attrs(o),
    events: list(o, 'events').map(spanEvent),
    status: {
      code: enumValue(get(s, 'code'), 'STATUS_CODE_', STATUS_CODES),
      message: text(s, 'message'),
    },
  };
}

const SPAN_KINDS = ['UNSPECIFIED', 'INTERNAL', 'SERVER', 'CLIENT', 'PRODUCER', 'CONSUMER'];
const STATUS_CODES = ['UNSET', 'OK', 'ERROR'];

function spanEvent(value: unknown): OtlpSpanEvent {
  const o = obj(value, 'event');
  return {
    timeUnixNano: int64(get(o, 'timeUnixNano', 'time_unix_nano'), 'timeUnixNano'),
    name: text(o, 'name'),
    attributes: attrs(o),
  };
}

/** Hex ids as the spec says; a base64 id of the right length is converted, anything else fails. */
function id(o: Obj, camel: string, snake: string): string {
  const raw = text(o, camel, snake);
  if (raw === '' || /^[0-9a-fA-F]+$/.test(raw)) return raw.toLowerCase();
  const bytes = Buffer.from(raw, 'base64');
  if ((bytes.length === 8 || bytes.length === 16) && bytes.toString('base64') === raw) {
    return bytes.toString('hex');
  }
  throw new OtlpDecodeError(`${camel}: must be hex, got "${raw.slice(0, 40)}"`);
}

function int64(value: unknown, path: string): string {
  if (value === undefined || value === null) return '0';
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value).toString();
  if (typeof value === 'string' && /^-?\d+$/.test(value)) return BigInt(value).toString();
  throw new OtlpDecodeError(`${path}: must be an integer (a number or a decimal string)`);
}

function enumValue(value: unknown, prefix: string, names: readonly string[]): number {
  if (value === undefined || value === null) return 0;
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  if (typeof value === 'string') {
    const index = names.indexOf(value.replace(prefix, ''));
    if (index >= 0) return index;
  }
  throw new OtlpDecodeError(`${prefix.toLowerCase()}: unknown enum value ${JSON.stringify(value)}`);
}

function attrs(o: Obj): OtlpKeyValue[] {
  return list(o, 'attributes').map((kv) => keyValue(kv));
}

function keyValue(value: unknown): OtlpKeyValue {
  const o = obj(value, 'attribute');
  const raw = get(o, 'value');
  return { key: text(o, 'key'), value: raw === undefined || raw === null ? {} : anyValue(raw) };
}

/** AnyValue: one of stringValue, boolValue, intValue, doubleValue, arrayValue, kvlistValue, bytesValue. */
function anyValue(value: unknown): OtlpAnyValue {
  const o = obj(value, 'value');
  const s = get(o, 'stringValue', 'string_value');
  if (typeof s === 'string') return { stringValue: s };
  const b = get(o, 'boolValue', 'bool_value');
  if (typeof b === 'boolean') return { boolValue: b };
  const i = get(o, 'intValue', 'int_value');
  if (i !== undefined && i !== null) return { intValue: int64(i, 'intValue') };
  const d = get(o, 'doubleValue', 'double_value');
  if (d !== undefined && d !== null) return { doubleValue: double(d) };
  const a = get(o, 'arrayValue', 'array_value');
  if (a !== undefined && a !== null)
    return { arrayValue: { values: list(obj(a, 'arrayValue'), 'values').map(anyValue) } };
  const kv = get(o, 'kvlistValue', 'kvlist_value');
  if (kv !== undefined && kv !== null)
    return { kvlistValue: { values: list(obj(kv, 'kvlistValue'), 'values').map(keyValue) } };
  const bytes = get(o, 'bytesValue', 'bytes_value');
  if (typeof bytes === 'string') return { bytesValue: bytes };
  return {};
}

/** Doubles may be numbers or, for NaN and the infinities, the strings the JSON mapping uses. */
function double(value: unknown): number {
  if (typeof value === 'number') return value;
  if (value === 'NaN' || value === 'Infinity' || value === '-Infinity') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value)))
    return Number(value);
  throw new OtlpDecodeError('doubleValue: must be a number');
}
